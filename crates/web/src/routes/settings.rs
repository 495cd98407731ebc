//! The workspace settings page: its name, members and invitations, and leaving it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use vw_domain::{Role, UserId, WorkspaceName};
use vw_store::invitations::Pending;
use vw_store::memberships::Member as MemberRow;

use super::{Empty, notice, redirect_with_flash};
use crate::auth::{Admin, CsrfForm, Member};
use crate::error::LAST_OWNER;
use crate::layout::Layout;
use crate::{AppState, WebError};

pub const PATH: &str = "/settings/workspace";

#[derive(Template, WebTemplate)]
#[template(path = "settings/workspace.html")]
pub struct SettingsPage {
    layout: Layout,
    workspace: vw_store::workspaces::Workspace,
    members: Vec<MemberRow>,
    invitations: Vec<Pending>,
    me: UserId,
    can_administer: bool,
    can_manage_members: bool,
    /// The roles this member may hand out in an invitation.
    invitable_roles: Vec<Role>,
    roles: [Role; 3],
}

pub async fn show(State(state): State<AppState>, member: Member) -> Result<SettingsPage, WebError> {
    let workspace = vw_store::workspaces::get(&state.db, member.workspace).await?;
    let members = vw_store::memberships::list(&state.db, member.workspace).await?;
    let invitations = if member.role.can_administer() {
        vw_store::invitations::list_pending(&state.db, member.workspace).await?
    } else {
        Vec::new()
    };
    Ok(SettingsPage {
        layout: member.layout(),
        workspace,
        members,
        invitations,
        me: member.user(),
        can_administer: member.role.can_administer(),
        can_manage_members: member.role.can_manage_members(),
        invitable_roles: Role::ALL
            .into_iter()
            .filter(|r| *r <= member.role)
            .collect(),
        roles: Role::ALL,
    })
}

#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
}

pub async fn rename(
    State(state): State<AppState>,
    Admin(member): Admin,
    CsrfForm(form): CsrfForm<RenameForm>,
) -> Result<Response, WebError> {
    let name = match WorkspaceName::parse(&form.name) {
        Ok(name) => name,
        Err(error) => return Ok(redirect_with_flash(&state, PATH, notice(error.to_string()))),
    };
    vw_store::workspaces::rename(&state.db, member.workspace, &name).await?;
    Ok(redirect_with_flash(
        &state,
        PATH,
        notice("Workspace renamed."),
    ))
}

/// Anyone may leave, except the last owner: a workspace always keeps one.
pub async fn leave(
    State(state): State<AppState>,
    member: Member,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    match vw_app::members::remove(&state.db, member.workspace, member.user()).await {
        Err(vw_app::AppError::LastOwner) => {
            return Ok(redirect_with_flash(&state, PATH, notice(LAST_OWNER)));
        }
        other => other?,
    }
    let message = format!("You left {}.", member.workspace_name);
    Ok(redirect_with_flash(&state, "/dashboard", notice(message)))
}
