//! The browser flows, driven in a real headless Chromium through ChromeDriver, against the
//! web server on a real PostgreSQL database: what a person clicks, types and sees, including
//! what the page script adds. Needs `chromedriver` on PATH (Debian: `apt-get install
//! chromium chromium-driver`); without it every test fails saying so.
//!
//! Each test starts its own chromedriver and server, so tests run in parallel; screenshots
//! land in `target/tmp/screenshots/` for a person to look at.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod api;
mod app;
mod calendar;
mod driver;
mod groups;
mod incident_page;
mod invitations;
mod journey;
mod monitors;
// The alert tests' SMTP server and webhook receiver; the journey uses a part of them.
#[allow(dead_code, unused_imports, clippy::unwrap_used)]
#[path = "../alerts/peers.rs"]
mod peers;
mod seed;
