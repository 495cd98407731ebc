//! The fetcher against local HTTP servers: conditional requests and error statuses with
//! Retry-After. The door it goes through (caps, timeouts, redirects, private targets) is
//! tested in `vw-outbound`.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use url::Url;
use vw_sources::{FetchConfig, FetchError, Fetched, Fetcher, Validators};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn local_fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        allow_private_targets: true,
        ..FetchConfig::default()
    })
    .unwrap()
}

fn url(server: &MockServer, path: &str) -> Url {
    Url::parse(&format!("{}{path}", server.uri())).unwrap()
}

#[tokio::test]
async fn conditional_requests_hand_back_validators_and_cost_a_304() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/summary.json"))
        .and(header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/summary.json"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v1\"")
                .insert_header("last-modified", "Tue, 24 Nov 2026 12:00:00 GMT")
                .set_body_string("{\"page\":{}}"),
        )
        .mount(&server)
        .await;
    let fetcher = local_fetcher();
    let target = url(&server, "/api/v2/summary.json");

    let Fetched::Fresh(document) = fetcher.get(&target, &Validators::default()).await.unwrap()
    else {
        panic!("the first read has no validators, so it must get the body");
    };
    assert_eq!(document.body, b"{\"page\":{}}");
    assert_eq!(document.url, target);
    assert_eq!(document.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        document.validators.last_modified.as_deref(),
        Some("Tue, 24 Nov 2026 12:00:00 GMT")
    );

    let again = fetcher.get(&target, &document.validators).await.unwrap();
    assert_eq!(again, Fetched::NotModified);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let second = &requests[1].headers;
    assert_eq!(second.get("if-none-match").unwrap(), "\"v1\"");
    assert_eq!(
        second.get("if-modified-since").unwrap(),
        "Tue, 24 Nov 2026 12:00:00 GMT"
    );
    let user_agent = requests[0]
        .headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(user_agent.starts_with("vendorwatch/"), "{user_agent}");
    assert!(
        user_agent.contains("https://github.com/vendorwatch/vendorwatch"),
        "{user_agent}"
    );
}

#[tokio::test]
async fn error_statuses_carry_retry_after_for_429_and_503() {
    let server = MockServer::start().await;
    Mock::given(path("/limited"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .mount(&server)
        .await;
    let in_a_minute = (chrono::Utc::now() + chrono::Duration::seconds(61))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", in_a_minute.as_str()))
        .mount(&server)
        .await;
    Mock::given(path("/broken"))
        .respond_with(ResponseTemplate::new(500).insert_header("retry-after", "120"))
        .mount(&server)
        .await;
    let fetcher = local_fetcher();
    let get = |p: &'static str| {
        let fetcher = fetcher.clone();
        let target = url(&server, p);
        async move {
            fetcher
                .get(&target, &Validators::default())
                .await
                .unwrap_err()
        }
    };

    let limited = get("/limited").await;
    assert!(
        matches!(limited, FetchError::Status { status: 429, retry_after: Some(d), .. } if d == Duration::from_secs(120)),
        "{limited:?}"
    );
    assert!(
        limited.to_string().contains("HTTP 429 (retry after 120 s)"),
        "{limited}"
    );
    match get("/down").await {
        FetchError::Status {
            status: 503,
            retry_after: Some(d),
            ..
        } => {
            assert!((55..=61).contains(&d.as_secs()), "{d:?}")
        }
        other => panic!("{other:?}"),
    }
    let broken = get("/broken").await;
    assert!(
        matches!(
            broken,
            FetchError::Status {
                status: 500,
                retry_after: None,
                ..
            }
        ),
        "{broken:?}"
    );
    assert!(broken.is_transient());

    let missing = get("/missing").await;
    assert!(
        matches!(missing, FetchError::Status { status: 404, .. }),
        "{missing:?}"
    );
    assert!(!missing.is_transient());
}
