//! The series the workers record for Prometheus, through the `metrics` facade: what polls
//! came to, the events they wrote, what deliveries came to, and the queues' backlog. Without
//! an installed recorder (tests, a process run without `VW_METRICS_LISTEN`) every call here
//! is a no-op; only the binary installs one.

use std::time::Duration;

use metrics::{
    Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};
use vw_domain::{EventKind, Platform, PollFailure};
use vw_store::channels::Kind;
use vw_store::deliveries::State;
use vw_store::queue::Backlog;

/// Says what each series means, once the recorder is installed.
pub fn describe() {
    describe_counter!(
        "vw_polls_total",
        "Polls of status pages, by platform and outcome (unchanged, changed, failed, superseded)"
    );
    describe_counter!(
        "vw_poll_failures_total",
        "Failed polls, by platform and failure kind"
    );
    describe_histogram!(
        "vw_poll_lag_seconds",
        Unit::Seconds,
        "How long after its due time a poll started"
    );
    describe_counter!("vw_events_total", "Events written by polls, by kind");
    describe_counter!(
        "vw_delivery_attempts_total",
        "Delivery attempts, by channel kind and outcome (delivered, retry, permanent, broken)"
    );
    describe_counter!(
        "vw_deliveries_total",
        "Deliveries that reached a final state, by channel kind and outcome (delivered, failed, gave_up)"
    );
    describe_counter!(
        "vw_delivery_retries_total",
        "Delivery attempts that failed and were scheduled again, by channel kind"
    );
    describe_histogram!(
        "vw_delivery_attempts_per_delivery",
        "Attempts a delivery took until its final state, by channel kind"
    );
    describe_gauge!(
        "vw_queue_due_jobs",
        "Jobs waiting in a queue whose time has come, by queue"
    );
    describe_gauge!(
        "vw_queue_scheduled_jobs",
        "Jobs waiting in a queue for a later time (retries, paced sends), by queue"
    );
    describe_gauge!(
        "vw_queue_running_jobs",
        "Jobs a worker has taken and not finished, by queue"
    );
    describe_gauge!(
        "vw_queue_oldest_due_seconds",
        Unit::Seconds,
        "How long the oldest due job of a queue has waited past its time (0 when none waits)"
    );
}

/// One poll and what it came to (`unchanged`, `changed`, `failed` with its `failure`,
/// `superseded`), `lag` after its due time.
pub(crate) fn poll(
    platform: Option<Platform>,
    outcome: &'static str,
    failure: Option<PollFailure>,
    lag: Duration,
) {
    let platform = platform.map_or("unknown", Platform::as_str);
    if let Some(kind) = failure {
        counter!("vw_poll_failures_total", "platform" => platform, "kind" => kind.as_str())
            .increment(1);
    }
    counter!("vw_polls_total", "platform" => platform, "outcome" => outcome).increment(1);
    histogram!("vw_poll_lag_seconds").record(lag.as_secs_f64());
}

/// An event a poll wrote, once its transaction committed.
pub(crate) fn event(kind: EventKind) {
    counter!("vw_events_total", "kind" => kind.as_str()).increment(1);
}

/// One recorded attempt at a delivery to a channel of `kind`, and the state it left the
/// delivery in; `attempt` is its number (1 for the first).
pub(crate) fn delivery_attempt(kind: Kind, outcome: &'static str, state: State, attempt: i32) {
    counter!("vw_delivery_attempts_total", "kind" => kind.as_str(), "outcome" => outcome)
        .increment(1);
    if state == State::Pending {
        counter!("vw_delivery_retries_total", "kind" => kind.as_str()).increment(1);
    } else {
        delivery_finished(kind, state, attempt);
    }
}

/// A delivery that reached its final state after `attempts` attempts (0: none was made).
pub(crate) fn delivery_finished(kind: Kind, state: State, attempts: i32) {
    counter!("vw_deliveries_total", "kind" => kind.as_str(), "outcome" => state.as_str())
        .increment(1);
    histogram!("vw_delivery_attempts_per_delivery", "kind" => kind.as_str())
        .record(f64::from(attempts));
}

/// The backlog of every queue, as last read from the jobs table.
pub(crate) fn backlog(queues: &[Backlog]) {
    for queue in queues {
        let name = queue.queue.clone();
        gauge!("vw_queue_due_jobs", "queue" => name.clone()).set(queue.due as f64);
        gauge!("vw_queue_scheduled_jobs", "queue" => name.clone()).set(queue.scheduled as f64);
        gauge!("vw_queue_running_jobs", "queue" => name.clone()).set(queue.running as f64);
        gauge!("vw_queue_oldest_due_seconds", "queue" => name).set(queue.oldest_due_seconds);
    }
}
