//! Detection from a URL: known hosts first (no request), then the URL itself (it may be a
//! document, or a home page whose HTML names its platform), then the platforms' well-known
//! endpoints and feeds under the root of its origin, cheapest and likeliest first.
//! See FORMATS.md §14.

use url::Url;
use vw_domain::Platform;

use super::{html, platform_of};
use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::reader::StatusPage;

/// Documents that say which platform serves them, in probing order: the Statuspage-shaped
/// summary (Statuspage, incident.io, some Instatus pages), Better Stack, Instatus, Cachet.
const ENDPOINT_PROBES: &[&str] = &[
    "api/v2/summary.json",
    "index.json",
    "summary.json",
    "api/v1/components",
];

/// Where feeds usually are, tried after those the page links to.
const FEED_PROBES: &[&str] = &[
    "history.atom",
    "history.rss",
    "feed.atom",
    "feed.rss",
    "rss",
    "feed",
];

/// The status page `url` belongs to, or `NotAStatusPage` listing every probe and its answer.
/// Failing to reach `url` at all (or being refused it) is reported as such, without probing.
#[tracing::instrument(skip_all, fields(url = %url))]
pub async fn from_url(fetcher: &Fetcher, url: &Url) -> Result<StatusPage, FetchError> {
    if let Some(page) = by_host(url) {
        return Ok(page);
    }
    let none = Validators::default();
    let mut tried = Vec::new();
    let mut root = root_of(url);
    let mut linked_feeds = Vec::new();
    match fetcher.get(url, &none).await {
        Ok(Fetched::Fresh(document)) => {
            if let Some(platform) = platform_of(&document.body) {
                return Ok(StatusPage::from_document_url(platform, &document.url));
            }
            root = root_of(&document.url);
            let clues = html::read(&String::from_utf8_lossy(&document.body), &document.url);
            if let Some((page, marker)) = clues.page {
                tracing::debug!(platform = %page.platform, marker, "found by an HTML marker");
                return Ok(page);
            }
            linked_feeds = clues.feeds;
            tried.push(format!("{url}: {}", describe(&document.body)));
        }
        Ok(Fetched::NotModified) => tried.push(format!("{url}: 304 without validators")),
        Err(e @ FetchError::Status { .. } | e @ FetchError::TooLarge { .. }) => {
            tried.push(e.to_string())
        }
        Err(e) => return Err(e),
    }

    let endpoints = ENDPOINT_PROBES.iter().filter_map(|p| root.join(p).ok());
    let feeds = FEED_PROBES.iter().filter_map(|p| root.join(p).ok());
    let mut probes: Vec<Url> = Vec::new();
    for probe in endpoints.chain(linked_feeds).chain(feeds) {
        if &probe != url && !probes.contains(&probe) {
            probes.push(probe);
        }
    }
    for probe in probes {
        match fetcher.get(&probe, &none).await {
            Ok(Fetched::Fresh(document)) => match platform_of(&document.body) {
                Some(platform) => {
                    return Ok(StatusPage::from_document_url(platform, &document.url));
                }
                None => tried.push(format!("{probe}: {}", describe(&document.body))),
            },
            Ok(Fetched::NotModified) => tried.push(format!("{probe}: 304 without validators")),
            Err(e) => tried.push(e.to_string()),
        }
    }
    Err(FetchError::NotAStatusPage {
        url: url.clone(),
        tried,
    })
}

/// Pages whose host alone names the platform: the platforms' own domains, and the vendors
/// with a format of their own.
fn by_host(url: &Url) -> Option<StatusPage> {
    let host = url.host_str()?.to_ascii_lowercase();
    let subdomain_of = |domain: &str| {
        host.strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.') && prefix.len() > 1)
    };
    let fixed = |platform, base: &str, feed: Option<&str>| {
        Some(StatusPage {
            platform,
            base_url: Url::parse(base).ok()?,
            feed_url: feed.and_then(|f| Url::parse(f).ok()),
        })
    };
    match host.as_str() {
        "status.cloud.google.com" => fixed(Platform::Gcp, "https://status.cloud.google.com/", None),
        "health.aws.amazon.com" | "status.aws.amazon.com" => {
            fixed(Platform::Aws, "https://health.aws.amazon.com/", None)
        }
        "azure.status.microsoft" | "rssfeed.azure.status.microsoft" | "status.azure.com" => fixed(
            Platform::Azure,
            "https://azure.status.microsoft/",
            Some("https://rssfeed.azure.status.microsoft/en-us/status/feed/"),
        ),
        "slack-status.com" | "status.slack.com" => {
            fixed(Platform::Slack, "https://slack-status.com/", None)
        }
        "status.heroku.com" => fixed(Platform::Heroku, "https://status.heroku.com/", None),
        _ if subdomain_of("statuspage.io") => Some(StatusPage::at_root(Platform::Statuspage, url)),
        _ if subdomain_of("instatus.com") => Some(StatusPage::at_root(Platform::Instatus, url)),
        _ if subdomain_of("betteruptime.com") || subdomain_of("betterstack.com") => {
            Some(StatusPage::at_root(Platform::Betterstack, url))
        }
        _ => None,
    }
}

fn root_of(url: &Url) -> Url {
    StatusPage::at_root(Platform::Atom, url).base_url
}

/// What a body that no platform claims looks like, for the list of probes.
fn describe(body: &[u8]) -> &'static str {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start();
    if head.is_empty() {
        "an empty answer"
    } else if head.contains("<html") || head.starts_with("<!doctype html") {
        "an HTML page without status page markers"
    } else if head.starts_with('{') || head.starts_with('[') {
        "JSON of no platform vendorwatch reads"
    } else {
        "a document of no platform vendorwatch reads"
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn host_page(url: &str) -> Option<StatusPage> {
        by_host(&Url::parse(url).unwrap())
    }

    #[test]
    fn known_hosts_need_no_probe() {
        let gcp = host_page("https://status.cloud.google.com/incidents/abc").unwrap();
        assert_eq!(gcp.platform, Platform::Gcp);
        assert_eq!(gcp.base_url.as_str(), "https://status.cloud.google.com/");
        let page = host_page("https://1password.statuspage.io/history").unwrap();
        assert_eq!(page.platform, Platform::Statuspage);
        assert_eq!(page.base_url.as_str(), "https://1password.statuspage.io/");
        let azure = host_page("https://azure.status.microsoft/en-us/status").unwrap();
        assert_eq!(
            azure.feed_url.map(String::from).as_deref(),
            Some("https://rssfeed.azure.status.microsoft/en-us/status/feed/")
        );
        // The platforms' own sites are not status pages of theirs.
        assert!(host_page("https://statuspage.io/").is_none());
        assert!(host_page("https://notstatuspage.io/").is_none());
        assert!(host_page("https://www.githubstatus.com/").is_none());
    }

    #[test]
    fn describes_unrecognised_answers() {
        assert_eq!(
            describe(b"  <!DOCTYPE html><html>"),
            "an HTML page without status page markers"
        );
        assert_eq!(
            describe(b"{\"a\":1}"),
            "JSON of no platform vendorwatch reads"
        );
        assert_eq!(describe(b""), "an empty answer");
    }
}
