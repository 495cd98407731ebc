//! One provider with one incident, written with plain SQL the way the poller stores them
//! (as `tests/web/public_pages/seed.rs` does, cut down to what the incident page shows).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

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

/// Seeds GitHub and its resolved incident; returns the incident page's path.
pub async fn incident(pool: &PgPool, at: &Moments) -> anyhow::Result<String> {
    let provider = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO providers (id, slug, name, status_url, canonical_url)
         VALUES ($1, 'github', 'GitHub', 'https://www.githubstatus.com/',
                 'https://www.githubstatus.com/')",
    )
    .bind(provider)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO components (provider_id, vendor_id, name, group_name, status, position)
         VALUES ($1, 'runners', 'Hosted runners', 'Actions', 'operational', 0)",
    )
    .bind(provider)
    .execute(pool)
    .await?;

    let incident = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO incidents (id, provider_id, vendor_id, title, impact, status, started_at,
                                resolved_at, url, components, detected_at, backfilled, updated_at)
         VALUES ($1, $2, 'inc-runners', 'Actions runs delayed', 'major', 'resolved', $3, $4,
                 'https://www.githubstatus.com/incidents/inc-runners', '{runners}', $5, false,
                 $4)",
    )
    .bind(incident)
    .bind(provider)
    .bind(at.started)
    .bind(at.resolved)
    .bind(at.detected)
    .execute(pool)
    .await?;
    let updates = [
        (
            "u1",
            "investigating",
            "We are investigating delays.",
            at.first_update,
        ),
        ("u2", "identified", MARKDOWN, at.second_update),
        ("u3", "resolved", "Runs start on time again.", at.resolved),
    ];
    for (vendor_id, status, body, posted) in updates {
        sqlx::query(
            "INSERT INTO incident_updates (incident_id, vendor_id, status, body, posted_at,
                                           detected_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(incident)
        .bind(vendor_id)
        .bind(status)
        .bind(body)
        .bind(posted)
        .execute(pool)
        .await?;
    }
    Ok(format!("/providers/github/incidents/{incident}"))
}
