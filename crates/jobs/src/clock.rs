//! Where the workers read the time. Every time a job writes — when a poll ran, when a page
//! started failing, when the next poll is due — comes from here, never from the database's
//! `now()`, so that tests and benchmarks can move time on (a backoff of minutes, a day of
//! reminders) without waiting for it.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};

#[derive(Clone)]
pub struct Clock(Source);

#[derive(Clone)]
enum Source {
    System,
    /// The system clock moved on by the offset: never behind the database's own `now()`
    /// (rows it stamps, such as a provider's creation, are never in this clock's future).
    Shifted(Arc<Mutex<TimeDelta>>),
}

impl Clock {
    /// The machine's clock: what production runs on.
    pub fn system() -> Self {
        Clock(Source::System)
    }

    /// A clock that runs with the system's and can be moved ahead with [`Clock::advance`]
    /// (a wait of minutes or days, passed at once); its clones move with it.
    pub fn adjustable() -> Self {
        Clock(Source::Shifted(Arc::new(Mutex::new(TimeDelta::zero()))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Source::System => Utc::now(),
            Source::Shifted(offset) => {
                let offset = offset.lock().map_or_else(|e| *e.into_inner(), |o| *o);
                Utc::now() + offset
            }
        }
    }

    /// Moves an adjustable clock ahead by `by`; the system clock cannot be moved and
    /// ignores it.
    pub fn advance(&self, by: TimeDelta) {
        if let Source::Shifted(offset) = &self.0 {
            let mut offset = offset
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *offset += by;
        }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Source::System => f.write_str("Clock::system"),
            Source::Shifted(_) => write!(f, "Clock::adjustable({})", self.now()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustable_clock_moves_ahead_when_told_and_its_clones_with_it() {
        let clock = Clock::adjustable();
        let clone = clock.clone();
        assert!((clock.now() - Utc::now()).abs() < TimeDelta::seconds(1));
        clock.advance(TimeDelta::minutes(5));
        let ahead = clone.now() - Utc::now();
        assert!(ahead > TimeDelta::seconds(299) && ahead <= TimeDelta::minutes(5));
    }
}
