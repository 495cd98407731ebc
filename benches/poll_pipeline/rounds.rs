//! One round: make every provider due at once, wait until each has been polled, and take the
//! figures. The round's wall time is the database's: from just before the providers were made
//! due to the last poll's write, so the bench's own watching cadence does not blur it.

use std::time::Duration;

use anyhow::bail;
use chrono::{DateTime, Utc};

use crate::database::{self, BenchDb};
use crate::usage;
use crate::vendor_process::VendorProcess;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// The first read of every page: all documents fetched, parsed and written in full.
    Baseline,
    /// Every document answers 304.
    NotModified,
    /// Every document has a new version with one component's status flipped.
    Changed,
}

impl Path {
    pub fn name(self) -> &'static str {
        match self {
            Path::Baseline => "baseline (first read)",
            Path::NotModified => "304 path",
            Path::Changed => "changed path",
        }
    }
}

/// What one round measured.
#[derive(Debug, Clone, Copy)]
pub struct Round {
    pub polls: u64,
    /// Rows of the poll queue (`apalis.jobs`) when the round began, finished jobs included:
    /// apalis keeps them, and its acknowledgement of each finished job scans them.
    pub queue_rows: u64,
    pub wall_seconds: f64,
    /// The fake vendor's answers during the round.
    pub fresh: u64,
    pub not_modified: u64,
    /// Polls that wrote a changed state, and events written.
    pub changed_polls: u64,
    pub events: u64,
    /// CPU seconds (user + system) over the round.
    pub worker_cpu: f64,
    pub server_cpu: f64,
    pub postgres_cpu: Option<f64>,
    pub machine_cpu: f64,
}

/// Give up on a round after this long: something is stuck.
const ROUND_LIMIT: Duration = Duration::from_secs(30 * 60);

struct Sample {
    worker: f64,
    server: f64,
    fresh: u64,
    not_modified: u64,
    postgres: Option<f64>,
    machine: f64,
}

async fn sample(db: &BenchDb, vendor: &VendorProcess) -> anyhow::Result<Sample> {
    let server = vendor.usage().await?;
    Ok(Sample {
        worker: usage::own_cpu_seconds()?,
        server: server.cpu_seconds,
        fresh: server.fresh,
        not_modified: server.not_modified,
        postgres: db.postmaster.map(usage::cluster_cpu_seconds).transpose()?,
        machine: usage::machine_busy_seconds()?,
    })
}

pub async fn run(
    db: &BenchDb,
    vendor: &mut VendorProcess,
    sites: u64,
    path: Path,
) -> anyhow::Result<Round> {
    match path {
        Path::Baseline => database::forget_history(&db.probe).await?,
        Path::NotModified => {}
        Path::Changed => vendor.next_version().await?,
    }
    let queue_rows = database::poll_jobs(&db.probe).await?;
    let before = sample(db, vendor).await?;
    let started: DateTime<Utc> = sqlx::query_scalar("SELECT now()")
        .fetch_one(&db.probe)
        .await?;
    sqlx::query("UPDATE poll_state SET next_poll_at = now()")
        .execute(&db.probe)
        .await?;
    wait_for_every_poll(db, started, sites).await?;
    let after = sample(db, vendor).await?;

    let (last, changed_polls, events): (DateTime<Utc>, i64, i64) = sqlx::query_as(
        "SELECT (SELECT max(last_checked_at) FROM poll_state),
                (SELECT count(*) FROM poll_state WHERE last_changed_at >= $1),
                (SELECT count(*) FROM events WHERE detected_at >= $1)",
    )
    .bind(started)
    .fetch_one(&db.probe)
    .await?;
    Ok(Round {
        polls: sites,
        queue_rows,
        wall_seconds: (last - started).as_seconds_f64(),
        fresh: after.fresh - before.fresh,
        not_modified: after.not_modified - before.not_modified,
        changed_polls: u64::try_from(changed_polls)?,
        events: u64::try_from(events)?,
        worker_cpu: after.worker - before.worker,
        server_cpu: after.server - before.server,
        postgres_cpu: after.postgres.zip(before.postgres).map(|(a, b)| a - b),
        machine_cpu: after.machine - before.machine,
    })
}

/// Waits until every provider's `last_checked_at` is past `started`; fails at the first failed
/// poll (a failure does not move `last_checked_at`, so the round would never end).
async fn wait_for_every_poll(
    db: &BenchDb,
    started: DateTime<Utc>,
    sites: u64,
) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + ROUND_LIMIT;
    loop {
        // Coarse on purpose: each look is a scan of poll_state, on the database being measured.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (done, failing): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE last_checked_at >= $1),
                    count(*) FILTER (WHERE failures > 0)
             FROM poll_state",
        )
        .bind(started)
        .fetch_one(&db.probe)
        .await?;
        if failing > 0 {
            let (slug, error): (String, Option<String>) = sqlx::query_as(
                "SELECT p.slug, s.last_error FROM poll_state s JOIN providers p ON p.id = s.provider_id
                 WHERE s.failures > 0 LIMIT 1",
            )
            .fetch_one(&db.probe)
            .await?;
            bail!(
                "{failing} polls failed, e.g. {slug}: {}",
                error.unwrap_or_default()
            );
        }
        if u64::try_from(done)? >= sites {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            bail!("only {done} of {sites} providers were polled in {ROUND_LIMIT:?}");
        }
    }
}
