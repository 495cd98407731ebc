//! Reading an HTTP answer (or the lack of one) into an [`Outcome`], with the one policy of
//! CHANNELS.md: 2xx delivered; 429 wait Retry-After; 408, 5xx, timeouts and connection errors
//! retry; a redirect is refused (never followed); 404/410 and the platform's "revoked" answers
//! break the integration; other 4xx are permanent for this message.
//!
//! Each platform adds only what is its own, as a [`Dialect`]: which bodies mean "revoked", how
//! to read a reason out of a body, and its rate-limit headers.

use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;
use vw_outbound::{OutboundError, Response, StatusCode, header::HeaderMap};

use crate::outcome::Outcome;
use crate::text;

/// The longest detail kept: enough for a reason, short enough for a log line and a table cell.
const DETAIL_CHARS: usize = 300;

/// What one platform's answers mean beyond the shared policy.
pub(crate) struct Dialect {
    /// Whether an answer that is not 2xx says the target is gone for good (besides 404/410).
    pub(crate) revoked: fn(StatusCode, &[u8]) -> bool,
    /// The reason an answer gives, from its body; `None` to fall back to the body's text.
    pub(crate) reason: fn(&[u8]) -> Option<String>,
    /// A wait the answer asks for beyond `Retry-After`: Discord's rate-limit bucket.
    pub(crate) pace: fn(&HeaderMap, &[u8]) -> Option<Duration>,
    /// The id of the message a 2xx answer created, if it names one.
    pub(crate) message_id: fn(&[u8]) -> Option<String>,
    /// What to say about a 2xx answer whose body says nothing useful (Teams' empty 202).
    pub(crate) delivered_note: Option<&'static str>,
}

impl Dialect {
    /// A platform with nothing of its own (the generic webhook, Teams' status codes aside).
    pub(crate) const PLAIN: Dialect = Dialect {
        revoked: |_, _| false,
        reason: json_reason,
        pace: |_, _| None,
        message_id: |_| None,
        delivered_note: None,
    };
}

/// An answer read: the outcome, the receiver's id for the message, and any wait it asked for.
pub(crate) struct Read {
    pub(crate) outcome: Outcome,
    pub(crate) message_id: Option<String>,
    pub(crate) wait: Option<Duration>,
}

/// Applies the policy to an answer. `url` is only used to scrub itself out of the detail.
pub(crate) fn read(dialect: &Dialect, answer: &Response, url: &Url, now: DateTime<Utc>) -> Read {
    let status = answer.status;
    let code = Some(status.as_u16());
    let detail = || reason_of(dialect, answer, url);
    let retry_after = vw_outbound::retry_after(&answer.headers, now);
    let mut wait = (dialect.pace)(&answer.headers, &answer.body);
    let outcome = if status.is_success() {
        let message_id = (dialect.message_id)(&answer.body);
        let detail = match (&message_id, dialect.delivered_note) {
            (Some(id), _) => format!("message {id}"),
            (None, Some(note)) => note.to_owned(),
            (None, None) => detail(),
        };
        return Read {
            outcome: Outcome::Delivered {
                status: code,
                detail,
            },
            message_id,
            wait,
        };
    } else if (dialect.revoked)(status, &answer.body)
        || matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE)
    {
        Outcome::Broken {
            status: code,
            detail: detail(),
        }
    } else if status == StatusCode::TOO_MANY_REQUESTS {
        let after = retry_after.or(wait);
        wait = wait.max(after);
        Outcome::Retry {
            after,
            status: code,
            detail: detail(),
        }
    } else if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
        Outcome::Retry {
            after: retry_after,
            status: code,
            detail: detail(),
        }
    } else if status.is_redirection() {
        // The Location is not repeated: it may be as secret as the URL itself.
        Outcome::Permanent {
            status: code,
            detail: format!(
                "answered with a redirect ({status}), which is not followed: the URL has \
                 probably changed; paste the current one"
            ),
        }
    } else {
        Outcome::Permanent {
            status: code,
            detail: detail(),
        }
    };
    Read {
        outcome,
        message_id: None,
        wait,
    }
}

