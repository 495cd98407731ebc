//! A status page's address: the form vendorwatch stores and fetches, and the canonical form
//! that makes the same page one provider however it was written (`http://www.X.com/` and
//! `https://x.com#top` are one page).

use std::fmt;

use serde::{Deserialize, Serialize};
use url::Url;

/// Why an address was refused. The message is shown to the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidStatusPageUrl {
    #[error("Enter a web address, like https://status.example.com.")]
    Syntax,
    #[error("Use an http or https address.")]
    Scheme,
    #[error("The address needs a host name.")]
    NoHost,
    #[error("Remove the user name and password from the address.")]
    Credentials,
    #[error("Use an address of at most {max} characters.", max = StatusPageUrl::MAX_LEN)]
    TooLong,
}

/// An http(s) address with a host and no credentials, normalised: lower-case host without a
/// trailing dot, no default port, no fragment, no trailing slash, no tracking parameters.
///
/// The query is otherwise kept, in its order: some pages are chosen by it
/// (`vk.com/dev.php?method=health`), and nothing in an address tells those from the rest.
/// Tracking parameters (`utm_*`, `gclid`, `ref`, …) never choose a page; they only come along
/// when an address is copied from a link, and kept they would make one page two providers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StatusPageUrl {
    url: String,
    /// `url`, parsed once: fetching needs it in this form.
    parsed: Url,
    canonical: String,
}

impl StatusPageUrl {
    /// Longer addresses are not status pages (and would not fit an index).
    pub const MAX_LEN: usize = 2048;

    /// Parses an address as typed or listed. One without a scheme (`status.example.com`) is
    /// taken as https, because that is what people paste.
    pub fn parse(input: &str) -> Result<Self, InvalidStatusPageUrl> {
        let input = input.trim();
        if input.len() > Self::MAX_LEN {
            return Err(InvalidStatusPageUrl::TooLong);
        }
        let url = match Url::parse(input) {
            Ok(url) => url,
            Err(url::ParseError::RelativeUrlWithoutBase) if !input.is_empty() => {
                Url::parse(&format!("https://{input}")).map_err(|_| InvalidStatusPageUrl::Syntax)?
            }
            Err(url::ParseError::EmptyHost) => return Err(InvalidStatusPageUrl::NoHost),
            Err(_) => return Err(InvalidStatusPageUrl::Syntax),
        };
        if !matches!(url.scheme(), "http" | "https") {
            return Err(InvalidStatusPageUrl::Scheme);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(InvalidStatusPageUrl::Credentials);
        }
        let host = url
            .host_str()
            .map(|h| h.trim_end_matches('.'))
            .filter(|h| !h.is_empty())
            .ok_or(InvalidStatusPageUrl::NoHost)?;
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        let path = url.path().trim_end_matches('/');
        let params: Vec<&str> = url
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|param| is_meaningful(param))
            .collect();

        let normalised = format!("{}://{host}{port}{path}{}", url.scheme(), query(&params));
        if normalised.len() > Self::MAX_LEN {
            return Err(InvalidStatusPageUrl::TooLong);
        }
        let mut sorted = params;
        sorted.sort_unstable();
        // `www.` is the same site in practice, and a page served over both schemes is one page.
        let bare_host = match host.strip_prefix("www.") {
            Some(rest) if rest.contains('.') => rest,
            _ => host,
        };
        let canonical = format!("https://{bare_host}{port}{path}{}", query(&sorted));
        // What is stored must read back as itself, naming the host that was typed: the
        // providers' rows are read with this parser, and the page is fetched at `parsed`. Not
        // so when trimming a host's dots made it another (`9..` is a name, `9` the address
        // 0.0.0.9), or one the parser takes once but not twice (`a9.9...` trims to `a9.9`,
        // which ends in a number and is no host; an empty punycode label such as `xn--`).
        // Found by fuzzing (docs/bench/fuzzing.md).
        let parsed = match Url::parse(&normalised) {
            Ok(again) if again.host_str() == Some(host) => again,
            _ => return Err(InvalidStatusPageUrl::Syntax),
        };
        Ok(StatusPageUrl {
            url: normalised,
            parsed,
            canonical,
        })
    }

    /// The address to fetch and show.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The same address, to fetch.
    pub fn url(&self) -> Url {
        self.parsed.clone()
    }

    /// The dedupe key (the providers table's `canonical_url`): https, host without `www.`,
    /// query parameters sorted. Two addresses of the same page have the same key. It is a key,
    /// not an address to fetch: the page may not answer on it.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }
}

/// Query parameters that only say where a link was clicked, never which page it shows.
fn is_meaningful(param: &str) -> bool {
    const TRACKING: [&str; 12] = [
        "gclid", "dclid", "fbclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl",
        "ref", "ref_src",
    ];
    let name = param
        .split('=')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    !name.is_empty() && !name.starts_with("utm_") && !TRACKING.contains(&name.as_str())
}

