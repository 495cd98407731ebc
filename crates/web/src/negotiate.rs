//! Content negotiation: the same URL answers a browser with HTML and a client that asks for
//! `application/json` with JSON, errors included.

use std::convert::Infallible;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::WebError;

/// What the client asked for in `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
}

impl<S: Send + Sync> FromRequestParts<S> for Format {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let accept = parts
            .headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Ok(Format::from_accept(&accept))
    }
}

impl Format {
    /// JSON when the client prefers it to HTML: a higher quality, or the same quality listed
    /// first. Wildcards count for both, so that a browser's `*/*` gets HTML.
    pub fn from_accept(accept: &str) -> Format {
        // (quality, position) of the best range naming each format.
        let mut json = (0.0_f32, usize::MAX);
        let mut html = (0.0_f32, usize::MAX);
        for (position, range) in accept.split(',').enumerate() {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let best = match media.as_str() {
                "application/json" => &mut json,
                m if m.starts_with("application/") && m.ends_with("+json") => &mut json,
                "text/html" | "application/xhtml+xml" => &mut html,
                _ => continue,
            };
            if quality > best.0 {
                *best = (quality, position);
            }
        }
        if json.0 > 0.0 && (json.0 > html.0 || (json.0 == html.0 && json.1 < html.1)) {
            Format::Json
        } else {
            Format::Html
        }
    }

    /// Answers with what was loaded, as HTML or JSON. A JSON client's error is
    /// `{"error": "not found"}` with the status the error page would have had (the error is
    /// still mapped, and logged, in `error.rs`).
    pub fn respond<T>(
        self,
        loaded: Result<T, WebError>,
        html: impl FnOnce(T) -> Response,
        json: impl FnOnce(T) -> Response,
    ) -> Response {
        let mut response = match (self, loaded) {
            (Format::Html, Ok(value)) => html(value),
            (Format::Html, Err(error)) => error.into_response(),
            (Format::Json, Ok(value)) => json(value),
            (Format::Json, Err(error)) => {
                let status = error.into_response().status();
                let reason = status.canonical_reason().unwrap_or("error").to_lowercase();
                (status, Json(serde_json::json!({ "error": reason }))).into_response()
            }
        };
        // Caches must keep the two answers apart.
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Accept"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::Format::{self, Html, Json};

    #[test]
    fn browsers_get_html_and_json_clients_json() {
        let cases: [(&str, Format); 10] = [
            ("", Html),
            ("*/*", Html),
            (
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                Html,
            ),
            ("application/json", Json),
            ("Application/JSON; charset=utf-8", Json),
            ("application/json, text/plain, */*", Json),
            ("text/html;q=0.5, application/json", Json),
            ("application/json;q=0.5, text/html", Html),
            ("application/json;q=0", Html),
            ("application/problem+json", Json),
        ];
        for (accept, expected) in cases {
            assert_eq!(Format::from_accept(accept), expected, "{accept:?}");
        }
    }

    #[test]
    fn equal_preference_goes_to_the_first_listed() {
        assert_eq!(Format::from_accept("application/json, text/html"), Json);
        assert_eq!(Format::from_accept("text/html, application/json"), Html);
    }
}
