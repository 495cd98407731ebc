//! Owners changing members' roles and removing members (the rules are `vw_app::members`').

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use vw_app::AppError;
use vw_domain::{Role, UserId};

use super::settings::PATH;
use super::{Empty, notice, redirect_with_flash};
use crate::auth::{CsrfForm, Owner};
use crate::error::LAST_OWNER;
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    Owner(member): Owner,
    Path(user): Path<String>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<Response, WebError> {
    let user = parse_user(&user)?;
    let role = Role::parse(&form.role)?;
    match vw_app::members::set_role(&state.db, member.workspace, user, role).await {
        Err(AppError::LastOwner) => Ok(redirect_with_flash(&state, PATH, notice(LAST_OWNER))),
        Err(error) => Err(error.into()),
        Ok(()) => Ok(redirect_with_flash(
            &state,
            PATH,
            notice(format!("Role changed to {role}.")),
        )),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    Owner(member): Owner,
    Path(user): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let user = parse_user(&user)?;
    match vw_app::members::remove(&state.db, member.workspace, user).await {
        Err(AppError::LastOwner) => Ok(redirect_with_flash(&state, PATH, notice(LAST_OWNER))),
        Err(error) => Err(error.into()),
        Ok(()) => Ok(redirect_with_flash(&state, PATH, notice("Member removed."))),
    }
}

fn parse_user(id: &str) -> Result<UserId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}
