//! A maintenance's public page, where the calendar and the feed link to: its window, where
//! it stands, the components it names and everything the vendor said, as HTML or JSON.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use vw_domain::{CalendarStatus, MaintenanceId};
use vw_store::directory::{self, Component, MaintenanceDetail, MaintenanceUpdate, Provider};

use super::directory_json::MaintenanceDetailJson;
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
        |loaded| {
            Json(MaintenanceDetailJson::new(
                &loaded.maintenance,
                &loaded.provider.slug,
                Some(&loaded.updates),
            ))
            .into_response()
        },
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
