//! status.io public status API: `GET https://api.status.io/1.0/status/<statuspage id>`.
//!
//! status.io states each component per *container* (a location or infrastructure such as
//! "AWS" or "Google Compute Engine"), so a component is really a matrix row. We keep that
//! grain: one of our components per (component, container) pair, named after the container and
//! grouped under the status.io component's name, with id `<component id>/<container id>`. A
//! user can then watch a whole status.io component (the group) or one location of it. A
//! status.io component with no containers becomes one component with its own id.
//!
//! The API lists open incidents and active or upcoming maintenances only.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vw_domain::{
    Component, ComponentStatus, Impact, Incident, Maintenance, MaintenanceStatus, Platform,
    Snapshot, Update,
};

use crate::lenient::Lenient;
use crate::{ParseError, text};

const PLATFORM: Platform = Platform::Statusio;

#[derive(Deserialize)]
struct Document {
    result: Result_,
}

#[derive(Deserialize)]
struct Result_ {
    #[serde(default)]
    status: Lenient<StatusRow>,
    #[serde(default)]
    incidents: Lenient<Event>,
    #[serde(default)]
    maintenance: Option<MaintenanceLists>,
}

#[derive(Deserialize)]
struct StatusRow {
    id: String,
    name: String,
    status_code: Option<u16>,
    #[serde(default)]
    containers: Lenient<Container>,
}

#[derive(Deserialize)]
struct Container {
    id: String,
    name: String,
    status_code: Option<u16>,
}

#[derive(Deserialize)]
struct MaintenanceLists {
    #[serde(default)]
    active: Lenient<Event>,
    #[serde(default)]
    upcoming: Lenient<Event>,
}

/// An incident or a maintenance: the same shape, maintenances adding the planned window.
#[derive(Deserialize)]
struct Event {
    #[serde(rename = "_id")]
    id: String,
    name: String,
    datetime_open: Option<DateTime<Utc>>,
    datetime_planned_start: Option<DateTime<Utc>>,
    datetime_planned_end: Option<DateTime<Utc>>,
    #[serde(default)]
    components_affected: Vec<Ref>,
    #[serde(default)]
    containers_affected: Vec<Ref>,
    #[serde(default)]
    messages: Lenient<Message>,
}

#[derive(Deserialize)]
struct Ref {
    #[serde(rename = "_id")]
    id: String,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    details: String,
    /// The same codes as components' `status_code`. (`state`, an ordinal the status.io UI
    /// shows as Investigating / Identified / Monitoring, is not read: no document or vendor
    /// page we have confirms which number is which.)
    status: Option<u16>,
    datetime: Option<DateTime<Utc>>,
}

pub fn parse(body: &[u8]) -> Result<Snapshot, ParseError> {
    let doc: Document = text::json(PLATFORM, body)?;
    let result = doc.result;
    let mut snapshot = Snapshot::empty(PLATFORM);

    let rows: Vec<(StatusRow, Vec<Container>)> = result
        .status
        .require_read(PLATFORM, "result.status")?
        .into_iter()
        .filter_map(|mut row| {
            // A row whose every container is unreadable is skipped whole: read as a row
            // without containers, it would become a component under another id.
            let containers = std::mem::take(&mut row.containers);
            match containers.require_read(PLATFORM, &format!("containers of {}", row.id)) {
                Ok(containers) => Some((row, containers)),
                Err(reason) => {
                    tracing::warn!(%reason, "an unreadable status.io component was skipped");
                    None
                }
            }
        })
        .collect();
    let mut containers_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for (row, containers) in &rows {
        containers_of.insert(&row.id, containers.iter().map(|c| c.id.as_str()).collect());
        if containers.is_empty() {
            snapshot.components.push(Component {
                id: row.id.clone(),
                name: row.name.clone(),
                group: None,
                status: row.status_code.and_then(component_status),
            });
        }
        for container in containers {
            snapshot.components.push(Component {
                id: pair_id(&row.id, &container.id),
                name: container.name.clone(),
                group: Some(row.name.clone()),
                status: container.status_code.and_then(component_status),
            });
        }
    }

    for (event, messages) in with_messages(
        result
            .incidents
            .require_read(PLATFORM, "result.incidents")?,
    ) {
        snapshot.incidents.push(Incident {
            id: event.id.clone(),
            title: event.name.clone(),
            impact: messages
                .iter()
                .filter_map(|m| m.status.and_then(impact))
                .max(),
            // Everything the API lists is open, but which stage it is at is in `state`.
            status: None,
            started_at: event.datetime_open,
            resolved_at: None,
            url: None,
            components: affected(&event, &containers_of),
            updates: updates(&messages),
        });
    }

    if let Some(lists) = result.maintenance {
        let active = lists
            .active
            .require_read(PLATFORM, "result.maintenance.active")?;
        let upcoming = lists
            .upcoming
            .require_read(PLATFORM, "result.maintenance.upcoming")?;
        let listed = with_messages(active)
            .into_iter()
            .map(|e| (e, MaintenanceStatus::InProgress))
            .chain(
                with_messages(upcoming)
                    .into_iter()
                    .map(|e| (e, MaintenanceStatus::Scheduled)),
            );
        for ((event, messages), status) in listed {
            snapshot.maintenances.push(Maintenance {
                id: event.id.clone(),
                title: event.name.clone(),
                status: Some(status),
                scheduled_for: event.datetime_planned_start,
                scheduled_until: event.datetime_planned_end,
                url: None,
                components: affected(&event, &containers_of),
                updates: updates(&messages),
            });
        }
    }
    snapshot.canonicalize();
    Ok(snapshot)
}

