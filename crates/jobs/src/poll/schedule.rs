//! When the next poll of a provider happens. Pure: the caller passes the clock and the dice.
//!
//! Successful polls keep their phase (`due + interval`), so providers spread over the interval
//! at creation stay spread. Failed polls back off exponentially, with jitter so that a wave of
//! failures does not come back as a wave, capped at four intervals; a server's `Retry-After`
//! is honoured. A failure is never retried sooner than the schedule it broke: retries make the
//! load go down during an outage, never up.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The cap on backoff, in intervals.
const MAX_BACKOFF_INTERVALS: u32 = 4;
/// A server may ask us to wait, but not for ever: a day at most.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// After a successful poll that was due at `due`. `dice` is uniform in [0, 1).
pub fn after_success(
    due: DateTime<Utc>,
    now: DateTime<Utc>,
    interval: Duration,
    dice: f64,
) -> DateTime<Utc> {
    let next = due + interval;
    if next > now {
        next
    } else {
        // Late by more than an interval (the workers were down or saturated): start again from
        // now, spread over a tenth of the interval so that the backlog does not stay in step.
        now + interval.mul_f64(0.1 * dice.clamp(0.0, 1.0))
    }
}

/// After the `failures`th failure in a row (1 for the first).
pub fn after_failure(
    now: DateTime<Utc>,
    interval: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    dice: f64,
) -> DateTime<Utc> {
    let doublings = failures
        .saturating_sub(1)
        .min(MAX_BACKOFF_INTERVALS.ilog2());
    let backoff = (interval * 2u32.pow(doublings)).min(interval * MAX_BACKOFF_INTERVALS);
    // ±25 % jitter, so that providers failing together spread out.
    let jittered = backoff.mul_f64(0.75 + 0.5 * dice.clamp(0.0, 1.0));
    let wait = retry_after
        .map(|asked| asked.min(MAX_RETRY_AFTER))
        .map_or(jittered, |asked| asked.max(jittered));
    now + wait
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    const FIVE_MIN: Duration = Duration::from_secs(300);

    #[test]
    fn success_keeps_the_phase() {
        assert_eq!(after_success(t(0), t(20), FIVE_MIN, 0.5), t(300));
    }

    #[test]
    fn a_late_poll_restarts_from_now_spread_over_a_tenth() {
        let next = after_success(t(0), t(900), FIVE_MIN, 0.5);
        assert_eq!(next, t(915));
        assert!(after_success(t(0), t(900), FIVE_MIN, 0.999) < t(930));
    }

    #[test]
    fn failures_back_off_exponentially_up_to_four_intervals() {
        let waits: Vec<i64> = (1..=6)
            .map(|n| (after_failure(t(0), FIVE_MIN, n, None, 0.5) - t(0)).num_seconds())
            .collect();
        assert_eq!(waits, [300, 600, 1200, 1200, 1200, 1200]);
    }

    #[test]
    fn jitter_stays_within_a_quarter() {
        let low = after_failure(t(0), FIVE_MIN, 1, None, 0.0) - t(0);
        let high = after_failure(t(0), FIVE_MIN, 1, None, 0.999_999) - t(0);
        assert_eq!(low.num_seconds(), 225);
        assert_eq!(high.num_seconds(), 374);
    }

    #[test]
    fn retry_after_is_honoured_but_never_shortens_the_backoff() {
        let long = after_failure(t(0), FIVE_MIN, 1, Some(Duration::from_secs(3600)), 0.5);
        assert_eq!(long, t(3600));
        let short = after_failure(t(0), FIVE_MIN, 1, Some(Duration::from_secs(5)), 0.5);
        assert_eq!(short, t(300));
        let absurd = after_failure(
            t(0),
            FIVE_MIN,
            1,
            Some(Duration::from_secs(10_000_000)),
            0.5,
        );
        assert_eq!(absurd, t(86_400));
    }
}
