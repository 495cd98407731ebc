//! Why an exchange got no answer. Every variant names the URL it is about, and its message is
//! one line, fit for a log, a CLI's stderr or a channel's "last error".

use url::Url;

use crate::guard;

#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    /// The HTTP client could not be built (TLS setup); nothing was sent.
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
    /// The URL cannot be used at all (not http(s), no host, plain http where https is required).
    #[error("cannot fetch {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// The target is, or resolves to, an address outside the public internet, and this
    /// client does not allow private targets.
    #[error("refused to fetch {url}: {reason}; private targets are not allowed")]
    Blocked { url: Url, reason: String },
    /// No HTTP answer: DNS failure, connection refused, TLS failure, too many redirects.
    #[error("{url} is unreachable: {reason}")]
    Unreachable { url: Url, reason: String },
    /// Connecting, or the whole exchange, took longer than allowed.
    #[error("{url} timed out")]
    Timeout { url: Url },
    /// The body grew past the cap; reading stopped there.
    #[error("{url} sent more than {limit} bytes")]
    TooLarge { url: Url, limit: usize },
}

impl OutboundError {
    /// Whether trying again later may succeed without anything changing on our side.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            OutboundError::Unreachable { .. } | OutboundError::Timeout { .. }
        )
    }
}

/// Turns a reqwest error into ours. Our resolver's and redirect policy's refusals travel
/// inside reqwest's error chain; find them there.
pub(crate) fn classify(url: &Url, error: &reqwest::Error) -> OutboundError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(blocked) = e.downcast_ref::<guard::Blocked>() {
            return OutboundError::Blocked {
                url: url.clone(),
                reason: blocked.0.clone(),
            };
        }
        source = e.source();
    }
    if error.is_timeout() {
        OutboundError::Timeout { url: url.clone() }
    } else {
        OutboundError::Unreachable {
            url: url.clone(),
            reason: chain(error),
        }
    }
}

/// The causes of `error`, outermost first, on one line. reqwest's own top message ("error
/// sending request for url …") repeats the URL, so only the causes are kept when there are any.
pub(crate) fn chain(error: &reqwest::Error) -> String {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        causes.push(e.to_string());
        source = e.source();
    }
    if causes.is_empty() {
        error.to_string()
    } else {
        causes.join(": ")
    }
}
