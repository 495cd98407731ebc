//! The polling pipeline end to end: real workers (the scheduler, the apalis poll queue, the
//! poll jobs) on a real database, reading fake vendors served from fixture files by a local
//! HTTP server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod add_by_url;
mod crash;
mod failures;
mod hostile;
mod lifecycle;
mod same_page;
mod schedule;
