//! Who is polled how often: watched providers at the short interval, the rest at the idle one;
//! and never two polls of one provider at once, however many workers run.

use std::time::Duration;

use uuid::Uuid;

use crate::support::TestDb;
use crate::vendor::Vendor;
use crate::workers::{StatuspageSite, Workers, add_provider, config, wait_until};

const SUMMARY: &str = "api/v2/summary.json";

async fn watch(db: &TestDb, provider: Uuid) {
    let workspace = Uuid::now_v7();
    sqlx::query("INSERT INTO workspaces (id, name, plan_id) VALUES ($1, 'Acme', 'free')")
        .bind(workspace)
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO monitors (id, workspace_id, provider_id) VALUES ($1, $2, $3)")
        .bind(Uuid::now_v7())
        .bind(workspace)
        .bind(provider)
        .execute(&db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn watched_providers_poll_at_the_short_interval_and_the_rest_at_the_idle_one() {
    let db = TestDb::fresh().await;
    let watched_vendor = Vendor::start().await;
    let idle_vendor = Vendor::start().await;
    let site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    site.publish(&watched_vendor);
    site.publish(&idle_vendor);
    let watched = add_provider(&db, "watched", &watched_vendor.base, Some("statuspage")).await;
    add_provider(&db, "idle", &idle_vendor.base, Some("statuspage")).await;
    watch(&db, watched).await;

    let mut config = config(Duration::from_secs(3600));
    config.poll.interval = Duration::from_secs(1);
    config.poll.idle_interval = Duration::from_secs(3600);
    let workers = Workers::start(&db, config);
    wait_until("four polls of the watched provider", 30, || async {
        watched_vendor.answers(SUMMARY).len() >= 4
    })
    .await;
    workers.stop().await;
    assert_eq!(
        idle_vendor.answers(SUMMARY).len(),
        1,
        "the idle one waits its hour"
    );
}

#[tokio::test]
async fn two_worker_pools_never_poll_one_provider_at_once() {
    let db = TestDb::fresh().await;
    let vendors = vendors(6).await;
    let site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    for (n, vendor) in vendors.iter().enumerate() {
        site.publish(vendor);
        // Slow answers widen the window in which a second poll could overlap the first.
        vendor.slow_down(Duration::from_millis(300));
        add_provider(
            &db,
            &format!("vendor-{n}"),
            &vendor.base,
            Some("statuspage"),
        )
        .await;
    }
    let a = Workers::start(&db, config(Duration::from_secs(3600)));
    let b = Workers::start(&db, config(Duration::from_secs(3600)));
    wait_until("five polls of every provider", 60, || async {
        vendors.iter().all(|v| v.answers(SUMMARY).len() >= 5)
    })
    .await;
    a.stop().await;
    b.stop().await;
    for vendor in &vendors {
        assert_eq!(
            vendor.max_in_flight(SUMMARY),
            1,
            "one poll at a time per provider"
        );
    }
    let queued: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM apalis.jobs WHERE job_type = 'poll' AND status = 'Done'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let polls: usize = vendors.iter().map(|v| v.answers(SUMMARY).len()).sum();
    assert!(
        queued as usize >= polls,
        "every poll ran as a queued job ({queued} jobs, {polls} polls)"
    );
}

async fn vendors(n: usize) -> Vec<Vendor> {
    let mut vendors = Vec::with_capacity(n);
    for _ in 0..n {
        vendors.push(Vendor::start().await);
    }
    vendors
}
