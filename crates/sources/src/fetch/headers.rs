//! Validators: the headers that make a poll's requests conditional.

use vw_outbound::header::{self, HeaderMap, HeaderValue};

pub use vw_domain::Validators;

/// Validators as an answer's headers give them.
pub(crate) fn from_headers(headers: &HeaderMap) -> Validators {
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

/// The request headers that make a request conditional on `validators`.
pub(crate) fn request_headers(validators: &Validators) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let pairs = [
        (header::IF_NONE_MATCH, &validators.etag),
        (header::IF_MODIFIED_SINCE, &validators.last_modified),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditional_headers_carry_the_validators() {
        let v = Validators {
            etag: Some("\"abc\"".into()),
            last_modified: Some("Tue, 24 Nov 2026 12:00:00 GMT".into()),
        };
        let h = request_headers(&v);
        assert_eq!(
            h.get(header::IF_NONE_MATCH).map(|v| v.as_bytes()),
            Some(&b"\"abc\""[..])
        );
        assert!(h.contains_key(header::IF_MODIFIED_SINCE));
        assert!(request_headers(&Validators::default()).is_empty());
    }
}
