//! Why a poll failed, as a closed set: counted in the pipeline's figures, stored with the
//! provider's poll state (the schema constrains the column to these words) and shown on the
//! provider's page.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollFailure {
    /// The HTTP client could not be built.
    Setup,
    /// The page's URL cannot be fetched (not http(s), no host).
    InvalidUrl,
    /// The page is on, or resolves to, a private address.
    Blocked,
    /// No HTTP answer: DNS, connection, TLS, redirects.
    Unreachable,
    Timeout,
    /// An error status (4xx, 5xx).
    HttpStatus,
    /// The answer was larger than the cap.
    TooLarge,
    /// A document of another kind than the platform's (HTML where JSON was expected).
    NotThisPlatform,
    /// The platform's document, but broken.
    Malformed,
    /// Detection found nothing vendorwatch can read.
    NotAStatusPage,
    /// The page was read but what it said could not be stored.
    Database,
}

impl PollFailure {
    pub const ALL: [PollFailure; 11] = [
        PollFailure::Setup,
        PollFailure::InvalidUrl,
        PollFailure::Blocked,
        PollFailure::Unreachable,
        PollFailure::Timeout,
        PollFailure::HttpStatus,
        PollFailure::TooLarge,
        PollFailure::NotThisPlatform,
        PollFailure::Malformed,
        PollFailure::NotAStatusPage,
        PollFailure::Database,
    ];

    /// The stored and logged name.
    pub fn as_str(self) -> &'static str {
        match self {
            PollFailure::Setup => "setup",
            PollFailure::InvalidUrl => "invalid_url",
            PollFailure::Blocked => "blocked",
            PollFailure::Unreachable => "unreachable",
            PollFailure::Timeout => "timeout",
            PollFailure::HttpStatus => "http_status",
            PollFailure::TooLarge => "too_large",
            PollFailure::NotThisPlatform => "not_this_platform",
            PollFailure::Malformed => "malformed",
            PollFailure::NotAStatusPage => "not_a_status_page",
            PollFailure::Database => "database",
        }
    }

    /// What happened, for a person.
    pub fn describe(self) -> &'static str {
        match self {
            PollFailure::Setup => "vendorwatch could not set up its HTTP client",
            PollFailure::InvalidUrl => "the page's address cannot be fetched",
            PollFailure::Blocked => "the page is on a private address",
            PollFailure::Unreachable => "the page did not answer",
            PollFailure::Timeout => "the page took too long to answer",
            PollFailure::HttpStatus => "the page answered with an error",
            PollFailure::TooLarge => "the page sent more than vendorwatch reads",
            PollFailure::NotThisPlatform => "the page did not look as its platform's pages do",
            PollFailure::Malformed => "the page's document was broken",
            PollFailure::NotAStatusPage => "no status page vendorwatch can read was found",
            PollFailure::Database => "what the page said could not be stored",
        }
    }

    /// Reads the name as `as_str` writes it.
    pub fn parse(name: &str) -> Option<Self> {
        PollFailure::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for PollFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for kind in PollFailure::ALL {
            assert_eq!(PollFailure::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(PollFailure::parse("http status"), None);
    }
}
