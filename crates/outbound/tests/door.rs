//! The door against local HTTP servers: decompression, the body cap, timeouts, redirects,
//! and the refusal of private targets, for both policies.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;
use vw_outbound::{Client, OutboundError, Policy, Request, Response, StatusCode};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn local(policy: Policy) -> Client {
    Client::new(Policy {
        allow_private_targets: true,
        ..policy
    })
    .unwrap()
}

fn local_client() -> Client {
    local(Policy::status_pages())
}

fn url(server: &MockServer, path: &str) -> Url {
    Url::parse(&format!("{}{path}", server.uri())).unwrap()
}

async fn get(client: &Client, url: &Url) -> Result<Response, OutboundError> {
    client.send(Request::get(url.clone())).await
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
    let fetched = get(&local_client(), &url(&server, "/incidents.json"))
        .await
        .unwrap();
    let document = fetched;
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
    let error = get(&local_client(), &url(&server, "/big.json"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, OutboundError::TooLarge { limit, .. } if limit == 8 * 1024 * 1024),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_cap_holds_while_streaming_a_body_of_unknown_length() {
    let addr = endless_server().await;
    let client = Client::new(Policy {
        allow_private_targets: true,
        max_body_bytes: 256 * 1024,
        ..Policy::status_pages()
    })
    .unwrap();
    let target = Url::parse(&format!("http://{addr}/endless")).unwrap();
    let started = Instant::now();
    let error = get(&client, &target).await.unwrap_err();
    assert!(
        matches!(error, OutboundError::TooLarge { limit: 262_144, .. }),
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
    let client = Client::new(Policy {
        allow_private_targets: true,
        timeout: Duration::from_millis(300),
        ..Policy::status_pages()
    })
    .unwrap();
    let started = Instant::now();
    let error = get(&client, &url(&server, "/slow")).await.unwrap_err();
    assert!(matches!(error, OutboundError::Timeout { .. }), "{error:?}");
    assert!(error.is_transient());
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn loopback_is_refused_unless_allowed() {
    let server = MockServer::start().await;
    Mock::given(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("hello"))
        .mount(&server)
        .await;
    let port = server.address().port();
    let guarded = Client::new(Policy::status_pages()).unwrap();

    // An IP literal, which the resolver never sees.
    let literal = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let error = get(&guarded, &literal).await.unwrap_err();
    assert!(matches!(error, OutboundError::Blocked { .. }), "{error:?}");
    assert!(error.to_string().contains("loopback"), "{error}");

    // A name that resolves to loopback, refused by the resolver.
    let name = Url::parse(&format!("http://localhost:{port}/")).unwrap();
    let error = get(&guarded, &name).await.unwrap_err();
    assert!(matches!(error, OutboundError::Blocked { .. }), "{error:?}");
    assert!(
        error.to_string().contains("localhost resolves to"),
        "{error}"
    );

    assert!(server.received_requests().await.unwrap().is_empty());
    assert!(get(&local_client(), &literal).await.is_ok());
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
    let client = Client::new(Policy {
        pinned_hosts: vec![("status.example.test".into(), *server.address())],
        ..Policy::status_pages()
    })
    .unwrap();

    for hop in ["/to-literal", "/to-name"] {
        let target = Url::parse(&format!("http://status.example.test:{port}{hop}")).unwrap();
        let error = get(&client, &target).await.unwrap_err();
        assert!(
            matches!(error, OutboundError::Blocked { .. }),
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
    let client = local_client();

    // /hop2 → … → /hop7 is five redirects.
    let five = get(&client, &url(&server, "/hop2")).await.unwrap();
    let document = five;
    assert_eq!(document.url.path(), "/hop7");

    let six = get(&client, &url(&server, "/hop1")).await.unwrap_err();
    assert!(matches!(six, OutboundError::Unreachable { .. }), "{six:?}");
    assert!(six.to_string().contains("more than 5 redirects"), "{six}");
}

#[tokio::test]
async fn closed_ports_are_unreachable_and_odd_schemes_invalid() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = local_client();
    let error = get(&client, &Url::parse(&format!("http://{addr}/")).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(error, OutboundError::Unreachable { .. }),
        "{error:?}"
    );
    assert!(error.is_transient());
    assert!(!error.to_string().contains('\n'));

    let error = get(&client, &Url::parse("file:///etc/passwd").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(error, OutboundError::InvalidUrl { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_delivery_policy_follows_no_redirect_and_takes_https_only() {
    let server = MockServer::start().await;
    Mock::given(path("/hook"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/elsewhere"))
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    // Private targets allowed, as in tests: plain http on loopback then passes too.
    let answer = local(Policy::deliveries())
        .send(Request::post(
            url(&server, "/hook"),
            "application/json",
            b"{}".to_vec(),
        ))
        .await
        .unwrap();
    assert_eq!(answer.status, StatusCode::TEMPORARY_REDIRECT);
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths, ["/hook"], "the redirect was not followed");

    // In production a plain http URL is refused before any connection.
    let production = Client::new(Policy::deliveries()).unwrap();
    let error = production
        .send(Request::get(
            Url::parse("http://hooks.example.com/x").unwrap(),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(error, OutboundError::InvalidUrl { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("https"), "{error}");
}

#[tokio::test]
async fn a_delivery_answer_larger_than_its_cap_is_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/hook"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 100 * 1024]))
        .mount(&server)
        .await;
    let error = local(Policy::deliveries())
        .send(Request::post(
            url(&server, "/hook"),
            "application/json",
            Vec::new(),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(error, OutboundError::TooLarge { limit: 65_536, .. }),
        "{error:?}"
    );
}
