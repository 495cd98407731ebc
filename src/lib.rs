//! The `vendorwatch` binary's library half: the command line, the configuration, and the
//! wiring of the crates into a running service. `main.rs` only hands over to [`cli::run`].
//! End-to-end tests in `tests/` use it too.

pub mod admin;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod db;
mod db_timings;
pub mod demo;
pub mod inspect;
pub mod metrics;
pub mod providers;
mod run;
mod telemetry;
