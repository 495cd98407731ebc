//! Who is polled how often: watched providers at the short interval, the rest at the idle one;
//! and never two polls of one provider at once, however many workers run.

use std::time::Duration;

use vw_domain::ProviderId;

use crate::support::pipeline::Vendor;
use crate::support::pipeline::{StatuspageSite, Workers, add_provider, config, wait_until};
use crate::support::{TestDb, pipeline, seed};

const SUMMARY: &str = "api/v2/summary.json";

/// A workspace of its own starts watching `provider`.
async fn watch(db: &TestDb, provider: ProviderId) {
    let (_, workspace) = seed::workspace(&db.pool, "ops@example.com", "Acme").await;
    vw_app::monitors::add(&db.pool, workspace, provider)
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
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    for (n, vendor) in vendors.iter().enumerate() {
        // Six pages, not one page at six addresses (which would be polled once for all).
        site.summary["page"]["id"] = serde_json::json!(format!("page-{n}"));
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

/// Moves a provider's next poll out to `minutes` from now, as a catalog import spread over
/// the idle interval may have placed it.
async fn due_in(db: &TestDb, provider: ProviderId, minutes: i64) {
    sqlx::query(
        "UPDATE poll_state SET next_poll_at = now() + make_interval(mins => $2::int)
         WHERE provider_id = $1",
    )
    .bind(provider.0)
    .bind(minutes)
    .execute(&db.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_worker_started_with_a_shorter_idle_interval_pulls_in_later_due_times() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    StatuspageSite::from_fixture("github-summary-major-2026-07-24.json").publish(&vendor);
    // Imported as the catalog is: the first poll lies somewhere in the next 30 minutes.
    let entries = serde_json::json!([{"slug": "vendor", "name": "Vendor", "homepage": null,
                                      "status_url": vendor.base, "platform": "statuspage"}]);
    vw_app::catalog::import(
        &db.pool,
        &entries.to_string(),
        vendorwatch::catalog::SPREAD,
        &mut |_, _| {},
    )
    .await
    .unwrap();
    let provider = vw_store::directory::provider_by_slug(&db.pool, "vendor")
        .await
        .unwrap()
        .id;
    due_in(&db, provider, 25).await;

    let mut config = config(Duration::from_secs(3600));
    config.poll.idle_interval = Duration::from_secs(1);
    let workers = Workers::start(&db, config);
    wait_until("the first poll, within seconds of start-up", 15, || async {
        !vendor.answers(SUMMARY).is_empty()
    })
    .await;
    workers.stop().await;
}

#[tokio::test]
async fn a_provider_a_monitor_starts_watching_is_polled_at_once() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    StatuspageSite::from_fixture("github-summary-major-2026-07-24.json").publish(&vendor);
    let provider = add_provider(&db, "vendor", &vendor.base, Some("statuspage")).await;
    due_in(&db, provider, 25).await;
    let pipeline = pipeline::pipeline(&db);

    assert!(
        pipeline.poll_due().await.unwrap().is_empty(),
        "not due for 25 minutes"
    );
    watch(&db, provider).await;
    assert_eq!(
        pipeline.poll_due().await.unwrap().len(),
        1,
        "polled as soon as it is watched"
    );
    assert_eq!(vendor.answers(SUMMARY).len(), 1);
}

#[tokio::test]
async fn the_pipeline_helper_steps_through_a_backoff_of_minutes_without_waiting() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    vendor.publish_with(
        SUMMARY,
        reqwest::StatusCode::SERVICE_UNAVAILABLE,
        b"down".to_vec(),
        Vec::new(),
    );
    add_provider(&db, "vendor", &vendor.base, Some("statuspage")).await;
    let pipeline = pipeline::pipeline(&db);
    let clock = pipeline.clock().clone();

    assert_eq!(
        pipeline.poll_due().await.unwrap().len(),
        1,
        "the first poll fails"
    );
    // The first failure waits one interval (60 s here) ± 25 %: not yet after 40 s…
    clock.advance(chrono::TimeDelta::seconds(40));
    assert!(pipeline.poll_due().await.unwrap().is_empty());
    // …and the second waits two: due by 40 + 80 s at the latest.
    clock.advance(chrono::TimeDelta::seconds(40));
    assert_eq!(
        pipeline.poll_due().await.unwrap().len(),
        1,
        "retried after the backoff"
    );
    clock.advance(chrono::TimeDelta::seconds(85));
    assert!(
        pipeline.poll_due().await.unwrap().is_empty(),
        "the second failure waits longer"
    );
    clock.advance(chrono::TimeDelta::seconds(80));
    assert_eq!(pipeline.poll_due().await.unwrap().len(), 1);
    assert_eq!(
        vendor.answers(SUMMARY).len(),
        3,
        "three polls in 245 s of clock time"
    );
}
