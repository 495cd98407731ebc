//! Reading a request's JSON body and query string, with every refusal a problem document that
//! names the field at fault (a JSON path into the body, or the parameter).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::problem::ApiError;

/// The most a request body may hold.
const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|media| {
                let media = media.trim();
                media.eq_ignore_ascii_case("application/json")
                    || media.to_ascii_lowercase().ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::Refused {
                status: axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "unsupported_media_type",
                detail: "Send the body as JSON, with `Content-Type: application/json`.".into(),
            });
        }
        let bytes = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
            .await
            .map_err(|_| crate::WebError::TooLarge)?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Reads `bytes` as a `T`, naming the place of the first mistake.
pub fn parse_json<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut reader).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = inner.to_string();
        ApiError::invalid(if path == "." { "body".to_owned() } else { path }, message)
    })
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let reader = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(reader)
            .map(ApiQuery)
            .map_err(|error| {
                let field = error.path().to_string();
                ApiError::invalid(field, error.into_inner().to_string())
            })
    }
}

/// A comma-separated list parameter (`severity=major,minor`), each word trimmed; a blank
/// word stays, for the caller to refuse.
pub fn list_parameter(value: Option<&str>) -> Vec<&str> {
    value.map_or_else(Vec::new, |v| v.split(',').map(str::trim).collect())
}
