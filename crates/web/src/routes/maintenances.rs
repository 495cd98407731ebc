//! A maintenance's public page, where the calendar and the feed link to: its window, where
//! it stands, the components it names and everything the vendor said, as HTML or JSON.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use vw_domain::{CalendarStatus, MaintenanceId, MaintenanceStatus};
use vw_store::directory::{self, Component, MaintenanceDetail, MaintenanceUpdate, Provider};

use super::display::{UpdateLine, When, web_link};
use crate::auth::Visitor;
use crate::layout::Layout;
use crate::negotiate::Format;
use crate::{AppState, WebError};

struct Loaded {
    provider: Provider,
    maintenance: MaintenanceDetail,
    updates: Vec<MaintenanceUpdate>,
    components: Vec<Component>,
}

async fn load(state: &AppState, slug: &str, id: &str) -> Result<Loaded, WebError> {
    // A malformed slug or id names nothing: the same 404 as an unknown one, before any query.
    let slug = vw_domain::ProviderSlug::parse(slug).map_err(|_| WebError::NotFound)?;
    let id: MaintenanceId = id.parse().map_err(|_| WebError::NotFound)?;
    let db = &state.db;
    let provider = directory::provider_by_slug(db, slug.as_str()).await?;
    let maintenance = directory::maintenance(db, provider.id, id).await?;
    Ok(Loaded {
        updates: directory::maintenance_updates(db, maintenance.id).await?,
        components: directory::components(db, provider.id).await?,
        provider,
        maintenance,
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    format: Format,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    format.respond(
        load(&state, &slug, &id).await,
        |loaded| MaintenancePage::new(visitor.layout(), loaded).into_response(),
        |loaded| Json(MaintenanceDetailJson::new(&loaded)).into_response(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "maintenances/show.html")]
struct MaintenancePage {
    layout: Layout,
    provider_name: String,
    provider_href: String,
    title: String,
    /// The calendar's word ("in_progress"), for the colour, and its label.
    status: &'static str,
    status_label: &'static str,
    starts: Option<When>,
    ends: Option<When>,
    cancelled: Option<When>,
    detected: When,
    backfilled: bool,
    components: Vec<String>,
    updates: Vec<UpdateLine>,
    source_url: Option<String>,
    cut: bool,
}

impl MaintenancePage {
    fn new(layout: Layout, loaded: Loaded) -> Self {
        let Loaded {
            provider,
            maintenance: m,
            updates,
            components,
        } = loaded;
        let status = CalendarStatus::of(m.status, m.cancelled_at.is_some());
        MaintenancePage {
            layout,
            provider_href: format!("/providers/{}", provider.slug),
            status: status.as_str(),
            status_label: status.label(),
            starts: When::of(m.scheduled_for),
            ends: When::of(m.scheduled_until),
            cancelled: When::of(m.cancelled_at),
            detected: When::new(m.detected_at),
            backfilled: m.backfilled,
            cut: vw_domain::was_cut(&m.title)
                || updates.iter().any(|u| vw_domain::was_cut(&u.body)),
            components: m
                .components
                .iter()
                .map(|id| super::incidents::component_name(&components, id))
                .collect(),
            updates: updates
                .iter()
                .map(|u| {
                    UpdateLine::new(
                        u.status.map(|s| s.as_str()),
                        u.posted_at,
                        &u.body,
                        u.body_html.as_deref(),
                        u.edited_at,
                    )
                })
                .collect(),
            source_url: web_link(m.url.as_deref()).or_else(|| web_link(Some(&provider.status_url))),
            title: m.title,
            provider_name: provider.name,
        }
    }
}

/// The JSON: the maintenance as the provider page lists it, with what only vendorwatch
/// knows (`detected_at`, `cancelled_at`), the calendar's status word and the timeline.
#[derive(Serialize)]
struct MaintenanceDetailJson<'a> {
    id: MaintenanceId,
    vendor_id: &'a str,
    provider: &'a str,
    title: &'a str,
    /// The vendor's status; `calendar_status` adds "cancelled".
    status: Option<MaintenanceStatus>,
    calendar_status: &'static str,
    scheduled_for: Option<chrono::DateTime<chrono::Utc>>,
    scheduled_until: Option<chrono::DateTime<chrono::Utc>>,
    url: Option<&'a str>,
    components: &'a [String],
    detected_at: chrono::DateTime<chrono::Utc>,
    backfilled: bool,
    cancelled_at: Option<chrono::DateTime<chrono::Utc>>,
    updates: Vec<UpdateJson<'a>>,
}

#[derive(Serialize)]
struct UpdateJson<'a> {
    id: &'a str,
    status: Option<MaintenanceStatus>,
    body: &'a str,
    posted_at: Option<chrono::DateTime<chrono::Utc>>,
    detected_at: chrono::DateTime<chrono::Utc>,
}

impl<'a> MaintenanceDetailJson<'a> {
    fn new(loaded: &'a Loaded) -> Self {
        let m = &loaded.maintenance;
        MaintenanceDetailJson {
            id: m.id,
            vendor_id: &m.vendor_id,
            provider: &loaded.provider.slug,
            title: &m.title,
            status: m.status,
            calendar_status: CalendarStatus::of(m.status, m.cancelled_at.is_some()).as_str(),
            scheduled_for: m.scheduled_for,
            scheduled_until: m.scheduled_until,
            url: m.url.as_deref(),
            components: &m.components,
            detected_at: m.detected_at,
            backfilled: m.backfilled,
            cancelled_at: m.cancelled_at,
            updates: loaded
                .updates
                .iter()
                .map(|u| UpdateJson {
                    id: &u.vendor_id,
                    status: u.status,
                    body: &u.body,
                    posted_at: u.posted_at,
                    detected_at: u.detected_at,
                })
                .collect(),
        }
    }
}
