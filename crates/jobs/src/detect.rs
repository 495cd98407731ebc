//! Detecting the status page behind a request to add a monitor by URL: the page is found
//! (or added as a provider), then the monitor is added within the plan's quota, and the
//! request says how it ended — for the person waiting on the page that shows it.

use std::sync::Arc;
use std::time::Duration;

use apalis::prelude::*;
use vw_app::monitors::Detected;
use vw_store::queue::{self, DetectPage, Job};

use crate::every::Every;
use crate::poll::PollContext;
use crate::providers::{AddError, add_by_url};
use crate::{Context, JobsError};

/// Requests detected at once per process: each may wait on a slow page.
const CONCURRENCY: usize = 4;

pub(crate) fn register(monitor: Monitor, context: &Context) -> Monitor {
    let polls = context.polls.clone();
    let name = format!("detect-{}", context.instance);
    monitor.register(move |_| {
        WorkerBuilder::new(name.clone())
            .backend(
                queue::storage::<DetectPage>(&polls.db, CONCURRENCY)
                    .poll_with_strategy(Every::new(Duration::from_millis(500))),
            )
            .concurrency(CONCURRENCY)
            .catch_panic()
            .enable_tracing()
            .data(polls.clone())
            .build(run)
    })
}

async fn run(
    job: DetectPage,
    context: Data<Arc<PollContext>>,
    task: TaskId,
    attempt: Attempt,
) -> Result<(), BoxDynError> {
    let last_attempt =
        !DetectPage::RETRY.has_another(u32::try_from(attempt.current()).unwrap_or(u32::MAX));
    let result = detect(&context, &job, last_attempt)
        .await
        .map_err(Into::into);
    crate::retry::settle::<DetectPage>(&context.db, &task, &attempt, result).await
}

/// Detects the request's page and ends the request. A page that could not be reached is
/// tried again while attempts remain; then, like any other refusal, it ends the request
/// with the reason.
pub async fn detect(
    context: &PollContext,
    job: &DetectPage,
    last_attempt: bool,
) -> Result<(), JobsError> {
    let Some(request) = vw_store::monitors::request_for_job(&context.db, job.request).await? else {
        return Ok(());
    };
    let detected = match add_by_url(&context.db, context.fetcher(), &request.url).await {
        Ok(provider) => Detected::Provider(provider.id),
        Err(AddError::Detection(error)) if error.is_transient() && !last_attempt => {
            return Err(JobsError::Pool(format!(
                "detecting {}: {error}",
                request.url
            )));
        }
        Err(AddError::Store(error)) => return Err(error.into()),
        Err(refused) => Detected::Refused(refused.to_string()),
    };
    vw_app::monitors::finish_request(&context.db, job.request, detected)
        .await
        .map_err(|e| JobsError::Pool(format!("ending request {}: {e}", job.request)))
}
