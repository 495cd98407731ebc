//! Providers, components, incidents, maintenances and events, written with plain SQL the way
//! the poller stores them.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgPool;
use uuid::Uuid;
use vw_domain::{ComponentChange, ComponentStatus, Event, Impact, IncidentChange, IncidentStatus};

async fn provider(pool: &PgPool, slug: &str, name: &str) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO providers (id, slug, name, status_url, canonical_url)
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(id)
    .bind(slug)
    .bind(name)
    .bind(format!("https://status.{slug}.example/"))
    .execute(pool)
    .await
    .unwrap();
    id
}

async fn poll_state(
    pool: &PgPool,
    provider: Uuid,
    last_checked: DateTime<Utc>,
    unreachable_since: Option<DateTime<Utc>>,
) {
    sqlx::query(
        "INSERT INTO poll_state (provider_id, next_poll_at, last_checked_at, unreachable,
                                 failing_since, failures)
         VALUES ($1, now(), $2, $3, $4, $5)",
    )
    .bind(provider)
    .bind(last_checked)
    .bind(unreachable_since.is_some())
    .bind(unreachable_since)
    .bind(if unreachable_since.is_some() { 12 } else { 0 })
    .execute(pool)
    .await
    .unwrap();
}

async fn component(
    pool: &PgPool,
    provider: Uuid,
    position: i32,
    (vendor_id, name, group, status): (&str, &str, Option<&str>, &str),
) {
    sqlx::query(
        "INSERT INTO components (provider_id, vendor_id, name, group_name, status, position)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(provider)
    .bind(vendor_id)
    .bind(name)
    .bind(group)
    .bind(status)
    .bind(position)
    .execute(pool)
    .await
    .unwrap();
}

/// (vendor id, status, body, posted at)
type UpdateSeed<'a> = (&'a str, Option<&'a str>, &'a str, Option<DateTime<Utc>>);

struct Seed<'a> {
    vendor_id: &'a str,
    title: &'a str,
    impact: Option<&'a str>,
    status: Option<&'a str>,
    started: Option<DateTime<Utc>>,
    resolved: Option<DateTime<Utc>>,
    components: &'a [&'a str],
    detected: DateTime<Utc>,
    backfilled: bool,
    updates: &'a [UpdateSeed<'a>],
}

async fn incident(pool: &PgPool, provider: Uuid, seed: Seed<'_>) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO incidents (id, provider_id, vendor_id, title, impact, status, started_at,
                                resolved_at, url, components, detected_at, backfilled, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11)",
    )
    .bind(id)
    .bind(provider)
    .bind(seed.vendor_id)
    .bind(seed.title)
    .bind(seed.impact)
    .bind(seed.status)
    .bind(seed.started)
    .bind(seed.resolved)
    .bind(format!(
        "https://status.example/incidents/{}",
        seed.vendor_id
    ))
    .bind(seed.components)
    .bind(seed.detected)
    .bind(seed.backfilled)
    .execute(pool)
    .await
    .unwrap();
    for (vendor_id, status, body, posted) in seed.updates {
        sqlx::query(
            "INSERT INTO incident_updates (incident_id, vendor_id, status, body, posted_at,
                                           detected_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(vendor_id)
        .bind(status)
        .bind(body)
        .bind(posted)
        .bind(posted.unwrap_or(seed.detected).max(seed.detected))
        .execute(pool)
        .await
        .unwrap();
    }
    id
}

async fn maintenance(
    pool: &PgPool,
    provider: Uuid,
    title: &str,
    status: &str,
    window: (DateTime<Utc>, DateTime<Utc>),
    cancelled: bool,
) {
    sqlx::query(
        "INSERT INTO maintenances (id, provider_id, vendor_id, title, status, scheduled_for,
                                   scheduled_until, url, detected_at, backfilled, cancelled_at,
                                   updated_at)
         VALUES ($1, $2, $3, $3, $4, $5, $6, 'https://status.example/m', now(), false,
                 CASE WHEN $7 THEN now() END, now())",
    )
    .bind(Uuid::now_v7())
    .bind(provider)
    .bind(title)
    .bind(status)
    .bind(window.0)
    .bind(window.1)
    .bind(cancelled)
    .execute(pool)
    .await
    .unwrap();
}

