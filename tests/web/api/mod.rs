//! The JSON API under `/api/v1`, over HTTP against the real server: tokens and their scope,
//! every resource, tenancy generated from the OpenAPI document, and the document itself
//! against the router and against a property-based tester (schemathesis).

mod client;
mod document;
mod monitors;
mod notifications;
mod property;
mod reads;
mod tenancy;
mod tokens;
mod world;
