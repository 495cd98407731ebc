//! Starting and ending sessions.

use axum_extra::extract::cookie::Cookie;
use chrono::{Duration, Utc};
use vw_domain::{UserId, WorkspaceId};

use super::cookies::{self, SESSION_DAYS};
use super::tokens;
use crate::{AppState, WebError};

/// Stores a new session and returns its cookie. Always a new token: a session id is never
/// carried over from before sign-in.
pub async fn start(
    state: &AppState,
    user: UserId,
    workspace: Option<WorkspaceId>,
) -> Result<Cookie<'static>, WebError> {
    let token = tokens::new_token()?;
    let csrf = tokens::new_token()?;
    vw_store::sessions::insert(
        &state.db,
        &tokens::hash(&token),
        user,
        workspace,
        &csrf,
        Utc::now() + Duration::days(SESSION_DAYS),
    )
    .await?;
    Ok(cookies::session_cookie(token, state.config.https))
}

pub async fn end(state: &AppState, token_hash: &[u8]) -> Result<(), WebError> {
    vw_store::sessions::delete(&state.db, token_hash).await?;
    Ok(())
}
