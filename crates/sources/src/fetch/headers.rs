//! The HTTP headers a poll cares about: validators for conditional requests, `Retry-After`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};

/// What the server said identifies the version of a document we hold. Sent back on the next
/// request so that an unchanged document costs a 304 and no parsing. Stored by the caller
/// between polls, hence serialisable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }

    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        Validators {
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
        }
    }

    /// The request headers that make a request conditional on these validators.
    pub(crate) fn request_headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let pairs = [
            (header::IF_NONE_MATCH, &self.etag),
            (header::IF_MODIFIED_SINCE, &self.last_modified),
        ];
        for (name, value) in pairs {
            // A stored value that is no longer a valid header is dropped: the request just
            // stops being conditional.
            if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                headers.insert(name, value);
            }
        }
        headers
    }
}

/// `Retry-After` as a delay from `now`: either delta-seconds or an HTTP date (a date in the
/// past means "now"). `None` when absent or unreadable.
pub(crate) fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is an RFC 2822 date.
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static(value));
        h
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn reads_seconds_and_http_dates() {
        assert_eq!(
            retry_after(&headers("120"), now()),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&headers("Tue, 24 Nov 2026 12:01:30 GMT"), now()),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            retry_after(&headers("Tue, 24 Nov 2026 11:00:00 GMT"), now()),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now()), None);
        assert_eq!(retry_after(&HeaderMap::new(), now()), None);
    }

    #[test]
    fn conditional_headers_carry_the_validators() {
        let v = Validators {
            etag: Some("\"abc\"".into()),
            last_modified: Some("Tue, 24 Nov 2026 12:00:00 GMT".into()),
        };
        let h = v.request_headers();
        assert_eq!(
            h.get(header::IF_NONE_MATCH).map(|v| v.as_bytes()),
            Some(&b"\"abc\""[..])
        );
        assert!(h.contains_key(header::IF_MODIFIED_SINCE));
        assert!(Validators::default().request_headers().is_empty());
    }
}
