use serde::{Deserialize, Serialize};
use url::Url;
use vw_domain::Platform;

/// A status page vendorwatch can read: its platform and where its documents live. Detection
/// finds it; the catalog stores it; every poll reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusPage {
    pub platform: Platform,
    /// The canonical place the platform's documents hang from: the page's root
    /// (`https://www.githubstatus.com/`) for most platforms; for status.io the public status
    /// document itself (`https://api.status.io/1.0/status/<id>`); for Checkly the page's
    /// `/api/status-page/<slug>/`.
    pub base_url: Url,
    /// The feed of a feed platform (Atom, RSS, Azure). For Statuspage, the feed to read when
    /// its API is closed (`history.atom` under the base when unset).
    pub feed_url: Option<Url>,
}

/// The documents one poll of `platform` reads, relative to the base URL, and whether the read
/// fails without each. An optional document is skipped when it is missing or unreadable, but a
/// read that gets no document at all fails.
pub(crate) fn endpoint_paths(platform: Platform) -> &'static [(&'static str, bool)] {
    match platform {
        // The summary has the components and open items; the two lists add the recently
        // resolved and completed ones, without which nothing would ever be seen to end.
        Platform::Statuspage => &[
            ("api/v2/summary.json", true),
            ("api/v2/incidents.json", true),
            ("api/v2/scheduled-maintenances.json", true),
        ],
        // Their Statuspage-compatible lists answer 404; the summary is all there is.
        Platform::Incidentio => &[("api/v2/summary.json", true)],
        // The summary has the page and the open items, the component list the components.
        Platform::Instatus => &[("summary.json", true), ("v3/components.json", false)],
        Platform::Betterstack => &[("index.json", true)],
        Platform::Checkly => &[("unresolved-incidents", true)],
        // Cachet 2 gives its components and its incidents (newest first: the list is paged,
        // oldest first by default), Cachet 3 its incidents; a page is one or the other, so any
        // will do, but not none.
        Platform::Cachet => &[
            ("api/v1/components", false),
            ("api/v1/incidents?sort=id&order=desc", false),
            ("api/incidents", false),
        ],
        Platform::Slack => &[("api/v2.0.0/current", true), ("api/v2.0.0/history", true)],
        Platform::Heroku => &[("api/v4/current-status", true)],
        Platform::Aws => &[("public/currentevents", true)],
        Platform::Gcp => &[("incidents.json", true)],
        // The base (or the feed) is the document itself.
        Platform::Statusio | Platform::Azure | Platform::Atom | Platform::Rss => &[("", true)],
    }
}

fn is_feed_platform(platform: Platform) -> bool {
    matches!(platform, Platform::Azure | Platform::Atom | Platform::Rss)
}

impl StatusPage {
    /// The page whose `platform` document was found at `url`: the base is `url` with the
    /// platform's endpoint path taken off (or its directory, for a document at another path),
    /// and a feed is remembered as the feed.
    pub fn from_document_url(platform: Platform, url: &Url) -> StatusPage {
        let mut url = url.clone();
        url.set_fragment(None);
        let is_feed = is_feed_platform(platform) || looks_like_feed_path(url.path());
        if platform == Platform::Statusio && !is_feed {
            return StatusPage {
                platform,
                base_url: url,
                feed_url: None,
            };
        }
        let feed_url = is_feed.then(|| url.clone());
        url.set_query(None);
        let base_url = endpoint_paths(platform)
            .iter()
            .filter(|(path, _)| !path.is_empty())
            .find_map(|(path, _)| strip_suffix(&url, path.split('?').next().unwrap_or(path)))
            .unwrap_or_else(|| url.join(".").unwrap_or(url));
        StatusPage {
            platform,
            base_url,
            feed_url,
        }
    }

    /// The page at the root of `url`'s origin.
    pub(crate) fn at_root(platform: Platform, url: &Url) -> StatusPage {
        let mut base_url = url.clone();
        base_url.set_path("/");
        base_url.set_query(None);
        base_url.set_fragment(None);
        StatusPage {
            platform,
            base_url,
            feed_url: None,
        }
    }
}

fn looks_like_feed_path(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    [".atom", ".rss", ".xml"]
        .iter()
        .any(|ext| last.ends_with(ext))
}

fn strip_suffix(url: &Url, path: &str) -> Option<Url> {
    let prefix = url.path().strip_suffix(path)?;
    prefix.ends_with('/').then(|| {
        let mut base = url.clone();
        base.set_path(prefix);
        base
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(platform: Platform, url: &str) -> Option<StatusPage> {
        Url::parse(url)
            .ok()
            .map(|u| StatusPage::from_document_url(platform, &u))
    }

    fn base(platform: Platform, url: &str) -> Option<String> {
        page(platform, url).map(|p| p.base_url.to_string())
    }

    #[test]
    fn bases_drop_the_endpoint_path() {
        assert_eq!(
            base(
                Platform::Statuspage,
                "https://www.githubstatus.com/api/v2/summary.json"
            )
            .as_deref(),
            Some("https://www.githubstatus.com/")
        );
        assert_eq!(
            base(
                Platform::Gcp,
                "https://status.cloud.google.com/incidents.json?x=1"
            )
            .as_deref(),
            Some("https://status.cloud.google.com/")
        );
        assert_eq!(
            base(
                Platform::Checkly,
                "https://status.mistral.ai/api/status-page/mistral/unresolved-incidents"
            )
            .as_deref(),
            Some("https://status.mistral.ai/api/status-page/mistral/")
        );
        // Perplexity serves its Instatus summary under /api/v2/: the base keeps that.
        assert_eq!(
            base(
                Platform::Instatus,
                "https://status.perplexity.com/api/v2/summary.json"
            )
            .as_deref(),
            Some("https://status.perplexity.com/api/v2/")
        );
        assert_eq!(
            base(
                Platform::Statusio,
                "https://api.status.io/1.0/status/533c6539221ae15e3f000031"
            )
            .as_deref(),
            Some("https://api.status.io/1.0/status/533c6539221ae15e3f000031")
        );
    }

    #[test]
    fn feeds_are_remembered_as_feeds() {
        let p = page(
            Platform::Statuspage,
            "https://www.githubstatus.com/history.atom",
        );
        assert_eq!(
            p.as_ref().map(|p| p.base_url.as_str()),
            Some("https://www.githubstatus.com/")
        );
        assert_eq!(
            p.and_then(|p| p.feed_url).map(String::from).as_deref(),
            Some("https://www.githubstatus.com/history.atom")
        );
        let rss = page(Platform::Rss, "https://example.com/blog/feed");
        assert_eq!(
            rss.and_then(|p| p.feed_url).map(String::from).as_deref(),
            Some("https://example.com/blog/feed")
        );
    }
}