fn query(params: &[&str]) -> String {
    if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    }
}

impl fmt::Display for StatusPageUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl TryFrom<String> for StatusPageUrl {
    type Error = InvalidStatusPageUrl;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        StatusPageUrl::parse(&value)
    }
}

impl From<StatusPageUrl> for String {
    fn from(value: StatusPageUrl) -> Self {
        value.url
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(input: &str) -> (String, String) {
        match StatusPageUrl::parse(input) {
            Ok(u) => (u.as_str().to_owned(), u.canonical().to_owned()),
            Err(e) => panic!("{input:?} refused: {e}"),
        }
    }

    /// Found by the `urls` fuzz target: trimming the dots of `9..` (a name) left `9`, which
    /// reads back as the address 0.0.0.9, and `a9.9...` left `a9.9`, which reads back as
    /// nothing; what is stored must read back as the host typed.
    #[test]
    fn a_host_that_trimming_makes_another_is_refused() {
        for input in [
            "9..",
            "https://9../x",
            "http://0x7f..:8080",
            "a9.9...//TBB58IL",
        ] {
            assert_eq!(
                StatusPageUrl::parse(input),
                Err(InvalidStatusPageUrl::Syntax),
                "{input}"
            );
        }
        assert_eq!(parsed("http://1.2.3.4./x").0, "http://1.2.3.4/x");
    }

    #[test]
    fn normalises_what_never_reaches_the_page() {
        assert_eq!(
            parsed("  HTTPS://Status.Example.COM:443/#incidents "),
            (
                "https://status.example.com".to_owned(),
                "https://status.example.com".to_owned()
            )
        );
        assert_eq!(
            parsed("http://www.GitHubStatus.com./"),
            (
                "http://www.githubstatus.com".to_owned(),
                "https://githubstatus.com".to_owned()
            )
        );
        assert_eq!(
            parsed("https://status.miro.com/eu/").0,
            "https://status.miro.com/eu"
        );
    }

    #[test]
    fn keeps_paths_as_written_because_servers_may_tell_case() {
        assert_eq!(
            parsed("https://stats.uptimerobot.com/VkNVYS2vV6").1,
            "https://stats.uptimerobot.com/VkNVYS2vV6"
        );
    }

    #[test]
    fn keeps_ports_that_are_not_the_default() {
        assert_eq!(parsed("http://127.0.0.1:8080/").0, "http://127.0.0.1:8080");
        assert_eq!(parsed("http://example.com:80").0, "http://example.com");
    }

    #[test]
    fn keeps_the_query_that_chooses_the_page_and_drops_tracking() {
        assert_eq!(
            parsed("https://vk.com/dev.php?method=health&utm_source=x&&gclid=1#top"),
            (
                "https://vk.com/dev.php?method=health".to_owned(),
                "https://vk.com/dev.php?method=health".to_owned()
            )
        );
        assert_eq!(
            parsed("https://example.com/?b=2&a=1"),
            (
                "https://example.com?b=2&a=1".to_owned(),
                "https://example.com?a=1&b=2".to_owned()
            )
        );
        assert_eq!(parsed("https://example.com/?").0, "https://example.com");
        assert_eq!(
            parsed("https://example.com/?UTM_Medium=x&ref=hn").0,
            "https://example.com"
        );
    }

    #[test]
    fn takes_an_address_without_a_scheme_as_https() {
        assert_eq!(
            parsed("status.example.com/eu").0,
            "https://status.example.com/eu"
        );
    }

    #[test]
    fn www_alone_is_a_host_not_a_prefix() {
        assert_eq!(parsed("http://www.com").1, "https://www.com");
    }

    #[test]
    fn refuses_what_is_not_a_web_page_address() {
        let refused = |s: &str| StatusPageUrl::parse(s).err();
        assert_eq!(refused(""), Some(InvalidStatusPageUrl::Syntax));
        assert_eq!(
            refused("ftp://example.com"),
            Some(InvalidStatusPageUrl::Scheme)
        );
        assert_eq!(
            refused("mailto:ops@example.com"),
            Some(InvalidStatusPageUrl::Scheme)
        );
        assert_eq!(
            refused("javascript:alert(1)"),
            Some(InvalidStatusPageUrl::Scheme)
        );
        assert_eq!(refused("https://"), Some(InvalidStatusPageUrl::NoHost));
        assert_eq!(refused("https://./"), Some(InvalidStatusPageUrl::NoHost));
        assert_eq!(
            refused("https://user:secret@example.com"),
            Some(InvalidStatusPageUrl::Credentials)
        );
        assert_eq!(
            refused("https://user@example.com"),
            Some(InvalidStatusPageUrl::Credentials)
        );
        assert_eq!(
            refused("https://exa mple.com"),
            Some(InvalidStatusPageUrl::Syntax)
        );
        assert_eq!(
            refused(&format!("https://example.com/{}", "a".repeat(2048))),
            Some(InvalidStatusPageUrl::TooLong)
        );
    }

    #[test]
    fn serialises_as_the_address_and_parses_back() {
        let url = StatusPageUrl::parse("https://www.example.com/status/").ok();
        let json = url.as_ref().and_then(|u| serde_json::to_string(u).ok());
        assert_eq!(json.as_deref(), Some("\"https://www.example.com/status\""));
        let back: Option<StatusPageUrl> = json.and_then(|j| serde_json::from_str(&j).ok());
        assert_eq!(back, url);
        assert!(serde_json::from_str::<StatusPageUrl>("\"ftp://x.org\"").is_err());
    }

    /// A page written many ways: hosts, paths and meaningful queries to build from.
    fn page() -> impl Strategy<Value = (String, String, Vec<(String, String)>)> {
        (
            "[a-z][a-z0-9-]{0,10}(\\.[a-z][a-z0-9]{0,6}){1,3}",
            "(/[A-Za-z0-9_.~-]{1,8}){0,3}",
            prop::collection::vec(("[a-z]{1,5}", "[a-z0-9]{0,5}"), 0..4),
        )
            // `xn--` starts a punycode label, which the URL parser checks as such.
            .prop_filter(
                "no www. host, no punycode, no tracking parameter",
                |(h, _, q)| {
                    !h.starts_with("www.")
                        && !h.contains("xn--")
                        && q.iter().all(|(k, _)| is_meaningful(k))
                },
            )
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(
            (host, path, params) in page(),
            scheme in prop::sample::select(vec!["http", "https"]),
        ) {
            let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let input = format!("{scheme}://{host}{path}?{}", query.join("&"));
            let once = StatusPageUrl::parse(&input);
            prop_assert!(once.is_ok(), "{input:?} refused");
            let once = once.map_err(|e| TestCaseError::fail(e.to_string()))?;
            let twice = StatusPageUrl::parse(once.as_str());
            prop_assert_eq!(twice.as_ref(), Ok(&once));
            prop_assert!(!once.as_str().ends_with('/'));
            prop_assert!(!once.as_str().contains('#'));
            prop_assert!(once.canonical().starts_with("https://"));
        }

        #[test]
        fn writings_of_one_page_share_the_canonical_form(
            (host, path, params) in page(),
            upper in any::<prop::sample::Index>(),
            www in any::<bool>(),
            http in any::<bool>(),
            slash in any::<bool>(),
            fragment in "[a-z]{0,6}",
            tracking in prop::sample::select(vec!["", "utm_source=news", "gclid=abc", "ref=hn"]),
            shuffle in any::<prop::sample::Index>(),
        ) {
            let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let plain = format!("https://{host}{path}?{}", query.join("&"));

            let mut written_host = if www { format!("www.{host}") } else { host.clone() };
            let at = upper.index(written_host.len());
            written_host = format!(
                "{}{}",
                &written_host[..at],
                written_host[at..].to_ascii_uppercase()
            );
            let mut rotated = query.clone();
            if !rotated.is_empty() {
                let by = shuffle.index(rotated.len());
                rotated.rotate_left(by);
            }
            if !tracking.is_empty() {
                rotated.insert(0, tracking.to_owned());
            }
            let written = format!(
                "{}://{written_host}{}{}{}?{}#{fragment}",
                if http { "http" } else { "https" },
                if http { ":80" } else { ":443" },
                path,
                if slash { "/" } else { "" },
                rotated.join("&"),
            );
            let a = StatusPageUrl::parse(&plain).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let b = StatusPageUrl::parse(&written).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(a.canonical(), b.canonical(), "{} vs {}", plain, written);
        }

        #[test]
        fn other_pages_keep_other_canonical_forms(
            (host, path, params) in page(),
            other in "/[a-z]{1,6}",
        ) {
            let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let a = StatusPageUrl::parse(&format!("https://{host}{path}?{}", query.join("&")));
            let b = StatusPageUrl::parse(&format!("https://{host}{path}{other}?{}", query.join("&")));
            let (a, b) = (a.map_err(|e| TestCaseError::fail(e.to_string()))?,
                          b.map_err(|e| TestCaseError::fail(e.to_string()))?);
            prop_assert_ne!(a.canonical(), b.canonical());
        }

        #[test]
        fn never_panics_on_any_input(input in any::<String>()) {
            let _ = StatusPageUrl::parse(&input);
        }
    }
}
