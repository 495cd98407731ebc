//! The service under faults, run as production runs it (`vendorwatch worker` and `serve` as
//! processes of their own): killed with SIGKILL at random points of polling, fan-out and
//! delivery; its PostgreSQL stopped and started under it; its database made slow on the
//! workers' path; stopped with SIGTERM in the middle of work. What came of it is counted where
//! it lands: in the rows, and at the test's webhook receiver.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

// The alert tests' real peers; these tests use the webhook receiver only.
#[allow(dead_code, unused_imports)]
#[path = "../alerts/peers.rs"]
mod peers;

mod kill;
mod process;
mod restart;
mod scene;
mod shutdown;
mod slow_db;
