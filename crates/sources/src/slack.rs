//! Slack's status API v2: `GET https://slack-status.com/api/v2.0.0/current` (an object with the
//! active incidents) and `…/history` (an array of the last months' incidents). One `parse`
//! reads both and tells them apart by the top-level JSON value.
//!
//! Slack names the affected services (`Messaging`, `Login/SSO`, …) but never states a
//! service's status; the services the document names become components without a status.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use vw_domain::{Component, Impact, Incident, IncidentStatus, Platform, Snapshot, Update};

use crate::lenient::Lenient;
use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Slack;

#[derive(Deserialize)]
struct Current {
    #[serde(default)]
    active_incidents: Lenient<RawIncident>,
}

#[derive(Deserialize)]
struct RawIncident {
    id: Id,
    title: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    date_created: Option<DateTime<Utc>>,
    url: Option<String>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    notes: Lenient<Note>,
}

/// A number in the live API, a string in Slack's documentation example.
#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Number(i64),
    Text(String),
}

#[derive(Deserialize)]
struct Note {
    date_created: Option<DateTime<Utc>>,
    #[serde(default)]
    body: String,
}

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    // An untagged enum would report any mistake as "no variant matched"; choosing the shape
    // first keeps the error's path.
    let decoded = text::decode(PLATFORM, body)?;
    let raw = if decoded.trim_start().starts_with('[') {
        text::json::<Lenient<RawIncident>>(PLATFORM, body)?.require_read(PLATFORM, "")?
    } else {
        text::json::<Current>(PLATFORM, body)?
            .active_incidents
            .require_read(PLATFORM, "active_incidents")?
    };
    let mut snapshot = Snapshot::empty(PLATFORM);
    let mut seen = HashSet::new();
    for incident in &raw {
        for service in &incident.services {
            if seen.insert(service) {
                snapshot.components.push(Component {
                    id: service.clone(),
                    name: service.clone(),
                    group: None,
                    status: None,
                });
            }
        }
    }
    snapshot.incidents = raw.into_iter().map(incident).collect();
    snapshot.canonicalize();
    Ok(snapshot)
}

fn incident(raw: RawIncident) -> Incident {
    let id = match raw.id {
        Id::Number(n) => n.to_string(),
        Id::Text(s) => s,
    };
    let notes_read = raw.notes.keep_read(PLATFORM, &format!("notes of {id}"));
    Incident {
        id,
        title: raw.title,
        impact: raw.kind.as_deref().and_then(impact),
        // `active` says open but not at which stage.
        status: (raw.status.as_deref() == Some("resolved")).then_some(IncidentStatus::Resolved),
        started_at: raw.date_created,
        // Slack gives no resolution time: `date_updated` moves whenever a note is added or
        // edited, and the last note is often a post-mortem written days later.
        resolved_at: None,
        url: raw.url,
        components: raw.services,
        updates: notes(notes_read),
    }
}

/// Notes have no id; their time is their identity. They carry no status either.
fn notes(notes: Vec<Note>) -> Vec<Update<IncidentStatus>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    notes
        .into_iter()
        .map(|note| {
            let base = note
                .date_created
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
                .unwrap_or_else(|| "undated".into());
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            Update {
                id: if *n == 1 { base } else { format!("{base}#{n}") },
                status: None,
                body: note_text(note.body),
                posted_at: note.date_created,
            }
        })
        .collect()
}

/// Notes were plain text (with `\r\n`) until Slack began writing them as HTML paragraphs
/// (`<p>…</p>`, 2026): those are made plain text, the others kept as written.
fn note_text(body: String) -> String {
    if body.trim_start().starts_with('<') {
        text::html_to_text(&body)
    } else {
        body
    }
}

/// Slack's three types, which its page draws as a red outage, a yellow incident and a blue
/// notice: a full outage is major, an incident (something degraded or broken for some) minor,
/// and a notice (information, such as a third party's trouble) has no impact on Slack itself.
fn impact(kind: &str) -> Option<Impact> {
    match kind {
        "outage" => Some(Impact::Major),
        "incident" => Some(Impact::Minor),
        "notice" => Some(Impact::None),
        _ => None,
    }
}
