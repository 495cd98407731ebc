//! A provider's page: its state, components, incidents, maintenances and recent changes, as
//! HTML or JSON. A provider that is the same page as another (`same_as`) redirects there.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use vw_domain::{ComponentStatus, Event, ProviderSlug};
use vw_store::directory::{self, Component, Incident, Maintenance, Provider, RecentEvent};

use super::directory_json::{ComponentJson, EventJson, IncidentSummary, MaintenanceJson};
use super::display::{IncidentLine, When, label, provider_state, status_class, web_link};
use crate::auth::Visitor;
use crate::layout::Layout;
use crate::negotiate::Format;
use crate::{AppState, WebError};

/// How far back a provider's page lists incidents.
const HISTORY_DAYS: i64 = 90;
/// Enough for any real provider's 90 days; a page is not the place for more.
const HISTORY_LIMIT: i64 = 500;
const RECENT_EVENTS: i64 = 20;

/// Everything a provider's page shows.
struct Loaded {
    provider: Provider,
    components: Vec<Component>,
    active: Vec<Incident>,
    maintenances: Vec<Maintenance>,
    recent: Vec<Incident>,
    events: Vec<RecentEvent>,
}

/// What a provider's address shows: its page, or the provider that is the same page and is
/// shown in its place.
enum Shown {
    Here(Box<Loaded>),
    SameAs(String),
}

