//! The Azure status feed, which lists active issues only.

use vw_domain::Platform;
use vw_sources::azure;

use crate::support::{at, incident, parsed};

#[test]
fn azure_empty_channel_is_healthy() {
    let s = parsed(azure::parse, "azure/azure-status-feed-empty-2026-08-01.xml");
    assert_eq!(s.platform, Platform::Azure);
    assert_eq!(s.page.name.as_deref(), Some("Azure Status"));
    assert!(s.incidents.is_empty() && s.components.is_empty());
}

#[test]
fn azure_west_us_at_16_49() {
    let s = parsed(
        azure::parse,
        "azure/azure-status-feed-westus-2026-07-23-1649.xml",
    );
    let i = incident(&s, "issues-connecting-to-resources-in-west-us");
    assert_eq!(i.title, "Issues connecting to resources in West US");
    assert_eq!(i.components, ["Network Infrastructure", "West US"]);
    assert_eq!(i.status, None);
    assert_eq!(i.started_at, at("2026-07-23T16:29:09Z"));
    assert_eq!(i.updates.len(), 1);
    assert_eq!(i.updates[0].posted_at, at("2026-07-23T16:29:09Z"));
    assert!(
        i.updates[0]
            .body
            .starts_with("Starting at 14:44 UTC on 23 July, 2026, we began investigating")
    );
    assert_eq!(s.components.len(), 2);
}

#[test]
fn azure_west_us_major_lists_services_and_the_region() {
    let s = parsed(
        azure::parse,
        "azure/azure-status-feed-westus-major-2026-07-23.xml",
    );
    let i = incident(&s, "issues-connecting-to-resources-in-west-us");
    assert_eq!(i.components.len(), 15);
    assert_eq!(i.components[0], "API Management");
    assert_eq!(i.components[14], "West US");
    assert_eq!(i.status, None);
    assert_eq!(i.impact, None);
    let body = &i.updates[0].body;
    assert!(body.contains("Microsoft cloud (https://status.cloud.microsoft/) services"));
    assert!(body.contains("Current Status:\n\nWe may have identified the likely cause"));
    assert!(!body.contains('<') && !body.contains("&nbsp;") && !body.contains('\u{a0}'));
}
