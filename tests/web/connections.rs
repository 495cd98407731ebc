//! Connections, over raw TCP: ones that never finish their headers or sit idle are closed,
//! at most so many are served at once, and a shutdown lets the request in flight finish.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::app::App;

/// Far longer than any timeout under test: a wait this long means the server never acted.
const NEVER: Duration = Duration::from_secs(10);

const HEALTH: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: vendorwatch.test\r\n\r\n";

async fn app_with(configure: impl FnOnce(&mut vw_web::WebConfig)) -> App {
    App::start_with(None, configure).await
}

async fn connect(app: &App) -> TcpStream {
    TcpStream::connect(app.address).await.unwrap()
}

/// Reads until the server closes the connection (or resets it); `None` if it has not after
/// `limit`. What it sent before is returned.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&received).into_owned())
}

/// Reads one answer to `GET /healthz` (its body is `ok\n`).
async fn health_answer(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    while !received.ends_with(b"ok\n") {
        let n = tokio::time::timeout(NEVER, stream.read(&mut buf))
            .await
            .expect("an answer")
            .unwrap();
        assert_ne!(n, 0, "closed before answering");
        received.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_request_line_is_closed() {
    let app = app_with(|config| {
        config.header_read_timeout = Duration::from_secs(1);
        config.idle_timeout = Duration::from_secs(60);
    })
    .await;
    let mut slow = connect(&app).await;
    slow.write_all(b"GET /healthz HT").await.unwrap();
    assert!(
        closed_within(&mut slow, NEVER).await.is_some(),
        "still open after half a request line"
    );

    // Nothing at all is no better.
    let mut silent = connect(&app).await;
    assert!(closed_within(&mut silent, NEVER).await.is_some());

    // Neither is a request whose headers trickle in a byte at a time.
    let mut trickle = connect(&app).await;
    let closed = tokio::time::timeout(NEVER, async {
        for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "
            .iter()
            .cycle()
        {
            if trickle.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    assert!(closed.is_ok(), "still open to trickled headers");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = app_with(|config| {
        config.header_read_timeout = Duration::from_secs(60);
        config.idle_timeout = Duration::from_secs(1);
    })
    .await;
    let mut idle = connect(&app).await;
    idle.write_all(HEALTH).await.unwrap();
    let answer = health_answer(&mut idle).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        !answer.to_lowercase().contains("connection: close"),
        "kept alive: {answer}"
    );
    assert!(
        closed_within(&mut idle, NEVER).await.is_some(),
        "an idle connection stays open"
    );
}

#[tokio::test]
async fn over_the_cap_a_connection_waits_until_another_closes() {
    let app = app_with(|config| config.max_connections = 2).await;
    let mut first = connect(&app).await;
    let mut second = connect(&app).await;
    for kept in [&mut first, &mut second] {
        kept.write_all(HEALTH).await.unwrap();
        health_answer(kept).await;
    }

    let mut third = connect(&app).await;
    third.write_all(HEALTH).await.unwrap();
    let mut buf = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(500), third.read(&mut buf)).await;
    assert!(
        early.is_err(),
        "a third connection was served over a cap of 2"
    );

    drop(first);
    let answer = health_answer(&mut third).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_shutdown_lets_the_request_in_flight_finish() {
    let mut app = App::start().await;
    let mut in_flight = connect(&app).await;
    let body = b"email=ada%40example.com";
    in_flight
        .write_all(
            format!(
                "POST /login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    // The handler asks for the body: the request is in flight.
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(NEVER, in_flight.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 100"), "{:?}", &buf[..n]);

    let served = app.shut_down();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!served.is_finished(), "stopped with a request in flight");

    in_flight.write_all(body).await.unwrap();
    let answer = closed_within(&mut in_flight, NEVER)
        .await
        .expect("closed after answering");
    // No CSRF token: refused, but answered.
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    tokio::time::timeout(NEVER, served)
        .await
        .expect("the server stops once the request is done")
        .unwrap()
        .unwrap();
    assert!(
        TcpStream::connect(app.address).await.is_err(),
        "no longer accepting"
    );
}
