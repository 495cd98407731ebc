//! When a delivery is tried again. The Standard Webhooks schedule, for every channel: the
//! attempts are due at these offsets from the first (immediately, 5 s, 5 min, 30 min, 2 h,
//! 5 h, 10 h, 14 h, 20 h, 24 h: ten attempts over about a day), each spread by ±10 % so
//! that deliveries failing together do not come back together, never before a receiver's
//! `Retry-After`, and never sooner than a second after the last.

use std::time::Duration;

use chrono::{DateTime, Utc};
use vw_notify::webhook::RETRY_SCHEDULE;

/// When the attempt after `attempts_made` attempts is due, or `None` when none is left.
/// `first` is when the delivery was made; `dice` is uniform in [0, 1).
pub fn next_attempt(
    first: DateTime<Utc>,
    attempts_made: u32,
    now: DateTime<Utc>,
    retry_after: Option<Duration>,
    dice: f64,
) -> Option<DateTime<Utc>> {
    let offset = *RETRY_SCHEDULE.get(usize::try_from(attempts_made).ok()?)?;
    let spread = offset.mul_f64(0.9 + 0.2 * dice.clamp(0.0, 1.0));
    let planned = first + chrono::Duration::from_std(spread).unwrap_or_default();
    let soonest = now
        + chrono::Duration::from_std(retry_after.unwrap_or(Duration::from_secs(1)))
            .unwrap_or_default();
    Some(planned.max(soonest))
}

/// How many attempts a delivery gets in all.
pub const MAX_ATTEMPTS: usize = RETRY_SCHEDULE.len();

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    #[test]
    fn ten_attempts_over_about_a_day() {
        let first = at(0);
        assert_eq!(MAX_ATTEMPTS, 10);
        let second = next_attempt(first, 1, at(1), None, 0.5);
        assert_eq!(second, Some(at(5)));
        let last = next_attempt(first, 9, at(20 * 3600), None, 0.5);
        assert_eq!(last, Some(at(24 * 3600)));
        assert_eq!(next_attempt(first, 10, at(24 * 3600), None, 0.5), None);
    }

    #[test]
    fn jitter_spreads_and_retry_after_wins_when_later() {
        let first = at(0);
        let early = next_attempt(first, 3, at(400), None, 0.0).unwrap_or_default();
        let late = next_attempt(first, 3, at(400), None, 0.999).unwrap_or_default();
        assert!(early >= at(1620) && late <= at(1980) && early < late);
        let told = next_attempt(first, 1, at(1), Some(Duration::from_secs(120)), 0.5);
        assert_eq!(told, Some(at(121)));
        // A planned time long past (the worker was down) is now, plus a second.
        assert_eq!(next_attempt(first, 2, at(9999), None, 0.5), Some(at(10000)));
    }
}
