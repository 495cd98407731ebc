//! Changing who belongs to a workspace and as what. Every change runs under the workspace's
//! row lock and goes through [`keeps_an_owner`], the one home of the rule that a workspace
//! always keeps an owner.

use vw_domain::{Role, UserId, WorkspaceId};
use vw_store::{PgPool, Postgres, Transaction};

use crate::AppError;

/// Gives `user` the role `role`.
pub async fn set_role(
    db: &PgPool,
    workspace: WorkspaceId,
    user: UserId,
    role: Role,
) -> Result<(), AppError> {
    let mut tx = vw_store::begin(db).await?;
    if role != Role::Owner {
        keeps_an_owner(&mut tx, workspace, user).await?;
    }
    vw_store::memberships::set_role(&mut *tx, workspace, user, role).await?;
    vw_store::commit(tx).await?;
    Ok(())
}

/// Removes `user` from the workspace: someone else removing them, or they leaving.
pub async fn remove(db: &PgPool, workspace: WorkspaceId, user: UserId) -> Result<(), AppError> {
    let mut tx = vw_store::begin(db).await?;
    keeps_an_owner(&mut tx, workspace, user).await?;
    vw_store::memberships::delete(&mut *tx, workspace, user).await?;
    vw_store::commit(tx).await?;
    Ok(())
}

/// Locks the workspace, then refuses with `LastOwner` when `user` stopping being an owner
/// would leave it with none. `NotFound` when `user` is not a member of this workspace,
/// whatever other workspace they may belong to.
async fn keeps_an_owner(
    tx: &mut Transaction<'static, Postgres>,
    workspace: WorkspaceId,
    user: UserId,
) -> Result<(), AppError> {
    vw_store::workspaces::lock(&mut **tx, workspace).await?;
    let role = vw_store::memberships::role(&mut **tx, workspace, user)
        .await?
        .ok_or(AppError::NotFound)?;
    if role == Role::Owner && vw_store::memberships::count_owners(&mut **tx, workspace).await? <= 1
    {
        return Err(AppError::LastOwner);
    }
    Ok(())
}
