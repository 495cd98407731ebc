//! What all channel targets share: the rules a URL is parsed under and the checks every kind
//! makes. Each channel's own target type lives in its module (`slack::SlackWebhook`, …).
//!
//! Target URLs are secrets (Slack, Discord and Teams URLs embed the credential), so the types
//! show a masked form in `Debug` and `Display`, and errors never repeat what was typed.

use url::Url;

use crate::channel::ChannelKind;
use crate::error::NotifyError;

/// The mark that stands for a hidden part of a URL.
pub(crate) const MASK: &str = "••••";

/// The longest URL accepted: far more than any real webhook needs.
const MAX_URL_LEN: usize = 2048;

/// How strictly target URLs are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetRules {
    /// Accept any `http` or `https` URL for every kind, so that tests and local development
    /// can point a channel at a local receiver. Off in production, where each kind must be
    /// its platform's https URL. Pair it with the outbound policy's flag of the same name.
    pub allow_private_targets: bool,
}

impl TargetRules {
    /// Production: https only, each kind on its platform's host.
    pub const STRICT: TargetRules = TargetRules {
        allow_private_targets: false,
    };
    /// Tests and local development: any http(s) URL.
    pub const LOCAL: TargetRules = TargetRules {
        allow_private_targets: true,
    };
}

/// The refusal of a `kind` target, with the reason shown to the user.
pub(crate) fn invalid(kind: ChannelKind, reason: impl Into<String>) -> NotifyError {
    NotifyError::InvalidTarget {
        kind,
        reason: reason.into(),
    }
}

/// Parses `input` as an absolute http(s) URL with a host, https unless private targets are
/// allowed. The rest is each kind's business.
pub(crate) fn parse_url(
    kind: ChannelKind,
    input: &str,
    rules: TargetRules,
) -> Result<Url, NotifyError> {
    let input = input.trim();
    if input.len() > MAX_URL_LEN {
        return Err(invalid(
            kind,
            format!("the URL is longer than {MAX_URL_LEN} characters"),
        ));
    }
    let url = Url::parse(input).map_err(|e| invalid(kind, format!("it is not a URL ({e})")))?;
    match (url.scheme(), rules.allow_private_targets) {
        ("https", _) | ("http", true) => {}
        ("http", false) => return Err(invalid(kind, "the URL must start with https://")),
        _ => return Err(invalid(kind, "the URL must start with https://")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(kind, "the URL has no host"));
    }
    // The outbound door refuses these at connection time anyway; saying so when the URL is
    // pasted spares the person a channel that can never work.
    if !rules.allow_private_targets {
        let refused = match url.host() {
            Some(url::Host::Ipv4(ip)) => vw_outbound::non_public(ip.into()),
            Some(url::Host::Ipv6(ip)) => vw_outbound::non_public(ip.into()),
            Some(url::Host::Domain(name))
                if name.eq_ignore_ascii_case("localhost")
                    || name.to_ascii_lowercase().ends_with(".localhost") =>
            {
                Some("a loopback address")
            }
            _ => None,
        };
        if let Some(why) = refused {
            return Err(invalid(
                kind,
                format!("the URL names {why}; alerts go to public internet addresses only"),
            ));
        }
    }
    Ok(url)
}

/// `scheme://host[:port]`, the part of a URL that is never secret.
pub(crate) fn origin(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    }
}

/// The first `n` characters of a non-secret id followed by `…` ("T01…").
pub(crate) fn abbreviate(id: &str, n: usize) -> String {
    let head: String = id.chars().take(n).collect();
    if head.len() < id.len() {
        format!("{head}…")
    } else {
        head
    }
}

/// Implements `Debug` and `Display` of a target type as its `masked()` form.
macro_rules! masked_display {
    ($type:ty) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.masked())
            }
        }

        impl std::fmt::Debug for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($type), self.masked())
            }
        }
    };
}
pub(crate) use masked_display;
