//! A worker process killed in the middle of a poll's transaction: nothing of that poll is
//! stored, and the next worker records the change exactly once.

use std::process::Stdio;

use serde_json::json;
use sqlx::{Connection, PgConnection};
use tokio::process::{Child, Command};

use crate::support::TestDb;
use crate::support::pipeline::Vendor;
use crate::support::pipeline::{
    StatuspageSite, add_provider, events, more_polls, polls_done, wait_until,
};

/// `vendorwatch worker` on the test database, polling every second, with a short lease so
/// that a dead worker's poll is taken over quickly.
fn worker(db: &TestDb) -> Child {
    Command::new(env!("CARGO_BIN_EXE_vendorwatch"))
        .arg("worker")
        .env("DATABASE_URL", &db.url)
        .env("VW_POLL_INTERVAL", "1s")
        .env("VW_IDLE_POLL_INTERVAL", "1s")
        .env("VW_POLL_LEASE", "3s")
        .env("VW_ALLOW_PRIVATE_TARGETS", "true")
        // This database lists its one test vendor, not the 1,909 real pages.
        .env("VW_IMPORT_SHIPPED_CATALOG", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

async fn count(db: &TestDb, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

#[tokio::test]
async fn a_worker_killed_inside_a_poll_transaction_loses_and_duplicates_nothing() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    let incident = site.summary["incidents"][0].clone();
    site.publish(&vendor);
    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;

    let mut first = worker(&db);
    wait_until("the baseline poll", 60, || async {
        polls_done(&db, provider).await.is_some()
    })
    .await;

    // Hold the outbox: the next poll's transaction writes the incident, then waits here.
    let mut blocker = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut blocker).await.unwrap();
    sqlx::query("LOCK TABLE events IN EXCLUSIVE MODE")
        .execute(&mut blocker)
        .await
        .unwrap();
    site.incidents = vec![incident];
    site.publish(&vendor);
    wait_until("a poll stuck inside its transaction", 30, || async {
        count(
            &db,
            "SELECT count(*) FROM pg_stat_activity
             WHERE application_name = 'vendorwatch-worker' AND wait_event_type = 'Lock'
               AND query LIKE 'INSERT INTO events%'",
        )
        .await
            == 1
    })
    .await;

    first.start_kill().unwrap();
    first.wait().await.unwrap();
    sqlx::query("COMMIT").execute(&mut blocker).await.unwrap();
    // Its connection is gone, so its transaction is rolled back: no incident, no event.
    wait_until("the killed worker's session to end", 30, || async {
        count(
            &db,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vendorwatch-worker'",
        )
        .await
            == 0
    })
    .await;
    assert_eq!(count(&db, "SELECT count(*) FROM incidents").await, 0);
    assert!(events(&db, provider).await.is_empty());

    // Once the dead poll's lease expires, another worker takes the provider over.
    let second = worker(&db);
    wait_until("the change recorded by the next worker", 60, || async {
        !events(&db, provider).await.is_empty()
    })
    .await;
    more_polls(&vendor, "api/v2/summary.json", 3).await;
    drop(second);

    let all = events(&db, provider).await;
    let kinds: Vec<&str> = all.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["incident_opened"],
        "exactly one event for the one change"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM incidents").await, 1);
    assert_eq!(all[0].body["to"], json!("investigating"));
}