async fn event(
    pool: &PgPool,
    provider: Uuid,
    incident: Option<Uuid>,
    event: &Event,
    at: DateTime<Utc>,
) {
    sqlx::query(
        "INSERT INTO events (id, provider_id, kind, incident_id, body, detected_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7())
    .bind(provider)
    .bind(event.kind().as_str())
    .bind(incident)
    .bind(serde_json::to_value(event).unwrap())
    .bind(at)
    .execute(pool)
    .await
    .unwrap();
}

/// What the tests look at: GitHub with a bit of everything, GitLab that cannot be read,
/// two more without polls.
pub struct World {
    pub now: DateTime<Utc>,
    /// Ten days ago, to the second.
    pub t: DateTime<Utc>,
    pub gitlab_down_since: DateTime<Utc>,
    /// Open: identified, with a hostile update.
    pub ongoing: Uuid,
    /// Resolved after 2h 5m; the vendor's first word came 12 minutes in.
    pub resolved: Uuid,
    /// Resolved 45 minutes before it started, says the vendor; first seen closed.
    pub backwards: Uuid,
    /// No status of its own; its newest update says resolved; no end time.
    pub quiet: Uuid,
    pub old: Uuid,
    pub gitlab_incident: Uuid,
}

pub const HOSTILE: &str = "We **identified** the cause.\nRunners are back <script>alert(1)</script>\
                       <img src=x onerror=\"alert(2)\"> [details](javascript:alert(3))";

pub async fn seed(pool: &PgPool) -> World {
    let now = DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap();
    let t = now - TimeDelta::days(10);
    let minutes = TimeDelta::minutes;

    let github = provider(pool, "github", "GitHub").await;
    let gitlab = provider(pool, "gitlab", "GitLab").await;
    provider(pool, "digitalocean", "DigitalOcean").await;
    provider(pool, "stripe", "Stripe").await;
    poll_state(pool, github, now - minutes(1), None).await;
    let gitlab_down_since = now - TimeDelta::hours(3);
    poll_state(pool, gitlab, now - minutes(2), Some(gitlab_down_since)).await;

    let components = [
        ("git", "Git Operations", None, "operational"),
        ("runners", "Hosted runners", Some("Actions"), "major_outage"),
        ("api", "API Requests", None, "operational"),
        ("cache", "Cache", Some("Actions"), "degraded_performance"),
    ];
    for (position, c) in (0..).zip(components) {
        component(pool, github, position, c).await;
    }
    component(pool, gitlab, 0, ("web", "Website", None, "operational")).await;

    let started = now - TimeDelta::hours(2);
    let ongoing = incident(
        pool,
        github,
        Seed {
            vendor_id: "inc-runners",
            title: "Actions runs delayed",
            impact: Some("major"),
            status: Some("identified"),
            started: Some(started),
            resolved: None,
            components: &["runners", "gone-component"],
            detected: started + minutes(1),
            backfilled: false,
            updates: &[
                (
                    "u1",
                    Some("investigating"),
                    "Looking into it.",
                    Some(started + minutes(7)),
                ),
                (
                    "u2",
                    Some("identified"),
                    HOSTILE,
                    Some(started + minutes(30)),
                ),
            ],
        },
    )
    .await;
    let resolved = incident(
        pool,
        github,
        Seed {
            vendor_id: "inc-api",
            title: "Degraded API latency",
            impact: Some("minor"),
            status: Some("resolved"),
            started: Some(t),
            resolved: Some(t + minutes(125)),
            components: &["api"],
            detected: t + minutes(3),
            backfilled: false,
            updates: &[
                (
                    "a2",
                    Some("resolved"),
                    "All good now.",
                    Some(t + minutes(125)),
                ),
                (
                    "a1",
                    Some("investigating"),
                    "Slow API calls.",
                    Some(t + minutes(12)),
                ),
            ],
        },
    )
    .await;
    let backwards_start = t + TimeDelta::days(1);
    let backwards = incident(
        pool,
        github,
        Seed {
            vendor_id: "inc-backwards",
            title: "Pages builds failing",
            impact: Some("critical"),
            status: Some("resolved"),
            started: Some(backwards_start),
            resolved: Some(backwards_start - minutes(45)),
            components: &[],
            detected: backwards_start + TimeDelta::days(1),
            backfilled: true,
            updates: &[(
                "b1",
                Some("resolved"),
                "Fixed.",
                Some(backwards_start - minutes(45)),
            )],
        },
    )
    .await;
    let quiet_start = t + TimeDelta::days(2);
    let quiet = incident(
        pool,
        github,
        Seed {
            vendor_id: "inc-quiet",
            title: "Webhooks delayed",
            impact: None,
            status: None,
            started: Some(quiet_start),
            resolved: None,
            components: &[],
            detected: quiet_start,
            backfilled: false,
            updates: &[
                ("q1", Some("investigating"), "Delays.", Some(quiet_start)),
                (
                    "q2",
                    Some("resolved"),
                    "Done.",
                    Some(quiet_start + minutes(20)),
                ),
            ],
        },
    )
    .await;
    let old_start = now - TimeDelta::days(120);
    let old = incident(
        pool,
        github,
        Seed {
            vendor_id: "inc-old",
            title: "An old outage",
            impact: Some("major"),
            status: Some("resolved"),
            started: Some(old_start),
            resolved: Some(old_start + minutes(10)),
            components: &[],
            detected: old_start,
            backfilled: false,
            updates: &[],
        },
    )
    .await;
    let gitlab_incident = incident(
        pool,
        gitlab,
        Seed {
            vendor_id: "gl-1",
            title: "GitLab outage",
            impact: Some("major"),
            status: Some("investigating"),
            started: Some(now - TimeDelta::hours(4)),
            resolved: None,
            components: &[],
            detected: now - TimeDelta::hours(4),
            backfilled: false,
            updates: &[],
        },
    )
    .await;

    let days = TimeDelta::days;
    let upgrade = (now + days(3), now + days(3) + TimeDelta::hours(2));
    maintenance(
        pool,
        github,
        "Database upgrade",
        "scheduled",
        upgrade,
        false,
    )
    .await;
    let past = (now - days(3), now - days(3) + TimeDelta::hours(1));
    maintenance(pool, github, "Past maintenance", "completed", past, false).await;
    maintenance(
        pool,
        github,
        "Cancelled maintenance",
        "scheduled",
        upgrade,
        true,
    )
    .await;

    let opened = Event::IncidentOpened(IncidentChange {
        incident_id: "inc-runners".into(),
        update_id: Some("u1".into()),
        from: None,
        to: Some(IncidentStatus::Investigating),
        impact: Some(Impact::Major),
        components: vec!["runners".into()],
        edited: false,
        backfilled: false,
        reopened: false,
    });
    event(pool, github, Some(ongoing), &opened, started + minutes(1)).await;
    let runners_down = Event::ComponentStatusChanged(ComponentChange {
        component_id: "runners".into(),
        from: ComponentStatus::Operational,
        to: ComponentStatus::MajorOutage,
    });
    event(pool, github, None, &runners_down, started + minutes(2)).await;

    World {
        now,
        t,
        gitlab_down_since,
        ongoing,
        resolved,
        backwards,
        quiet,
        old,
        gitlab_incident,
    }
}
