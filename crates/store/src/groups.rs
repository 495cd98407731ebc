//! Notification groups: their filters and scope. Every function is scoped by the workspace.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;
use vw_domain::{GroupFilters, GroupId, GroupName, MonitorId, WorkspaceId};

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub is_default: bool,
    pub filters: GroupFilters,
    /// `None`: every monitor of the workspace; else these.
    pub scope: Option<Vec<MonitorId>>,
    pub created_at: DateTime<Utc>,
}

/// What a new group is made of.
pub struct NewGroup<'a> {
    pub name: &'a GroupName,
    pub is_default: bool,
    pub filters: &'a GroupFilters,
}

fn words<T>(set: &BTreeSet<T>, word: fn(&T) -> &'static str) -> Vec<&'static str> {
    set.iter().map(word).collect()
}

/// Fails with `Duplicate("notification_groups_workspace_id_name_key")` for a name the
/// workspace already uses.
pub async fn insert(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    new: NewGroup<'_>,
) -> Result<GroupId, StoreError> {
    let id = GroupId::new();
    sqlx::query!(
        "INSERT INTO notification_groups (id, workspace_id, name, is_default, severities, events,
                                          postmortems, page_health)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        id.0,
        workspace.0,
        new.name.as_str(),
        new.is_default,
        &words(&new.filters.severities, |s| s.as_str()) as &[&str],
        &words(&new.filters.events, |c| c.as_str()) as &[&str],
        new.filters.postmortems,
        new.filters.page_health,
    )
    .execute(db)
    .await?;
    Ok(id)
}

struct GroupRow {
    id: Uuid,
    name: String,
    is_default: bool,
    severities: Vec<String>,
    events: Vec<String>,
    postmortems: bool,
    page_health: bool,
    all_monitors: bool,
    scope: Vec<Uuid>,
    created_at: DateTime<Utc>,
}

fn group(row: GroupRow) -> Result<Group, StoreError> {
    let filters = GroupFilters::parse(
        row.severities.iter().map(String::as_str),
        row.events.iter().map(String::as_str),
        row.postmortems,
        row.page_health,
    )
    .map_err(|e| StoreError::Invalid(format!("group {}: {e}", row.id)))?;
    Ok(Group {
        id: GroupId(row.id),
        name: row.name,
        is_default: row.is_default,
        filters,
        scope: (!row.all_monitors).then(|| row.scope.into_iter().map(MonitorId).collect()),
        created_at: row.created_at,
    })
}

/// The workspace's groups, the Default one first, then by name.
pub async fn list(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
) -> Result<Vec<Group>, StoreError> {
    let rows = sqlx::query_as!(
        GroupRow,
        r#"SELECT g.id, g.name, g.is_default, g.severities, g.events, g.postmortems,
                  g.page_health, g.all_monitors, g.created_at,
                  ARRAY(SELECT gm.monitor_id FROM group_monitors gm WHERE gm.group_id = g.id)
                      AS "scope!"
           FROM notification_groups g
           WHERE g.workspace_id = $1
           ORDER BY g.is_default DESC, lower(g.name), g.id"#,
        workspace.0
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(group).collect()
}

/// `NotFound` for another workspace's group.
pub async fn get(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: GroupId,
) -> Result<Group, StoreError> {
    let row = sqlx::query_as!(
        GroupRow,
        r#"SELECT g.id, g.name, g.is_default, g.severities, g.events, g.postmortems,
                  g.page_health, g.all_monitors, g.created_at,
                  ARRAY(SELECT gm.monitor_id FROM group_monitors gm WHERE gm.group_id = g.id)
                      AS "scope!"
           FROM notification_groups g
           WHERE g.workspace_id = $1 AND g.id = $2"#,
        workspace.0,
        id.0
    )
    .fetch_one(db)
    .await?;
    group(row)
}

/// Renames the group and sets its filters. `NotFound` for another workspace's group.
pub async fn update(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: GroupId,
    name: &GroupName,
    filters: &GroupFilters,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "UPDATE notification_groups SET name = $3, severities = $4, events = $5, postmortems = $6,
                                        page_health = $7
         WHERE workspace_id = $1 AND id = $2",
        workspace.0,
        id.0,
        name.as_str(),
        &words(&filters.severities, |s| s.as_str()) as &[&str],
        &words(&filters.events, |c| c.as_str()) as &[&str],
        filters.postmortems,
        filters.page_health,
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Sets the group's scope: every monitor (`None`), or these; `NotFound` when one of them is
/// not the workspace's.
pub async fn set_scope(
    conn: &mut PgConnection,
    workspace: WorkspaceId,
    id: GroupId,
    monitors: Option<&[MonitorId]>,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "UPDATE notification_groups SET all_monitors = $3 WHERE workspace_id = $1 AND id = $2",
        workspace.0,
        id.0,
        monitors.is_none()
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query!(
        "DELETE FROM group_monitors WHERE workspace_id = $1 AND group_id = $2",
        workspace.0,
        id.0
    )
    .execute(&mut *conn)
    .await?;
    if let Some(monitors) = monitors {
        let ids: Vec<Uuid> = monitors.iter().map(|m| m.0).collect();
        let added = sqlx::query!(
            "INSERT INTO group_monitors (workspace_id, group_id, monitor_id)
             SELECT $1, $2, m.id FROM monitors m WHERE m.workspace_id = $1 AND m.id = ANY($3)
             ON CONFLICT DO NOTHING",
            workspace.0,
            id.0,
            &ids
        )
        .execute(&mut *conn)
        .await?;
        let distinct: std::collections::HashSet<&Uuid> = ids.iter().collect();
        if added.rows_affected() != distinct.len() as u64 {
            // A monitor that is not the workspace's (or no longer exists).
            return Err(StoreError::NotFound);
        }
    }
    Ok(())
}

/// Deletes a group that is not the Default one; `NotFound` otherwise.
pub async fn delete(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    id: GroupId,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "DELETE FROM notification_groups WHERE workspace_id = $1 AND id = $2 AND NOT is_default",
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

/// Sets when before a maintenance the group's channels are reminded of it (minutes,
/// checked by the domain); `NotFound` for another workspace's group.
pub async fn set_reminder_offsets(
    db: impl PgExecutor<'_>,
    workspace: WorkspaceId,
    group: GroupId,
    offsets: &vw_domain::ReminderOffsets,
) -> Result<(), StoreError> {
    let minutes: Vec<i32> = offsets.minutes().collect();
    let done = sqlx::query!(
        "UPDATE notification_groups SET reminder_offsets = $3 WHERE workspace_id = $1 AND id = $2",
        workspace.0,
        group.0,
        &minutes
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
