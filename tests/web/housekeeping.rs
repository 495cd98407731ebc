//! The hourly purge: expired sessions, invitations and kept mail go, live ones stay; and the worker pool
//! really runs it from its Postgres queue.

use std::time::Duration;

use reqwest::StatusCode;

use crate::app::App;
use crate::invitations::invite;

async fn count(app: &App, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Two sessions (one then expired) and two invitations (one then expired).
async fn expire_some(app: &App) {
    let ada = app.member("ada@example.com", "Acme").await;
    app.member("bob@example.com", "Bob Co").await;
    invite(&ada, "carol@example.com", "member").await;
    invite(&ada, "dan@example.com", "member").await;
    sqlx::query(
        "UPDATE sessions SET expires_at = now() - interval '1 hour'
         WHERE user_id = (SELECT id FROM users WHERE email = 'bob@example.com')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE invitations SET expires_at = now() - interval '1 hour' WHERE email = 'dan@example.com'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(ada.get("/dashboard").await.status, StatusCode::OK);
}

/// A finished job `hours` old, as the queue leaves them.
async fn finished_job(app: &App, id: &str, status: &str, hours: i32) {
    sqlx::query(
        "INSERT INTO apalis.jobs (id, job_type, job, status, attempts, max_attempts, run_at, done_at)
         VALUES ($1, 'poll', '\\x7b7d', $2, 1, 1, now() - make_interval(hours => $3),
                 now() - make_interval(hours => $3))",
    )
    .bind(id)
    .bind(status)
    .bind(hours)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn purge_removes_only_what_expired() {
    let app = App::start().await;
    expire_some(&app).await;
    finished_job(&app, "old-done", "Done", 2).await;
    finished_job(&app, "old-killed", "Killed", 2).await;
    finished_job(&app, "recent-done", "Done", 0).await;
    sqlx::query(
        "INSERT INTO signup_attempts (ip, attempted_at)
         VALUES ('192.0.2.1', now() - interval '25 hours')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    for (subject, days) in [("kept", 6), ("gone", 8)] {
        let id = vw_store::logged_mail::insert(&app.db.pool, "ops@example.com", subject, "…")
            .await
            .unwrap();
        sqlx::query(
            "UPDATE logged_mail SET created_at = now() - make_interval(days => $2) WHERE id = $1",
        )
        .bind(id)
        .bind(days)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    let purged = vw_jobs::housekeeping::purge_expired(&app.db.pool)
        .await
        .unwrap();
    assert_eq!((purged.sessions, purged.invitations), (1, 1));
    assert_eq!(purged.logged_mail, 1, "kept mail stays a week");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM logged_mail WHERE subject = 'kept'"
        )
        .await,
        1
    );
    assert_eq!(
        purged.signup_attempts, 1,
        "the two sign-ups of the hour stay"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM signup_attempts").await, 2);
    assert_eq!(purged.jobs, 2, "finished jobs are kept an hour");
    assert_eq!(count(&app, "SELECT count(*) FROM apalis.jobs").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM sessions").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM invitations WHERE email = 'carol@example.com'"
        )
        .await,
        1
    );
    let again = vw_jobs::housekeeping::purge_expired(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        (again.sessions, again.invitations),
        (0, 0),
        "a second run finds nothing"
    );
}

#[tokio::test]
async fn the_worker_pool_runs_the_purge_from_its_queue_and_stops_on_request() {
    let app = App::start().await;
    vw_jobs::migrate(&app.db.pool).await.unwrap();
    expire_some(&app).await;
    let mut config =
        vw_jobs::WorkerConfig::new("test", crate::support::pipeline::workers::deliveries());
    config.housekeeping_schedule = "* * * * * *".parse().unwrap();
    config.shutdown_timeout = Duration::from_secs(5);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let pool = app.db.pool.clone();
    let workers = tokio::spawn(vw_jobs::run(pool, config, async {
        let _ = stopped.await;
    }));

    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while count(&app, "SELECT count(*) FROM sessions").await != 1 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the purge never ran"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The job's row is marked done just after its handler returns.
    while count(
        &app,
        "SELECT count(*) FROM apalis.jobs WHERE job_type = 'housekeeping' AND status = 'Done'",
    )
    .await
        == 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the purge job never finished"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let queued = count(
        &app,
        "SELECT count(DISTINCT idempotency_key) FROM apalis.jobs WHERE job_type = 'housekeeping'",
    )
    .await;
    let rows = count(
        &app,
        "SELECT count(*) FROM apalis.jobs WHERE job_type = 'housekeeping'",
    )
    .await;
    assert_eq!(queued, rows, "at most one purge per hour is queued");

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), workers)
        .await
        .expect("workers stop after shutdown")
        .unwrap()
        .unwrap();
}
