//! The one place where failures become HTTP responses. Every error knows its status
//! ([`WebError::status`]); internal ones are logged here, once, with their whole cause chain,
//! and shown to the user only as a plain apology.

use std::any::Any;
use std::fmt;

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use vw_app::AppError;
use vw_domain::InvalidInput;
use vw_store::StoreError;

use crate::layout::Layout;

type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// Signed in, but the role does not allow it; the message says who may.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// A throttle's limit is reached; `retry_after_secs` says when it reopens.
    #[error("too many attempts")]
    TooManyAttempts {
        of: Throttled,
        retry_after_secs: u64,
    },
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
    /// A use case refused (its message is for the person) or failed.
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something that should not happen; `context` says what was being done.
    #[error("{context}")]
    Internal {
        context: &'static str,
        #[source]
        cause: Option<Cause>,
    },
}

/// What a throttle limits, for the page that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    SignIn,
    SignUp,
}

impl WebError {
    /// An internal failure of `context`, caused by `cause`.
    pub fn internal(context: &'static str, cause: impl Into<Cause>) -> Self {
        WebError::Internal {
            context,
            cause: Some(cause.into()),
        }
    }

    /// An internal failure with no underlying error (a broken invariant).
    pub fn bug(context: &'static str) -> Self {
        WebError::Internal {
            context,
            cause: None,
        }
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound
            | WebError::Store(StoreError::NotFound)
            | WebError::App(AppError::NotFound) => StatusCode::NOT_FOUND,
            WebError::Forbidden(_) | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::SignInRequired { .. } | WebError::NoWorkspace => StatusCode::SEE_OTHER,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::App(AppError::Invalid(_)) => StatusCode::BAD_REQUEST,
            WebError::Store(StoreError::Duplicate(_))
            | WebError::App(
                AppError::Duplicate(_)
                | AppError::LastOwner
                | AppError::PlanLimit { .. }
                | AppError::AlreadyMonitored(_)
                | AppError::Taken(_),
            ) => StatusCode::CONFLICT,
            WebError::Store(_)
            | WebError::App(
                AppError::Store(_) | AppError::NotACatalog(_) | AppError::CatalogEntry { .. },
            )
            | WebError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl WebError {
    /// A stable, machine-readable name of the error, for the API's problem documents: scripts
    /// branch on it, so a code is never renamed.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::NotFound
            | WebError::Store(StoreError::NotFound)
            | WebError::App(AppError::NotFound) => "not_found",
            WebError::Forbidden(_) => "forbidden",
            WebError::Csrf => "csrf",
            WebError::TooManyAttempts { .. } => "rate_limited",
            WebError::SignInRequired { .. } => "unauthorized",
            WebError::NoWorkspace => "no_workspace",
            WebError::BadRequest(_) | WebError::App(AppError::Invalid(_)) => "invalid",
            WebError::TooLarge => "too_large",
            WebError::App(AppError::LastOwner) => "last_owner",
            WebError::App(AppError::PlanLimit { .. }) => "plan_limit",
            WebError::App(AppError::AlreadyMonitored(_)) => "already_monitored",
            WebError::App(AppError::Taken(_)) => "taken",
            WebError::Store(StoreError::Duplicate(_)) | WebError::App(AppError::Duplicate(_)) => {
                "conflict"
            }
            WebError::Store(_)
            | WebError::App(
                AppError::Store(_) | AppError::NotACatalog(_) | AppError::CatalogEntry { .. },
            )
            | WebError::Internal { .. } => "internal",
        }
    }

    /// What the person or script is told: the use case's own words where it refused, never
    /// an internal failure's cause.
    pub fn detail(&self) -> String {
        match self {
            WebError::Forbidden(who_may) => (*who_may).to_owned(),
            WebError::BadRequest(message)
            | WebError::App(AppError::Invalid(message) | AppError::Taken(message)) => {
                message.clone()
            }
            WebError::App(AppError::LastOwner) => LAST_OWNER.to_owned(),
            WebError::App(
                refusal @ (AppError::PlanLimit { .. } | AppError::AlreadyMonitored(_)),
            ) => refusal.to_string(),
            WebError::Store(StoreError::Duplicate(_)) | WebError::App(AppError::Duplicate(_)) => {
                "That already exists.".to_owned()
            }
            WebError::TooLarge => "The request is larger than vendorwatch accepts.".to_owned(),
            error if error.status().is_server_error() => {
                "vendorwatch could not complete this request. It has been logged; please try \
                 again."
                    .to_owned()
            }
            other => other.to_string(),
        }
    }

