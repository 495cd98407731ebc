//! The pipeline's figures, logged as one structured line per period: polls per second, the
//! share answered 304, errors by kind, and how far polls lag behind their schedule. Each poll
//! is also counted in the Prometheus series (`crate::series`).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use vw_domain::{Platform, PollFailure};

#[derive(Default)]
struct Window {
    polls: u64,
    unchanged: u64,
    changed: u64,
    events: u64,
    errors: BTreeMap<&'static str, u64>,
    lag_total_ms: u64,
    lag_max_ms: u64,
}

/// What one poll came to, for the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    Changed {
        events: usize,
    },
    Failed {
        kind: PollFailure,
    },
    /// The lease had moved on: nothing was written.
    Superseded,
}

pub struct PollStats {
    window: Mutex<(Instant, Window)>,
}

impl Default for PollStats {
    fn default() -> Self {
        PollStats {
            window: Mutex::new((Instant::now(), Window::default())),
        }
    }
}

impl PollStats {
    /// Counts a poll of a page on `platform` (unknown when it was superseded before it read
    /// the provider), for the log line and the Prometheus series.
    pub fn record(&self, platform: Option<Platform>, outcome: Outcome, lag: Duration) {
        let (label, failure) = match outcome {
            Outcome::Unchanged => ("unchanged", None),
            Outcome::Changed { .. } => ("changed", None),
            Outcome::Failed { kind } => ("failed", Some(kind)),
            Outcome::Superseded => ("superseded", None),
        };
        crate::series::poll(platform, label, failure, lag);
        let Ok(mut guard) = self.window.lock() else {
            return;
        };
        let window = &mut guard.1;
        window.polls += 1;
        let lag_ms = u64::try_from(lag.as_millis()).unwrap_or(u64::MAX);
        window.lag_total_ms = window.lag_total_ms.saturating_add(lag_ms);
        window.lag_max_ms = window.lag_max_ms.max(lag_ms);
        match outcome {
            Outcome::Unchanged => window.unchanged += 1,
            Outcome::Changed { events } => {
                window.changed += 1;
                window.events += events as u64;
            }
            Outcome::Failed { kind } => *window.errors.entry(kind.as_str()).or_default() += 1,
            Outcome::Superseded => *window.errors.entry("superseded").or_default() += 1,
        }
    }

    /// Logs the figures since the last call and starts a new period.
    pub fn log_and_reset(&self) {
        let Ok(mut guard) = self.window.lock() else {
            return;
        };
        let (started, window) = std::mem::replace(&mut *guard, (Instant::now(), Window::default()));
        let seconds = started.elapsed().as_secs_f64().max(0.001);
        if window.polls == 0 {
            return;
        }
        let errors = window
            .errors
            .iter()
            .map(|(kind, n)| format!("{kind}={n}"))
            .collect::<Vec<_>>()
            .join(",");
        tracing::info!(
            polls = window.polls,
            polls_per_sec = format_args!("{:.1}", window.polls as f64 / seconds),
            share_304 = format_args!("{:.3}", window.unchanged as f64 / window.polls as f64),
            changed = window.changed,
            events = window.events,
            errors = %errors,
            lag_mean_ms = window.lag_total_ms / window.polls,
            lag_max_ms = window.lag_max_ms,
            "poll figures"
        );
    }
}
