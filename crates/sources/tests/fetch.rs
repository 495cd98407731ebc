//! The fetcher against local HTTP servers: conditional requests, the body cap, timeouts,
//! Retry-After, redirects, and the refusal of private targets.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
async fn gzip_bodies_are_decompressed() {
    let server = MockServer::start().await;
    let original = "{\"incidents\": []}".repeat(1000);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(original.as_bytes()).unwrap();
    let compressed = encoder.finish().unwrap();
    Mock::given(path("/incidents.json"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_bytes(compressed.clone()),
        )
        .mount(&server)
        .await;
    let fetched = local_fetcher()
        .get(&url(&server, "/incidents.json"), &Validators::default())
        .await
        .unwrap();
    let Fetched::Fresh(document) = fetched else {
        panic!("expected a body")
    };
    assert!(compressed.len() < original.len() / 10);
    assert_eq!(document.body, original.as_bytes());
    let requests = server.received_requests().await.unwrap();
    let accepted = requests[0]
        .headers
        .get("accept-encoding")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        accepted.contains("gzip") && accepted.contains("br"),
        "{accepted}"
    );
}

#[tokio::test]
async fn a_9_mib_body_is_too_large() {
    let server = MockServer::start().await;
    Mock::given(path("/big.json"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b' '; 9 * 1024 * 1024]))
        .mount(&server)
        .await;
    let error = local_fetcher()
        .get(&url(&server, "/big.json"), &Validators::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, FetchError::TooLarge { limit, .. } if limit == 8 * 1024 * 1024),
        "{error:?}"
    );
}

/// A server that streams a chunked body forever: only a cap applied while streaming ends it.
async fn endless_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("4000\r\n{}\r\n", "x".repeat(0x4000));
                while socket.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    addr
}

#[tokio::test]
async fn the_cap_holds_while_streaming_a_body_of_unknown_length() {
    let addr = endless_server().await;
    let fetcher = Fetcher::new(FetchConfig {
        allow_private_targets: true,
        max_body_bytes: 256 * 1024,
        ..FetchConfig::default()
    })
    .unwrap();
    let target = Url::parse(&format!("http://{addr}/endless")).unwrap();
    let started = Instant::now();
    let error = fetcher
        .get(&target, &Validators::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, FetchError::TooLarge { limit: 262_144, .. }),
        "{error:?}"
    );
    // Well before the 15 s total timeout: the cap, not the clock, stopped it.
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let fetcher = Fetcher::new(FetchConfig {
        allow_private_targets: true,
        timeout: Duration::from_millis(300),
        ..FetchConfig::default()
    })
    .unwrap();
    let started = Instant::now();
    let error = fetcher
        .get(&url(&server, "/slow"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
    assert!(error.is_transient());
    assert!(started.elapsed() < Duration::from_secs(3));
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

#[tokio::test]
async fn loopback_is_refused_unless_allowed() {
    let server = MockServer::start().await;
    Mock::given(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("hello"))
        .mount(&server)
        .await;
    let port = server.address().port();
    let guarded = Fetcher::new(FetchConfig::default()).unwrap();

    // An IP literal, which the resolver never sees.
    let literal = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let error = guarded
        .get(&literal, &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(error, FetchError::Blocked { .. }), "{error:?}");
    assert!(error.to_string().contains("loopback"), "{error}");

    // A name that resolves to loopback, refused by the resolver.
    let name = Url::parse(&format!("http://localhost:{port}/")).unwrap();
    let error = guarded
        .get(&name, &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(error, FetchError::Blocked { .. }), "{error:?}");
    assert!(
        error.to_string().contains("localhost resolves to"),
        "{error}"
    );

    assert!(server.received_requests().await.unwrap().is_empty());
    assert!(
        local_fetcher()
            .get(&literal, &Validators::default())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_redirect_from_an_allowed_host_to_loopback_is_refused() {
    let server = MockServer::start().await;
    let port = server.address().port();
    Mock::given(path("/to-literal"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("http://127.0.0.1:{port}/secret").as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/to-name"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("http://localhost:{port}/secret").as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/secret"))
        .respond_with(ResponseTemplate::new(200).set_body_string("internal"))
        .mount(&server)
        .await;
    // "status.example.test" stands for a public host: pinned names skip the check, so the
    // first hop is allowed and only the redirect's target is judged.
    let fetcher = Fetcher::new(FetchConfig {
        pinned_hosts: vec![("status.example.test".into(), *server.address())],
        ..FetchConfig::default()
    })
    .unwrap();

    for hop in ["/to-literal", "/to-name"] {
        let target = Url::parse(&format!("http://status.example.test:{port}{hop}")).unwrap();
        let error = fetcher
            .get(&target, &Validators::default())
            .await
            .unwrap_err();
        assert!(
            matches!(error, FetchError::Blocked { .. }),
            "{hop}: {error:?}"
        );
    }
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        ["/to-literal", "/to-name"],
        "the loopback target was never asked"
    );
}

#[tokio::test]
async fn at_most_five_redirects_are_followed() {
    let server = MockServer::start().await;
    for hop in 0..7 {
        Mock::given(path(format!("/hop{hop}")))
            .respond_with(
                ResponseTemplate::new(301)
                    .insert_header("location", format!("/hop{}", hop + 1).as_str()),
            )
            .mount(&server)
            .await;
    }
    Mock::given(path("/hop7"))
        .respond_with(ResponseTemplate::new(200).set_body_string("end"))
        .mount(&server)
        .await;
    let fetcher = local_fetcher();

    // /hop2 → … → /hop7 is five redirects.
    let five = fetcher
        .get(&url(&server, "/hop2"), &Validators::default())
        .await
        .unwrap();
    let Fetched::Fresh(document) = five else {
        panic!("expected a body")
    };
    assert_eq!(document.url.path(), "/hop7");

    let six = fetcher
        .get(&url(&server, "/hop1"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(six, FetchError::Unreachable { .. }), "{six:?}");
    assert!(six.to_string().contains("more than 5 redirects"), "{six}");
}

#[tokio::test]
async fn closed_ports_are_unreachable_and_odd_schemes_invalid() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let fetcher = local_fetcher();
    let error = fetcher
        .get(
            &Url::parse(&format!("http://{addr}/")).unwrap(),
            &Validators::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, FetchError::Unreachable { .. }), "{error:?}");
    assert!(error.is_transient());
    assert!(!error.to_string().contains('\n'));

    let error = fetcher
        .get(
            &Url::parse("file:///etc/passwd").unwrap(),
            &Validators::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, FetchError::InvalidUrl { .. }), "{error:?}");
}