    /// Logs an internal failure with its whole cause chain; the one place that does.
    pub fn log_if_internal(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %Chain(self), "request failed");
        }
    }
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
        let status = self.status();
        match self {
            WebError::NotFound
            | WebError::Store(StoreError::NotFound)
            | WebError::App(AppError::NotFound) => not_found_page(),
            WebError::Forbidden(who_may) => page(status, "Not allowed", who_may),
            WebError::Csrf => page(
                status,
                "Form expired",
                "This form was not accepted because its security token is missing or out of \
                 date. Go back, reload the page and try again.",
            ),
            WebError::TooManyAttempts {
                of,
                retry_after_secs,
            } => {
                let minutes = retry_after_secs.div_ceil(60);
                let what = match of {
                    Throttled::SignIn => "Too many failed sign-ins",
                    Throttled::SignUp => "Too many sign-ups from your network",
                };
                let mut response = page(
                    status,
                    "Too many attempts",
                    format!(
                        "{what}. Try again in {minutes} minute{}.",
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
                not_stored(Redirect::to(&format!("/login?{query}")).into_response())
            }
            WebError::NoWorkspace => not_stored(Redirect::to("/workspaces/new").into_response()),
            WebError::BadRequest(message) => page(status, "Bad request", message),
            WebError::TooLarge => page(
                status,
                "Too large",
                "That request was larger than vendorwatch accepts.",
            ),
            WebError::App(AppError::LastOwner) => page(status, "Not possible", LAST_OWNER),
            WebError::App(AppError::Invalid(message)) => page(status, "Bad request", message),
            WebError::App(AppError::Taken(message)) => page(status, "Already taken", message),
            WebError::App(
                refusal @ (AppError::PlanLimit { .. } | AppError::AlreadyMonitored(_)),
            ) => page(status, "Not possible", refusal.to_string()),
            WebError::Store(StoreError::Duplicate(constraint))
            | WebError::App(AppError::Duplicate(constraint)) => {
                tracing::warn!(constraint, "unhandled duplicate");
                page(
                    status,
                    "Already exists",
                    "That already exists. Reload the page to see it.",
                )
            }
            error @ (WebError::Store(_)
            | WebError::App(
                AppError::Store(_) | AppError::NotACatalog(_) | AppError::CatalogEntry { .. },
            )
            | WebError::Internal { .. }) => internal(&error),
        }
    }
}

/// What the last-owner rule tells the person.
pub const LAST_OWNER: &str =
    "A workspace needs at least one owner: make someone else an owner first.";

/// What to tell the person when a unique rule of the schema refused a form's write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// The form field, and what to say about it.
    Field(&'static str, &'static str),
    /// Nothing: the value is an email address with an account, and saying so would tell
    /// anyone who asks which addresses have one.
    Unsaid,
}

/// What to tell the person for a unique rule that refused a form's write, by the
/// constraint's name. `None` for a constraint no form can break.
pub fn form_error(constraint: &str) -> Option<Taken> {
    match constraint {
        "users_email_key" => Some(Taken::Unsaid),
        "monitors_workspace_id_provider_id_key" => Some(Taken::Field(
            "provider",
            "This workspace already monitors that provider.",
        )),
        _ => None,
    }
}

/// The error and its causes, outermost first, on one line.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

fn internal(error: &WebError) -> Response {
    error.log_if_internal();
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "vendorwatch could not complete this request. It has been logged; please try again.",
    )
}

/// The answer of a page that needs sign-in, even when it is only a redirect: no cache may keep
/// it, for it depends on who asks.
fn not_stored(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
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
        .unwrap_or("unknown panic")
        .to_owned();
    internal(&WebError::internal("handler panicked", detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_knows_its_status() {
        assert_eq!(WebError::NotFound.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            WebError::App(AppError::NotFound).status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(WebError::Csrf.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            WebError::App(AppError::LastOwner).status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            WebError::bug("x").status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        for error in [WebError::NotFound, WebError::TooLarge, WebError::Csrf] {
            let status = error.status();
            assert_eq!(error.into_response().status(), status);
        }
    }

    #[test]
    fn internal_errors_keep_their_cause_chain() {
        let io = std::io::Error::other("disk on fire");
        let error = WebError::internal("saving the thing", io);
        assert_eq!(Chain(&error).to_string(), "saving the thing: disk on fire");
    }
}
