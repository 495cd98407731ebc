//! Notification groups: who gets which alerts. Every workspace has its Default group, made
//! with the workspace; others are created, renamed, narrowed and deleted by its admins.

use vw_domain::{EmailAddress, GroupFilters, GroupId, GroupName, MonitorId, WorkspaceId};
use vw_store::{PgPool, Postgres, Transaction};

use crate::AppError;

/// What a group is called and lets through, as a person entered it.
#[derive(Debug, Clone)]
pub struct Settings {
    pub name: GroupName,
    pub filters: GroupFilters,
}

/// The Default group of a new workspace, holding its owner's address, already confirmed
/// (they signed up with it): major and minor incidents, opened and resolved, every monitor.
pub(crate) async fn create_default(
    tx: &mut Transaction<'static, Postgres>,
    workspace: WorkspaceId,
    owner: &EmailAddress,
) -> Result<GroupId, AppError> {
    let group = vw_store::groups::insert(
        &mut **tx,
        workspace,
        vw_store::groups::NewGroup {
            name: &GroupName::default_group(),
            is_default: true,
            filters: &GroupFilters::default(),
        },
    )
    .await?;
    vw_store::channels::insert_email(&mut **tx, workspace, group, owner, true).await?;
    Ok(group)
}

/// A new group, with no channels yet, for every monitor.
pub async fn create(
    db: &PgPool,
    workspace: WorkspaceId,
    settings: &Settings,
) -> Result<GroupId, AppError> {
    let group = vw_store::groups::insert(
        db,
        workspace,
        vw_store::groups::NewGroup {
            name: &settings.name,
            is_default: false,
            filters: &settings.filters,
        },
    )
    .await
    .map_err(taken)?;
    tracing::info!(%workspace, %group, "notification group created");
    Ok(group)
}

/// Renames the group and sets what it lets through.
pub async fn update(
    db: &PgPool,
    workspace: WorkspaceId,
    group: GroupId,
    settings: &Settings,
) -> Result<(), AppError> {
    vw_store::groups::update(db, workspace, group, &settings.name, &settings.filters)
        .await
        .map_err(taken)?;
    tracing::info!(%workspace, %group, "notification group changed");
    Ok(())
}

/// Every monitor (`None`), or these of the workspace's monitors.
pub async fn set_scope(
    db: &PgPool,
    workspace: WorkspaceId,
    group: GroupId,
    monitors: Option<&[MonitorId]>,
) -> Result<(), AppError> {
    let mut tx = vw_store::begin(db).await?;
    vw_store::groups::set_scope(&mut tx, workspace, group, monitors).await?;
    vw_store::commit(tx).await?;
    Ok(())
}

/// Deletes a group with its channels and their deliveries; the Default group stays.
pub async fn delete(db: &PgPool, workspace: WorkspaceId, group: GroupId) -> Result<(), AppError> {
    if vw_store::groups::get(db, workspace, group)
        .await?
        .is_default
    {
        return Err(AppError::Invalid(
            "The Default group cannot be deleted; remove its recipients and integrations, or \
             turn its filters off, instead."
                .into(),
        ));
    }
    vw_store::groups::delete(db, workspace, group).await?;
    tracing::info!(%workspace, %group, "notification group deleted");
    Ok(())
}

fn taken(error: vw_store::StoreError) -> AppError {
    match error {
        vw_store::StoreError::Duplicate(c) if c == "notification_groups_workspace_id_name_key" => {
            AppError::Taken("This workspace already has a group of that name.".into())
        }
        other => other.into(),
    }
}

/// Sets the group's reminder offsets (24 h and 1 h unless changed; none turns reminders
/// off for the group).
pub async fn set_reminders(
    db: &PgPool,
    workspace: WorkspaceId,
    group: GroupId,
    offsets: &vw_domain::ReminderOffsets,
) -> Result<(), AppError> {
    vw_store::groups::set_reminder_offsets(db, workspace, group, offsets).await?;
    tracing::info!(%workspace, %group, ?offsets, "reminder offsets set");
    Ok(())
}
