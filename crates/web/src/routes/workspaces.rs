//! Creating another workspace and switching between one's workspaces.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vw_domain::{WorkspaceId, WorkspaceName};

use super::{Empty, notice, redirect_with_flash};
use crate::auth::{CsrfForm, SignedIn};
use crate::layout::Layout;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "workspaces/new.html")]
struct NewWorkspacePage {
    layout: Layout,
    name: String,
    error: Option<String>,
}

pub async fn new_form(signed_in: SignedIn) -> Response {
    NewWorkspacePage {
        layout: signed_in.layout(),
        name: String::new(),
        error: None,
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct NewWorkspaceForm {
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<NewWorkspaceForm>,
) -> Result<Response, WebError> {
    let name = match WorkspaceName::parse(&form.name) {
        Ok(name) => name,
        Err(error) => {
            let page = NewWorkspacePage {
                layout: signed_in.layout(),
                name: form.name,
                error: Some(error.to_string()),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let mut tx = vw_store::begin(&state.db).await?;
    let workspace = vw_app::workspaces::create(&mut tx, signed_in.user(), &name).await?;
    vw_store::sessions::set_workspace(&mut *tx, &signed_in.session.token_hash, Some(workspace))
        .await?;
    vw_store::commit(tx).await?;
    let message = format!("Workspace {} created.", name.as_str());
    Ok(redirect_with_flash(&state, "/dashboard", notice(message)))
}

/// Only to a workspace the user belongs to; any other id is a 404.
pub async fn switch(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let workspace: WorkspaceId = id.parse().map_err(|_| WebError::NotFound)?;
    vw_store::memberships::role(&state.db, workspace, signed_in.user())
        .await?
        .ok_or(WebError::NotFound)?;
    vw_store::sessions::set_workspace(&state.db, &signed_in.session.token_hash, Some(workspace))
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/dashboard",
        notice("Switched workspace."),
    ))
}
