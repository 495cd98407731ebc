//! An incident's page, where every alert links to: what happened, when, for how long, and
//! everything the vendor said, as HTML or JSON.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use vw_domain::IncidentDuration;
use vw_domain::timeline::{self, describe};
use vw_store::directory::{self, Component, Incident, Provider, Update};

use super::directory_json::IncidentDetail;
use super::display::{UpdateLine, When, describe_duration, label, web_link};
use crate::auth::Visitor;
use crate::layout::Layout;
use crate::negotiate::Format;
use crate::{AppState, WebError};

struct Loaded {
    provider: Provider,
    incident: Incident,
    updates: Vec<Update>,
    components: Vec<Component>,
}

async fn load(state: &AppState, slug: &str, id: &str) -> Result<Loaded, WebError> {
    // A malformed slug or id names nothing: the same 404 as an unknown one, before any query
    // (PostgreSQL refuses NUL in text).
    let slug = vw_domain::ProviderSlug::parse(slug).map_err(|_| WebError::NotFound)?;
    let id: vw_domain::IncidentId = id.parse().map_err(|_| WebError::NotFound)?;
    let db = &state.db;
    let provider = directory::provider_by_slug(db, slug.as_str()).await?;
    let incident = directory::incident(db, provider.id, id).await?;
    Ok(Loaded {
        updates: directory::incident_updates(db, incident.id).await?,
        components: directory::components(db, provider.id).await?,
        provider,
        incident,
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
        |loaded| IncidentPage::new(visitor.layout(), loaded).into_response(),
        |loaded| Json(IncidentDetail::new(&loaded.incident, &loaded.updates)).into_response(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "incidents/show.html")]
struct IncidentPage {
    layout: Layout,
    provider_name: String,
    provider_href: String,
    title: String,
    /// The impact word, for the severity label and its colour.
    impact: Option<String>,
    status: Option<String>,
    started: Option<When>,
    resolved: Option<When>,
    duration: String,
    /// The vendor's times contradict each other (resolved before started).
    duration_flagged: bool,
    open: bool,
    detected: When,
    backfilled: bool,
    /// From the start to the vendor's first update.
    vendor_lag: Option<String>,
    /// Names of the affected components; empty when the vendor names none.
    components: Vec<String>,
    updates: Vec<UpdateLine>,
    source_url: Option<String>,
    /// vendorwatch cut the title or an update short (they were too long to keep whole).
    cut: bool,
}

impl IncidentPage {
    fn new(layout: Layout, loaded: Loaded) -> Self {
        let Loaded {
            provider,
            incident,
            updates,
            components,
        } = loaded;
        let status = incident.status;
        let duration = IncidentDuration::of(status, incident.started_at, incident.resolved_at);
        let lag = timeline::vendor_lag(incident.started_at, updates.iter().map(|u| u.posted_at));
        IncidentPage {
            layout,
            provider_href: format!("/providers/{}", provider.slug),
            impact: incident.impact.map(|i| i.as_str().to_owned()),
            status: status.map(|s| label(s.as_str())),
            started: When::of(incident.started_at),
            resolved: When::of(incident.resolved_at),
            duration: describe_duration(duration),
            duration_flagged: matches!(duration, IncidentDuration::ResolvedBeforeStarted { .. }),
            open: timeline::is_open(status),
            cut: vw_domain::was_cut(&incident.title)
                || updates.iter().any(|u| vw_domain::was_cut(&u.body)),
            detected: When::new(incident.detected_at),
            backfilled: incident.backfilled,
            vendor_lag: lag.map(|lag| {
                if lag.is_zero() {
                    "at the start".to_owned()
                } else {
                    format!("{} after the start", describe(lag))
                }
            }),
            components: incident
                .components
                .iter()
                .map(|id| component_name(&components, id))
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
            source_url: web_link(incident.url.as_deref())
                .or_else(|| web_link(Some(&provider.status_url))),
            title: incident.title,
            provider_name: provider.name,
        }
    }
}

/// "Group / Name", or the vendor's id of a component its page lists no more.
pub(super) fn component_name(components: &[Component], id: &str) -> String {
    match components.iter().find(|c| c.vendor_id == id) {
        Some(Component {
            name,
            group: Some(group),
            ..
        }) => format!("{group} / {name}"),
        Some(component) => component.name.clone(),
        None => id.to_owned(),
    }
}
