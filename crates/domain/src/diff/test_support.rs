//! Small builders for the example tests of the diff rules.

use chrono::{DateTime, Utc};

use crate::{
    Component, ComponentStatus, Event, Incident, IncidentStatus, Maintenance, MaintenanceStatus,
    Platform, Snapshot, Update,
};

/// `minute` minutes after a fixed instant: a readable clock for examples.
pub fn at(minute: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(1_780_000_000 + minute * 60, 0)
}

pub fn update<S>(id: &str, status: Option<S>, minute: i64, body: &str) -> Update<S> {
    Update {
        id: id.into(),
        status,
        body: body.into(),
        posted_at: at(minute),
    }
}

/// An incident whose status is that of its newest update, as Statuspage reports them.
pub fn incident(id: &str, updates: &[(&str, IncidentStatus)]) -> Incident {
    let updates: Vec<_> = updates
        .iter()
        .zip(0..)
        .map(|((uid, status), minute)| update(uid, Some(*status), minute, uid))
        .collect();
    Incident {
        id: id.into(),
        title: format!("Incident {id}"),
        impact: None,
        status: updates.last().and_then(|u| u.status),
        started_at: at(0),
        resolved_at: None,
        url: None,
        components: vec![],
        updates,
    }
}

pub fn maintenance(id: &str, status: MaintenanceStatus) -> Maintenance {
    Maintenance {
        id: id.into(),
        title: format!("Maintenance {id}"),
        status: Some(status),
        scheduled_for: at(600),
        scheduled_until: at(660),
        url: None,
        components: vec![],
        updates: vec![],
    }
}

pub fn component(id: &str, status: ComponentStatus) -> Component {
    Component {
        id: id.into(),
        name: id.to_uppercase(),
        group: None,
        status: Some(status),
    }
}

pub fn page(incidents: Vec<Incident>) -> Snapshot {
    let mut snapshot = Snapshot::empty(Platform::Statuspage);
    snapshot.incidents = incidents;
    snapshot
}

pub fn with_maintenances(maintenances: Vec<Maintenance>) -> Snapshot {
    let mut snapshot = Snapshot::empty(Platform::Statuspage);
    snapshot.maintenances = maintenances;
    snapshot
}

pub fn with_components(components: Vec<Component>) -> Snapshot {
    let mut snapshot = Snapshot::empty(Platform::Statuspage);
    snapshot.components = components;
    snapshot
}

/// `kind subject update` per event, e.g. `incident_resolved i1 u3`: easy to assert on.
pub fn summary(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|event| {
            let update = match event {
                Event::IncidentOpened(c)
                | Event::IncidentUpdated(c)
                | Event::IncidentResolved(c)
                | Event::PostmortemPublished(c) => c.update_id.as_deref().unwrap_or("-"),
                _ => "-",
            };
            format!(
                "{} {} {update}",
                event.kind(),
                event.subject_id().unwrap_or_default()
            )
        })
        .collect()
}
