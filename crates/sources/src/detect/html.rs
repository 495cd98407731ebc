//! What a status page's home page gives away about its platform: the generator meta tag, the
//! platforms' own asset hosts and footers, and `<link rel="alternate">` feeds.
//!
//! A small tag scanner rather than an HTML parser: only `<meta>` and `<link>` attributes and
//! plain substrings are needed, and pages are read once, at detection.

use url::Url;
use vw_domain::Platform;

use crate::reader::StatusPage;

/// What the page's HTML says.
#[derive(Debug, Default)]
pub(crate) struct Clues {
    /// The page, when a marker names its platform; with the marker that did.
    pub(crate) page: Option<(StatusPage, &'static str)>,
    /// `<link rel="alternate">` Atom and RSS feeds, absolute, in page order.
    pub(crate) feeds: Vec<Url>,
}

/// Substrings (matched case-insensitively) that only pages of one platform carry. Statuspage
/// comes first: its CDN host cannot appear by accident, while any page may mention another
/// vendor's name in an incident text.
const MARKERS: &[(&str, Platform)] = &[
    ("dka575ofm4ao0.cloudfront.net", Platform::Statuspage),
    ("powered by statuspage", Platform::Statuspage),
    ("powered by incident.io", Platform::Incidentio),
    ("app.incident.io", Platform::Incidentio),
    ("powered by instatus", Platform::Instatus),
    ("instatus.com", Platform::Instatus),
    ("betteruptime.com", Platform::Betterstack),
    ("powered by better stack", Platform::Betterstack),
    ("cachethq", Platform::Cachet),
];

pub(crate) fn read(html: &str, page_url: &Url) -> Clues {
    // ASCII lowering keeps byte offsets, so positions found in `lower` index `html` too.
    let lower = html.to_ascii_lowercase();
    let feeds = tags(html, &lower, "<link")
        .filter(|attrs| {
            attr(attrs, "rel").is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("alternate"))
            }) && attr(attrs, "type").is_some_and(|t| {
                let t = t.to_ascii_lowercase();
                t == "application/atom+xml" || t == "application/rss+xml"
            })
        })
        .filter_map(|attrs| attr(&attrs, "href").and_then(|href| page_url.join(&href).ok()))
        .fold(Vec::new(), |mut feeds, url| {
            if !feeds.contains(&url) {
                feeds.push(url);
            }
            feeds
        });

    let page = generator(html, &lower)
        .or_else(|| {
            MARKERS
                .iter()
                .find(|(marker, _)| lower.contains(marker))
                .map(|&(marker, platform)| (platform, marker))
        })
        .map(|(platform, marker)| {
            let mut page = StatusPage::at_root(platform, page_url);
            // Statuspage's feed, should its API be closed: the Atom one it links to.
            if platform == Platform::Statuspage {
                page.feed_url = feeds.iter().find(|f| f.path().ends_with(".atom")).cloned();
            }
            (page, marker)
        })
        .or_else(|| statusio(html, &lower))
        .or_else(|| checkly(html, &lower, page_url));
    Clues { page, feeds }
}

/// `<meta name="generator" content="…">` naming a platform.
fn generator(html: &str, lower: &str) -> Option<(Platform, &'static str)> {
    const GENERATORS: &[(&str, Platform)] = &[
        ("statuspage", Platform::Statuspage),
        ("incident.io", Platform::Incidentio),
        ("instatus", Platform::Instatus),
        ("better stack", Platform::Betterstack),
        ("cachet", Platform::Cachet),
    ];
    tags(html, lower, "<meta")
        .filter(|attrs| attr(attrs, "name").is_some_and(|n| n.eq_ignore_ascii_case("generator")))
        .filter_map(|attrs| attr(&attrs, "content"))
        .find_map(|content| {
            let content = content.to_ascii_lowercase();
            GENERATORS
                .iter()
                .find(|(name, _)| content.contains(name))
                .map(|&(_, platform)| (platform, "meta generator"))
        })
}

