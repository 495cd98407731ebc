//! Detection: every fixture's platform from its content, and pages found from their URLs on
//! local servers that serve fixtures at the platforms' paths.

#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::path::{Path, PathBuf};

use url::Url;
use vw_domain::Platform;
use vw_sources::detect::{from_url, platform_of};
use vw_sources::{FetchConfig, FetchError, Fetcher};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn fixture(name: &str) -> Vec<u8> {
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    if name.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        bytes
    }
}

/// The platform each fixture directory's documents belong to.
fn expected(dir: &str) -> Option<Platform> {
    match dir {
        "atlassian-statuspage" => Some(Platform::Statuspage),
        "incidentio" => Some(Platform::Incidentio),
        "instatus" => Some(Platform::Instatus),
        "betterstack" => Some(Platform::Betterstack),
        "statusio" => Some(Platform::Statusio),
        "checkly" => Some(Platform::Checkly),
        "cachet" => Some(Platform::Cachet),
        "slack" => Some(Platform::Slack),
        "heroku" => Some(Platform::Heroku),
        "aws" => Some(Platform::Aws),
        "azure" => Some(Platform::Azure),
        "gcp" => Some(Platform::Gcp),
        // A home page is no document: detection from a URL reads its markers instead.
        "html" => None,
        other => panic!("a fixture directory this test does not know: {other}"),
    }
}

/// The platform each directory of the second corpus (`corpus/`, see its SOURCES.md) holds.
fn expected_in_corpus(dir: &str) -> Option<Platform> {
    match dir {
        // Older Statuspage feeds too (Parse's 2014 RSS, before the channel named Statuspage).
        "statuspage" => Some(Platform::Statuspage),
        "gcp" => Some(Platform::Gcp),
        "slack" => Some(Platform::Slack),
        // AWS's all.rss and xAI's feed are plain RSS: their generic reader reads them.
        "aws" | "rss" => Some(Platform::Rss),
        other => panic!("a corpus directory this test does not know: {other}"),
    }
}

/// Every file of the directories under `dir`, with the platform expected of it.
fn documents(
    dir: &Path,
    expected: fn(&str) -> Option<Platform>,
) -> Vec<(String, Option<Platform>)> {
    let mut found = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        let sub = sub.unwrap().path();
        let sub_name = sub.file_name().unwrap().to_string_lossy().into_owned();
        if !sub.is_dir() || sub_name == "corpus" {
            continue;
        }
        for file in std::fs::read_dir(&sub).unwrap() {
            let path = file.unwrap().path();
            let relative = path.strip_prefix(fixtures()).unwrap().display().to_string();
            found.push((relative, expected(&sub_name)));
        }
    }
    found
}

#[test]
fn every_fixture_is_detected_as_its_platform() {
    let mut all = documents(&fixtures(), expected);
    all.extend(documents(&fixtures().join("corpus"), expected_in_corpus));
    for (name, platform) in &all {
        assert_eq!(platform_of(&fixture(name)), *platform, "{name}");
    }
    assert!(all.len() >= 63, "only {} fixtures found", all.len());
}

#[test]
fn aws_utf16_is_sniffed_through_its_bom() {
    let body = fixture("aws/health-currentevents-utf16-2026-08-01.json");
    assert_eq!(&body[..2], &[0xFE, 0xFF]);
    assert_eq!(platform_of(&body), Some(Platform::Aws));
}

#[test]
fn feeds_are_told_apart() {
    let generic_atom = br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
        <id>urn:x</id><title>Changelog</title><entry><id>urn:1</id><title>v1</title></entry></feed>"#;
    assert_eq!(platform_of(generic_atom), Some(Platform::Atom));
    assert_eq!(
        platform_of(&fixture(
            "atlassian-statuspage/streamyard-history-2024-06-10.rss"
        )),
        Some(Platform::Statuspage)
    );
    assert_eq!(
        platform_of(&fixture("azure/azure-status-feed-empty-2026-08-01.xml")),
        Some(Platform::Azure)
    );
}

fn local_fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        allow_private_targets: true,
        ..FetchConfig::default()
    })
    .unwrap()
}

async fn serve(files: &[(&str, Vec<u8>)]) -> MockServer {
    let server = MockServer::start().await;
    for (at, body) in files {
        Mock::given(path(*at))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
            .mount(&server)
            .await;
    }
    server
}

fn at(server: &MockServer, p: &str) -> Url {
    Url::parse(&format!("{}{p}", server.uri())).unwrap()
}

