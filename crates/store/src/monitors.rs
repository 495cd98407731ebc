//! Monitors: a workspace watching a provider, with the components it watches; and the
//! requests to add one by URL. Every function is scoped by the workspace.
//!
//! A monitor keeps the provider it was created on; when that one is the same page as another
//! (`same_as`), the monitor shows the other's state: [`watched_provider`] says whose.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use vw_domain::{ComponentFilter, MonitorId, MonitorRequestId, ProviderId, WorkspaceId};

use crate::StoreError;

/// A monitor as its own page needs it, with the provider whose state it shows.
#[derive(Debug, Clone)]
pub struct Monitor {
    pub id: MonitorId,
    pub provider_id: ProviderId,
    pub provider_slug: String,
    pub provider_name: String,
    pub paused: bool,
    pub filter: ComponentFilter,
    pub created_at: DateTime<Utc>,
}

/// Fails with `Duplicate("monitors_workspace_id_provider_id_key")` when the workspace
/// already watches the provider.
pub async fn insert(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    provider: ProviderId,
) -> Result<MonitorId, StoreError> {
    let id = MonitorId::new();
    sqlx::query!(
        "INSERT INTO monitors (id, workspace_id, provider_id) VALUES ($1, $2, $3)",
        id.0,
        workspace.0,
        provider.0
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// The workspace's monitors and its plan's limit. Read under the workspace's lock
/// (`workspaces::lock`) to decide on one more.
#[derive(Debug, Clone)]
pub struct Quota {
    pub monitors: i64,
    pub limit: i64,
    pub plan_name: String,
}

pub async fn quota(db: impl PgExecutor<'_>, workspace: WorkspaceId) -> Result<Quota, StoreError> {
    let row = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM monitors m WHERE m.workspace_id = w.id) AS "monitors!",
                  p.monitor_limit, p.name AS plan_name
           FROM workspaces w JOIN plans p ON p.id = w.plan_id
           WHERE w.id = $1"#,
        workspace.0
    )
    .fetch_one(db)
    .await?;
    Ok(Quota {
        monitors: row.monitors,
        limit: i64::from(row.monitor_limit),
        plan_name: row.plan_name,
    })
}

/// `NotFound` for another workspace's monitor, or none.
pub async fn get(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: MonitorId,
) -> Result<Monitor, StoreError> {
    let row = sqlx::query!(
        r#"SELECT m.id, p.id AS provider_id, p.slug, p.name, m.paused, m.all_components,
                  m.created_at,
                  ARRAY(SELECT g.group_name FROM monitor_groups g
                        WHERE g.monitor_id = m.id ORDER BY g.group_name) AS "groups!",
                  ARRAY(SELECT c.vendor_id FROM monitor_components c
                        WHERE c.monitor_id = m.id ORDER BY c.vendor_id) AS "components!"
           FROM monitors m
           JOIN providers own ON own.id = m.provider_id
           -- A provider that is the same page as another shows that one (`same_as`).
           JOIN providers p ON p.id = coalesce(own.same_as, own.id)
           WHERE m.workspace_id = $1 AND m.id = $2"#,
        workspace.0,
        id.0
    )
    .fetch_one(db)
    .await?;
    Ok(Monitor {
        id: MonitorId(row.id),
        provider_id: ProviderId(row.provider_id),
        provider_slug: row.slug,
        provider_name: row.name,
        paused: row.paused,
        filter: filter(row.all_components, row.groups, row.components),
        created_at: row.created_at,
    })
}

/// The filter as stored: `all_components`, else the chosen groups and components.
pub(crate) fn filter(all: bool, groups: Vec<String>, components: Vec<String>) -> ComponentFilter {
    if all {
        ComponentFilter::All
    } else {
        ComponentFilter::chosen(groups, components)
    }
}

/// The component filter of the workspace's monitor of `provider` (on either address of the
/// page, `same_as`): it marks the watched components in alerts.
pub(crate) async fn filter_of_provider(
    conn: &mut PgConnection,
    workspace: WorkspaceId,
    provider: ProviderId,
) -> Result<Option<ComponentFilter>, StoreError> {
    Ok(sqlx::query!(
        r#"SELECT m.all_components,
                  ARRAY(SELECT g.group_name FROM monitor_groups g WHERE g.monitor_id = m.id)
                      AS "groups!",
                  ARRAY(SELECT c.vendor_id FROM monitor_components c WHERE c.monitor_id = m.id)
                      AS "components!"
           FROM monitors m JOIN providers p ON p.id = m.provider_id
           WHERE m.workspace_id = $1 AND coalesce(p.same_as, p.id) = $2
           LIMIT 1"#,
        workspace.0,
        provider.0
    )
    .fetch_optional(conn)
    .await?
    .map(|m| filter(m.all_components, m.groups, m.components)))
}

/// The monitor of `provider` in the workspace, if any.
pub async fn find_by_provider(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    provider: ProviderId,
) -> Result<Option<MonitorId>, StoreError> {
    let id = sqlx::query_scalar!(
        "SELECT id FROM monitors WHERE workspace_id = $1 AND provider_id = $2",
        workspace.0,
        provider.0
    )
    .fetch_optional(db)
    .await?;
    Ok(id.map(MonitorId))
}

