//! The web app end to end: a real server on a real PostgreSQL database, driven over HTTP
//! with a cookie-keeping client, the way a browser would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod api;
mod app;
mod bidi;
mod calendar;
mod connections;
mod errors;
mod groups;
mod headers;
mod hostile_urls;
mod housekeeping;
mod invitations;
mod members;
mod monitors;
mod public_pages;
mod redirects;
mod security;
mod tenancy;
mod throttling;
