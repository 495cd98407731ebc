//! One provider with one incident, written the way the poller stores them (as
//! `tests/web/public_pages/seed.rs` does, cut down to what the incident page shows).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use vw_domain::{
    Component, ComponentStatus, Impact, Incident, IncidentStatus, Platform, ProviderSlug,
    StatusPageUrl, Update,
};
use vw_store::history;
use vw_store::providers::Detected;

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

/// Seeds GitHub and its resolved incident, through the store's functions as polls would
/// write them (first seen at `detected`, each update when it was posted); returns the incident
/// page's path.
pub async fn incident(pool: &PgPool, at: &Moments) -> anyhow::Result<String> {
    let page = StatusPageUrl::parse("https://www.githubstatus.com/")?;
    let base = page.url();
    let slug = ProviderSlug::parse("github")?;
    let provider = vw_store::providers::insert_detected(
        pool,
        Detected {
            slug: &slug,
            name: "GitHub",
            page: &page,
            platform: Platform::Statuspage,
            base_url: &base,
            feed_url: None,
        },
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("github already seeded"))?
    .id;
    let mut conn = pool.acquire().await?;
    let runners = Component {
        id: "runners".into(),
        name: "Hosted runners".into(),
        group: Some("Actions".into()),
        status: Some(ComponentStatus::Operational),
    };
    history::replace_components(&mut conn, provider, &[runners]).await?;

    let updates = [
        (
            "u1",
            IncidentStatus::Investigating,
            "We are investigating delays.",
            at.first_update,
        ),
        ("u2", IncidentStatus::Identified, MARKDOWN, at.second_update),
        (
            "u3",
            IncidentStatus::Resolved,
            "Runs start on time again.",
            at.resolved,
        ),
    ]
    .map(|(id, status, body, posted)| Update {
        id: id.into(),
        status: Some(status),
        body: body.into(),
        posted_at: Some(posted),
    });
    let mut id = None;
    for (known, seen) in [
        (0, at.detected),
        (1, at.first_update),
        (2, at.second_update),
        (3, at.resolved),
    ] {
        let incident = Incident {
            id: "inc-runners".into(),
            title: "Actions runs delayed".into(),
            impact: Some(Impact::Major),
            status: Some(IncidentStatus::Resolved),
            started_at: Some(at.started),
            resolved_at: Some(at.resolved),
            url: Some("https://www.githubstatus.com/incidents/inc-runners".into()),
            components: vec!["runners".into()],
            updates: updates[..known].to_vec(),
        };
        id = Some(history::upsert_incident(&mut conn, provider, &incident, false, seen).await?);
    }
    let id = id.ok_or_else(|| anyhow::anyhow!("no incident written"))?;
    Ok(format!("/providers/github/incidents/{id}"))
}
