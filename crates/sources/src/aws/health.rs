//! AWS Health `public/currentevents`: an array of open events.
//!
//! An event becomes an incident whose id is its ARN. Its `event_log` (oldest first) gives the
//! updates, its `impacted_services` the components, keyed like `s3-me-south-1`. A component is
//! grouped under the event's region (the code in the ARN, `arn:aws:health:<region>::event/…`)
//! when its key ends with that region; keys without one (`route53`, `globalaccelerator`) are
//! global services and have no group.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use vw_domain::{Component, Incident, IncidentStatus, Platform, Snapshot, Update};

use super::{component_status, epoch_seconds, impact, unique_ids};
use crate::lenient::Lenient;

#[derive(Deserialize)]
pub(super) struct Event {
    #[serde(default, deserialize_with = "epoch_seconds")]
    date: Option<DateTime<Utc>>,
    arn: String,
    status: Option<String>,
    service: Option<String>,
    service_name: Option<String>,
    summary: String,
    #[serde(default)]
    event_log: Lenient<LogEntry>,
    /// Sorted by key, so that the components come out in the same order on every read.
    #[serde(default)]
    impacted_services: BTreeMap<String, ImpactedService>,
}

#[derive(Deserialize)]
struct LogEntry {
    #[serde(default)]
    message: String,
    #[serde(default, deserialize_with = "epoch_seconds")]
    timestamp: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct ImpactedService {
    service_name: String,
    current: Option<String>,
}

pub(super) fn parse(events: Vec<Event>) -> Snapshot {
    let mut snapshot = Snapshot::empty(Platform::Aws);
    let mut index: HashMap<String, usize> = HashMap::new();
    for event in events {
        let region = event.arn.split(':').nth(3).filter(|r| !r.is_empty());
        let group = |key: &str| {
            region
                .filter(|r| key.strip_suffix(r).is_some_and(|k| k.ends_with('-')))
                .map(str::to_owned)
        };
        let mut affected: Vec<(String, String, Option<String>)> = event
            .impacted_services
            .into_iter()
            .map(|(key, s)| (key, s.service_name, s.current))
            .collect();
        // An event that lists no impacted services still names its own.
        if affected.is_empty()
            && let (Some(key), Some(name)) = (event.service, event.service_name)
        {
            affected.push((key, name, event.status.clone()));
        }
        for (key, name, current) in &affected {
            add_component(
                &mut snapshot.components,
                &mut index,
                Component {
                    id: key.clone(),
                    name: name.clone(),
                    group: group(key),
                    status: current.as_deref().and_then(component_status),
                },
            );
        }
        snapshot.incidents.push(Incident {
            id: event.arn.clone(),
            title: event.summary,
            impact: event.status.as_deref().and_then(impact),
            // AWS events have no stages, and the feed lists open events only.
            status: None,
            started_at: event.date,
            resolved_at: None,
            url: None,
            components: affected.into_iter().map(|(key, ..)| key).collect(),
            updates: updates(
                event
                    .event_log
                    .keep_read(Platform::Aws, &format!("event_log of {}", event.arn)),
            ),
        });
    }
    snapshot
}

/// A global service shows up in every region's event; it keeps the worst status it has.
fn add_component(
    components: &mut Vec<Component>,
    index: &mut HashMap<String, usize>,
    new: Component,
) {
    match index.get(&new.id).and_then(|&i| components.get_mut(i)) {
        Some(known) => known.status = known.status.max(new.status),
        None => {
            index.insert(new.id.clone(), components.len());
            components.push(new);
        }
    }
}

/// Log entries carry no id; their time (epoch seconds) is their identity.
fn updates(log: Vec<LogEntry>) -> Vec<Update<IncidentStatus>> {
    let ids = unique_ids(log.iter().map(|e| {
        e.timestamp
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_else(|| "undated".into())
    }));
    log.into_iter()
        .zip(ids)
        .map(|(entry, id)| Update {
            id,
            status: None,
            body: entry.message,
            posted_at: entry.timestamp,
        })
        .collect()
}
