//! SIGTERM to a worker with a poll and a delivery in flight (a slow vendor, a slow receiver):
//! it takes no new work, lets both finish, and exits well within its shutdown timeout; the
//! rows show nothing half-done (no delivery left `sending`, no poll lease held, no job locked
//! by the process that is gone), so that the next worker carries on at once, long leases
//! notwithstanding.

use std::time::Duration;

use crate::process::Service;
use crate::scene::Scene;
use crate::support::TestDb;
use crate::support::pipeline::wait_until;

async fn count(db: &TestDb, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

#[tokio::test]
async fn sigterm_lets_work_in_flight_finish_and_leaves_nothing_half_done() {
    let db = TestDb::fresh().await;
    let mut scene = Scene::new(&db.pool, 2).await;
    // Long leases: anything the stopped worker left behind would hold up the next one.
    let long = [("VW_POLL_LEASE", "5m"), ("VW_DELIVERY_LEASE", "5m")];
    let worker = Service::worker(&db.url, &format!("shutdown/{}-0", db.name), &long);
    wait_until("every site's baseline", 60, || scene.baselines_done()).await;

    scene.receiver.slow(Duration::from_secs(3));
    let delivered = scene.open_incident(0);
    scene.receiver.wait_for(1, 30).await;
    let summary = "api/v2/summary.json";
    scene.sites[1].vendor.slow_down(Duration::from_secs(3));
    wait_until("a poll in flight", 30, || async {
        scene.sites[1].vendor.in_flight(summary) > 0
    })
    .await;
    let polls_before = scene.sites[1].vendor.answers(summary).len();

    let (took, clean) = worker.terminate(Duration::from_secs(40)).await;
    assert!(clean, "exits with success");
    assert!(
        took < Duration::from_secs(10),
        "work in flight finished, nothing waited for the 30 s shutdown timeout: {took:?}"
    );
    assert!(
        scene.sites[1].vendor.answers(summary).len() > polls_before,
        "the poll in flight was answered before the worker went"
    );
    assert_eq!(
        scene.tally().await.phase(&delivered),
        "done",
        "the delivery in flight was recorded"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM deliveries WHERE state = 'sending'"
        )
        .await,
        0,
        "no attempt left half-done"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM poll_state WHERE lease_until > now()"
        )
        .await,
        0,
        "no poll lease held by a worker that is gone"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM apalis.jobs WHERE status IN ('Queued', 'Running')"
        )
        .await,
        0,
        "no job locked by a worker that is gone"
    );

    // The next worker carries on at once: a change published now arrives, once.
    scene.sites[1].vendor.slow_down(Duration::ZERO);
    scene.receiver.slow(Duration::ZERO);
    scene.open_incident(1);
    let next = Service::worker(&db.url, &format!("shutdown/{}-1", db.name), &long);
    let opened = scene.opened.clone();
    wait_until("the next change delivered", 30, || async {
        scene.tally().await.settled(&opened)
    })
    .await;
    scene.tally().await.assert_exact(&opened);
    println!("SIGTERM with a poll and a delivery in flight: exited after {took:?}");
    next.terminate(Duration::from_secs(40)).await;
}
