//! The pipeline run in-process, step by step, on an injected clock: the poll clock's claim,
//! then every poll it queued (and every queued detection of a page asked for by URL), each
//! run exactly as a worker would — with no
//! worker pool and no wall-clock waits. Tests and benchmarks drive it; moving the clock on
//! stands for any wait (a backoff of minutes, an interval of hours).

use std::sync::Arc;

use vw_store::PgPool;
use vw_store::queue::{self, DetectPage, Poll};

use crate::poll::{self, PollConfig, PollContext, Written};
use crate::{Clock, JobsError};

pub struct Pipeline {
    polls: Arc<PollContext>,
}

/// At most this many queued polls are taken per round trip.
const BATCH: i64 = 500;

impl Pipeline {
    pub fn new(db: PgPool, config: PollConfig, clock: Clock) -> Result<Self, JobsError> {
        Ok(Pipeline {
            polls: PollContext::new(db, config, clock)?,
        })
    }

    pub fn clock(&self) -> &Clock {
        &self.polls.clock
    }

    /// One tick of the poll clock (claim the due providers, queue their polls), then every
    /// queued poll, in order. Returns what each poll wrote.
    pub async fn poll_due(&self) -> Result<Vec<Written>, JobsError> {
        poll::scheduler::claim_and_queue(&self.polls).await?;
        let mut written = Vec::new();
        loop {
            let mut conn = self
                .polls
                .db
                .acquire()
                .await
                .map_err(vw_store::StoreError::from)?;
            let jobs = queue::take_due::<Poll>(&mut conn, self.polls.clock.now(), BATCH).await?;
            drop(conn);
            if jobs.is_empty() {
                return Ok(written);
            }
            for job in &jobs {
                written.push(poll::poll(&self.polls, job).await?);
            }
        }
    }

    /// Every queued detection of a page asked for by URL, each on its last attempt (a page
    /// that cannot be reached ends its request at once). Returns how many ran.
    pub async fn detect_requested(&self) -> Result<usize, JobsError> {
        let mut conn = self
            .polls
            .db
            .acquire()
            .await
            .map_err(vw_store::StoreError::from)?;
        let jobs = queue::take_due::<DetectPage>(&mut conn, self.polls.clock.now(), BATCH).await?;
        drop(conn);
        for job in &jobs {
            crate::detect::detect(&self.polls, job, true).await?;
        }
        Ok(jobs.len())
    }
}