async fn load(state: &AppState, slug: &str) -> Result<Shown, WebError> {
    // What is no slug names no provider: the same 404 as an unknown one, before any query
    // (PostgreSQL refuses NUL in text).
    let slug = ProviderSlug::parse(slug).map_err(|_| WebError::NotFound)?;
    let db = &state.db;
    let provider = directory::provider_by_slug(db, slug.as_str()).await?;
    if let Some(first) = provider.same_as {
        return Ok(Shown::SameAs(first));
    }
    let now = Utc::now();
    Ok(Shown::Here(Box::new(Loaded {
        components: directory::components(db, provider.id).await?,
        active: directory::active_incidents(db, provider.id).await?,
        maintenances: directory::upcoming_maintenances(db, provider.id, now).await?,
        recent: directory::incidents_since(
            db,
            provider.id,
            now - TimeDelta::days(HISTORY_DAYS),
            HISTORY_LIMIT,
        )
        .await?,
        events: directory::recent_events(db, provider.id, RECENT_EVENTS).await?,
        provider,
    })))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    format: Format,
    Path(slug): Path<String>,
) -> Response {
    let loaded = match load(&state, &slug).await {
        // Temporary: which of the two addresses is shown follows what polls find.
        Ok(Shown::SameAs(first)) => {
            return Redirect::temporary(&format!("/providers/{first}")).into_response();
        }
        Ok(Shown::Here(loaded)) => Ok(*loaded),
        Err(error) => Err(error),
    };
    format.respond(
        loaded,
        |loaded| ProviderPage::new(visitor.layout(), loaded).into_response(),
        |loaded| Json(ProviderJson::new(&loaded)).into_response(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "providers/show.html")]
struct ProviderPage {
    layout: Layout,
    name: String,
    /// The vendor's page, when its URL is a web link.
    status_url: Option<String>,
    homepage: Option<String>,
    state: String,
    state_class: &'static str,
    last_checked: Option<When>,
    /// Set while vendorwatch cannot read the page; `None` inside when it never could.
    unreachable: Option<Option<When>>,
    /// Why the last read failed, while reads fail but the page is not yet unreachable.
    last_failure: Option<String>,
    /// The last read with news skipped an item it could not read.
    partial: bool,
    groups: Vec<ComponentGroup>,
    active: Vec<IncidentLine>,
    maintenances: Vec<MaintenanceLine>,
    recent: Vec<IncidentLine>,
    events: Vec<EventLine>,
}

struct ComponentGroup {
    /// `None` for components outside any group.
    name: Option<String>,
    components: Vec<ComponentLine>,
}

struct ComponentLine {
    name: String,
    status: String,
    class: &'static str,
}

struct MaintenanceLine {
    title: String,
    status: Option<String>,
    starts: Option<When>,
    ends: Option<When>,
    /// Its page here.
    href: String,
}

struct EventLine {
    at: When,
    what: String,
    /// What it is about (vendor text, shown isolated), linked when it has a page here.
    subject: Option<String>,
    /// Our words after the subject (a component's status move).
    detail: Option<String>,
    href: Option<String>,
}

impl ProviderPage {
    fn new(layout: Layout, loaded: Loaded) -> Self {
        let Loaded {
            provider,
            components,
            active,
            maintenances,
            recent,
            events,
        } = loaded;
        let worst = components.iter().filter_map(|c| c.status).max();
        let (state, state_class) = provider_state(
            provider.unreachable,
            provider.last_checked_at.is_some(),
            worst,
        );
        let slug = provider.slug.as_str();
        ProviderPage {
            layout,
            state,
            state_class,
            last_checked: When::of(provider.last_checked_at),
            unreachable: provider
                .unreachable
                .then(|| When::of(provider.failing_since)),
            last_failure: provider
                .last_failure
                .as_ref()
                .filter(|_| !provider.unreachable)
                .map(|(kind, message)| failure_text(*kind, message)),
            partial: provider.last_read_partial,
            events: events
                .iter()
                .map(|e| EventLine::new(slug, &components, e))
                .collect(),
            groups: group(&components),
            active: active.iter().map(|i| IncidentLine::new(slug, i)).collect(),
            maintenances: maintenances
                .into_iter()
                .map(|m| MaintenanceLine {
                    status: m.status.map(|s| label(s.as_str())),
                    starts: When::of(m.scheduled_for),
                    ends: When::of(m.scheduled_until),
                    href: format!("/providers/{slug}/maintenances/{}", m.id),
                    title: m.title,
                })
                .collect(),
            recent: recent.iter().map(|i| IncidentLine::new(slug, i)).collect(),
            name: provider.name,
            status_url: web_link(Some(&provider.status_url)),
            homepage: web_link(provider.homepage.as_deref()),
        }
    }
}

/// Components by group, groups in the order the vendor first lists them.
fn group(components: &[Component]) -> Vec<ComponentGroup> {
    let mut groups: Vec<ComponentGroup> = Vec::new();
    for component in components {
        let line = ComponentLine {
            name: component.name.clone(),
            status: component
                .status
                .map_or_else(|| "Unknown".to_owned(), |s| label(s.as_str())),
            class: component.status.map_or("unknown", status_class),
        };
        match groups.iter_mut().find(|g| g.name == component.group) {
            Some(group) => group.components.push(line),
            None => groups.push(ComponentGroup {
                name: component.group.clone(),
                components: vec![line],
            }),
        }
    }
    groups
}

impl EventLine {
    fn new(slug: &str, components: &[Component], recent: &RecentEvent) -> Self {
        let what = match &recent.event {
            Event::IncidentOpened(c) if c.reopened => "Incident reopened",
            Event::IncidentOpened(_) => "Incident opened",
            Event::IncidentUpdated(c) if c.edited => "Incident update edited",
            Event::IncidentUpdated(_) => "Incident updated",
            Event::IncidentResolved(c) if c.backfilled => "Past incident recorded",
            Event::IncidentResolved(_) => "Incident resolved",
            Event::PostmortemPublished(_) => "Postmortem published",
            Event::MaintenanceScheduled(c) if c.rescheduled => "Maintenance rescheduled",
            Event::MaintenanceScheduled(_) => "Maintenance scheduled",
            Event::MaintenanceStarted(_) => "Maintenance started",
            Event::MaintenanceCompleted(_) => "Maintenance completed",
            Event::MaintenanceCancelled(_) => "Maintenance cancelled",
            Event::ComponentStatusChanged(_) => "Component status changed",
            Event::ProviderUnreachable(_) => "vendorwatch cannot read the status page",
            Event::ProviderRecovered(_) => "vendorwatch reads the status page again",
        };
        let (subject, detail, href) = match (&recent.event, &recent.incident, &recent.maintenance) {
            (Event::ComponentStatusChanged(c), _, _) => {
                let name = components
                    .iter()
                    .find(|k| k.vendor_id == c.component_id)
                    .map_or(c.component_id.as_str(), |k| k.name.as_str());
                let change = format!(
                    "{} → {}",
                    label(c.from.as_str()),
                    label(c.to.as_str()).to_lowercase()
                );
                (Some(name.to_owned()), Some(change), None)
            }
            (_, Some((id, title)), _) => (
                Some(title.clone()),
                None,
                Some(format!("/providers/{slug}/incidents/{id}")),
            ),
            (_, None, Some((id, title))) => (
                Some(title.clone()),
                None,
                Some(format!("/providers/{slug}/maintenances/{id}")),
            ),
            _ => (None, None, None),
        };
        EventLine {
            at: When::new(recent.detected_at),
            what: what.to_owned(),
            subject,
            detail,
            href,
        }
    }
}

/// A failed read as a person reads it: what kind of failure, and the error, cut short.
fn failure_text(kind: vw_domain::PollFailure, message: &str) -> String {
    const MAX: usize = 300;
    let mut text: String = message.chars().take(MAX).collect();
    if message.chars().count() > MAX {
        text.push('…');
    }
    format!("{} ({text})", kind.describe())
}

#[derive(Serialize)]
struct ReadFailureJson<'a> {
    kind: vw_domain::PollFailure,
    message: &'a str,
}

