//! Alerts end to end: which events reach which channels (fan-out), and delivery to real
//! peers run by the tests — an SMTP server, HTTP receivers that verify Standard Webhooks
//! signatures independently — through the real worker pool, and a worker process killed
//! mid-delivery.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod crash;
mod email;
mod fixture;
mod integrations;
mod logs;
mod metrics;
mod peers;
mod reminders;
mod routing;
mod stack;
mod webhooks;
