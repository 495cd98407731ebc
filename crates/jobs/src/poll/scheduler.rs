//! The clock: every second, in every worker process, claim the providers that are due and
//! queue their polls. Claiming and queueing happen in one transaction, and claims skip rows
//! other processes are claiming, so every due poll is queued exactly once however many
//! workers tick.

use std::sync::Arc;

use apalis::prelude::*;
use apalis_cron::Tick;
use chrono::Utc;

use super::{Poll, PollContext, QUEUE};
use crate::JobsError;

pub async fn on_tick(_tick: Tick, context: Data<Arc<PollContext>>) -> Result<(), BoxDynError> {
    claim_and_queue(&context).await?;
    Ok(())
}

/// Returns how many polls were queued.
pub async fn claim_and_queue(context: &PollContext) -> Result<usize, JobsError> {
    let lease = chrono::Duration::from_std(context.config.lease).unwrap_or(chrono::Duration::MAX);
    let mut tx = vw_store::begin(&context.db).await?;
    let claims =
        vw_store::polls::claim_due(&mut *tx, context.config.claim_batch, Utc::now() + lease)
            .await?;
    if claims.is_empty() {
        return Ok(0);
    }
    let tasks = claims
        .iter()
        .map(|claim| {
            let job = Poll {
                provider_id: claim.provider_id,
                lease_id: claim.lease_id,
                due_at: claim.due_at,
            };
            // One attempt: a failed poll is rescheduled by the provider's own backoff.
            Ok(TaskBuilder::new(serde_json::to_vec(&job)?)
                .max_attempts(1)
                .build())
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()?;
    apalis_postgres::queries::push_tasks(&mut *tx, QUEUE, tasks).await?;
    vw_store::commit(tx).await?;
    Ok(claims.len())
}
