//! The demo's webhook receiver: an endpoint on loopback that keeps what vendorwatch sent it,
//! with whether its Standard Webhooks signature checked out against the secret the
//! integration was given, and a page (refreshing itself) that shows it, newest first.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Html;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::net::TcpListener;
use vw_notify::webhook::{WebhookSecret, signature};

use super::escape;

/// Where vendorwatch posts.
const HOOK: &str = "/hook";

#[derive(Clone)]
pub struct Receiver {
    /// `http://127.0.0.1:<port>`: the page.
    base: String,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
    /// The integration's secret, once it has one.
    secret: Arc<Mutex<Option<WebhookSecret>>>,
}

/// One message as it arrived.
struct Arrival {
    at: DateTime<Utc>,
    signed: bool,
    kind: String,
    title: String,
    link: String,
    body: String,
}

impl Receiver {
    /// Starts the receiver on a free loopback port.
    pub async fn start() -> anyhow::Result<Receiver> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the webhook receiver")?;
        let receiver = Receiver {
            base: format!("http://{}", listener.local_addr()?),
            arrivals: Arc::default(),
            secret: Arc::default(),
        };
        let router = Router::new()
            .route("/", get(page))
            .route(HOOK, post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the webhook receiver stopped");
            }
        });
        Ok(receiver)
    }

    /// The page showing what arrived.
    pub fn page_url(&self) -> String {
        format!("{}/", self.base)
    }

    /// The URL to give vendorwatch's webhook integration.
    pub fn hook_url(&self) -> String {
        format!("{}{HOOK}", self.base)
    }

    /// Checks signatures against `secret` (`whsec_…`) from now on.
    pub fn trust(&self, secret: &str) -> anyhow::Result<()> {
        let secret = WebhookSecret::parse(secret).context("the webhook's secret")?;
        *self.secret.lock().unwrap_or_else(PoisonError::into_inner) = Some(secret);
        Ok(())
    }

    /// How many messages arrived so far.
    pub fn count(&self) -> usize {
        self.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether one of `header`'s signatures is the one `secret` makes of this message.
    fn signed(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let Some(secret) = self
            .secret
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        else {
            return false;
        };
        let Ok(timestamp) = header("webhook-timestamp").parse::<i64>() else {
            return false;
        };
        let expected = signature(&[secret], &header("webhook-id"), timestamp, body);
        header("webhook-signature")
            .split(' ')
            .any(|given| given == expected)
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signed = receiver.signed(&headers, &body);
    let json: Value = serde_json::from_slice(&body).unwrap_or_default();
    let data = &json["data"];
    let title = [
        &data["incident"]["title"],
        &data["maintenance"]["title"],
        &data["message"],
    ]
    .into_iter()
    .find_map(Value::as_str)
    .unwrap_or_default()
    .to_owned();
    let arrival = Arrival {
        at: Utc::now(),
        signed,
        kind: json["type"].as_str().unwrap_or("?").to_owned(),
        title,
        link: data["url"].as_str().unwrap_or_default().to_owned(),
        body: serde_json::to_string_pretty(&json)
            .unwrap_or_else(|_| String::from_utf8_lossy(&body).into_owned()),
    };
    tracing::info!(kind = %arrival.kind, signed, "the demo's receiver got a webhook");
    receiver
        .arrivals
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(arrival);
    StatusCode::NO_CONTENT
}

async fn page(State(receiver): State<Receiver>) -> Html<String> {
    let arrivals = receiver
        .arrivals
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let mut html = format!(
        "<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=5>\
         <title>Webhooks received (vendorwatch demo)</title>\
         <style>body{{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}\
         details{{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:.5rem 0}}\
         .ok{{color:#16794c}}.bad{{color:#b42318}}pre{{overflow:auto;background:#f6f6f6;padding:.5rem}}</style>\
         <h1>Webhooks received</h1><p>What vendorwatch posted to <code>{}</code>, newest first \
         (this page refreshes itself every 5 seconds). {} so far.</p>",
        escape(&receiver.hook_url()),
        arrivals.len()
    );
    if arrivals.is_empty() {
        html.push_str("<p id=none>Nothing yet: the demo vendor's first incident opens about half a minute after the start.</p>");
    }
    for a in arrivals.iter().rev() {
        let (class, verdict) = if a.signed {
            ("ok", "signature verified")
        } else {
            ("bad", "signature NOT verified")
        };
        let _ = write!(
            html,
            "<details class=arrival><summary><strong>{}</strong> {} · <time>{}</time> · \
             <span class={class}>{verdict}</span>{}</summary><pre>{}</pre></details>",
            escape(&a.kind),
            escape(&a.title),
            a.at.format("%H:%M:%S UTC"),
            if a.link.is_empty() {
                String::new()
            } else {
                format!(" · <a href=\"{0}\">{0}</a>", escape(&a.link))
            },
            escape(&a.body),
        );
    }
    Html(html)
}
