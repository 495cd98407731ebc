//! `vendorwatch worker` killed with SIGKILL at random points, 50 times in a row, while changes
//! flow through polling, fan-out and delivery; a new worker is started after each kill and the
//! next change is published at once, so that each kill finds the earlier changes at every
//! stage. Across all trials: no change lost or doubled as an event, no delivery lost or
//! doubled at the receiver (counted by webhook id). The kill points come from a seeded
//! generator: the seed is printed, and `VW_KILL_SEED=<seed>` replays the same points (the
//! service's own timing is the machine's).
//!
//! Targeted kills at the two moments that matter most for deliveries are in
//! `tests/alerts/crash.rs`, and inside a poll's transaction in `tests/polling/crash.rs`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::process::Service;
use crate::scene::Scene;
use crate::support::TestDb;
use crate::support::pipeline::wait_until;

const TRIALS: usize = 50;
const SITES: usize = 5;
/// A kill lands this long after its trial's change is published, at most: past the poll
/// (every second), the fan-out right after it and the delivery (the receiver takes 200 ms).
const LATEST_KILL_MS: u64 = 1500;

fn seed() -> u64 {
    match std::env::var("VW_KILL_SEED") {
        Ok(seed) => seed.trim().parse().expect("VW_KILL_SEED is a u64"),
        Err(_) => rand::random(),
    }
}

#[tokio::test]
async fn fifty_kills_at_random_points_lose_and_double_nothing() {
    let seed = seed();
    // Both streams: cargo shows stdout only for failing tests, and the seed is wanted then.
    println!("kill trials: seed {seed} (VW_KILL_SEED={seed} replays these kill points)");
    eprintln!("kill trials: seed {seed} (VW_KILL_SEED={seed} replays these kill points)");
    let mut rng = StdRng::seed_from_u64(seed);
    let started = Instant::now();

    let db = TestDb::fresh().await;
    db.end_sessions_of_dead_clients().await;
    let mut scene = Scene::new(&db.pool, SITES).await;
    scene.receiver.slow(Duration::from_millis(200));
    let log = |n: usize| format!("kill/{}-{n}", db.name);
    let mut worker = Service::worker(&db.url, &log(0), &[]);
    wait_until("every site's baseline", 60, || scene.baselines_done()).await;

    let mut phases: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut points = Vec::new();
    for trial in 0..TRIALS {
        let incident = scene.open_incident(trial % SITES);
        let after = rng.random_range(0..LATEST_KILL_MS);
        points.push(after);
        tokio::time::sleep(Duration::from_millis(after)).await;
        let phase = scene.tally().await.phase(&incident);
        *phases.entry(phase).or_default() += 1;
        worker.kill().await;
        worker = Service::worker(&db.url, &log(trial + 1), &[]);
    }
    println!("kill points (ms after each trial's change): {points:?}");
    println!("each trial's own change, when its worker was killed: {phases:?}");
    let trials_took = started.elapsed();

    let opened = scene.opened.clone();
    wait_until("every change delivered", 60, || async {
        scene.tally().await.settled(&opened)
    })
    .await;
    let settled_after = started.elapsed() - trials_took;
    // A duplicate on its way (a call cut by a kill, sent again) has time to land.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let tally = scene.tally().await;
    let resent = tally.assert_exact(&opened);
    let (_, clean) = worker.terminate(Duration::from_secs(30)).await;
    assert!(clean, "the last worker stops cleanly");
    println!(
        "{TRIALS} kills, {} changes: {} events, {} deliveries, {} webhook ids at the receiver \
         ({resent} requests repeated an id: calls cut by a kill, sent again); trials {:.0} s, \
         all settled {:.0} s after the last kill",
        opened.len(),
        tally.event_of.len(),
        tally.deliveries.len(),
        tally.received.len(),
        trials_took.as_secs_f64(),
        settled_after.as_secs_f64()
    );
}
