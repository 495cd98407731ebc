//! A fake vendor: a Statuspage-shaped site on loopback whose state is changed step by step —
//! an incident opened on a chosen component, an update posted, the incident resolved, a
//! maintenance scheduled. Its documents are derived from real Statuspage payloads compiled
//! in (`tests/fixtures/atlassian-statuspage/`, unedited): Atlassian Bitbucket's page and
//! components, its incident and update as the shape of ours, Claude's scheduled maintenance as
//! the shape of a maintenance. It answers with ETags and 304s, as Statuspage does.
//!
//! `vendorwatch demo` runs one so that anybody sees vendorwatch work without a vendor in
//! trouble; the journey test (`tests/browser/journey.rs`) drives one from the outside.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use vw_domain::{ComponentStatus, Impact, IncidentStatus};

use super::escape;

/// The page and its components (all operational; its one incident is dropped).
const SUMMARY: &str = include_str!(
    "../../tests/fixtures/atlassian-statuspage/bitbucket-summary-operational-2026-07-31.json"
);
/// Scheduled maintenances as Statuspage lists them.
const MAINTENANCES: &str = include_str!(
    "../../tests/fixtures/atlassian-statuspage/claude-scheduled-maintenances-completed-2026-09-15.json"
);

/// The documents a Statuspage poll reads, under the site's root.
const SUMMARY_PATH: &str = "/api/v2/summary.json";
const INCIDENTS_PATH: &str = "/api/v2/incidents.json";
const MAINTENANCES_PATH: &str = "/api/v2/scheduled-maintenances.json";

/// One component of the page, as the vendor names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub id: String,
    pub name: String,
}

/// A running fake vendor; it serves until the runtime ends.
#[derive(Clone)]
pub struct FakeVendor {
    /// `http://127.0.0.1:<port>/`: what a person pastes.
    base: String,
    page: Arc<Mutex<Page>>,
}

/// What the vendor says right now.
struct Page {
    /// The fixture's page object, `url` pointing here.
    page: Value,
    components: Vec<Value>,
    /// The shapes ours are made from.
    incident_shape: Value,
    update_shape: Value,
    maintenance_shape: Value,
    incidents: Vec<Value>,
    maintenances: Vec<Value>,
    /// Moves on every change; the documents' ETag.
    version: u64,
    next_id: u64,
}

