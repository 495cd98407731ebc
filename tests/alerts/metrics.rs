//! `/metrics` of a real `vendorwatch serve`, scraped before and after it polled a page into
//! an incident, delivered the alert (once refused, then accepted) and answered pages: every
//! family of series moves.

use std::collections::BTreeMap;
use std::process::Stdio;

use vw_app::secrets::Secrets;
use vw_notify::{ChannelKind, TargetRules};

use crate::fixture;
use crate::peers::Receiver;
use crate::support::pipeline::{StatuspageSite, Vendor, add_provider, polls_done, wait_until};
use crate::support::{TestDb, seed};

const KEY: &str = "1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

type Labels = BTreeMap<String, String>;

/// The scrape, as series name → (labels, value) of each series of that name.
struct Scrape(BTreeMap<String, Vec<(Labels, f64)>>);

impl Scrape {
    fn parse(text: &str) -> Scrape {
        let mut series: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (head, value) = line.rsplit_once(' ').unwrap();
            let (name, labels) = match head.split_once('{') {
                Some((name, rest)) => (name, rest.trim_end_matches('}')),
                None => (head, ""),
            };
            let labels = labels
                .split(',')
                .filter(|l| !l.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap();
                    (k.to_owned(), v.trim_matches('"').to_owned())
                })
                .collect();
            series
                .entry(name.to_owned())
                .or_default()
                .push((labels, value.parse().unwrap()));
        }
        Scrape(series)
    }

    /// The sum over the series `name` whose labels include `labels` (0 when there is none).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.0.get(name).map_or(0.0, |all| {
            all.iter()
                .filter(|(have, _)| {
                    labels
                        .iter()
                        .all(|(k, v)| have.get(*k).is_some_and(|h| h == v))
                })
                .map(|(_, v)| v)
                .sum()
        })
    }

    fn has(&self, name: &str, labels: &[(&str, &str)]) -> bool {
        self.0.get(name).is_some_and(|all| {
            all.iter().any(|(have, _)| {
                labels
                    .iter()
                    .all(|(k, v)| have.get(*k).is_some_and(|h| h == v))
            })
        })
    }
}

async fn scrape(client: &reqwest::Client, metrics: &str) -> Scrape {
    let response = client.get(metrics).send().await.unwrap();
    assert_eq!(response.status(), 200);
    Scrape::parse(&response.text().await.unwrap())
}

#[tokio::test]
async fn the_series_move_as_the_service_polls_delivers_and_serves() {
    let db = TestDb::fresh().await;
    vw_jobs::migrate(&db.pool).await.unwrap();
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    let incident = site.summary["incidents"][0].clone();
    site.publish(&vendor);
    let provider = add_provider(&db, "acme", &vendor.base, Some("statuspage")).await;
    let (_, workspace) = seed::workspace(&db.pool, "owner@acme.example", "Acme").await;
    fixture::watch(&db.pool, workspace, provider).await;
    let group = vw_store::groups::list(&db.pool, workspace).await.unwrap()[0].id;
    let receiver = Receiver::start().await;
    vw_app::channels::add_integration(
        &db.pool,
        &Secrets::from_hex(KEY).unwrap(),
        TargetRules::LOCAL,
        workspace,
        group,
        ChannelKind::Webhook,
        &receiver.url("hook"),
    )
    .await
    .unwrap();

    let (web_port, metrics_port) = (free_port(), free_port());
    let _service = tokio::process::Command::new(env!("CARGO_BIN_EXE_vendorwatch"))
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("VW_SECRET_KEY", KEY)
        .env("VW_LISTEN", format!("127.0.0.1:{web_port}"))
        .env("VW_METRICS_LISTEN", format!("127.0.0.1:{metrics_port}"))
        .env("VW_ALLOW_PRIVATE_TARGETS", "true")
        .env("VW_IMPORT_SHIPPED_CATALOG", "false")
        .env("VW_POLL_INTERVAL", "1s")
        .env("VW_IDLE_POLL_INTERVAL", "1s")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let metrics = format!("http://127.0.0.1:{metrics_port}/metrics");
    let web = format!("http://127.0.0.1:{web_port}");
    wait_until("the metrics listener", 30, || async {
        client.get(&metrics).send().await.is_ok()
    })
    .await;
    wait_until("the baseline poll", 30, || async {
        polls_done(&db, provider).await.is_some()
    })
    .await;
    let before = scrape(&client, &metrics).await;

    // An incident opens; its webhook is refused once, then accepted on the retry.
    receiver.answer(500, &[], "internal");
    site.incidents = vec![incident];
    site.publish(&vendor);
    receiver.wait_for(2, 60).await;
    wait_until("the delivery recorded", 30, || async {
        let states: Vec<String> = sqlx::query_scalar(
            "SELECT d.state FROM deliveries d JOIN channels c ON c.id = d.channel_id
             WHERE c.kind = 'webhook'",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        states == ["delivered"]
    })
    .await;
    for path in ["/login", "/providers", "/providers/acme", "/no-such-page"] {
        client.get(format!("{web}{path}")).send().await.unwrap();
    }
    // The backlog is sampled every five seconds.
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    let after = scrape(&client, &metrics).await;

    let moved = |name: &str, labels: &[(&str, &str)]| {
        let (was, is) = (before.value(name, labels), after.value(name, labels));
        assert!(is > was, "{name}{labels:?} moved: {was} → {is}");
    };
    moved(
        "vw_polls_total",
        &[("platform", "statuspage"), ("outcome", "changed")],
    );
    moved("vw_poll_lag_seconds_count", &[]);
    moved("vw_events_total", &[("kind", "incident_opened")]);
    moved(
        "vw_delivery_attempts_total",
        &[("kind", "webhook"), ("outcome", "retry")],
    );
    moved(
        "vw_delivery_attempts_total",
        &[("kind", "webhook"), ("outcome", "delivered")],
    );
    moved("vw_delivery_retries_total", &[("kind", "webhook")]);
    moved(
        "vw_deliveries_total",
        &[("kind", "webhook"), ("outcome", "delivered")],
    );
    assert_eq!(
        after.value(
            "vw_delivery_attempts_per_delivery_sum",
            &[("kind", "webhook")]
        ),
        2.0,
        "one delivery, two attempts"
    );
    for pool in ["web", "worker"] {
        moved("vw_db_query_duration_seconds_count", &[("pool", pool)]);
        moved("vw_db_pool_wait_seconds_count", &[("pool", pool)]);
    }
    for (route, status) in [
        ("/login", "200"),
        ("/providers", "200"),
        ("/providers/{slug}", "200"),
        ("unmatched", "404"),
    ] {
        moved(
            "vw_http_request_duration_seconds_count",
            &[("route", route), ("method", "GET"), ("status", status)],
        );
    }
    assert!(
        !after.has(
            "vw_http_request_duration_seconds_count",
            &[("route", "/providers/acme")]
        ),
        "routes are patterns, never paths"
    );
    for queue in ["poll", "deliver", "notice", "detect_page", "housekeeping"] {
        for gauge in [
            "vw_queue_due_jobs",
            "vw_queue_scheduled_jobs",
            "vw_queue_running_jobs",
            "vw_queue_oldest_due_seconds",
        ] {
            assert!(after.has(gauge, &[("queue", queue)]), "{gauge} of {queue}");
        }
    }
}
