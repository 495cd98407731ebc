//! Owners changing members' roles and removing members. Every change is made under the
//! workspace's lock so that it can never be left without an owner.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use vw_domain::{Role, UserId, WorkspaceId};
use vw_store::{Postgres, Transaction};

use super::settings::{LAST_OWNER, PATH};
use super::{Empty, notice, redirect_with_flash};
use crate::auth::{CsrfForm, Member};
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    member: Member,
    Path(user): Path<String>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<Response, WebError> {
    member.require(member.role.can_manage_members(), "change members' roles")?;
    let user = parse_user(&user)?;
    let role = Role::parse(&form.role)?;
    let mut tx = vw_store::begin(&state.db).await?;
    if role != Role::Owner && would_lose_last_owner(&mut tx, member.workspace, user).await? {
        return Ok(redirect_with_flash(&state, PATH, notice(LAST_OWNER)));
    }
    vw_store::memberships::set_role(&mut *tx, member.workspace, user, role).await?;
    vw_store::commit(tx).await?;
    Ok(redirect_with_flash(
        &state,
        PATH,
        notice(format!("Role changed to {role}.")),
    ))
}

pub async fn remove(
    State(state): State<AppState>,
    member: Member,
    Path(user): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    member.require(member.role.can_manage_members(), "remove members")?;
    let user = parse_user(&user)?;
    let mut tx = vw_store::begin(&state.db).await?;
    if would_lose_last_owner(&mut tx, member.workspace, user).await? {
        return Ok(redirect_with_flash(&state, PATH, notice(LAST_OWNER)));
    }
    vw_store::memberships::delete(&mut *tx, member.workspace, user).await?;
    vw_store::commit(tx).await?;
    Ok(redirect_with_flash(&state, PATH, notice("Member removed.")))
}

/// Locks the workspace, then tells whether `user` is its only owner. `NotFound` when `user`
/// is not a member of this workspace, whatever other workspace they may belong to.
async fn would_lose_last_owner(
    tx: &mut Transaction<'static, Postgres>,
    workspace: WorkspaceId,
    user: UserId,
) -> Result<bool, WebError> {
    vw_store::workspaces::lock(&mut **tx, workspace).await?;
    let role = vw_store::memberships::role(&mut **tx, workspace, user)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(
        role == Role::Owner
            && vw_store::memberships::count_owners(&mut **tx, workspace).await? <= 1,
    )
}

fn parse_user(id: &str) -> Result<UserId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}
