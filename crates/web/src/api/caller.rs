//! Who an API request speaks for: the workspace of its bearer token, checked once for every
//! operation (a middleware, so that no handler can forget it), with the token's scope (reads
//! are `GET` and `HEAD`; anything else needs a read-write token) and its request budget.
//! Cookies mean nothing here: the API has no ambient authority, hence no CSRF to guard.

use std::time::Instant;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use vw_app::api_tokens::{self, Refused, Scope};
use vw_domain::WorkspaceId;

use super::problem::ApiError;
use super::rate_limit::Verdict;
use crate::AppState;

/// The token a request was made with, and the workspace it speaks for.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub workspace: WorkspaceId,
    pub scope: Scope,
}

static RATE_LIMIT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
static RATE_LIMIT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");

/// Lets the request through with its [`Caller`], or answers 401, 403 or 429.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let presented = bearer(&request);
    let caller = match caller(&state, presented.as_deref()).await {
        Ok(found) => found,
        Err(refusal) => return refusal.into_response(),
    };
    let limiter = &state.api_limiter;
    let remaining = match limiter.check(caller.0, Instant::now()) {
        Verdict::Allowed { remaining } => remaining,
        Verdict::Refused { retry_after } => {
            return ApiError::RateLimited {
                retry_after_secs: retry_after.as_secs().max(1),
            }
            .into_response();
        }
    };
    let (_, caller) = caller;
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
    if writes && caller.scope == Scope::Read {
        return ApiError::ReadOnlyToken.into_response();
    }
    request.extensions_mut().insert(caller);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(RATE_LIMIT_LIMIT.clone(), HeaderValue::from(limiter.burst()));
    headers.insert(RATE_LIMIT_REMAINING.clone(), HeaderValue::from(remaining));
    response
}

/// The token in `Authorization: Bearer …`, if any.
fn bearer(request: &Request) -> Option<String> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

async fn caller(
    state: &AppState,
    presented: Option<&str>,
) -> Result<(vw_domain::ApiTokenId, Caller), ApiError> {
    let presented = presented.ok_or(ApiError::Unauthorized {
        code: "unauthorized",
        detail: "Send a workspace API token as `Authorization: Bearer <token>`.",
    })?;
    match api_tokens::authenticate(&state.db, presented, Utc::now()).await? {
        Ok(found) => Ok((
            found.token,
            Caller {
                workspace: found.workspace,
                scope: found.scope,
            },
        )),
        Err(Refused::Unknown) => Err(ApiError::Unauthorized {
            code: "invalid_token",
            detail: "This is not a valid API token.",
        }),
        Err(Refused::Revoked) => Err(ApiError::Unauthorized {
            code: "token_revoked",
            detail: "This API token has been revoked.",
        }),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .copied()
            .ok_or_else(|| crate::WebError::bug("API token middleware missing").into())
    }
}
