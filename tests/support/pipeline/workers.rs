//! Running the real worker pool against a test database, and looking at what it wrote.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::Vendor;
use crate::support::TestDb;

pub struct Workers {
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<Result<(), vw_jobs::JobsError>>>,
}

/// Polls every second, may reach loopback vendors, and calls a page unreachable after
/// `unreachable_after`.
pub fn config(unreachable_after: Duration) -> vw_jobs::WorkerConfig {
    let mut config =
        vw_jobs::WorkerConfig::new(format!("test-{}", Uuid::new_v4().simple()), deliveries());
    config.shutdown_timeout = Duration::from_secs(5);
    config.poll.interval = Duration::from_secs(1);
    config.poll.idle_interval = Duration::from_secs(1);
    config.poll.unreachable_after = unreachable_after;
    config.poll.fetch.allow_private_targets = true;
    config
}

/// Alerts with links to a site on loopback, to receivers on loopback, e-mail kept (no SMTP).
pub fn deliveries() -> vw_jobs::deliver::DeliveryConfig {
    let mut config = vw_jobs::deliver::DeliveryConfig::new(
        url::Url::parse("http://127.0.0.1:3000").unwrap(),
        vw_app::secrets::Secrets::random(),
    );
    config.allow_private_targets = true;
    config
}

impl Workers {
    pub fn start(db: &TestDb, config: vw_jobs::WorkerConfig) -> Workers {
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(vw_jobs::run(db.pool.clone(), config, async {
            let _ = stopped.await;
        }));
        Workers {
            stop: Some(stop),
            done: Some(done),
        }
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            tokio::time::timeout(Duration::from_secs(20), done)
                .await
                .expect("workers stop")
                .unwrap()
                .unwrap();
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A provider due now, as the catalog would add it (named after its slug).
pub async fn add_provider(
    db: &TestDb,
    slug: &str,
    url: &str,
    platform: Option<&str>,
) -> vw_domain::ProviderId {
    let platform = platform.map(|p| p.parse().unwrap());
    crate::support::seed::provider_at(&db.pool, slug, slug, url, platform).await
}

#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub kind: String,
    pub body: Value,
    pub detected_at: DateTime<Utc>,
    pub incident_id: Option<Uuid>,
}

pub async fn events(db: &TestDb, provider: vw_domain::ProviderId) -> Vec<StoredEvent> {
    let rows: Vec<(String, Value, DateTime<Utc>, Option<Uuid>)> = sqlx::query_as(
        "SELECT kind, body, detected_at, incident_id FROM events
         WHERE provider_id = $1 ORDER BY id",
    )
    .bind(provider.0)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(kind, body, detected_at, incident_id)| StoredEvent {
            kind,
            body,
            detected_at,
            incident_id,
        })
        .collect()
}

pub async fn kinds(db: &TestDb, provider: vw_domain::ProviderId) -> Vec<String> {
    events(db, provider)
        .await
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

/// Waits until `check` holds, polling it; panics after `seconds` with `what`.
pub async fn wait_until<F, Fut>(what: &str, seconds: u64, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn polls_done(db: &TestDb, provider: vw_domain::ProviderId) -> Option<DateTime<Utc>> {
    sqlx::query_scalar("SELECT last_checked_at FROM poll_state WHERE provider_id = $1")
        .bind(provider.0)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// Waits for `n` more completed polls of `provider` (read or failed alike).
pub async fn more_polls(vendor: &Vendor, path: &str, n: usize) {
    let before = vendor.answers(path).len();
    wait_until(&format!("{n} more polls"), 30, || async {
        vendor.answers(path).len() >= before + n
    })
    .await;
    // The last of them may still be writing.
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// A Statuspage site made of a real summary fixture: its page and components, with the
/// incidents the test publishes.
pub struct StatuspageSite {
    pub summary: Value,
    pub incidents: Vec<Value>,
}

impl StatuspageSite {
    pub fn from_fixture(name: &str) -> StatuspageSite {
        let path = format!(
            "{}/tests/fixtures/atlassian-statuspage/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let summary: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        StatuspageSite {
            summary,
            incidents: Vec::new(),
        }
    }

    /// Serves the three documents a poll reads: the summary lists only unresolved incidents,
    /// as Statuspage's does; incidents.json lists them all.
    pub fn publish(&self, vendor: &Vendor) {
        let mut summary = self.summary.clone();
        summary["incidents"] = Value::Array(
            self.incidents
                .iter()
                .filter(|i| !matches!(i["status"].as_str(), Some("resolved" | "postmortem")))
                .cloned()
                .collect(),
        );
        summary["scheduled_maintenances"] = json!([]);
        let page = self.summary["page"].clone();
        vendor.publish_json("api/v2/summary.json", &summary);
        vendor.publish_json(
            "api/v2/incidents.json",
            &json!({"page": page, "incidents": self.incidents}),
        );
        vendor.publish_json(
            "api/v2/scheduled-maintenances.json",
            &json!({"page": page, "scheduled_maintenances": []}),
        );
    }
}