/// No answer came: the door's error, as an outcome. Its message names the URL, so the detail
/// is written here from the parts that do not.
pub(crate) fn failure(error: &OutboundError, url: &Url) -> Outcome {
    match error {
        OutboundError::Timeout { .. } => Outcome::Retry {
            after: None,
            status: None,
            detail: "timed out waiting for an answer".to_owned(),
        },
        OutboundError::Unreachable { reason, .. } => Outcome::Retry {
            after: None,
            status: None,
            detail: detail(&format!("unreachable: {reason}"), url),
        },
        OutboundError::Setup(reason) => Outcome::Retry {
            after: None,
            status: None,
            detail: detail(&format!("cannot set up the HTTP client: {reason}"), url),
        },
        OutboundError::Blocked { reason, .. } => Outcome::Permanent {
            status: None,
            detail: detail(
                &format!("refused: {reason}; alerts only go to public addresses"),
                url,
            ),
        },
        OutboundError::InvalidUrl { reason, .. } => Outcome::Permanent {
            status: None,
            detail: detail(&format!("refused: {reason}"), url),
        },
        // The receiver answered, but with more than we read: we cannot tell what it said.
        OutboundError::TooLarge { limit, .. } => Outcome::Permanent {
            status: None,
            detail: format!("the answer was larger than {limit} bytes and was not read"),
        },
    }
}

fn reason_of(dialect: &Dialect, answer: &Response, url: &Url) -> String {
    let reason = (dialect.reason)(&answer.body)
        .unwrap_or_else(|| String::from_utf8_lossy(&answer.body).into_owned());
    let reason = if reason.trim().is_empty() {
        answer
            .status
            .canonical_reason()
            .unwrap_or("no reason given")
            .to_owned()
    } else {
        reason
    };
    detail(&reason, url)
}

/// The reason in a JSON error body, by the names APIs commonly use: `message`, `error` (a
/// string, or an object with a `message`), `detail`, `title`.
pub(crate) fn json_reason(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let field = |v: &serde_json::Value, name: &str| {
        v.get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    field(&value, "message")
        .or_else(|| field(&value, "error"))
        .or_else(|| value.get("error").and_then(|e| field(e, "message")))
        .or_else(|| field(&value, "detail"))
        .or_else(|| field(&value, "title"))
}

/// `text` as a detail: one line, at most [`DETAIL_CHARS`] characters, with the URL and every
/// part of it that could be a credential (path, query, long path segments) replaced by `…`.
pub(crate) fn detail(text: &str, url: &Url) -> String {
    let mut scrubbed = text::line(text);
    let mut secrets: Vec<String> = vec![url.as_str().to_owned()];
    let path = url.path();
    if path.len() > 1 {
        secrets.push(path.to_owned());
    }
    if let Some(query) = url.query() {
        secrets.push(query.to_owned());
        secrets.extend(query.split('&').filter_map(|pair| {
            let value = pair.split_once('=').map_or(pair, |(_, v)| v);
            (value.len() >= 8).then(|| value.to_owned())
        }));
    }
    secrets.extend(
        path.split('/')
            .filter(|segment| segment.len() >= 8)
            .map(str::to_owned),
    );
    // Longest first, so that a segment does not break up the full URL before it is found.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in secrets {
        scrubbed = scrubbed.replace(&secret, "…");
    }
    text::chars(&scrubbed, DETAIL_CHARS).text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_never_repeat_the_url_or_its_secret_parts() -> Result<(), url::ParseError> {
        let url = Url::parse("https://hooks.slack.com/services/T0001/B0002/XXXXsecretTOKEN")?;
        let said = "no_service for https://hooks.slack.com/services/T0001/B0002/XXXXsecretTOKEN \
                    (token XXXXsecretTOKEN)\nsecond line";
        let detail = detail(said, &url);
        assert!(!detail.contains("XXXXsecretTOKEN"), "{detail}");
        assert!(!detail.contains('\n'));
        assert_eq!(detail, "no_service for … (token …) second line");
        Ok(())
    }

    #[test]
    fn details_are_short() -> Result<(), url::ParseError> {
        let url = Url::parse("https://example.com/hook")?;
        assert!(detail(&"x".repeat(10_000), &url).chars().count() <= DETAIL_CHARS);
        Ok(())
    }

    #[test]
    fn json_reasons_are_found_where_apis_put_them() {
        assert_eq!(json_reason(br#"{"message":"a"}"#).as_deref(), Some("a"));
        assert_eq!(
            json_reason(br#"{"error":{"code":"X","message":"b"}}"#).as_deref(),
            Some("b")
        );
        assert_eq!(json_reason(br#"{"error":"c"}"#).as_deref(), Some("c"));
        assert_eq!(json_reason(b"plain text"), None);
    }
}