impl FakeVendor {
    /// Starts the vendor on a free loopback port.
    pub async fn start() -> anyhow::Result<FakeVendor> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the fake vendor")?;
        FakeVendor::serve(listener)
    }

    /// Serves the vendor on `listener`.
    pub fn serve(listener: TcpListener) -> anyhow::Result<FakeVendor> {
        let base = format!("http://{}/", listener.local_addr()?);
        let page = Page::from_fixtures(&base)?;
        let vendor = FakeVendor {
            base,
            page: Arc::new(Mutex::new(page)),
        };
        let router = Router::new().fallback(answer).with_state(vendor.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the fake vendor stopped");
            }
        });
        Ok(vendor)
    }

    /// The site's root URL, with its trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The page's name as the vendor gives it.
    pub fn name(&self) -> String {
        self.with(|page| page.page["name"].as_str().unwrap_or_default().to_owned())
    }

    /// The page's components, in the vendor's order.
    pub fn components(&self) -> Vec<Component> {
        self.with(|page| {
            page.components
                .iter()
                .map(|c| Component {
                    id: c["id"].as_str().unwrap_or_default().to_owned(),
                    name: c["name"].as_str().unwrap_or_default().to_owned(),
                })
                .collect()
        })
    }

    /// The component named `name`.
    pub fn component(&self, name: &str) -> anyhow::Result<Component> {
        self.components()
            .into_iter()
            .find(|c| c.name == name)
            .with_context(|| format!("the vendor has no component {name:?}"))
    }

    /// Opens an incident (major, investigating) on `component`, which goes into a major
    /// outage; returns the vendor's id of the incident.
    pub fn open_incident(&self, component: &Component, title: &str, text: &str) -> String {
        self.change(|page, now| {
            let id = page.new_id();
            let mut incident = page.incident_shape.clone();
            incident["id"] = json!(id);
            incident["name"] = json!(title);
            incident["impact"] = json!(Impact::Major.as_str());
            incident["created_at"] = json!(stamp(now));
            incident["started_at"] = json!(stamp(now));
            incident["monitoring_at"] = Value::Null;
            incident["resolved_at"] = Value::Null;
            incident["shortlink"] = json!(page.link(&id));
            incident["incident_updates"] = json!([]);
            incident["components"] = json!(
                page.components
                    .iter()
                    .filter(|c| c["id"] == component.id.as_str())
                    .cloned()
                    .collect::<Vec<_>>()
            );
            page.incidents.insert(0, incident);
            page.post(&id, IncidentStatus::Investigating, text, now);
            id
        })
    }

    /// Posts an update to incident `id`, moving it to `status`.
    pub fn post_update(&self, id: &str, status: IncidentStatus, text: &str) {
        self.change(|page, now| page.post(id, status, text, now));
    }

    /// Resolves incident `id` with a last update; its components are operational again.
    pub fn resolve(&self, id: &str, text: &str) {
        self.post_update(id, IncidentStatus::Resolved, text);
    }

    /// Schedules a maintenance of `component` from `starts` to `ends`; returns its id.
    pub fn schedule_maintenance(
        &self,
        component: &Component,
        title: &str,
        text: &str,
        (starts, ends): (DateTime<Utc>, DateTime<Utc>),
    ) -> String {
        self.change(|page, now| {
            let id = page.new_id();
            let mut maintenance = page.maintenance_shape.clone();
            let components: Vec<Value> = page
                .components
                .iter()
                .filter(|c| c["id"] == component.id.as_str())
                .cloned()
                .collect();
            let mut update = maintenance["incident_updates"]
                .as_array()
                .and_then(|updates| updates.last())
                .cloned()
                .unwrap_or_else(|| json!({}));
            update["id"] = json!(page.new_id());
            update["incident_id"] = json!(id);
            update["status"] = json!("scheduled");
            update["body"] = json!(text);
            for key in ["created_at", "updated_at", "display_at"] {
                update[key] = json!(stamp(now));
            }
            update["affected_components"] = affected(
                &components,
                ComponentStatus::Operational,
                ComponentStatus::Operational,
            );
            maintenance["id"] = json!(id);
            maintenance["name"] = json!(title);
            maintenance["status"] = json!("scheduled");
            maintenance["page_id"] = page.page["id"].clone();
            maintenance["created_at"] = json!(stamp(now));
            maintenance["updated_at"] = json!(stamp(now));
            maintenance["started_at"] = json!(stamp(now));
            maintenance["monitoring_at"] = Value::Null;
            maintenance["resolved_at"] = Value::Null;
            maintenance["scheduled_for"] = json!(stamp(starts));
            maintenance["scheduled_until"] = json!(stamp(ends));
            maintenance["shortlink"] = json!(page.link(&id));
            maintenance["components"] = json!(components);
            maintenance["incident_updates"] = json!([update]);
            page.maintenances.insert(0, maintenance);
            id
        })
    }

    fn with<T>(&self, read: impl FnOnce(&Page) -> T) -> T {
        read(&self.page.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// A change to the page: a new version, the page's `updated_at` moved, as Statuspage does.
    fn change<T>(&self, write: impl FnOnce(&mut Page, DateTime<Utc>) -> T) -> T {
        let mut page = self.page.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Utc::now();
        let result = write(&mut page, now);
        page.version += 1;
        page.page["updated_at"] = json!(stamp(now));
        result
    }
}

impl Page {
    fn from_fixtures(base: &str) -> anyhow::Result<Page> {
        let summary: Value = serde_json::from_str(SUMMARY).context("the summary fixture")?;
        let maintenances: Value =
            serde_json::from_str(MAINTENANCES).context("the maintenances fixture")?;
        let mut page = summary["page"].clone();
        page["url"] = json!(base.trim_end_matches('/'));
        let incident_shape = summary["incidents"][0].clone();
        let update_shape = incident_shape["incident_updates"][0].clone();
        let maintenance_shape = maintenances["scheduled_maintenances"][0].clone();
        anyhow::ensure!(
            incident_shape.is_object() && update_shape.is_object() && maintenance_shape.is_object(),
            "the fixtures lost their incident, update or maintenance"
        );
        Ok(Page {
            page,
            components: summary["components"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
            incident_shape,
            update_shape,
            maintenance_shape,
            incidents: Vec::new(),
            maintenances: Vec::new(),
            version: 1,
            next_id: 0,
        })
    }

    /// The vendor's own page of incident or maintenance `id`.
    fn link(&self, id: &str) -> String {
        format!(
            "{}/incidents/{id}",
            self.page["url"].as_str().unwrap_or_default()
        )
    }

    /// A Statuspage-looking id (12 lower-case letters and digits), unique on this page.
    fn new_id(&mut self) -> String {
        self.next_id += 1;
        let random = uuid::Uuid::new_v4().simple().to_string();
        format!("{}{:04}", &random[..8], self.next_id % 10_000)
    }

    /// Adds an update to incident `id`, its status becoming the incident's.
    fn post(&mut self, id: &str, status: IncidentStatus, text: &str, now: DateTime<Utc>) {
        let update_id = self.new_id();
        let mut update = self.update_shape.clone();
        let Some(incident) = self.incidents.iter_mut().find(|i| i["id"] == id) else {
            return;
        };
        let old = if incident["incident_updates"] == json!([]) {
            ComponentStatus::Operational
        } else {
            ComponentStatus::MajorOutage
        };
        let new = if status.is_closed() {
            ComponentStatus::Operational
        } else {
            ComponentStatus::MajorOutage
        };
        let components = incident["components"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        update["id"] = json!(update_id);
        update["incident_id"] = json!(id);
        update["status"] = json!(status.as_str());
        update["body"] = json!(text);
        for key in ["created_at", "updated_at", "display_at"] {
            update[key] = json!(stamp(now));
        }
        update["affected_components"] = affected(&components, old, new);
        incident["status"] = json!(status.as_str());
        incident["updated_at"] = json!(stamp(now));
        match status {
            IncidentStatus::Monitoring => incident["monitoring_at"] = json!(stamp(now)),
            s if s.is_closed() => incident["resolved_at"] = json!(stamp(now)),
            _ => {}
        }
        if let Some(updates) = incident["incident_updates"].as_array_mut() {
            updates.insert(0, update);
        }
    }

    fn is_open(incident: &Value) -> bool {
        !matches!(incident["status"].as_str(), Some("resolved" | "postmortem"))
    }

    /// Each component's status: a major outage while an open incident names it.
    fn components_now(&self) -> Vec<Value> {
        let mut components = self.components.clone();
        for component in &mut components {
            let hit = self.incidents.iter().filter(|i| Page::is_open(i)).any(|i| {
                i["components"]
                    .as_array()
                    .is_some_and(|cs| cs.iter().any(|c| c["id"] == component["id"]))
            });
            let status = if hit {
                ComponentStatus::MajorOutage
            } else {
                ComponentStatus::Operational
            };
            component["status"] = json!(status.as_str());
        }
        components
    }

    fn document(&self, path: &str) -> Option<Value> {
        let open: Vec<Value> = self
            .incidents
            .iter()
            .filter(|i| Page::is_open(i))
            .cloned()
            .collect();
        let upcoming: Vec<Value> = self
            .maintenances
            .iter()
            .filter(|m| matches!(m["status"].as_str(), Some("scheduled" | "in_progress")))
            .cloned()
            .collect();
        Some(match path {
            SUMMARY_PATH => json!({
                "page": self.page,
                "components": self.components_now(),
                "incidents": open,
                "scheduled_maintenances": upcoming,
                "status": if open.is_empty() {
                    json!({"indicator": "none", "description": "All Systems Operational"})
                } else {
                    json!({"indicator": "major", "description": "Major System Outage"})
                },
            }),
            INCIDENTS_PATH => json!({"page": self.page, "incidents": self.incidents}),
            MAINTENANCES_PATH => {
                json!({"page": self.page, "scheduled_maintenances": self.maintenances})
            }
            _ => return None,
        })
    }

    /// The page a person opening the vendor's address sees.
    fn html(&self) -> String {
        let name = escape(self.page["name"].as_str().unwrap_or_default());
        let mut html = format!(
            "<!doctype html><meta charset=utf-8><title>{name} status (fake)</title>\
             <h1>{name} status</h1><p>A fake vendor for vendorwatch, made from a real \
             Statuspage payload. Its documents: <a href=\"{SUMMARY_PATH}\">summary</a>, \
             <a href=\"{INCIDENTS_PATH}\">incidents</a>, \
             <a href=\"{MAINTENANCES_PATH}\">maintenances</a>.</p><h2>Incidents</h2><ul>"
        );
        for incident in &self.incidents {
            let _ = write!(
                html,
                "<li id=\"{}\">{} — {}</li>",
                escape(incident["id"].as_str().unwrap_or_default()),
                escape(incident["name"].as_str().unwrap_or_default()),
                escape(incident["status"].as_str().unwrap_or_default()),
            );
        }
        html.push_str("</ul><h2>Components</h2><ul>");
        for component in self.components_now() {
            let _ = write!(
                html,
                "<li>{} — {}</li>",
                escape(component["name"].as_str().unwrap_or_default()),
                escape(component["status"].as_str().unwrap_or_default()),
            );
        }
        html.push_str("</ul>");
        html
    }
}

/// The `affected_components` of an update naming `components`.
fn affected(components: &[Value], old: ComponentStatus, new: ComponentStatus) -> Value {
    let named = |c: &Value| {
        json!({
            "code": c["id"],
            "name": c["name"],
            "old_status": old.as_str(),
            "new_status": new.as_str(),
        })
    };
    json!(components.iter().map(named).collect::<Vec<_>>())
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

async fn answer(State(vendor): State<FakeVendor>, request: Request) -> Response {
    let path = request.uri().path();
    let (etag, document) =
        vendor.with(|page| (format!("\"v{}\"", page.version), page.document(path)));
    let Some(document) = document else {
        if path == "/" || path.starts_with("/incidents/") {
            return Html(vendor.with(Page::html)).into_response();
        }
        return StatusCode::NOT_FOUND.into_response();
    };
    let fresh = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        axum::Json(document).into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}