#[tokio::test]
async fn a_statuspage_home_page_is_found_by_its_markers() {
    // Served as captured, Markdown fences and all.
    let html = fixture("html/atlassian-statuspage-1password-homepage-2021-01-22.html.txt");
    assert!(html.starts_with(b"```"));
    let server = serve(&[("/", html)]).await;
    let page = from_url(&local_fetcher(), &at(&server, "/")).await.unwrap();
    assert_eq!(page.platform, Platform::Statuspage);
    assert_eq!(page.base_url, at(&server, "/"));
    assert_eq!(
        page.feed_url.map(String::from).as_deref(),
        Some("https://1password.statuspage.io/history.atom")
    );
    // The markers sufficed: nothing else was probed.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn endpoints_are_probed_under_the_root() {
    let blank = b"<!DOCTYPE html><html><body>Status</body></html>".to_vec();
    let cases = [
        (
            "/api/v2/summary.json",
            "incidentio/openai-api-v2-summary-minor-2026-07-22.json",
            Platform::Incidentio,
        ),
        (
            "/api/v2/summary.json",
            "atlassian-statuspage/github-summary-major-2026-07-24.json",
            Platform::Statuspage,
        ),
        (
            "/index.json",
            "betterstack/huggingface-index-downtime-2026-07-19.json",
            Platform::Betterstack,
        ),
        (
            "/summary.json",
            "instatus/perplexity-summary-major-2026-07-23.json",
            Platform::Instatus,
        ),
        (
            "/api/v1/components",
            "cachet/yoti-cachet-v1-components-2020-10.json",
            Platform::Cachet,
        ),
    ];
    for (endpoint, file, platform) in cases {
        let server = serve(&[("/", blank.clone()), (endpoint, fixture(file))]).await;
        // Asked about a page below the root, as users paste them.
        let page = from_url(&local_fetcher(), &at(&server, "/incidents/123"))
            .await
            .unwrap();
        assert_eq!(page.platform, platform, "{file}");
        assert_eq!(page.base_url, at(&server, "/"), "{file}");
    }
}

#[tokio::test]
async fn a_document_url_is_its_own_answer() {
    let gcp = fixture("gcp/gcp-incidents-json-full-2022-07-03.json.gz");
    let summary = fixture("atlassian-statuspage/claude-summary-major-outage-2026-07-29.json");
    let server = serve(&[
        ("/incidents.json", gcp),
        ("/status/api/v2/summary.json", summary),
    ])
    .await;
    let fetcher = local_fetcher();

    let page = from_url(&fetcher, &at(&server, "/incidents.json"))
        .await
        .unwrap();
    assert_eq!(
        (page.platform, page.base_url),
        (Platform::Gcp, at(&server, "/"))
    );

    let page = from_url(&fetcher, &at(&server, "/status/api/v2/summary.json"))
        .await
        .unwrap();
    assert_eq!(page.platform, Platform::Statuspage);
    assert_eq!(page.base_url, at(&server, "/status/"));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn feeds_are_found_from_links_and_usual_paths() {
    let home = br#"<html><head><link rel="alternate" type="application/atom+xml" href="/blog/changes.atom"></head></html>"#;
    let generic =
        br#"<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>Changes</title></feed>"#;
    let server = serve(&[
        ("/", home.to_vec()),
        ("/blog/changes.atom", generic.to_vec()),
    ])
    .await;
    let page = from_url(&local_fetcher(), &at(&server, "/")).await.unwrap();
    assert_eq!(page.platform, Platform::Atom);
    assert_eq!(page.feed_url, Some(at(&server, "/blog/changes.atom")));

    let history = fixture("atlassian-statuspage/githubstatus-history-2026-08-22.atom");
    let server = serve(&[("/history.atom", history)]).await;
    let page = from_url(&local_fetcher(), &at(&server, "/")).await.unwrap();
    assert_eq!(page.platform, Platform::Statuspage);
    assert_eq!(page.base_url, at(&server, "/"));
    assert_eq!(page.feed_url, Some(at(&server, "/history.atom")));
}

#[tokio::test]
async fn a_page_of_no_known_platform_lists_what_was_tried() {
    let server = serve(&[("/", b"<html><body>Our blog</body></html>".to_vec())]).await;
    let error = from_url(&local_fetcher(), &at(&server, "/"))
        .await
        .unwrap_err();
    let FetchError::NotAStatusPage { tried, .. } = &error else {
        panic!("{error:?}")
    };
    // The page itself, four endpoints and six feed paths.
    assert_eq!(tried.len(), 11, "{tried:#?}");
    assert!(
        tried[0].contains("an HTML page without status page markers"),
        "{}",
        tried[0]
    );
    assert!(
        tried[1].ends_with("/api/v2/summary.json answered HTTP 404"),
        "{}",
        tried[1]
    );
    let message = error.to_string();
    assert!(
        message.contains("is not a status page vendorwatch can read; tried: "),
        "{message}"
    );
    assert!(
        message.contains("/history.atom answered HTTP 404"),
        "{message}"
    );
    assert!(!message.contains('\n'));
}

#[tokio::test]
async fn detection_keeps_to_public_targets() {
    let server = serve(&[("/", b"<html></html>".to_vec())]).await;
    let guarded = Fetcher::new(FetchConfig::default()).unwrap();
    let error = from_url(&guarded, &at(&server, "/")).await.unwrap_err();
    assert!(matches!(error, FetchError::Blocked { .. }), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
