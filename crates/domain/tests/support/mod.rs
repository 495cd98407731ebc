//! Support for the diff property tests: a true history, views of it, and an oracle.

pub mod history;
pub mod oracle;
pub mod views;
