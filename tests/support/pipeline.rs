//! The polling pipeline under test: fake vendors serving real payloads (`vendor`), the real
//! worker pool and what it wrote (`workers`), and the in-process pipeline on a manual clock
//! (`vw_jobs::pipeline`), for steps that must not wait on the wall clock.

pub mod vendor;
pub mod workers;

pub use vendor::Vendor;
pub use workers::{
    StatuspageSite, StoredEvent, Workers, add_provider, config, events, kinds, more_polls,
    polls_done, wait_until,
};

use std::time::Duration;

use vw_jobs::Clock;
use vw_jobs::pipeline::Pipeline;

use super::TestDb;

/// The pipeline on `db`, reading loopback vendors, polling every minute (watched or not), on
/// an adjustable clock.
pub fn pipeline(db: &TestDb) -> Pipeline {
    let mut config = vw_jobs::poll::PollConfig::default();
    config.fetch.allow_private_targets = true;
    config.interval = Duration::from_secs(60);
    config.idle_interval = Duration::from_secs(60);
    Pipeline::new(db.pool.clone(), config, Clock::adjustable()).unwrap()
}
