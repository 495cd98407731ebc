//! Providers, components, incidents, maintenances and events, written through the store's
//! own functions, the way the poller writes them. Only the poll bookkeeping (when a page was
//! last read, since when it fails) is set with SQL: no store function writes it from outside
//! a poll.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgPool;
use vw_domain::{
    Component, ComponentChange, ComponentStatus, Event, Impact, Incident, IncidentChange,
    IncidentId, IncidentStatus, Maintenance, MaintenanceStatus, Platform, ProviderId, ProviderSlug,
    StatusPageUrl, Update,
};
use vw_store::history::{self, NewEvent};

async fn provider(pool: &PgPool, slug: &str, name: &str) -> ProviderId {
    let page = StatusPageUrl::parse(&format!("https://status.{slug}.example")).unwrap();
    let base = page.url();
    let slug = ProviderSlug::parse(slug).unwrap();
    let detected = vw_store::providers::Detected {
        slug: &slug,
        name,
        page: &page,
        platform: Platform::Statuspage,
        base_url: &base,
        feed_url: None,
    };
    vw_store::providers::insert_detected(pool, detected)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn poll_state(
    pool: &PgPool,
    provider: ProviderId,
    last_checked: DateTime<Utc>,
    unreachable_since: Option<DateTime<Utc>>,
) {
    sqlx::query(
        "UPDATE poll_state SET last_checked_at = $2, unreachable = $3, failing_since = $4,
                               failures = $5
         WHERE provider_id = $1",
    )
    .bind(provider.0)
    .bind(last_checked)
    .bind(unreachable_since.is_some())
    .bind(unreachable_since)
    .bind(if unreachable_since.is_some() { 12 } else { 0 })
    .execute(pool)
    .await
    .unwrap();
}

/// (vendor id, name, group, status)
type ComponentSeed<'a> = (&'a str, &'a str, Option<&'a str>, ComponentStatus);

async fn components(pool: &PgPool, provider: ProviderId, seeds: &[ComponentSeed<'_>]) {
    let components: Vec<Component> = seeds
        .iter()
        .map(|(id, name, group, status)| Component {
            id: (*id).into(),
            name: (*name).into(),
            group: group.map(str::to_owned),
            status: Some(*status),
        })
        .collect();
    let mut conn = pool.acquire().await.unwrap();
    history::replace_components(&mut conn, provider, &components)
        .await
        .unwrap();
}

/// (vendor id, status, body, posted at)
type UpdateSeed<'a> = (
    &'a str,
    Option<IncidentStatus>,
    &'a str,
    Option<DateTime<Utc>>,
);

struct Seed<'a> {
    vendor_id: &'a str,
    title: &'a str,
    impact: Option<Impact>,
    status: Option<IncidentStatus>,
    started: Option<DateTime<Utc>>,
    resolved: Option<DateTime<Utc>>,
    components: &'a [&'a str],
    detected: DateTime<Utc>,
    backfilled: bool,
    updates: &'a [UpdateSeed<'a>],
}

/// Writes the incident as polls would have: first seen at `detected`, then each update when
/// it was posted (never before the incident was seen).
async fn incident(pool: &PgPool, provider: ProviderId, seed: Seed<'_>) -> IncidentId {
    let mut updates: Vec<Update<IncidentStatus>> = seed
        .updates
        .iter()
        .map(|(id, status, body, posted)| Update {
            id: (*id).into(),
            status: *status,
            body: (*body).into(),
            posted_at: *posted,
        })
        .collect();
    updates.sort_by_key(|u| u.posted_at);
    let seen = |u: &Update<IncidentStatus>| u.posted_at.unwrap_or(seed.detected).max(seed.detected);
    let mut polls = vec![(seed.detected, 0)];
    for (n, update) in updates.iter().enumerate() {
        polls.push((seen(update), n + 1));
    }
    let mut conn = pool.acquire().await.unwrap();
    let mut id = None;
    for (at, known) in polls {
        let incident = Incident {
            id: seed.vendor_id.into(),
            title: seed.title.into(),
            impact: seed.impact,
            status: seed.status,
            started_at: seed.started,
            resolved_at: seed.resolved,
            url: Some(format!(
                "https://status.example/incidents/{}",
                seed.vendor_id
            )),
            components: seed.components.iter().map(|c| (*c).to_owned()).collect(),
            updates: updates[..known].to_vec(),
        };
        id = Some(
            history::upsert_incident(&mut conn, provider, &incident, seed.backfilled, at)
                .await
                .unwrap(),
        );
    }
    id.unwrap()
}

