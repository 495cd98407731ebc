//! The calendar tests' world: GitHub with three components (two in the Actions group) and
//! maintenances on them, Stripe with one; Acme watching GitHub's API only, Bobco watching
//! Stripe.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use vw_domain::{
    ComponentStatus, Maintenance, MaintenanceId, MaintenanceStatus, ProviderId, Update,
};

use crate::app::{App, Browser};
use crate::support::seed;

pub fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

pub struct World {
    pub github: ProviderId,
    pub ada: Browser,
    pub bob: Browser,
    /// GitHub's, on the API, 10 March 2027 22:00 to 12 March 01:00 UTC.
    pub api_upgrade: MaintenanceId,
}

pub fn maintenance(
    id: &str,
    title: &str,
    status: MaintenanceStatus,
    window: (&str, Option<&str>),
    components: &[&str],
) -> Maintenance {
    Maintenance {
        id: id.into(),
        title: title.into(),
        status: Some(status),
        scheduled_for: Some(at(window.0)),
        scheduled_until: window.1.map(at),
        url: Some(format!("https://www.githubstatus.com/incidents/{id}")),
        components: components.iter().map(|c| (*c).to_owned()).collect(),
        updates: Vec::new(),
    }
}

/// Adds a monitor of `slug` from the dashboard; with `components`, narrows it to them.
pub async fn watch(browser: &Browser, slug: &str, components: &[&str]) {
    let added = browser
        .submit("/dashboard", "/monitors", &[("provider", slug)])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    if components.is_empty() {
        return;
    }
    let path = added.location().unwrap().to_owned();
    let mut fields = vec![("scope", "chosen")];
    fields.extend(components.iter().map(|c| ("component", *c)));
    let saved = browser
        .submit(&path, &format!("{path}/components"), &fields)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

pub async fn world(app: &App) -> World {
    let pool = &app.db.pool;
    let github = seed::provider(pool, "github", "GitHub").await;
    let stripe = seed::provider(pool, "stripe", "Stripe").await;
    use ComponentStatus::Operational;
    seed::components(
        pool,
        github,
        &[
            ("api", "API Requests", None, Operational),
            ("runners", "Hosted runners", Some("Actions"), Operational),
            ("cache", "Cache", Some("Actions"), Operational),
        ],
    )
    .await;
    seed::components(pool, stripe, &[("pay", "Payments", None, Operational)]).await;
    let seen = at("2027-03-01T09:00:00Z");
    let mut upgrade = maintenance(
        "m-api",
        "API upgrade",
        MaintenanceStatus::Scheduled,
        ("2027-03-10T22:00:00Z", Some("2027-03-12T01:00:00Z")),
        &["api"],
    );
    upgrade.updates = vec![Update {
        id: "u1".into(),
        status: Some(MaintenanceStatus::Scheduled),
        body: "We will upgrade **the API** <script>alert(1)</script>".into(),
        posted_at: Some(seen),
    }];
    let api_upgrade = seed::maintenance_read(pool, github, &upgrade, seen).await;
    for m in [
        maintenance(
            "m-runners",
            "Runner images",
            MaintenanceStatus::Scheduled,
            ("2027-03-15T10:00:00Z", Some("2027-03-15T12:00:00Z")),
            &["runners"],
        ),
        maintenance(
            "m-all",
            "Network work",
            MaintenanceStatus::Scheduled,
            ("2027-03-20T23:30:00Z", Some("2027-03-20T23:50:00Z")),
            &[],
        ),
    ] {
        seed::maintenance_read(pool, github, &m, seen).await;
    }
    let pay = maintenance(
        "m-pay",
        "Payments failover",
        MaintenanceStatus::Scheduled,
        ("2027-03-05T10:00:00Z", Some("2027-03-05T11:00:00Z")),
        &[],
    );
    seed::maintenance_read(pool, stripe, &pay, seen).await;

    let ada = app.member("ada@example.com", "Acme").await;
    watch(&ada, "github", &["api"]).await;
    let bob = app.member("bob@example.com", "Bobco").await;
    watch(&bob, "stripe", &[]).await;
    World {
        github,
        ada,
        bob,
        api_upgrade,
    }
}
