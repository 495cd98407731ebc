//! The user's time zone (`POST /settings/time-zone`): picked on the calendar, or reported
//! once by the page script from the browser (`auto`), which never overrides a choice.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{notice, redirect_with_flash, safe_next};
use crate::auth::{CsrfForm, SignedIn};
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct ZoneForm {
    time_zone: String,
    /// Sent by the script: keep it only if the user has no zone yet.
    #[serde(default)]
    auto: Option<String>,
    next: Option<String>,
}

pub async fn set(
    State(state): State<AppState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<ZoneForm>,
) -> Result<Response, WebError> {
    let auto = form.auto.is_some();
    let result =
        vw_app::calendar::set_time_zone(&state.db, signed_in.user(), &form.time_zone, auto).await;
    if auto {
        // The script wants no page; a zone we do not know is just not kept.
        return Ok(match result {
            Ok(_) => StatusCode::NO_CONTENT.into_response(),
            Err(vw_app::AppError::Invalid(_)) => StatusCode::BAD_REQUEST.into_response(),
            Err(other) => return Err(other.into()),
        });
    }
    let back = safe_next(form.next.as_deref());
    let message = match result {
        Ok(zone) => format!("Times are now shown in {}.", zone.name()),
        Err(vw_app::AppError::Invalid(message)) => message,
        Err(other) => return Err(other.into()),
    };
    Ok(redirect_with_flash(&state, back, notice(message)))
}
