//! No input makes a reader panic: arbitrary bytes, every fixture cut short, with bytes changed
//! or string values replaced, and inputs built to reach each platform's odd corners. Each read
//! returns `Ok` or `Err`.
//!
//! Cases per property: `PROPTEST_CASES` when set (for a long run), else a count small enough
//! for every test run. Properties that hold for every platform are in `mangled`; the others
//! are in their platform's module.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod aws;
mod cachet;
mod feed;
mod instatus;
mod mangled;
mod statuspage;
