use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The status page platforms vendorwatch can read. The names are the ones
/// `vendorwatch inspect --format` takes and the catalog stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Atlassian Statuspage: the `/api/v2` JSON and its `/history.atom|rss` feeds.
    Statuspage,
    /// incident.io status pages (their Statuspage-compatible JSON and their feeds).
    Incidentio,
    Instatus,
    Betterstack,
    Statusio,
    Checkly,
    Cachet,
    Slack,
    Heroku,
    /// AWS Health (`public/currentevents`) and the legacy `data.json`.
    Aws,
    /// The Azure status RSS feed, which lists active issues only.
    Azure,
    /// Google Cloud's `incidents.json`.
    Gcp,
    /// Any Atom 1.0 feed.
    Atom,
    /// Any RSS 2.0 feed.
    Rss,
}

impl Platform {
    pub const ALL: [Platform; 14] = [
        Platform::Statuspage,
        Platform::Incidentio,
        Platform::Instatus,
        Platform::Betterstack,
        Platform::Statusio,
        Platform::Checkly,
        Platform::Cachet,
        Platform::Slack,
        Platform::Heroku,
        Platform::Aws,
        Platform::Azure,
        Platform::Gcp,
        Platform::Atom,
        Platform::Rss,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Statuspage => "statuspage",
            Platform::Incidentio => "incidentio",
            Platform::Instatus => "instatus",
            Platform::Betterstack => "betterstack",
            Platform::Statusio => "statusio",
            Platform::Checkly => "checkly",
            Platform::Cachet => "cachet",
            Platform::Slack => "slack",
            Platform::Heroku => "heroku",
            Platform::Aws => "aws",
            Platform::Azure => "azure",
            Platform::Gcp => "gcp",
            Platform::Atom => "atom",
            Platform::Rss => "rss",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown platform {0:?}")]
pub struct UnknownPlatform(pub String);

impl FromStr for Platform {
    type Err = UnknownPlatform;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownPlatform(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_str_and_serde() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>(), Ok(p));
            let json = serde_json::to_string(&p).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
        }
        assert!("incident_io".parse::<Platform>().is_err());
    }
}
