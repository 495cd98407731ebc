//! The links in e-mails, followed without signing in (the signed token is the credential):
//! confirming a recipient's address, and RFC 8058 one-click unsubscribe.
//!
//! Verification is a plain GET: confirming is idempotent, the token is signed for that one
//! purpose and channel, and what a link scanner that opens it proves (the mail reached that
//! mailbox) is what the link is for. Unsubscribing is not idempotent in effect (the person
//! loses their alerts), and scanners open links: its GET only asks, and the POST (from the
//! page's button, or the mail client's `List-Unsubscribe=One-Click`) does it. That POST
//! carries no CSRF token, by RFC 8058's design: the mail client has none; the token in the
//! path is the proof.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use vw_app::secrets::LinkPurpose;

use crate::auth::Visitor;
use crate::layout::Layout;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "links/verified.html")]
pub struct VerifiedPage {
    layout: Layout,
}

#[derive(Template, WebTemplate)]
#[template(path = "links/unsubscribe.html")]
pub struct UnsubscribePage {
    layout: Layout,
    address: String,
    action: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "links/unsubscribed.html")]
pub struct UnsubscribedPage {
    layout: Layout,
}

/// Pages behind a token are nobody else's: no cache keeps them (or the token's answer).
fn no_store(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn layout(visitor: &Visitor) -> Layout {
    Layout {
        flash: None,
        ..visitor.layout()
    }
}

pub async fn verify(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    if !vw_app::channels::verify(&state.db, &state.config.secrets, &token).await? {
        return Ok(no_store(WebError::NotFound));
    }
    Ok(no_store(VerifiedPage {
        layout: layout(&visitor),
    }))
}

/// Only asks: a GET changes nothing.
pub async fn confirm_unsubscribe(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let found = vw_app::channels::recipient_of_link(
        &state.db,
        &state.config.secrets,
        LinkPurpose::Unsubscribe,
        &token,
    )
    .await?;
    let Some((_, address)) = found else {
        return Ok(no_store(WebError::NotFound));
    };
    Ok(no_store(UnsubscribePage {
        layout: layout(&visitor),
        address,
        action: format!("/u/{token}"),
    }))
}

/// Unsubscribes: the page's button or a mail client's one-click POST (any body).
pub async fn unsubscribe(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let secrets = &state.config.secrets;
    if secrets
        .read_link_token(LinkPurpose::Unsubscribe, &token)
        .is_none()
    {
        return Ok(no_store(WebError::NotFound));
    }
    // A genuine link whose recipient already left answers the same: a mail client may POST
    // twice, and the person wants to read that they are out.
    vw_app::channels::unsubscribe(&state.db, secrets, &token).await?;
    Ok(no_store(UnsubscribedPage {
        layout: layout(&visitor),
    }))
}
