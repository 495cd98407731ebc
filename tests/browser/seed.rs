//! One provider with one incident, written the way the poller stores them (as
//! `tests/web/public_pages/seed.rs` does, cut down to what the incident page shows).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use vw_domain::{ComponentStatus, Impact, IncidentStatus, Platform};

use crate::support::seed::{self, Seed};

/// A vendor update in Markdown, with markup that must not survive.
pub const MARKDOWN: &str = "## Root cause\nA **bad deploy** of the runners.\n\
    <script>window.hostile = true</script><img src=x onerror=\"window.hostile = true\">";

/// The incident's moments: it straddles the night New York moves its clocks forward
/// (2026-03-08, 02:00 EST becomes 03:00 EDT), so a fixed offset would show a wrong time.
pub struct Moments {
    pub started: DateTime<Utc>,
    pub detected: DateTime<Utc>,
    pub first_update: DateTime<Utc>,
    pub second_update: DateTime<Utc>,
    pub resolved: DateTime<Utc>,
}

pub fn moments() -> anyhow::Result<Moments> {
    let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.to_utc());
    Ok(Moments {
        started: at("2026-03-08T06:30:00Z")?,
        detected: at("2026-03-08T06:32:00Z")?,
        first_update: at("2026-03-08T06:40:00Z")?,
        second_update: at("2026-03-08T07:30:00Z")?,
        resolved: at("2026-03-08T08:10:00Z")?,
    })
}

/// Seeds GitHub and its resolved incident, as polls would have written them (first seen at
/// `detected`, each update when it was posted); returns the incident page's path.
pub async fn incident(pool: &PgPool, at: &Moments) -> anyhow::Result<String> {
    let github = seed::provider_at(
        pool,
        "github",
        "GitHub",
        "https://www.githubstatus.com/",
        Some(Platform::Statuspage),
    )
    .await;
    seed::components(
        pool,
        github,
        &[(
            "runners",
            "Hosted runners",
            Some("Actions"),
            ComponentStatus::Operational,
        )],
    )
    .await;
    let id = seed::incident(
        pool,
        github,
        Seed {
            vendor_id: "inc-runners",
            title: "Actions runs delayed",
            impact: Some(Impact::Major),
            status: Some(IncidentStatus::Resolved),
            started: Some(at.started),
            resolved: Some(at.resolved),
            components: &["runners"],
            detected: at.detected,
            backfilled: false,
            updates: &[
                (
                    "u1",
                    Some(IncidentStatus::Investigating),
                    "We are investigating delays.",
                    Some(at.first_update),
                ),
                (
                    "u2",
                    Some(IncidentStatus::Identified),
                    MARKDOWN,
                    Some(at.second_update),
                ),
                (
                    "u3",
                    Some(IncidentStatus::Resolved),
                    "Runs start on time again.",
                    Some(at.resolved),
                ),
            ],
        },
    )
    .await;
    Ok(format!("/providers/github/incidents/{id}"))
}