/// Replaces what the monitor watches. `NotFound` for another workspace's monitor.
pub async fn set_filter(
    conn: &mut PgConnection,
    workspace: WorkspaceId,
    id: MonitorId,
    filter: &ComponentFilter,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "UPDATE monitors SET all_components = $3 WHERE workspace_id = $1 AND id = $2",
        workspace.0,
        id.0,
        filter.is_all()
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query!(
        "DELETE FROM monitor_groups WHERE workspace_id = $1 AND monitor_id = $2",
        workspace.0,
        id.0
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM monitor_components WHERE workspace_id = $1 AND monitor_id = $2",
        workspace.0,
        id.0
    )
    .execute(&mut *conn)
    .await?;
    if let ComponentFilter::Chosen { groups, components } = filter {
        let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
        let components: Vec<&str> = components.iter().map(String::as_str).collect();
        sqlx::query!(
            "INSERT INTO monitor_groups (workspace_id, monitor_id, group_name)
             SELECT $1, $2, unnest($3::text[])",
            workspace.0,
            id.0,
            &groups as &[&str]
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "INSERT INTO monitor_components (workspace_id, monitor_id, vendor_id)
             SELECT $1, $2, unnest($3::text[])",
            workspace.0,
            id.0,
            &components as &[&str]
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// `NotFound` for another workspace's monitor.
pub async fn set_paused(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: MonitorId,
    paused: bool,
) -> Result<ProviderId, StoreError> {
    let provider = sqlx::query_scalar!(
        "UPDATE monitors SET paused = $3 WHERE workspace_id = $1 AND id = $2
         RETURNING provider_id",
        workspace.0,
        id.0,
        paused
    )
    .fetch_optional(db)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(ProviderId(provider))
}

/// `NotFound` for another workspace's monitor.
pub async fn delete(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: MonitorId,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "DELETE FROM monitors WHERE workspace_id = $1 AND id = $2",
        workspace.0,
        id.0
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Where a request to add a monitor by URL stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    Checking,
    Added,
    Failed,
}

impl RequestState {
    fn as_str(self) -> &'static str {
        match self {
            RequestState::Checking => "checking",
            RequestState::Added => "added",
            RequestState::Failed => "failed",
        }
    }

    fn parse(word: &str) -> Result<Self, StoreError> {
        match word {
            "checking" => Ok(RequestState::Checking),
            "added" => Ok(RequestState::Added),
            "failed" => Ok(RequestState::Failed),
            other => Err(StoreError::Invalid(format!("request state {other:?}"))),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub id: MonitorRequestId,
    pub workspace_id: WorkspaceId,
    pub url: String,
    pub state: RequestState,
    pub error: Option<String>,
    pub monitor_id: Option<MonitorId>,
}

pub async fn insert_request(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    url: &str,
) -> Result<MonitorRequestId, StoreError> {
    let id = MonitorRequestId::new();
    sqlx::query!(
        "INSERT INTO monitor_requests (id, workspace_id, url) VALUES ($1, $2, $3)",
        id.0,
        workspace.0,
        url
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// `NotFound` for another workspace's request.
pub async fn request(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: MonitorRequestId,
) -> Result<Request, StoreError> {
    let row = sqlx::query!(
        "SELECT id, workspace_id, url, state, error, monitor_id FROM monitor_requests
         WHERE workspace_id = $1 AND id = $2",
        workspace.0,
        id.0
    )
    .fetch_one(db)
    .await?;
    Ok(Request {
        id: MonitorRequestId(row.id),
        workspace_id: WorkspaceId(row.workspace_id),
        url: row.url,
        state: RequestState::parse(&row.state)?,
        error: row.error,
        monitor_id: row.monitor_id.map(MonitorId),
    })
}

/// The request a job was queued for (a job carries the id only; the row says whose it is).
pub async fn request_for_job(
    db: impl PgExecutor<'_>,
    id: MonitorRequestId,
) -> Result<Option<Request>, StoreError> {
    let row = sqlx::query!(
        "SELECT id, workspace_id, url, state, error, monitor_id FROM monitor_requests
         WHERE id = $1",
        id.0
    )
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(Request {
            id: MonitorRequestId(row.id),
            workspace_id: WorkspaceId(row.workspace_id),
            url: row.url,
            state: RequestState::parse(&row.state)?,
            error: row.error,
            monitor_id: row.monitor_id.map(MonitorId),
        })
    })
    .transpose()
}

/// Ends a request that is still being checked; a second end (a job run twice) changes
/// nothing and returns false.
pub async fn finish_request(
    db: impl PgExecutor<'_>,
    id: MonitorRequestId,
    state: RequestState,
    error: Option<&str>,
    monitor: Option<MonitorId>,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE monitor_requests SET state = $2, error = $3, monitor_id = $4, finished_at = now()
         WHERE id = $1 AND state = 'checking'",
        id.0,
        state.as_str(),
        error,
        monitor.map(|m| m.0)
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The workspace's requests still being checked (the newest ten, of the last day).
pub async fn checking_requests(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Vec<Request>, StoreError> {
    let rows = sqlx::query!(
        "SELECT id, workspace_id, url, state, error, monitor_id FROM monitor_requests
         WHERE workspace_id = $1 AND state = 'checking'
           AND created_at > now() - interval '1 day'
         ORDER BY created_at DESC LIMIT 10",
        workspace.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Request {
                id: MonitorRequestId(row.id),
                workspace_id: WorkspaceId(row.workspace_id),
                url: row.url,
                state: RequestState::parse(&row.state)?,
                error: row.error,
                monitor_id: row.monitor_id.map(MonitorId),
            })
        })
        .collect()
}

/// The provider whose state the monitor shows: the one it watches or, when that one is the
/// same page as another that came first, that one (which is the one polled). `NotFound` for
/// a monitor of another workspace.
pub async fn watched_provider(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    monitor: MonitorId,
) -> Result<ProviderId, StoreError> {
    let id = sqlx::query_scalar!(
        r#"SELECT coalesce(p.same_as, p.id) AS "id!"
           FROM monitors m JOIN providers p ON p.id = m.provider_id
           WHERE m.workspace_id = $1 AND m.id = $2"#,
        workspace.0,
        monitor.0
    )
    .fetch_one(db)
    .await?;
    Ok(ProviderId(id))
}
