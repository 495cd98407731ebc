//! The one place where failures become HTTP responses. Internal errors are logged here, once,
//! and shown to the user only as a plain apology.

use std::any::Any;

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use vw_domain::InvalidInput;
use vw_store::StoreError;

use crate::layout::Layout;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// Signed in, but the role does not allow it.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("missing or wrong CSRF token")]
    Csrf,
    #[error("too many failed attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The page needs a signed-in user; `next` is where to return after signing in.
    #[error("sign-in required")]
    SignInRequired { next: String },
    /// Signed in, but a member of no workspace (removed from the last one).
    #[error("no workspace")]
    NoWorkspace,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("request body too large")]
    TooLarge,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<InvalidInput> for WebError {
    fn from(error: InvalidInput) -> Self {
        WebError::BadRequest(error.to_string())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    title: &'static str,
    message: String,
}

fn page(status: StatusCode, title: &'static str, message: impl Into<String>) -> Response {
    let page = ErrorPage {
        layout: Layout::bare(),
        status: status.as_u16(),
        title,
        message: message.into(),
    };
    (status, page).into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound | WebError::Store(StoreError::NotFound) => not_found_page(),
            WebError::Forbidden(what) => page(
                StatusCode::FORBIDDEN,
                "Not allowed",
                format!("Your role in this workspace does not allow you to {what}."),
            ),
            WebError::Csrf => page(
                StatusCode::FORBIDDEN,
                "Form expired",
                "This form was not accepted because its security token is missing or out of \
                 date. Go back, reload the page and try again.",
            ),
            WebError::TooManyAttempts { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60);
                let mut response = page(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many attempts",
                    format!(
                        "Too many failed sign-ins. Try again in {minutes} minute{}.",
                        if minutes == 1 { "" } else { "s" }
                    ),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                response
            }
            WebError::SignInRequired { next } => {
                let query = form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", &next)
                    .finish();
                Redirect::to(&format!("/login?{query}")).into_response()
            }
            WebError::NoWorkspace => Redirect::to("/workspaces/new").into_response(),
            WebError::BadRequest(message) => page(StatusCode::BAD_REQUEST, "Bad request", message),
            WebError::TooLarge => page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too large",
                "That request was larger than vendorwatch accepts.",
            ),
            WebError::Store(StoreError::Duplicate(constraint)) => {
                tracing::warn!(constraint, "unhandled duplicate");
                page(
                    StatusCode::CONFLICT,
                    "Already exists",
                    "That already exists. Reload the page to see it.",
                )
            }
            WebError::Store(error) => internal(&error),
            WebError::Internal(message) => internal(&message),
        }
    }
}

fn internal(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "request failed");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "vendorwatch could not complete this request. It has been logged; please try again.",
    )
}

fn not_found_page() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Not found",
        "There is nothing here, or you do not have access to it.",
    )
}

/// The fallback for routes that do not exist.
pub async fn not_found() -> Response {
    not_found_page()
}

/// What a panicking handler answers: the same page as any internal error, nothing leaked.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    internal(&format!("handler panicked: {detail}"))
}