/// status.io pages name their id in a script: `var statuspageId = '…'`; the data is at the
/// public status API.
fn statusio(html: &str, lower: &str) -> Option<(StatusPage, &'static str)> {
    let at = lower.find("statuspageid")?;
    let rest = &html[at + "statuspageid".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let rest = &rest[1..];
    let id = &rest[..rest.find(quote)?];
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let base_url = Url::parse(&format!("https://api.status.io/1.0/status/{id}")).ok()?;
    let page = StatusPage {
        platform: Platform::Statusio,
        base_url,
        feed_url: None,
    };
    Some((page, "statuspageId script variable"))
}

/// Checkly pages load their incidents from `/api/status-page/<slug>/…`.
fn checkly(html: &str, lower: &str, page_url: &Url) -> Option<(StatusPage, &'static str)> {
    const PATH: &str = "/api/status-page/";
    let at = lower.find(PATH)?;
    let rest = &html[at + PATH.len()..];
    let slug =
        &rest[..rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))?];
    if slug.is_empty() {
        return None;
    }
    let base_url = page_url.join(&format!("{PATH}{slug}/")).ok()?;
    let page = StatusPage {
        platform: Platform::Checkly,
        base_url,
        feed_url: None,
    };
    Some((page, "/api/status-page/ path"))
}

/// The attribute lists of every tag opened by `open` (`"<link"`).
fn tags<'a>(
    html: &'a str,
    lower: &'a str,
    open: &'static str,
) -> impl Iterator<Item = Vec<(String, String)>> + 'a {
    lower.match_indices(open).filter_map(move |(at, _)| {
        let start = at + open.len();
        // `<linkfoo` is another tag.
        let next = html[start..].chars().next()?;
        if !(next.is_whitespace() || next == '>' || next == '/') {
            return None;
        }
        let end = start + html[start..].find('>')?;
        Some(attributes(&html[start..end]))
    })
}

fn attr(attrs: &[(String, String)], name: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// `name="value" name='value' name=value name` → pairs, names lower-cased, values with the
/// common entities decoded.
fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() {
            return out;
        }
        let name_end = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len());
        let name = s[..name_end].to_ascii_lowercase();
        s = s[name_end..].trim_start();
        let value = match s.strip_prefix('=') {
            Some(rest) => {
                let rest = rest.trim_start();
                let (value, after) = match rest.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let inner = &rest[1..];
                        let end = inner.find(q).unwrap_or(inner.len());
                        (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                    }
                    _ => {
                        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                        (&rest[..end], &rest[end..])
                    }
                };
                s = after;
                unescape(value)
            }
            None => String::new(),
        };
        if !name.is_empty() {
            out.push((name, value));
        }
    }
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn reads_attributes_in_every_quoting() {
        let attrs = attributes(
            r#" rel="alternate" TYPE='application/atom+xml' href=/feed.atom?a=1&amp;b=2 async /"#,
        );
        assert_eq!(attr(&attrs, "rel").as_deref(), Some("alternate"));
        assert_eq!(
            attr(&attrs, "type").as_deref(),
            Some("application/atom+xml")
        );
        assert_eq!(attr(&attrs, "href").as_deref(), Some("/feed.atom?a=1&b=2"));
        assert_eq!(attr(&attrs, "async").as_deref(), Some(""));
    }

    #[test]
    fn finds_feeds_and_the_generator() {
        let html = r#"<html><head><meta name="generator" content="Cachet 2.4">
            <link rel="alternate" type="application/rss+xml" href="/rss">
            <link rel="stylesheet" href="/app.css"><linkfoo rel="alternate"></head></html>"#;
        let clues = read(html, &url("https://status.example.com/some/page"));
        assert_eq!(clues.feeds.len(), 1);
        assert_eq!(clues.feeds[0].as_str(), "https://status.example.com/rss");
        let (page, marker) = clues.page.unwrap();
        assert_eq!(page.platform, Platform::Cachet);
        assert_eq!(page.base_url.as_str(), "https://status.example.com/");
        assert_eq!(marker, "meta generator");
    }

    #[test]
    fn finds_statusio_and_checkly_locations() {
        let html = "<script>var statuspageId = '533c6539221ae15e3f000031';</script>";
        let page = read(html, &url("https://status.docker.com/"))
            .page
            .map(|(p, _)| p);
        assert_eq!(page.as_ref().map(|p| p.platform), Some(Platform::Statusio));
        assert_eq!(
            page.map(|p| p.base_url.to_string()).as_deref(),
            Some("https://api.status.io/1.0/status/533c6539221ae15e3f000031")
        );
        let html = r#"<script>fetch("/api/status-page/mistral/unresolved-incidents")</script>"#;
        let page = read(html, &url("https://status.mistral.ai/"))
            .page
            .map(|(p, _)| p);
        assert_eq!(
            page.map(|p| p.base_url.to_string()).as_deref(),
            Some("https://status.mistral.ai/api/status-page/mistral/")
        );
    }

    #[test]
    fn a_page_without_markers_gives_no_platform() {
        let clues = read(
            "<html><body>Our blog</body></html>",
            &url("https://example.com/"),
        );
        assert!(clues.page.is_none());
        assert!(clues.feeds.is_empty());
    }
}
