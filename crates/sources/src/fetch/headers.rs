//! Validators: the headers that make a poll's requests conditional.

use serde::{Deserialize, Serialize};
use vw_outbound::header::{self, HeaderMap, HeaderValue};

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

#[cfg(test)]
mod tests {
    use super::*;

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
