//! A fake vendor: an HTTP server on 127.0.0.1 serving documents that the test changes as a
//! vendor would, with ETags and 304s as real status pages send them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

#[derive(Clone, Default)]
struct Site {
    documents: Arc<Mutex<HashMap<String, Document>>>,
    requests: Arc<Mutex<Vec<(String, u16)>>>,
    /// Requests being answered right now, and the most ever at once, per path.
    in_flight: Arc<Mutex<HashMap<String, (usize, usize)>>>,
    /// How long every answer takes.
    delay: Arc<Mutex<std::time::Duration>>,
}

#[derive(Clone)]
struct Document {
    status: StatusCode,
    body: Vec<u8>,
    etag: String,
    headers: Vec<(&'static str, String)>,
}

pub struct Vendor {
    pub base: String,
    site: Site,
    version: Mutex<u64>,
}

impl Vendor {
    pub async fn start() -> Vendor {
        let site = Site::default();
        let app = Router::new().fallback(serve).with_state(site.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Vendor {
            base,
            site,
            version: Mutex::new(0),
        }
    }

    /// Publishes `body` at `path` with a new ETag.
    pub fn publish(&self, path: &str, body: Vec<u8>) {
        self.publish_with(path, StatusCode::OK, body, Vec::new());
    }

    pub fn publish_json(&self, path: &str, body: &Value) {
        self.publish(path, serde_json::to_vec(body).unwrap());
    }

    pub fn publish_with(
        &self,
        path: &str,
        status: StatusCode,
        body: Vec<u8>,
        headers: Vec<(&'static str, String)>,
    ) {
        let mut version = self.version.lock().unwrap();
        *version += 1;
        let document = Document {
            status,
            body,
            etag: format!("\"v{version}\""),
            headers,
        };
        self.site
            .documents
            .lock()
            .unwrap()
            .insert(format!("/{}", path.trim_start_matches('/')), document);
    }

    /// Makes every answer take `delay`.
    pub fn slow_down(&self, delay: std::time::Duration) {
        *self.site.delay.lock().unwrap() = delay;
    }

    /// The most requests for `path` that were ever being answered at once.
    pub fn max_in_flight(&self, path: &str) -> usize {
        self.in_flight_counts(path).1
    }

    /// Requests for `path` being answered right now.
    pub fn in_flight(&self, path: &str) -> usize {
        self.in_flight_counts(path).0
    }

    /// (now, most ever) for `path`.
    fn in_flight_counts(&self, path: &str) -> (usize, usize) {
        let path = format!("/{}", path.trim_start_matches('/'));
        self.site
            .in_flight
            .lock()
            .unwrap()
            .get(&path)
            .copied()
            .unwrap_or_default()
    }

    /// Statuses answered so far to requests for `path`.
    pub fn answers(&self, path: &str) -> Vec<u16> {
        let path = format!("/{}", path.trim_start_matches('/'));
        self.site
            .requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| *p == path)
            .map(|(_, s)| *s)
            .collect()
    }
}

async fn serve(State(site): State<Site>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    {
        let mut in_flight = site.in_flight.lock().unwrap();
        let (now, max) = in_flight.entry(path.clone()).or_default();
        *now += 1;
        *max = (*max).max(*now);
    }
    let delay = *site.delay.lock().unwrap();
    tokio::time::sleep(delay).await;
    let document = site.documents.lock().unwrap().get(&path).cloned();
    let response = match document {
        None => StatusCode::NOT_FOUND.into_response(),
        Some(document) if matches(request.headers(), &document.etag) => {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            etag(&mut response, &document.etag);
            response
        }
        Some(document) => {
            let mut response = (document.status, document.body).into_response();
            etag(&mut response, &document.etag);
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            for (name, value) in document.headers {
                response
                    .headers_mut()
                    .insert(name, HeaderValue::from_str(&value).unwrap());
            }
            response
        }
    };
    if let Some((now, _)) = site.in_flight.lock().unwrap().get_mut(&path) {
        *now -= 1;
    }
    site.requests
        .lock()
        .unwrap()
        .push((path, response.status().as_u16()));
    response
}

fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
}

fn etag(response: &mut Response, etag: &str) {
    response
        .headers_mut()
        .insert(header::ETAG, HeaderValue::from_str(etag).unwrap());
}
