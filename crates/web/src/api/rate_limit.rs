//! Each token's request budget (GCRA, the leaky bucket as a "theoretical arrival time"): a
//! sustained rate per minute with a burst of a tenth of it, kept in this web server's memory.
//! Replicas count apart, so the installation's limit is the per-server limit times the
//! replicas; that keeps a database write off every API request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use vw_domain::ApiTokenId;

/// How many tokens' state is kept before the idle ones are forgotten.
const PRUNE_AT: usize = 10_000;

#[derive(Debug)]
pub struct RateLimiter {
    /// Time between two requests at the sustained rate.
    interval: Duration,
    /// How far ahead of the sustained rate a token may run (the burst).
    tolerance: Duration,
    arrivals: Mutex<HashMap<ApiTokenId, Instant>>,
}

/// What the budget allows for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Allowed; `remaining` more may follow at once.
    Allowed { remaining: u32 },
    /// Refused until this long from now.
    Refused { retry_after: Duration },
}

impl RateLimiter {
    /// `per_minute` requests a minute sustained, a tenth of that (at least one) at once.
    pub fn per_minute(per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        let interval = Duration::from_secs(60) / per_minute;
        let burst = (per_minute / 10).max(1);
        RateLimiter {
            interval,
            tolerance: interval * (burst - 1),
            arrivals: Mutex::new(HashMap::new()),
        }
    }

    /// The burst: how many requests may come at once.
    pub fn burst(&self) -> u32 {
        u32::try_from(self.tolerance.as_nanos() / self.interval.as_nanos().max(1)).unwrap_or(0) + 1
    }

    pub fn check(&self, token: ApiTokenId, now: Instant) -> Verdict {
        let mut arrivals = self.arrivals.lock().unwrap_or_else(|e| e.into_inner());
        if arrivals.len() >= PRUNE_AT {
            arrivals.retain(|_, tat| *tat > now);
        }
        let tat = arrivals.get(&token).copied().unwrap_or(now).max(now);
        let allowed_at = tat.checked_sub(self.tolerance).unwrap_or(now);
        if allowed_at > now {
            return Verdict::Refused {
                retry_after: allowed_at - now,
            };
        }
        let next = tat + self.interval;
        arrivals.insert(token, next);
        let ahead = next.saturating_duration_since(now);
        let used = u32::try_from(ahead.as_nanos().div_ceil(self.interval.as_nanos().max(1)))
            .unwrap_or(u32::MAX);
        Verdict::Allowed {
            remaining: self.burst().saturating_sub(used),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_sustained_rate() {
        let limiter = RateLimiter::per_minute(600);
        assert_eq!(limiter.burst(), 60);
        let token = ApiTokenId::new();
        let start = Instant::now();
        for n in 0..60 {
            assert!(
                matches!(limiter.check(token, start), Verdict::Allowed { .. }),
                "request {n} of the burst"
            );
        }
        let Verdict::Refused { retry_after } = limiter.check(token, start) else {
            panic!("the 61st request at once passed");
        };
        assert!(retry_after <= Duration::from_millis(100), "{retry_after:?}");
        // One interval (100 ms at 600 a minute) later, one more passes.
        assert!(matches!(
            limiter.check(token, start + Duration::from_millis(100)),
            Verdict::Allowed { .. }
        ));
        // Another token has its own budget.
        assert!(matches!(
            limiter.check(ApiTokenId::new(), start),
            Verdict::Allowed { remaining: 59 }
        ));
    }
}
