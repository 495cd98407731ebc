//! Instatus: the page summary.

use vw_domain::{Impact, IncidentStatus, Platform};
use vw_sources::instatus;

use crate::support::{at, incident, parsed};

#[test]
fn perplexity_instatus_summary_with_an_undocumented_page_status() {
    let s = parsed(
        instatus::parse,
        "instatus/perplexity-summary-major-2026-07-23.json",
    );
    assert_eq!(s.platform, Platform::Instatus);
    assert_eq!(s.page.name.as_deref(), Some("Perplexity"));
    let i = incident(&s, "cmrxt1rlu000f0zlcv4dzmdlr");
    assert_eq!(i.title, "Computer sandbox issues");
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(i.status, Some(IncidentStatus::Monitoring));
    assert_eq!(i.started_at, at("2026-07-23T17:48:28.028Z"));
    assert_eq!(
        i.url.as_deref(),
        Some("https://status.perplexity.com/cmrxt1rlu000f0zlcv4dzmdlr")
    );
    assert!(i.updates.is_empty() && s.maintenances.is_empty());
}
