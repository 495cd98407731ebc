//! The operators' "sent mail" page: the e-mails kept instead of sent when no SMTP server is
//! configured (`VW_SMTP_URL` unset). Only signed-in people whose address is in
//! `VW_OPERATORS` see it; to anyone else it does not exist (404).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use mail_parser::{MessageParser, PartType};

use super::display::When;
use crate::auth::Visitor;
use crate::layout::Layout;
use crate::{AppState, WebError};

/// Mails the list shows.
const LISTED: i64 = 200;

/// The mail view's policy: the page's own as usual, and inline styles for the framed HTML
/// part (a `srcdoc` frame inherits the page's policy). The frame is sandboxed without
/// scripts; images and fonts from elsewhere are refused, so opening a mail calls nowhere.
const MAIL_VIEW_CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'self' \
                             'unsafe-inline'; script-src 'self'; form-action 'none'; \
                             frame-src 'self'; frame-ancestors 'none'; base-uri 'none'";

#[derive(Template, WebTemplate)]
#[template(path = "operator/mail.html")]
pub struct MailList {
    layout: Layout,
    mails: Vec<MailLine>,
}

pub struct MailLine {
    href: String,
    at: When,
    recipient: String,
    subject: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "operator/mail_one.html")]
pub struct MailView {
    layout: Layout,
    at: When,
    recipient: String,
    subject: String,
    html: Option<String>,
    text: Option<String>,
    raw: String,
}

/// The visitor's frame if they are an operator; `NotFound` for anyone else.
fn operator(state: &AppState, visitor: &Visitor) -> Result<Layout, WebError> {
    let session = visitor.0.session.as_ref().ok_or(WebError::NotFound)?;
    let email = &session.record.email;
    if state
        .config
        .operators
        .iter()
        .any(|o| o.as_str().eq_ignore_ascii_case(email))
    {
        Ok(visitor.layout())
    } else {
        Err(WebError::NotFound)
    }
}

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> Result<MailList, WebError> {
    let layout = operator(&state, &visitor)?;
    let mails = vw_store::logged_mail::list(&state.db, LISTED)
        .await?
        .into_iter()
        .map(|m| MailLine {
            href: format!("/operator/mail/{}", m.id),
            at: When::new(m.created_at),
            recipient: m.recipient,
            subject: m.subject,
        })
        .collect();
    Ok(MailList { layout, mails })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let layout = operator(&state, &visitor)?;
    let id: uuid::Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    let mail = vw_store::logged_mail::get(&state.db, id).await?;
    let parsed = MessageParser::default().parse(mail.body.as_bytes());
    let (html, text) = match &parsed {
        // Parts as they are: `body_html` would make HTML of a text part, and vice versa.
        Some(message) => (
            message.html_part(0).and_then(|p| match &p.body {
                PartType::Html(html) => Some(html.to_string()),
                _ => None,
            }),
            message.text_part(0).and_then(|p| match &p.body {
                PartType::Text(text) => Some(text.to_string()),
                _ => None,
            }),
        ),
        None => (None, None),
    };
    let mut response = MailView {
        layout,
        at: When::new(mail.created_at),
        recipient: mail.recipient,
        subject: mail.subject,
        html,
        text,
        raw: mail.body,
    }
    .into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(MAIL_VIEW_CSP),
    );
    Ok(response)
}
