//! The clock: every second, in every worker process, claim the providers that are due and
//! queue their polls. Claiming and queueing happen in one transaction, and claims skip rows
//! other processes are claiming, so every due poll is queued exactly once however many
//! workers tick.

use std::sync::Arc;

use apalis::prelude::*;
use apalis_cron::Tick;

use super::{Poll, PollContext};
use crate::JobsError;

pub async fn on_tick(_tick: Tick, context: Data<Arc<PollContext>>) -> Result<(), BoxDynError> {
    claim_and_queue(&context).await?;
    Ok(())
}

/// Returns how many polls were queued.
pub async fn claim_and_queue(context: &PollContext) -> Result<usize, JobsError> {
    let lease = chrono::Duration::from_std(context.config.lease).unwrap_or(chrono::Duration::MAX);
    let now = context.clock.now();
    let mut tx = vw_store::begin(&context.db).await?;
    let claims =
        vw_store::polls::claim_due(&mut *tx, now, context.config.claim_batch, now + lease).await?;
    if claims.is_empty() {
        return Ok(0);
    }
    let jobs: Vec<Poll> = claims
        .iter()
        .map(|claim| Poll {
            provider_id: claim.provider_id,
            lease_id: claim.lease_id,
            due_at: claim.due_at,
        })
        .collect();
    vw_store::queue::push_all(&mut tx, &jobs).await?;
    vw_store::commit(tx).await?;
    Ok(claims.len())
}
