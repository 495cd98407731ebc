//! Watching providers from a workspace: adding a monitor (within the plan's quota, one per
//! provider), choosing its components, pausing, deleting, and adding one by a status page's
//! URL (checked by a job; the web makes no outbound call).

use chrono::Utc;
use vw_domain::{
    ComponentFilter, MonitorId, MonitorRequestId, ProviderId, StatusPageUrl, WorkspaceId,
};
use vw_store::monitors::RequestState;
use vw_store::queue::{self, DetectPage};
use vw_store::{PgPool, Postgres, Transaction};

use crate::AppError;

/// Starts watching `provider` from `workspace`, within the plan's quota, and makes the
/// provider due at once so that the monitor has something to show within seconds. The quota
/// is read under the workspace's row lock, so concurrent adds cannot pass it together.
pub async fn add(
    db: &PgPool,
    workspace: WorkspaceId,
    provider: ProviderId,
) -> Result<MonitorId, AppError> {
    let mut tx = vw_store::begin(db).await?;
    let monitor = add_in(&mut tx, workspace, provider).await?;
    vw_store::commit(tx).await?;
    tracing::info!(%workspace, %provider, %monitor, "monitor added");
    Ok(monitor)
}

async fn add_in(
    tx: &mut Transaction<'static, Postgres>,
    workspace: WorkspaceId,
    provider: ProviderId,
) -> Result<MonitorId, AppError> {
    vw_store::workspaces::lock(&mut **tx, workspace).await?;
    if let Some(existing) =
        vw_store::monitors::find_by_provider(&mut **tx, workspace, provider).await?
    {
        return Err(AppError::AlreadyMonitored(existing));
    }
    let quota = vw_store::monitors::quota(&mut **tx, workspace).await?;
    if quota.monitors >= quota.limit {
        return Err(AppError::PlanLimit {
            limit: quota.limit,
            plan: quota.plan_name,
        });
    }
    let monitor = vw_store::monitors::insert(&mut **tx, workspace, provider).await?;
    vw_store::polls::due_now(&mut **tx, provider, Utc::now()).await?;
    Ok(monitor)
}

/// What asking for a monitor by URL came to at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByUrl {
    /// The URL is a provider already known (under any spelling): the monitor was added.
    Added(MonitorId),
    /// The page must be detected first: a job checks it; the request tells how it ends.
    Checking(MonitorRequestId),
}

/// Adds a monitor for the page at `url`: at once when it is a known provider, else through
/// a request that a job checks (queued in the same transaction).
pub async fn add_by_url(db: &PgPool, workspace: WorkspaceId, url: &str) -> Result<ByUrl, AppError> {
    let page = StatusPageUrl::parse(url).map_err(|e| AppError::Invalid(e.to_string()))?;
    if let Some(known) = vw_store::providers::find_by_page(db, &page).await? {
        return add(db, workspace, known.id).await.map(ByUrl::Added);
    }
    let mut tx = vw_store::begin(db).await?;
    let request = vw_store::monitors::insert_request(&mut *tx, workspace, page.as_str()).await?;
    queue::push(&mut tx, &DetectPage { request }).await?;
    vw_store::commit(tx).await?;
    tracing::info!(%workspace, %request, "monitor by URL requested");
    Ok(ByUrl::Checking(request))
}

/// How a request ended, once its page was detected (or not).
#[derive(Debug)]
pub enum Detected {
    Provider(ProviderId),
    /// Why the page cannot be watched, for the person (what was tried).
    Refused(String),
}

/// Ends a request with what detection found; a request already ended (a job run twice)
/// is left as it is.
pub async fn finish_request(
    db: &PgPool,
    request: MonitorRequestId,
    detected: Detected,
) -> Result<(), AppError> {
    let Some(found) = vw_store::monitors::request_for_job(db, request).await? else {
        return Ok(());
    };
    if found.state != RequestState::Checking {
        return Ok(());
    }
    let provider = match detected {
        Detected::Provider(provider) => provider,
        Detected::Refused(why) => {
            vw_store::monitors::finish_request(db, request, RequestState::Failed, Some(&why), None)
                .await?;
            return Ok(());
        }
    };
    let mut tx = vw_store::begin(db).await?;
    let (state, error, monitor) = match add_in(&mut tx, found.workspace_id, provider).await {
        Ok(monitor) => (RequestState::Added, None, Some(monitor)),
        Err(AppError::AlreadyMonitored(existing)) => (
            RequestState::Failed,
            Some("This workspace already monitors that status page.".to_owned()),
            Some(existing),
        ),
        Err(refusal @ AppError::PlanLimit { .. }) => {
            (RequestState::Failed, Some(refusal.to_string()), None)
        }
        Err(other) => return Err(other),
    };
    vw_store::monitors::finish_request(&mut *tx, request, state, error.as_deref(), monitor).await?;
    vw_store::commit(tx).await?;
    Ok(())
}

/// Chooses what the monitor watches. Groups and components must be the provider's (a
/// component the vendor has since removed may stay chosen, as it was).
pub async fn set_filter(
    db: &PgPool,
    workspace: WorkspaceId,
    monitor: MonitorId,
    filter: ComponentFilter,
) -> Result<(), AppError> {
    let current = vw_store::monitors::get(db, workspace, monitor).await?;
    if let ComponentFilter::Chosen { groups, components } = &filter {
        let known = vw_store::directory::components(db, current.provider_id).await?;
        let held = match &current.filter {
            ComponentFilter::Chosen { components, .. } => components.clone(),
            ComponentFilter::All => Default::default(),
        };
        let unknown_group = groups
            .iter()
            .find(|g| !known.iter().any(|c| c.group.as_deref() == Some(g.as_str())));
        let unknown_component = components
            .iter()
            .find(|id| !held.contains(*id) && !known.iter().any(|c| &c.vendor_id == *id));
        if let Some(name) = unknown_group {
            return Err(AppError::Invalid(format!(
                "{name:?} is not a group of this page."
            )));
        }
        if let Some(id) = unknown_component {
            return Err(AppError::Invalid(format!(
                "{id:?} is not a component of this page."
            )));
        }
    }
    let mut tx = vw_store::begin(db).await?;
    vw_store::monitors::set_filter(&mut tx, workspace, monitor, &filter).await?;
    vw_store::commit(tx).await?;
    Ok(())
}

/// Pauses or resumes the monitor; a resumed one's provider is due at once.
pub async fn set_paused(
    db: &PgPool,
    workspace: WorkspaceId,
    monitor: MonitorId,
    paused: bool,
) -> Result<(), AppError> {
    let mut tx = vw_store::begin(db).await?;
    let provider = vw_store::monitors::set_paused(&mut *tx, workspace, monitor, paused).await?;
    if !paused {
        vw_store::polls::due_now(&mut *tx, provider, Utc::now()).await?;
    }
    vw_store::commit(tx).await?;
    Ok(())
}

pub async fn delete(
    db: &PgPool,
    workspace: WorkspaceId,
    monitor: MonitorId,
) -> Result<(), AppError> {
    vw_store::monitors::delete(db, workspace, monitor).await?;
    tracing::info!(%workspace, %monitor, "monitor deleted");
    Ok(())
}
