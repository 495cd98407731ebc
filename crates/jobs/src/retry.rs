//! A queue's backoff, applied when one of its jobs fails: the failed job's next attempt is
//! moved out by the queue's `Retry` before apalis records the failure (apalis itself would
//! fetch it again at once).

use apalis::prelude::{Attempt, BoxDynError, TaskId};
use vw_store::PgPool;
use vw_store::queue::{self, Job};

/// Hands the job's result back to apalis, deferring the next attempt when there is one.
pub async fn settle<J: Job>(
    db: &PgPool,
    task: &TaskId,
    attempt: &Attempt,
    result: Result<(), BoxDynError>,
) -> Result<(), BoxDynError> {
    let Err(error) = result else {
        return Ok(());
    };
    let attempt = u32::try_from(attempt.current()).unwrap_or(u32::MAX).max(1);
    if J::RETRY.has_another(attempt) {
        let delay = J::RETRY.delay(attempt, rand::random::<f64>());
        queue::defer(db, &task.to_string(), delay).await?;
        tracing::warn!(queue = J::QUEUE, attempt, retry_in_s = delay.as_secs(), error = %error, "job failed; will retry");
    } else {
        tracing::error!(queue = J::QUEUE, attempt, error = %error, "job failed; no attempt left");
    }
    Err(error)
}
