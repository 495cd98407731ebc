//! The real peers alerts go to, run by the tests: an SMTP server (mailin-embedded) keeping
//! every message it accepts, and an HTTP receiver answering what the test tells it and
//! keeping every request, with the time it arrived.

use std::collections::VecDeque;
use std::net::TcpListener as StdListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
pub use mail_parser::MimeHeaders;
use mail_parser::{Message, MessageParser};
use mailin_embedded::response::OK;
use mailin_embedded::{Handler, Server};
use tokio::sync::Notify;

/// What the SMTP server received.
#[derive(Clone, Default)]
pub struct Inbox {
    received: Arc<Mutex<Vec<Vec<u8>>>>,
}

#[derive(Clone)]
struct Recorder {
    current: Vec<u8>,
    inbox: Inbox,
}

impl Handler for Recorder {
    fn data_start(&mut self, _: &str, _: &str, _: bool, _: &[String]) -> mailin_embedded::Response {
        self.current.clear();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        self.inbox
            .received
            .lock()
            .unwrap()
            .push(std::mem::take(&mut self.current));
        OK
    }
}

/// Starts an SMTP server on a free loopback port; returns its `smtp://` URL and its inbox.
pub fn smtp_server() -> (String, Inbox) {
    let inbox = Inbox::default();
    let listener = StdListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = Server::new(Recorder {
        current: Vec::new(),
        inbox: inbox.clone(),
    });
    server
        .with_name("smtp.test")
        .with_tcp_listener(listener)
        .with_num_threads(2);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://127.0.0.1:{port}"), inbox)
}

impl Inbox {
    /// Every message so far, raw.
    pub fn raw(&self) -> Vec<Vec<u8>> {
        self.received.lock().unwrap().clone()
    }

    /// The messages to `address`, raw, in the order received.
    pub fn to(&self, address: &str) -> Vec<Vec<u8>> {
        self.raw()
            .into_iter()
            .filter(|raw| header(raw, "To").contains(address))
            .collect()
    }
}

pub fn parse(raw: &[u8]) -> Message<'_> {
    MessageParser::default().parse(raw).unwrap()
}

/// A header as mail readers show it (unfolded).
pub fn header(raw: &[u8], name: &str) -> String {
    let message = parse(raw);
    message
        .header_raw(name)
        .unwrap_or_default()
        .replace("\r\n ", " ")
        .replace("\r\n\t", " ")
        .trim()
        .to_owned()
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path_and_query: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Received {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

/// One scripted answer: status, headers, body.
type Answer = (u16, Vec<(String, String)>, String);

/// How the receiver answers: each request takes the next scripted answer; when none is left,
/// 200. A held receiver keeps each request waiting until released; a slow one takes `delay`
/// over every answer (a call a worker can be killed in the middle of).
#[derive(Default)]
struct Script {
    answers: VecDeque<Answer>,
    held: bool,
    delay: Duration,
}

#[derive(Clone)]
pub struct Receiver {
    pub base: String,
    requests: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<Script>>,
    released: Arc<Notify>,
    arrived: Arc<Notify>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let receiver = Receiver {
            base,
            requests: Arc::default(),
            script: Arc::default(),
            released: Arc::new(Notify::new()),
            arrived: Arc::new(Notify::new()),
        };
        let app = axum::Router::new()
            .fallback(receive)
            .with_state(receiver.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        receiver
    }

    /// The URL of `path` on this receiver.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    /// The next request gets `status` with `headers` and `body`.
    pub fn answer(&self, status: u16, headers: &[(&str, &str)], body: &str) {
        self.script.lock().unwrap().answers.push_back((
            status,
            headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body.to_owned(),
        ));
    }

    /// Requests wait for `release` before they are answered.
    pub fn hold(&self) {
        self.script.lock().unwrap().held = true;
    }

    /// Every answer takes `delay` from now on.
    #[allow(dead_code)] // for the fault tests (tests/faults), which include this file
    pub fn slow(&self, delay: Duration) {
        self.script.lock().unwrap().delay = delay;
    }

    /// Answers the requests waiting, and every later one at once.
    pub fn release(&self) {
        self.script.lock().unwrap().held = false;
        self.released.notify_waiters();
    }

    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().unwrap().clone()
    }

    /// The requests to paths starting with `prefix`.
    pub fn requests_to(&self, prefix: &str) -> Vec<Received> {
        self.requests()
            .into_iter()
            .filter(|r| r.path_and_query.starts_with(prefix))
            .collect()
    }

    /// Waits until `n` requests arrived in all (panics after `seconds`).
    pub async fn wait_for(&self, n: usize, seconds: u64) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let arrived = self.arrived.notified();
            let now = self.requests();
            if now.len() >= n {
                return now;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "waited {seconds} s for {n} requests, got {}",
                now.len()
            );
            let _ = tokio::time::timeout(left.min(Duration::from_millis(200)), arrived).await;
        }
    }
}

async fn receive(
    State(receiver): State<Receiver>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    receiver.requests.lock().unwrap().push(Received {
        path_and_query: uri
            .path_and_query()
            .map(ToString::to_string)
            .unwrap_or_default(),
        headers,
        body: body.to_vec(),
        at: Instant::now(),
    });
    receiver.arrived.notify_waiters();
    loop {
        let released = receiver.released.notified();
        if !receiver.script.lock().unwrap().held {
            break;
        }
        released.await;
    }
    let delay = receiver.script.lock().unwrap().delay;
    tokio::time::sleep(delay).await;
    let next = receiver.script.lock().unwrap().answers.pop_front();
    let (status, extra, body) = next.unwrap_or((200, Vec::new(), String::new()));
    let mut response = (StatusCode::from_u16(status).unwrap(), body).into_response();
    for (k, v) in extra {
        response.headers_mut().insert(
            axum::http::HeaderName::try_from(k).unwrap(),
            axum::http::HeaderValue::try_from(v).unwrap(),
        );
    }
    response
}
