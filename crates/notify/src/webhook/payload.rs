//! The JSON body of a webhook, version 1 (docs/webhooks.md documents every field). Under
//! 20,000 bytes: long texts are cut and the component list is capped, both flagged.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use uuid::Uuid;
use vw_domain::{Impact, IncidentStatus, MaintenanceStatus, Severity};

use crate::alert::{About, Alert, IncidentEvent, MaintenanceEvent, ProviderEvent};
use crate::text;
use crate::wording;

/// The payload format's version; raised only for changes that break receivers.
pub const VERSION: u32 = 1;
/// The most bytes a payload takes.
pub const MAX_BYTES: usize = 20_000;
const TITLE_CHARS: usize = 1000;
const NAME_CHARS: usize = 200;
const COMPONENTS_BYTES: usize = 6000;

#[derive(Debug, Serialize)]
pub(crate) struct Payload {
    #[serde(rename = "type")]
    kind: &'static str,
    /// When vendorwatch detected the event (not the time of sending).
    timestamp: String,
    version: u32,
    data: Data,
}

#[derive(Debug, Serialize)]
struct Data {
    event_id: Uuid,
    workspace: String,
    severity: Severity,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<ProviderData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    incident: Option<IncidentData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    maintenance: Option<MaintenanceData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reminder: Option<ReminderData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outage: Option<OutageData>,
    components: Vec<ComponentData>,
    components_omitted: usize,
    update: Option<UpdateData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

#[derive(Debug, Serialize)]
struct ProviderData {
    slug: String,
    name: String,
    status_page_url: String,
}

#[derive(Debug, Serialize)]
struct IncidentData {
    id: Uuid,
    title: String,
    impact: Option<Impact>,
    status: Option<IncidentStatus>,
    started_at: Option<String>,
    resolved_at: Option<String>,
    reopened: bool,
}

#[derive(Debug, Serialize)]
struct MaintenanceData {
    id: Uuid,
    title: String,
    status: Option<MaintenanceStatus>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    rescheduled: bool,
}

#[derive(Debug, Serialize)]
struct ReminderData {
    before_seconds: u64,
    late: bool,
}

#[derive(Debug, Serialize)]
struct OutageData {
    failing_since: String,
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct ComponentData {
    name: String,
    group: Option<String>,
    watched: bool,
}

#[derive(Debug, Serialize)]
struct UpdateData {
    text: String,
    truncated: bool,
}

/// The payload of `alert`, as JSON.
pub(crate) fn payload(alert: &Alert) -> serde_json::Value {
    let mut payload = Payload {
        kind: alert.kind().as_str(),
        timestamp: iso(alert.detected_at),
        version: VERSION,
        data: data(alert),
    };
    // Size the update text to what the rest leaves.
    if let Some(body) = alert.latest_update.as_deref().map(text::multiline) {
        let used = to_value(&payload).to_string().len();
        let frame = r#"{"text":"","truncated":false}"#.len() - "null".len();
        let room = MAX_BYTES.saturating_sub(used + frame);
        let fitted = text::fit(&body, room, str::to_owned, text::json_bytes);
        payload.data.update = Some(UpdateData {
            text: fitted.text,
            truncated: fitted.cut,
        });
    }
    to_value(&payload)
}

fn to_value(payload: &Payload) -> serde_json::Value {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_value(payload).unwrap_or_default()
}

fn data(alert: &Alert) -> Data {
    let line = |s: &str, max| text::chars(&text::line(s), max).text;
    let provider = alert.provider().map(|p| ProviderData {
        slug: p.slug.to_string(),
        name: line(&p.name, NAME_CHARS),
        status_page_url: p.status_page_url.to_string(),
    });
    let (mut incident, mut maintenance, mut reminder, mut outage, mut message) =
        (None, None, None, None, None);
    match &alert.about {
        About::Incident {
            incident: i, event, ..
        } => {
            incident = Some(IncidentData {
                id: i.id,
                title: line(&i.title, TITLE_CHARS),
                impact: i.impact,
                status: i.status,
                started_at: i.started_at.map(iso),
                resolved_at: i.resolved_at.map(iso),
                reopened: *event == IncidentEvent::Reopened,
            });
        }
        About::Maintenance {
            maintenance: m,
            event,
            ..
        } => {
            maintenance = Some(MaintenanceData {
                id: m.id,
                title: line(&m.title, TITLE_CHARS),
                status: m.status,
                starts_at: m.starts_at.map(iso),
                ends_at: m.ends_at.map(iso),
                rescheduled: *event == MaintenanceEvent::Rescheduled,
            });
            if let MaintenanceEvent::Reminder { before, late } = event {
                reminder = Some(ReminderData {
                    before_seconds: before.as_secs(),
                    late: *late,
                });
            }
        }
        About::Provider { event, .. } => {
            outage = Some(match event {
                ProviderEvent::Unreachable { since, error } => OutageData {
                    failing_since: iso(*since),
                    error: Some(line(error, TITLE_CHARS)),
                },
                ProviderEvent::Recovered { since } => OutageData {
                    failing_since: iso(*since),
                    error: None,
                },
            });
        }
        About::Test => message = wording::body(alert),
    }
    let (components, components_omitted) = components(alert);
    Data {
        event_id: alert.event_id,
        workspace: line(&alert.workspace, NAME_CHARS),
        severity: alert.severity,
        url: alert.page_url.to_string(),
        provider,
        incident,
        maintenance,
        reminder,
        outage,
        components,
        components_omitted,
        update: None,
        message,
    }
}

/// The components, watched first, as many as fit in [`COMPONENTS_BYTES`], and how many did not.
fn components(alert: &Alert) -> (Vec<ComponentData>, usize) {
    let mut ordered: Vec<_> = alert.components.iter().collect();
    ordered.sort_by_key(|c| !c.watched);
    let mut kept = Vec::new();
    let mut bytes = 0;
    for component in &ordered {
        let data = ComponentData {
            name: text::chars(&text::line(&component.name), NAME_CHARS).text,
            group: component
                .group
                .as_deref()
                .map(|g| text::chars(&text::line(g), NAME_CHARS).text),
            watched: component.watched,
        };
        let size = serde_json::to_string(&data).map_or(0, |s| s.len() + 1);
        if bytes + size > COMPONENTS_BYTES {
            break;
        }
        bytes += size;
        kept.push(data);
    }
    let omitted = ordered.len() - kept.len();
    (kept, omitted)
}

fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
