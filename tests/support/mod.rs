//! What the end-to-end test binaries share, one room per purpose:
//! - `db`: a fresh, migrated database per test on a real PostgreSQL server;
//! - `app`: the web server running on it, on a free loopback port;
//! - `seed`: data written through the store's own functions, as the product writes it;
//! - `pipeline`: fake vendors, the real worker pool, and the in-process pipeline on a
//!   manual clock.
//!
//! Each binary includes all of it (`#[path = "../support/mod.rs"]`) and uses what it needs.
#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

pub mod app;
pub mod db;
pub mod pipeline;
pub mod seed;

pub use db::TestDb;
