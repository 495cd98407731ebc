//! `ETag` and `If-None-Match` for single resources: the tag is a digest of the JSON answered,
//! so it changes exactly when the representation does, with nothing stored.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::problem::ApiError;

/// `value` as JSON with its `ETag`, or `304 Not Modified` when the client holds that one.
pub fn tagged<T: Serialize>(request: &HeaderMap, value: &T) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value)
        .map_err(|e| crate::WebError::internal("writing an API answer", e))?;
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", hex::encode(&digest[..16]));
    let held = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*");
    let tag = HeaderValue::from_str(&etag).map_err(|e| crate::WebError::internal("an ETag", e))?;
    let caching = HeaderValue::from_static("private, no-cache");
    if held {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, tag), (header::CACHE_CONTROL, caching)],
        )
            .into_response());
    }
    Ok((
        [
            (header::ETAG, tag),
            (header::CACHE_CONTROL, caching),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        body,
    )
        .into_response())
}
