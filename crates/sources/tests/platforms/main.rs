//! Every platform's reader against the real payloads in `tests/fixtures` (copied unedited),
//! asserting values read from the files by hand: one module per platform.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod aws;
mod azure;
mod betterstack;
mod cachet;
mod checkly;
mod feed;
mod gcp;
mod heroku;
mod hostile_text;
mod incidentio;
mod instatus;
mod slack;
mod statusio;
mod statuspage;
mod wrong_documents;
