//! A real worker process (`vendorwatch worker`) killed with SIGKILL in the middle of a
//! delivery. Killed after the outcome was recorded but before its job was acknowledged, the
//! job that runs again sends nothing; killed while the receiver had the request but had not
//! answered, the delivery is tried again once its attempt is presumed dead, with the same
//! webhook id, so that the receiver's de-duplication leaves one alert.

use std::process::Stdio;
use std::time::Duration;

use sqlx::{Connection, PgConnection};
use tokio::process::{Child, Command};
use vw_app::secrets::Secrets;
use vw_notify::{ChannelKind, TargetRules};

use crate::fixture;
use crate::peers::Receiver;
use crate::support::TestDb;
use crate::support::pipeline::wait_until;

const KEY: &str = "4f1c3b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a";

fn worker(db: &TestDb) -> Child {
    Command::new(env!("CARGO_BIN_EXE_vendorwatch"))
        .arg("worker")
        .env("DATABASE_URL", &db.url)
        .env("VW_SECRET_KEY", KEY)
        .env("VW_BASE_URL", "http://127.0.0.1:3000")
        .env("VW_ALLOW_PRIVATE_TARGETS", "true")
        .env("VW_IMPORT_SHIPPED_CATALOG", "false")
        .env("VW_POLL_INTERVAL", "24h")
        .env("VW_IDLE_POLL_INTERVAL", "24h")
        .env("VW_DELIVERY_LEASE", "2s")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

async fn scalar(db: &TestDb, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

async fn state(db: &TestDb) -> String {
    sqlx::query_scalar("SELECT state FROM deliveries")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// A watched provider whose only channel is a webhook to `receiver`, and its incident's
/// "opened" event written.
async fn one_alert_to(db: &TestDb, receiver: &Receiver) {
    let w = fixture::watched(&db.pool, "acme", "owner@acme.example").await;
    vw_store::channels::delete(&db.pool, w.workspace, w.owner_channel)
        .await
        .unwrap();
    sqlx::query("UPDATE poll_state SET next_poll_at = now() + interval '1 day'")
        .execute(&db.pool)
        .await
        .unwrap();
    vw_app::channels::add_integration(
        &db.pool,
        &Secrets::from_hex(KEY).unwrap(),
        TargetRules::LOCAL,
        w.workspace,
        w.default_group,
        ChannelKind::Webhook,
        &receiver.url("hook"),
    )
    .await
    .unwrap();
    let incident = fixture::incident(&db.pool, w.provider, "inc-1").await;
    fixture::event(
        &db.pool,
        w.provider,
        Some(incident),
        &vw_domain::Event::IncidentOpened(fixture::incident_change(vw_domain::Impact::Major, &[])),
        chrono::Utc::now(),
    )
    .await;
}

async fn killed(db: &TestDb, mut child: Child) {
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    wait_until("the killed worker's sessions to end", 30, || async {
        scalar(
            db,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vendorwatch-worker'
               AND datname = current_database()",
        )
        .await
            == 0
    })
    .await;
}

#[tokio::test]
async fn killed_after_recording_the_outcome_the_job_run_again_sends_nothing() {
    let db = TestDb::fresh().await;
    vw_jobs::migrate(&db.pool).await.unwrap();
    // Else a killed worker's session would go on (and acknowledge its job) once a lock
    // it waits on is released.
    db.end_sessions_of_dead_clients().await;
    let receiver = Receiver::start().await;
    receiver.hold();
    one_alert_to(&db, &receiver).await;
    let first = worker(&db);
    receiver.wait_for(1, 60).await;

    // Hold the job's row: the outcome is recorded, the acknowledgement waits here.
    let mut blocker = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut blocker).await.unwrap();
    let locked: i64 = sqlx::query_scalar(
        "WITH held AS (SELECT id FROM apalis.jobs WHERE job_type = 'deliver' FOR UPDATE)
         SELECT count(*) FROM held",
    )
    .fetch_one(&mut blocker)
    .await
    .unwrap();
    assert_eq!(locked, 1);
    receiver.release();
    wait_until("the outcome recorded", 30, || async {
        state(&db).await == "delivered"
    })
    .await;
    wait_until(
        "the acknowledgement waiting on the job's row",
        30,
        || async {
            scalar(
                &db,
                "SELECT count(*) FROM pg_stat_activity
             WHERE application_name = 'vendorwatch-worker' AND wait_event_type = 'Lock'
               AND datname = current_database()
               AND query ILIKE '%apalis.jobs%'",
            )
            .await
                >= 1
        },
    )
    .await;
    killed(&db, first).await;
    sqlx::query("COMMIT").execute(&mut blocker).await.unwrap();
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM apalis.jobs WHERE job_type = 'deliver' AND status = 'Running'"
        )
        .await,
        1,
        "never acknowledged"
    );

    // What apalis does for a dead worker's job once its heartbeat is overdue: queue it again.
    sqlx::query(
        "UPDATE apalis.jobs SET status = 'Pending', lock_by = NULL, lock_at = NULL,
                                attempts = attempts + 1
         WHERE job_type = 'deliver' AND status = 'Running'",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let second = worker(&db);
    wait_until("the job run again to its end", 60, || async {
        scalar(
            &db,
            "SELECT count(*) FROM apalis.jobs WHERE job_type = 'deliver' AND status = 'Done'",
        )
        .await
            == 1
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    drop(second);
    assert_eq!(
        receiver.requests().len(),
        1,
        "the alert arrived exactly once"
    );
    assert_eq!(state(&db).await, "delivered");
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM delivery_attempts").await,
        1
    );
}

#[tokio::test]
async fn killed_during_the_call_the_delivery_is_tried_again_under_the_same_id() {
    let db = TestDb::fresh().await;
    vw_jobs::migrate(&db.pool).await.unwrap();
    let receiver = Receiver::start().await;
    receiver.hold();
    one_alert_to(&db, &receiver).await;
    let first = worker(&db);
    receiver.wait_for(1, 60).await;
    assert_eq!(state(&db).await, "sending");
    killed(&db, first).await;
    receiver.release();

    let second = worker(&db);
    let got = receiver.wait_for(2, 60).await;
    wait_until("the retry recorded", 30, || async {
        state(&db).await == "delivered"
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    drop(second);
    let got_after = receiver.requests();
    assert_eq!(got_after.len(), 2);
    let ids: std::collections::HashSet<String> =
        got.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(ids.len(), 1, "one webhook id: the receiver keeps one alert");
    let attempts: Vec<(i32, String)> =
        sqlx::query_as("SELECT attempt, outcome FROM delivery_attempts ORDER BY attempt")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        attempts,
        [(1, "retry".to_owned()), (2, "delivered".to_owned())],
        "the lost attempt is logged as one whose outcome is unknown"
    );
}
