//! Creating a workspace: the one way a workspace comes to be (at sign-up, and when a
//! signed-in person makes another), so that everything a new workspace starts with is made in
//! one place.

use vw_domain::{Role, UserId, WorkspaceId, WorkspaceName};
use vw_store::{Postgres, Transaction};

use crate::AppError;

/// Creates the workspace on the free plan with `owner` as its owner and its Default
/// notification group (the owner's address, confirmed), inside the caller's transaction
/// (sign-up creates the user in the same one).
pub async fn create(
    tx: &mut Transaction<'static, Postgres>,
    owner: UserId,
    name: &WorkspaceName,
) -> Result<WorkspaceId, AppError> {
    let workspace = WorkspaceId::new();
    vw_store::workspaces::insert(&mut **tx, workspace, name).await?;
    vw_store::memberships::insert(&mut **tx, workspace, owner, Role::Owner).await?;
    let email = vw_store::users::email(&mut **tx, owner).await?;
    crate::groups::create_default(tx, workspace, &email).await?;
    tracing::info!(%workspace, %owner, "workspace created");
    Ok(workspace)
}

/// Which workspace an operator means: its id, or the email of its only owner.
pub async fn find(db: &vw_store::PgPool, named: &str) -> Result<WorkspaceId, AppError> {
    if let Ok(id) = named.parse::<WorkspaceId>() {
        vw_store::workspaces::get(db, id).await?;
        return Ok(id);
    }
    let email = vw_domain::EmailAddress::parse(named).map_err(|_| {
        AppError::Invalid(format!("{named:?} is neither a workspace id nor an email"))
    })?;
    match vw_store::workspaces::owned_by(db, &email).await?.as_slice() {
        [] => Err(AppError::NotFound),
        [one] => Ok(*one),
        many => Err(AppError::Invalid(format!(
            "{email} owns {} workspaces: name one by its id ({})",
            many.len(),
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Moves the workspace to another plan. A smaller plan keeps every monitor; the quota then
/// refuses new ones until the workspace is under its limit again.
pub async fn set_plan(
    db: &vw_store::PgPool,
    workspace: WorkspaceId,
    plan: &str,
) -> Result<(), AppError> {
    let plans = vw_store::workspaces::plan_ids(db).await?;
    if !plans.iter().any(|p| p == plan) {
        return Err(AppError::Invalid(format!(
            "no plan {plan:?}: the plans are {}",
            plans.join(", ")
        )));
    }
    vw_store::workspaces::set_plan(db, workspace, plan).await?;
    tracing::info!(%workspace, plan, "plan changed");
    Ok(())
}
