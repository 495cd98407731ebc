//! The public pages' world: GitHub with a bit of everything, GitLab that cannot be read, two
//! more without polls, written through `support::seed`.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgPool;
use vw_domain::{
    ComponentChange, ComponentStatus, Event, Impact, IncidentChange, IncidentId, IncidentStatus,
    MaintenanceStatus,
};

use crate::support::seed::{Seed, components, event, incident, maintenance, poll_state, provider};

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