async fn maintenance(
    pool: &PgPool,
    provider: ProviderId,
    title: &str,
    status: MaintenanceStatus,
    window: (DateTime<Utc>, DateTime<Utc>),
    cancelled: bool,
) {
    let maintenance = Maintenance {
        id: title.into(),
        title: title.into(),
        status: Some(status),
        scheduled_for: Some(window.0),
        scheduled_until: Some(window.1),
        url: Some("https://status.example/m".into()),
        components: Vec::new(),
        updates: Vec::new(),
    };
    let now = Utc::now();
    let mut conn = pool.acquire().await.unwrap();
    history::upsert_maintenance(&mut conn, provider, &maintenance, false, now)
        .await
        .unwrap();
    if cancelled {
        history::cancel_maintenance(&mut *conn, provider, title, now)
            .await
            .unwrap();
    }
}

async fn event(
    pool: &PgPool,
    provider: ProviderId,
    incident: Option<IncidentId>,
    event: &Event,
    at: DateTime<Utc>,
) {
    let body = serde_json::to_value(event).unwrap();
    let new = NewEvent {
        provider,
        kind: event.kind(),
        incident,
        maintenance: None,
        body: &body,
        detected_at: at,
    };
    history::insert_event(pool, new).await.unwrap();
}

/// What the tests look at: GitHub with a bit of everything, GitLab that cannot be read,
/// two more without polls.
pub struct World {
    pub now: DateTime<Utc>,
    /// Ten days ago, to the second.
    pub t: DateTime<Utc>,
    pub gitlab_down_since: DateTime<Utc>,
    /// Open: identified, with a hostile update.
    pub ongoing: IncidentId,
    /// Resolved after 2h 5m; the vendor's first word came 12 minutes in.
    pub resolved: IncidentId,
    /// Resolved 45 minutes before it started, says the vendor; first seen closed.
    pub backwards: IncidentId,
    /// No status of its own; its newest update says resolved; no end time.
    pub quiet: IncidentId,
    pub old: IncidentId,
    pub gitlab_incident: IncidentId,
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

    use ComponentStatus::{DegradedPerformance, MajorOutage, Operational};
    components(
        pool,
        github,
        &[
            ("git", "Git Operations", None, Operational),
            ("runners", "Hosted runners", Some("Actions"), MajorOutage),
            ("api", "API Requests", None, Operational),
            ("cache", "Cache", Some("Actions"), DegradedPerformance),
        ],
    )
    .await;
    components(pool, gitlab, &[("web", "Website", None, Operational)]).await;

    let started = now - TimeDelta::hours(2);
    let ongoing = incident(
        pool,
        github,
        Seed {
            vendor_id: "inc-runners",
            title: "Actions runs delayed",
            impact: Some(Impact::Major),
            status: Some(IncidentStatus::Identified),
            started: Some(started),
            resolved: None,
            components: &["runners", "gone-component"],
            detected: started + minutes(1),
            backfilled: false,
            updates: &[
                (
                    "u1",
                    Some(IncidentStatus::Investigating),
                    "Looking into it.",
                    Some(started + minutes(7)),
                ),
                (
                    "u2",
                    Some(IncidentStatus::Identified),
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
            impact: Some(Impact::Minor),
            status: Some(IncidentStatus::Resolved),
            started: Some(t),
            resolved: Some(t + minutes(125)),
            components: &["api"],
            detected: t + minutes(3),
            backfilled: false,
            updates: &[
                (
                    "a2",
                    Some(IncidentStatus::Resolved),
                    "All good now.",
                    Some(t + minutes(125)),
                ),
                (
                    "a1",
                    Some(IncidentStatus::Investigating),
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
            impact: Some(Impact::Critical),
            status: Some(IncidentStatus::Resolved),
            started: Some(backwards_start),
            resolved: Some(backwards_start - minutes(45)),
            components: &[],
            detected: backwards_start + TimeDelta::days(1),
            backfilled: true,
            updates: &[(
                "b1",
                Some(IncidentStatus::Resolved),
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
                (
                    "q1",
                    Some(IncidentStatus::Investigating),
                    "Delays.",
                    Some(quiet_start),
                ),
                (
                    "q2",
                    Some(IncidentStatus::Resolved),
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
            impact: Some(Impact::Major),
            status: Some(IncidentStatus::Resolved),
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
            impact: Some(Impact::Major),
            status: Some(IncidentStatus::Investigating),
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
        MaintenanceStatus::Scheduled,
        upgrade,
        false,
    )
    .await;
    let past = (now - days(3), now - days(3) + TimeDelta::hours(1));
    maintenance(
        pool,
        github,
        "Past maintenance",
        MaintenanceStatus::Completed,
        past,
        false,
    )
    .await;
    maintenance(
        pool,
        github,
        "Cancelled maintenance",
        MaintenanceStatus::Scheduled,
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