#[derive(Serialize)]
struct ProviderJson<'a> {
    id: vw_domain::ProviderId,
    slug: &'a str,
    name: &'a str,
    homepage: Option<&'a str>,
    status_url: &'a str,
    platform: Option<vw_domain::Platform>,
    /// The worst status among its components.
    status: Option<ComponentStatus>,
    last_checked_at: Option<DateTime<Utc>>,
    unreachable: bool,
    /// When the reads began to fail, while vendorwatch cannot read the page.
    unreachable_since: Option<DateTime<Utc>>,
    /// Why the last read failed, while reads are failing.
    last_read_error: Option<ReadFailureJson<'a>>,
    /// The last read with news skipped an item it could not read.
    last_read_partial: bool,
    components: Vec<ComponentJson<'a>>,
    active_incidents: Vec<IncidentSummary<'a>>,
    upcoming_maintenances: Vec<MaintenanceJson<'a>>,
    /// The last 90 days, newest first.
    incidents: Vec<IncidentSummary<'a>>,
    recent_events: Vec<EventJson<'a>>,
}

impl<'a> ProviderJson<'a> {
    fn new(loaded: &'a Loaded) -> Self {
        let provider = &loaded.provider;
        ProviderJson {
            id: provider.id,
            slug: &provider.slug,
            name: &provider.name,
            homepage: provider.homepage.as_deref(),
            status_url: &provider.status_url,
            platform: provider.platform,
            status: loaded.components.iter().filter_map(|c| c.status).max(),
            last_checked_at: provider.last_checked_at,
            unreachable: provider.unreachable,
            unreachable_since: provider.failing_since.filter(|_| provider.unreachable),
            last_read_error: provider.last_failure.as_ref().map(|(kind, message)| {
                ReadFailureJson {
                    kind: *kind,
                    message,
                }
            }),
            last_read_partial: provider.last_read_partial,
            components: loaded.components.iter().map(ComponentJson::new).collect(),
            active_incidents: loaded.active.iter().map(IncidentSummary::new).collect(),
            upcoming_maintenances: loaded
                .maintenances
                .iter()
                .map(MaintenanceJson::new)
                .collect(),
            incidents: loaded.recent.iter().map(IncidentSummary::new).collect(),
            recent_events: loaded.events.iter().map(EventJson::new).collect(),
        }
    }
}
