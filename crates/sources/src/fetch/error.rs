use std::time::Duration;

use url::Url;

use vw_domain::PollFailure;
use vw_outbound::OutboundError;

use crate::ParseError;

/// Why reading a status page failed. Every variant names the URL it is about, and its message
/// is one line, fit for a log, a CLI's stderr or a monitor's "last error".
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The HTTP client could not be built (TLS setup); nothing was fetched.
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
    /// The URL cannot be fetched at all (not http(s), no host).
    #[error("cannot fetch {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// The target is, or resolves to, an address outside the public internet, and this
    /// fetcher does not allow private targets.
    #[error("refused to fetch {url}: {reason}; private targets are not allowed")]
    Blocked { url: Url, reason: String },
    /// No HTTP answer: DNS failure, connection refused, TLS failure, too many redirects.
    #[error("{url} is unreachable: {reason}")]
    Unreachable { url: Url, reason: String },
    /// Connecting, or the whole exchange, took longer than allowed.
    #[error("{url} timed out")]
    Timeout { url: Url },
    /// The server answered with an error status. `retry_after` is the server's
    /// `Retry-After`, read for 429 and 503 only (the statuses that define it for backing off).
    #[error("{url} answered HTTP {status}{}", retry_after_note(*.retry_after))]
    Status {
        url: Url,
        status: u16,
        retry_after: Option<Duration>,
    },
    /// The body grew past the cap; reading stopped there.
    #[error("{url} sent more than {limit} bytes")]
    TooLarge { url: Url, limit: usize },
    /// The document is not one of this platform's (an HTML page where JSON was expected, …).
    #[error("{url}: {source}")]
    NotThisPlatform {
        url: Url,
        #[source]
        source: Box<ParseError>,
    },
    /// The document is this platform's but broken; the wrapped error says where.
    #[error("{url}: {source}")]
    Malformed {
        url: Url,
        #[source]
        source: Box<ParseError>,
    },
    /// Detection found no platform vendorwatch can read at the URL; `tried` lists every probe
    /// and what it answered.
    #[error("{url} is not a status page vendorwatch can read; tried: {}", tried.join("; "))]
    NotAStatusPage { url: Url, tried: Vec<String> },
}

fn retry_after_note(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (retry after {} s)", d.as_secs()))
        .unwrap_or_default()
}

impl From<OutboundError> for FetchError {
    fn from(error: OutboundError) -> Self {
        match error {
            OutboundError::Setup(reason) => FetchError::Setup(reason),
            OutboundError::InvalidUrl { url, reason } => FetchError::InvalidUrl { url, reason },
            OutboundError::Blocked { url, reason } => FetchError::Blocked { url, reason },
            OutboundError::Unreachable { url, reason } => FetchError::Unreachable { url, reason },
            OutboundError::Timeout { url } => FetchError::Timeout { url },
            OutboundError::TooLarge { url, limit } => FetchError::TooLarge { url, limit },
        }
    }
}

impl FetchError {
    /// Sorts a parse failure of the document at `url` into the two kinds callers treat
    /// differently: a document of another kind (re-detect the page) or a broken one.
    pub fn parse(url: Url, source: ParseError) -> Self {
        let source = Box::new(source);
        match *source {
            ParseError::NotThisPlatform { .. } => FetchError::NotThisPlatform { url, source },
            ParseError::Malformed { .. } | ParseError::Encoding { .. } => {
                FetchError::Malformed { url, source }
            }
        }
    }

    /// The failure's kind, as the pipeline counts and stores it.
    pub fn kind(&self) -> PollFailure {
        match self {
            FetchError::Setup(_) => PollFailure::Setup,
            FetchError::InvalidUrl { .. } => PollFailure::InvalidUrl,
            FetchError::Blocked { .. } => PollFailure::Blocked,
            FetchError::Unreachable { .. } => PollFailure::Unreachable,
            FetchError::Timeout { .. } => PollFailure::Timeout,
            FetchError::Status { .. } => PollFailure::HttpStatus,
            FetchError::TooLarge { .. } => PollFailure::TooLarge,
            FetchError::NotThisPlatform { .. } => PollFailure::NotThisPlatform,
            FetchError::Malformed { .. } => PollFailure::Malformed,
            FetchError::NotAStatusPage { .. } => PollFailure::NotAStatusPage,
        }
    }

    /// Whether trying again later may succeed without anything changing on our side: network
    /// trouble, timeouts, rate limits and server errors. Callers retry these with backoff and
    /// treat the others as a verdict on the page.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Unreachable { .. } | FetchError::Timeout { .. } => true,
            FetchError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}