/// Each event with the messages of it that read.
fn with_messages(events: Vec<Event>) -> Vec<(Event, Vec<Message>)> {
    events
        .into_iter()
        .map(|mut event| {
            let messages = std::mem::take(&mut event.messages)
                .keep_read(PLATFORM, &format!("messages of {}", event.id));
            (event, messages)
        })
        .collect()
}

fn pair_id(component: &str, container: &str) -> String {
    format!("{component}/{container}")
}

/// Our component ids for an event. status.io names the affected components and the affected
/// containers in two separate lists, so the pairs are the listed components in the listed
/// containers, as far as the status matrix has those pairs. This can name a pair that was not
/// affected when an event spans several components *and* containers; the API gives no finer
/// data.
fn affected(event: &Event, containers_of: &HashMap<&str, Vec<&str>>) -> Vec<String> {
    let wanted: Vec<&str> = event
        .containers_affected
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let mut ids = Ids::default();
    for component in &event.components_affected {
        match containers_of.get(component.id.as_str()) {
            Some(containers) if !containers.is_empty() => {
                let hit: Vec<&&str> = containers
                    .iter()
                    .filter(|c| wanted.is_empty() || wanted.contains(c))
                    .collect();
                // A container list that matches none of the component's containers still says
                // the component is affected: name all its containers rather than none.
                let chosen = if hit.is_empty() {
                    containers.iter().collect()
                } else {
                    hit
                };
                for container in chosen {
                    ids.push(pair_id(&component.id, container));
                }
            }
            _ => ids.push(component.id.clone()),
        }
    }
    ids.list
}

/// A list of ids without repeats, in first-seen order.
#[derive(Default)]
struct Ids {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Ids {
    fn push(&mut self, id: String) {
        if self.seen.insert(id.clone()) {
            self.list.push(id);
        }
    }
}

/// Messages carry no id; their time is their identity, which stays put across reads.
fn updates<S>(messages: &[Message]) -> Vec<Update<S>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    messages
        .iter()
        .map(|m| {
            let base = m
                .datetime
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                .unwrap_or_else(|| "undated".into());
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            Update {
                id: if *n == 1 { base } else { format!("{base}#{n}") },
                status: None,
                body: m.details.clone(),
                posted_at: m.datetime,
            }
        })
        .collect()
}

/// status.io's codes: 100 Operational, 200 Planned Maintenance, 300 Degraded Performance,
/// 400 Partial Service Disruption, 500 Service Disruption, 600 Security Issue. A security
/// event says nothing about availability, so it maps to no status.
fn component_status(code: u16) -> Option<ComponentStatus> {
    match code {
        100 => Some(ComponentStatus::Operational),
        200 => Some(ComponentStatus::UnderMaintenance),
        300 => Some(ComponentStatus::DegradedPerformance),
        400 => Some(ComponentStatus::PartialOutage),
        500 => Some(ComponentStatus::MajorOutage),
        _ => None,
    }
}

/// The incident's impact follows the worst status its messages announced, as Statuspage
/// derives impact from component states: degraded → minor, partial → major, full → critical.
fn impact(code: u16) -> Option<Impact> {
    match code {
        100 => Some(Impact::None),
        300 => Some(Impact::Minor),
        400 => Some(Impact::Major),
        500 => Some(Impact::Critical),
        _ => None,
    }
}
