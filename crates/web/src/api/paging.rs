//! Cursor pagination: a list answers a page and, when more follow, a `next` link whose
//! `cursor` names the last row given (its sort key and id). The next page starts strictly
//! after that row, so rows inserted meanwhile neither repeat nor push others off a page.

use axum::http::Uri;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problem::ApiError;

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// The next page's URL (this one's, with its `cursor`); `null` on the last page.
    pub next: Option<String>,
}

/// The paging parameters every list takes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many rows a page holds: 1 to 200, 50 unless given.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Where the page starts: the `cursor` of the previous page's `next` link.
    #[param(pattern = "^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::invalid(
                "limit",
                format!("limit is from 1 to {MAX_LIMIT}."),
            )),
        }
    }

    /// The position the cursor names, if one was given.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, ApiError> {
        let Some(cursor) = &self.cursor else {
            return Ok(None);
        };
        URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .map(Some)
            .ok_or_else(|| ApiError::invalid("cursor", "This cursor is not one of this list's."))
    }
}

/// A position in a list ordered by a time, newest first.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct TimeKey {
    pub at: DateTime<Utc>,
    pub id: uuid::Uuid,
}

/// Makes a page from `rows`, read with one more than `limit` to learn whether more follow;
/// `key` names a row's position for the cursor.
pub fn page<R, T, K: Serialize>(
    mut rows: Vec<R>,
    limit: i64,
    uri: &Uri,
    key: impl Fn(&R) -> K,
    shape: impl Fn(R) -> T,
) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = more
        .then(|| rows.last().map(&key))
        .flatten()
        .and_then(|k| serde_json::to_vec(&k).ok())
        .map(|bytes| next_link(uri, &URL_SAFE_NO_PAD.encode(bytes)));
    Page {
        data: rows.into_iter().map(shape).collect(),
        next,
    }
}

/// This request's path and query with `cursor` replaced.
fn next_link(uri: &Uri, cursor: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
        if name != "cursor" {
            query.append_pair(&name, &value);
        }
    }
    query.append_pair("cursor", cursor);
    format!("{}?{}", uri.path(), query.finish())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_keeps_the_filters_and_replaces_the_cursor() {
        let uri: Uri = "/api/v1/incidents?state=open&cursor=old&limit=2"
            .parse()
            .unwrap();
        let page = page(vec![1, 2, 3], 2, &uri, |n| *n, |n| n * 10);
        assert_eq!(page.data, vec![10, 20]);
        let next = page.next.unwrap();
        assert!(
            next.starts_with("/api/v1/incidents?state=open&limit=2&cursor="),
            "{next}"
        );
        let cursor = next.rsplit("cursor=").next().unwrap();
        let params = PageParams {
            limit: Some(2),
            cursor: Some(cursor.to_owned()),
        };
        assert_eq!(params.after::<i32>().unwrap(), Some(2));
        assert!(page_of_exactly_the_limit_has_no_next());
    }

    fn page_of_exactly_the_limit_has_no_next() -> bool {
        let uri: Uri = "/api/v1/monitors".parse().unwrap();
        page(vec![1, 2], 2, &uri, |n| *n, |n| n).next.is_none()
    }
}
