//! The page summary: `/summary.json` (on some pages `/api/v2/summary.json`). It lists open
//! incidents and maintenances only, without their updates or the components.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vw_domain::{Incident, Maintenance, Page, Platform, Snapshot};

use super::{impact, incident_status, maintenance_status};
use crate::lenient::Lenient;
use crate::{ParseError, text};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    page: SummaryPage,
    #[serde(default)]
    active_incidents: Option<Lenient<ActiveIncident>>,
    #[serde(default)]
    active_maintenances: Option<Lenient<ActiveMaintenance>>,
}

/// The page's `status` (`UP`, `HASISSUES`, `UNDERMAINTENANCE`, and undocumented words such
/// as Perplexity's `ONEMAJOROUTAGE`) is not read, so any word passes: a snapshot has no page
/// status, the incidents say it.
#[derive(Debug, Deserialize)]
struct SummaryPage {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ActiveIncident {
    id: String,
    name: String,
    #[serde(default)]
    started: Option<DateTime<Utc>>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    impact: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ActiveMaintenance {
    #[serde(default)]
    id: Option<String>,
    name: String,
    #[serde(default)]
    start: Option<DateTime<Utc>>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

pub(super) fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let summary: Summary = text::json(Platform::Instatus, body)?;
    if summary.active_incidents.is_none() && summary.active_maintenances.is_none() {
        return Err(ParseError::NotThisPlatform {
            platform: Platform::Instatus,
            reason: "the JSON has neither activeIncidents nor activeMaintenances".into(),
        });
    }
    let mut snapshot = Snapshot::empty(Platform::Instatus);
    snapshot.page = Page {
        name: summary.page.name,
        url: summary.page.url,
        id: None,
    };
    let incidents = match summary.active_incidents {
        Some(list) => list.require_read(Platform::Instatus, "activeIncidents")?,
        None => Vec::new(),
    };
    let maintenances = match summary.active_maintenances {
        Some(list) => list.require_read(Platform::Instatus, "activeMaintenances")?,
        None => Vec::new(),
    };
    snapshot.incidents = incidents
        .into_iter()
        .map(|i| Incident {
            impact: i.impact.as_deref().and_then(impact),
            status: i.status.as_deref().and_then(incident_status),
            started_at: i.started,
            resolved_at: None,
            url: i.url,
            components: Vec::new(),
            updates: Vec::new(),
            id: i.id,
            title: i.name,
        })
        .collect();
    snapshot.maintenances = maintenances
        .into_iter()
        .map(|m| Maintenance {
            // The id is optional in Instatus' typings; the url, else name and start, stand in.
            id: m.id.or_else(|| m.url.clone()).unwrap_or_else(|| {
                let start = m.start.map(|s| s.to_rfc3339()).unwrap_or_default();
                format!("{} {start}", m.name).trim().to_owned()
            }),
            status: m.status.as_deref().and_then(maintenance_status),
            scheduled_for: m.start,
            // `duration` comes without a documented unit: the end is left unknown.
            scheduled_until: None,
            url: m.url,
            components: Vec::new(),
            updates: Vec::new(),
            title: m.name,
        })
        .collect();
    snapshot.canonicalize();
    Ok(snapshot)
}
