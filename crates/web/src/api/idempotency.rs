//! `Idempotency-Key` on `POST`: the first request with a key is done and its answer kept (a
//! day); a retry with the same key and the same request gets that answer again instead of a
//! second monitor, group or channel. The same key with another request is refused, and so is a
//! retry while the first is still being answered. An answer that failed on our side (5xx) is
//! not kept, so that a retry is done afresh.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, Utc};
use sha2::{Digest, Sha256};
use vw_store::idempotency::{self, Held};

use super::caller::Caller;
use super::problem::ApiError;
use crate::{AppState, WebError};

static IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
static REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

const BODY_LIMIT: usize = 64 * 1024;
/// The most of an answer that is kept.
const ANSWER_LIMIT: usize = 1024 * 1024;
/// A key whose request has not been answered after this long was abandoned (a request may
/// take 30 s at most).
const ABANDONED_AFTER: TimeDelta = TimeDelta::seconds(60);

pub async fn once(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match run(&state, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn run(state: &AppState, request: Request, next: Next) -> Result<Response, Response> {
    if request.method() != Method::POST {
        return Ok(next.run(request).await);
    }
    let Some(key) = request.headers().get(&IDEMPOTENCY_KEY) else {
        return Ok(next.run(request).await);
    };
    let key = key
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError::invalid(
                "Idempotency-Key",
                "An Idempotency-Key is 1 to 255 visible ASCII characters.",
            )
            .into_response()
        })?;
    let caller = request
        .extensions()
        .get::<Caller>()
        .copied()
        .ok_or_else(|| {
            ApiError::from(WebError::bug("idempotency before authentication")).into_response()
        })?;
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| ApiError::from(WebError::TooLarge).into_response())?;
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str());
    hasher.update([0]);
    hasher.update(parts.uri.path());
    hasher.update([0]);
    hasher.update(&body);
    let request_hash = hasher.finalize();
    let now = Utc::now();
    let held = idempotency::take(
        &state.db,
        caller.workspace,
        &key,
        &request_hash,
        now,
        now - ABANDONED_AFTER,
    )
    .await
    .map_err(|e| ApiError::from(e).into_response())?;
    match held {
        Held::Taken => {}
        Held::OtherRequest => {
            return Err(ApiError::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "idempotency_key_reused",
                detail: "This Idempotency-Key was sent with another request.".into(),
            }
            .into_response());
        }
        Held::InProgress => {
            return Err(ApiError::Refused {
                status: StatusCode::CONFLICT,
                code: "idempotency_in_progress",
                detail: "The first request with this Idempotency-Key is still being answered; \
                         retry in a moment."
                    .into(),
            }
            .into_response());
        }
        Held::Answered {
            status,
            location,
            body_sealed,
        } => {
            let body = state
                .config
                .secrets
                .open(&body_sealed)
                .map_err(|e| ApiError::from(e).into_response())?;
            return Ok(replay(status, location, body));
        }
    }
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    let status = response.status();
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, ANSWER_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let _ = idempotency::release(&state.db, caller.workspace, &key).await;
            return Err(
                ApiError::from(WebError::internal("reading an answer to keep", e)).into_response(),
            );
        }
    };
    if status.is_server_error() {
        if let Err(error) = idempotency::release(&state.db, caller.workspace, &key).await {
            tracing::warn!(%error, "an idempotency key could not be released");
        }
        return Ok(Response::from_parts(parts, Body::from(bytes)));
    }
    let location = parts
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Sealed: the answer may hold a secret shown once (a webhook's signing secret).
    let sealed = state
        .config
        .secrets
        .seal(&bytes)
        .map_err(|e| ApiError::from(e).into_response())?;
    idempotency::finish(
        &state.db,
        caller.workspace,
        &key,
        status.as_u16(),
        location.as_deref(),
        &sealed,
    )
    .await
    .map_err(|e| ApiError::from(e).into_response())?;
    let mut response = Response::from_parts(parts, Body::from(bytes));
    response
        .headers_mut()
        .insert(REPLAYED.clone(), HeaderValue::from_static("false"));
    Ok(response)
}

/// The kept answer of the first request with a key.
fn replay(status: u16, location: Option<String>, body: Vec<u8>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let content_type = if status.is_client_error() {
        "application/problem+json"
    } else {
        "application/json"
    };
    let mut response = (status, Bytes::from(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    headers.insert(REPLAYED.clone(), HeaderValue::from_static("true"));
    response
}
