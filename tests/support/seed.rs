//! Data written through the store's own functions, the way the product writes it (polls,
//! sign-up, monitors). Only poll bookkeeping set from outside a poll (when a page was last
//! read, since when it fails) is written with SQL: no store function writes it so.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use vw_domain::{
    Component, ComponentStatus, EmailAddress, Event, Impact, Incident, IncidentId, IncidentStatus,
    Maintenance, MaintenanceStatus, Platform, ProviderId, ProviderSlug, StatusPageUrl, Update,
    UserId, WorkspaceId, WorkspaceName,
};
use vw_store::history::{self, NewEvent};

/// A provider at `https://status.<slug>.example`, on Statuspage, due for its first poll now.
pub async fn provider(pool: &PgPool, slug: &str, name: &str) -> ProviderId {
    provider_at(
        pool,
        slug,
        name,
        &format!("https://status.{slug}.example"),
        Some(Platform::Statuspage),
    )
    .await
}

/// A provider whose page is `url`, due now, as the catalog adds one: with its platform, or
/// none (detected at the first poll).
pub async fn provider_at(
    pool: &PgPool,
    slug: &str,
    name: &str,
    url: &str,
    platform: Option<Platform>,
) -> ProviderId {
    let listing = vw_store::catalog::Listing {
        slug: ProviderSlug::parse(slug).unwrap(),
        name: name.to_owned(),
        homepage: None,
        status_url: StatusPageUrl::parse(url).unwrap(),
        platform,
    };
    let mut tx = pool.begin().await.unwrap();
    vw_store::catalog::upsert(&mut tx, &listing, std::time::Duration::ZERO)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    vw_store::directory::provider_by_slug(pool, slug)
        .await
        .unwrap()
        .id
}

/// A user (who never signs in: the hash is no password's) owning a new workspace.
pub async fn workspace(pool: &PgPool, email: &str, name: &str) -> (UserId, WorkspaceId) {
    let user = UserId::new();
    let mut tx = vw_store::begin(pool).await.unwrap();
    vw_store::users::insert(
        &mut *tx,
        user,
        &EmailAddress::parse(email).unwrap(),
        "unusable",
    )
    .await
    .unwrap();
    let workspace = vw_app::workspaces::create(&mut tx, user, &WorkspaceName::parse(name).unwrap())
        .await
        .unwrap();
    vw_store::commit(tx).await.unwrap();
    (user, workspace)
}

pub async fn poll_state(
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
pub type ComponentSeed<'a> = (&'a str, &'a str, Option<&'a str>, ComponentStatus);

pub async fn components(pool: &PgPool, provider: ProviderId, seeds: &[ComponentSeed<'_>]) {
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
pub type UpdateSeed<'a> = (
    &'a str,
    Option<IncidentStatus>,
    &'a str,
    Option<DateTime<Utc>>,
);

pub struct Seed<'a> {
    pub vendor_id: &'a str,
    pub title: &'a str,
    pub impact: Option<Impact>,
    pub status: Option<IncidentStatus>,
    pub started: Option<DateTime<Utc>>,
    pub resolved: Option<DateTime<Utc>>,
    pub components: &'a [&'a str],
    pub detected: DateTime<Utc>,
    pub backfilled: bool,
    pub updates: &'a [UpdateSeed<'a>],
}

/// Writes the incident as polls would have: first seen at `detected`, then each update when
/// it was posted (never before the incident was seen).
pub async fn incident(pool: &PgPool, provider: ProviderId, seed: Seed<'_>) -> IncidentId {
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
            history::upsert_incident(
                &mut conn,
                provider,
                &incident,
                &html(&incident.updates),
                seed.backfilled,
                at,
            )
            .await
            .unwrap(),
        );
    }
    id.unwrap()
}

pub async fn maintenance(
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
    history::upsert_maintenance(&mut conn, provider, &maintenance, &[], false, now)
        .await
        .unwrap();
    if cancelled {
        history::cancel_maintenance(&mut *conn, provider, title, now)
            .await
            .unwrap();
    }
}

pub async fn event(
    pool: &PgPool,
    provider: ProviderId,
    incident: Option<IncidentId>,
    event: &Event,
    at: DateTime<Utc>,
) {
    let new = NewEvent {
        provider,
        event,
        incident,
        maintenance: None,
        detected_at: at,
    };
    history::insert_event(pool, new).await.unwrap();
}

/// The updates' bodies rendered as the poller renders them when it writes.
pub fn html<S>(updates: &[Update<S>]) -> Vec<String> {
    updates
        .iter()
        .map(|u| vw_markup::to_safe_html(&u.body))
        .collect()
}

/// Writes the maintenance as a poll at `at` finding it so would (what the vendor says now);
/// returns our id.
pub async fn maintenance_read(
    pool: &PgPool,
    provider: ProviderId,
    maintenance: &Maintenance,
    at: DateTime<Utc>,
) -> vw_domain::MaintenanceId {
    let mut conn = pool.acquire().await.unwrap();
    history::upsert_maintenance(
        &mut conn,
        provider,
        maintenance,
        &html(&maintenance.updates),
        false,
        at,
    )
    .await
    .unwrap()
}

/// A poll at `at` finds the maintenance listed no more: cancelled.
pub async fn maintenance_gone(
    pool: &PgPool,
    provider: ProviderId,
    vendor_id: &str,
    at: DateTime<Utc>,
) {
    history::cancel_maintenance(pool, provider, vendor_id, at)
        .await
        .unwrap();
}
