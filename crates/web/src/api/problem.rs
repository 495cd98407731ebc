//! The API's errors, as `application/problem+json` (RFC 9457) with a stable `code`. The status
//! and code of every failure a use case or the store can have are `WebError`'s (one mapping
//! for the site and the API); what only the API can refuse (a token, a key, a body) is here.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use vw_app::AppError;
use vw_store::StoreError;

use crate::WebError;

/// A failure, as an API response.
#[derive(Debug)]
pub enum ApiError {
    /// A failure the site and the API share.
    Web(WebError),
    /// No token, or one that is not (or no longer) valid: 401.
    Unauthorized {
        code: &'static str,
        detail: &'static str,
    },
    /// A read-only token asked to change something: 403.
    ReadOnlyToken,
    /// The token's request budget is spent until `retry_after_secs` from now: 429.
    RateLimited { retry_after_secs: u64 },
    /// The request cannot be read, or names values that cannot be used: 400.
    Invalid {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// Another refusal of the API's own, with its status and code.
    Refused {
        status: StatusCode,
        code: &'static str,
        detail: String,
    },
}

/// What is wrong with one field of a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// Where in the request: a query parameter's name, or a JSON path into the body
    /// (`components.groups[0]`).
    pub field: String,
    pub message: String,
}

/// An error (RFC 9457 problem details).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:vendorwatch:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind of problem, for people; the same for every problem of one `code`.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong this time, for people.
    pub detail: String,
    /// A stable, machine-readable name of the kind of problem.
    pub code: String,
    /// What is wrong with each field, for a request that cannot be used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `already_monitored`: the monitor that already watches the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor: Option<String>,
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError::Invalid {
            detail: message.clone(),
            errors: vec![FieldError {
                field: field.into(),
                message,
            }],
        }
    }

    pub fn not_found() -> Self {
        ApiError::Web(WebError::NotFound)
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Web(error) => error.status(),
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::ReadOnlyToken => StatusCode::FORBIDDEN,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Invalid { .. } => StatusCode::BAD_REQUEST,
            ApiError::Refused { status, .. } => *status,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Web(error) => error.code(),
            ApiError::Unauthorized { code, .. } | ApiError::Refused { code, .. } => code,
            ApiError::ReadOnlyToken => "read_only_token",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Invalid { .. } => "invalid",
        }
    }
}

macro_rules! from_shared_errors {
    ($($error:ty),*) => {$(
        impl From<$error> for ApiError {
            fn from(error: $error) -> Self {
                ApiError::Web(error.into())
            }
        }
    )*};
}

from_shared_errors!(WebError, AppError, StoreError, vw_domain::InvalidInput);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.code();
        let mut monitor = None;
        let (detail, errors) = match &self {
            ApiError::Web(error) => {
                error.log_if_internal();
                if let WebError::App(AppError::AlreadyMonitored(existing)) = error {
                    monitor = Some(format!("/api/v1/monitors/{existing}"));
                }
                (error.detail(), Vec::new())
            }
            ApiError::Unauthorized { detail, .. } => ((*detail).to_owned(), Vec::new()),
            ApiError::ReadOnlyToken => (
                "This token is read-only; changes need a read-write token.".to_owned(),
                Vec::new(),
            ),
            ApiError::RateLimited { retry_after_secs } => (
                format!("Too many requests with this token; try again in {retry_after_secs} s."),
                Vec::new(),
            ),
            ApiError::Invalid { detail, errors } => (detail.clone(), errors.clone()),
            ApiError::Refused { detail, .. } => (detail.clone(), Vec::new()),
        };
        let problem = Problem {
            kind: format!("urn:vendorwatch:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code: code.to_owned(),
            errors,
            monitor,
        };
        let mut response = (status, axum::Json(problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        match self {
            ApiError::Unauthorized { .. } => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"vendorwatch\""),
                );
            }
            ApiError::RateLimited { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            _ => {}
        }
        response
    }
}

/// The answer to a path under `/api/` that names no operation.
pub async fn no_such_route() -> ApiError {
    ApiError::Refused {
        status: StatusCode::NOT_FOUND,
        code: "no_such_route",
        detail: "No operation of the API has this path; /api/v1/openapi.json lists them."
            .to_owned(),
    }
}
