//! Creating a workspace: the one way a workspace comes to be (at sign-up, and when a
//! signed-in person makes another), so that everything a new workspace starts with is made in
//! one place.

use vw_domain::{Role, UserId, WorkspaceId, WorkspaceName};
use vw_store::{Postgres, Transaction};

use crate::AppError;

/// Creates the workspace on the free plan with `owner` as its owner, inside the caller's
/// transaction (sign-up creates the user in the same one).
pub async fn create(
    tx: &mut Transaction<'static, Postgres>,
    owner: UserId,
    name: &WorkspaceName,
) -> Result<WorkspaceId, AppError> {
    let workspace = WorkspaceId::new();
    vw_store::workspaces::insert(&mut **tx, workspace, name).await?;
    vw_store::memberships::insert(&mut **tx, workspace, owner, Role::Owner).await?;
    tracing::info!(%workspace, %owner, "workspace created");
    Ok(workspace)
}
