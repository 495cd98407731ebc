//! The webhook receiver the bench's workspaces alert: keeps the event id of every alert and
//! when it arrived, so that event → webhook latency is measured at the receiving end.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use chrono::{DateTime, Utc};

type Arrivals = Arc<Mutex<Vec<(String, DateTime<Utc>)>>>;

pub struct Receiver {
    pub base: String,
    arrivals: Arrivals,
}

impl Receiver {
    pub async fn start() -> anyhow::Result<Receiver> {
        let arrivals: Arrivals = Arc::default();
        let app = Router::new().fallback(receive).with_state(arrivals.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(Receiver { base, arrivals })
    }

    /// (event id, arrival) of every alert so far.
    pub fn arrivals(&self) -> Vec<(String, DateTime<Utc>)> {
        self.arrivals.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

async fn receive(State(arrivals): State<Arrivals>, body: Bytes) -> &'static str {
    let at = Utc::now();
    let event = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["data"]["event_id"].as_str().map(str::to_owned))
        .unwrap_or_default();
    if let Ok(mut arrivals) = arrivals.lock() {
        arrivals.push((event, at));
    }
    "ok"
}
