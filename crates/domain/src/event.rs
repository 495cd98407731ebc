//! Events: the changes a poll found, one per change (see [`crate::diff`] for the rules).
//!
//! An event is stored in the outbox as JSON (`{"kind": "incident_resolved", …}`) and later fanned
//! out to notification groups, possibly after the incident has moved on. So it carries what the
//! filters need *as it was when the change happened* (impact, affected components) and the
//! vendor ids to find the rest, never a copy of texts the store already holds.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// First sight of an open incident, or a closed one that reopened (`reopened`).
    IncidentOpened(IncidentChange),
    /// A new update that neither closes nor reopens, an edited update (`edited`), or a status
    /// or impact that moved without an update (`update_id` is `None`).
    IncidentUpdated(IncidentChange),
    /// An open incident closed, or first sight of one already closed (`backfilled`).
    IncidentResolved(IncidentChange),
    /// A resolved incident got its postmortem.
    PostmortemPublished(IncidentChange),
    /// First sight of a scheduled maintenance, or its window moved (`rescheduled`).
    MaintenanceScheduled(MaintenanceChange),
    MaintenanceStarted(MaintenanceChange),
    MaintenanceCompleted(MaintenanceChange),
    /// A maintenance last seen `scheduled` is listed no more; `to` is `None`.
    MaintenanceCancelled(MaintenanceChange),
    ComponentStatusChanged(ComponentChange),
    /// The status page could not be read for a while (the poller decides how long).
    ProviderUnreachable(ProviderChange),
    /// An unreachable status page was read again.
    ProviderRecovered(ProviderChange),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentChange {
    pub incident_id: String,
    /// The update that made the change, or for a first sight the newest one: the text an alert
    /// shows. `None` when the status or impact moved without an update.
    pub update_id: Option<String>,
    /// The status before the change; `None` on first sight (or when it was never known).
    pub from: Option<IncidentStatus>,
    /// The status after the change.
    pub to: Option<IncidentStatus>,
    /// The impact at the time of the change: the severity filters match on it.
    pub impact: Option<Impact>,
    /// Affected component ids at the time of the change; empty means "names none", which
    /// touches every component.
    pub components: Vec<String>,
    /// The update `update_id` already existed and its text was edited.
    pub edited: bool,
    /// First sight of an incident that was already closed: news about the past, which the
    /// pipeline records but may choose not to announce.
    pub backfilled: bool,
    /// A closed incident opened again.
    pub reopened: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceChange {
    pub maintenance_id: String,
    /// The newest update at the time of the change, if the source gives updates.
    pub update_id: Option<String>,
    /// The status before the change; `None` on first sight.
    pub from: Option<MaintenanceStatus>,
    /// The status after the change; `None` when cancelled (the maintenance is gone).
    pub to: Option<MaintenanceStatus>,
    /// The window as known at the time of the change: reminders and the calendar use it, and a
    /// caller that knows the read time can tell a cancellation before the start from one after.
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
    pub components: Vec<String>,
    /// First sight of a maintenance that was already completed.
    pub backfilled: bool,
    /// A maintenance still scheduled whose window moved.
    pub rescheduled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentChange {
    pub component_id: String,
    pub from: ComponentStatus,
    pub to: ComponentStatus,
}

/// A change in whether vendorwatch can read the page at all: not a diff of what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderChange {
    /// When the failures began.
    pub failing_since: DateTime<Utc>,
    /// The last failure, one line (for unreachable).
    pub error: Option<String>,
}

/// The kind of an [`Event`], by the stable name stored in the outbox and used by filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    IncidentOpened,
    IncidentUpdated,
    IncidentResolved,
    PostmortemPublished,
    MaintenanceScheduled,
    MaintenanceStarted,
    MaintenanceCompleted,
    MaintenanceCancelled,
    ComponentStatusChanged,
    ProviderUnreachable,
    ProviderRecovered,
}

impl EventKind {
    pub const ALL: [EventKind; 11] = [
        EventKind::IncidentOpened,
        EventKind::IncidentUpdated,
        EventKind::IncidentResolved,
        EventKind::PostmortemPublished,
        EventKind::MaintenanceScheduled,
        EventKind::MaintenanceStarted,
        EventKind::MaintenanceCompleted,
        EventKind::MaintenanceCancelled,
        EventKind::ComponentStatusChanged,
        EventKind::ProviderUnreachable,
        EventKind::ProviderRecovered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::IncidentOpened => "incident_opened",
            EventKind::IncidentUpdated => "incident_updated",
            EventKind::IncidentResolved => "incident_resolved",
            EventKind::PostmortemPublished => "postmortem_published",
            EventKind::MaintenanceScheduled => "maintenance_scheduled",
            EventKind::MaintenanceStarted => "maintenance_started",
            EventKind::MaintenanceCompleted => "maintenance_completed",
            EventKind::MaintenanceCancelled => "maintenance_cancelled",
            EventKind::ComponentStatusChanged => "component_status_changed",
            EventKind::ProviderUnreachable => "provider_unreachable",
            EventKind::ProviderRecovered => "provider_recovered",
        }
    }

    /// Reads the name as `as_str` writes it.
    pub fn parse(name: &str) -> Option<Self> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Event {
    pub fn kind(&self) -> EventKind {
        match self {
            Event::IncidentOpened(_) => EventKind::IncidentOpened,
            Event::IncidentUpdated(_) => EventKind::IncidentUpdated,
            Event::IncidentResolved(_) => EventKind::IncidentResolved,
            Event::PostmortemPublished(_) => EventKind::PostmortemPublished,
            Event::MaintenanceScheduled(_) => EventKind::MaintenanceScheduled,
            Event::MaintenanceStarted(_) => EventKind::MaintenanceStarted,
            Event::MaintenanceCompleted(_) => EventKind::MaintenanceCompleted,
            Event::MaintenanceCancelled(_) => EventKind::MaintenanceCancelled,
            Event::ComponentStatusChanged(_) => EventKind::ComponentStatusChanged,
            Event::ProviderUnreachable(_) => EventKind::ProviderUnreachable,
            Event::ProviderRecovered(_) => EventKind::ProviderRecovered,
        }
    }

    /// The vendor id of the incident, maintenance or component the event is about; `None` for
    /// events about the page as a whole.
    pub fn subject_id(&self) -> Option<&str> {
        Some(match self {
            Event::IncidentOpened(c)
            | Event::IncidentUpdated(c)
            | Event::IncidentResolved(c)
            | Event::PostmortemPublished(c) => &c.incident_id,
            Event::MaintenanceScheduled(c)
            | Event::MaintenanceStarted(c)
            | Event::MaintenanceCompleted(c)
            | Event::MaintenanceCancelled(c) => &c.maintenance_id,
            Event::ComponentStatusChanged(c) => &c.component_id,
            Event::ProviderUnreachable(_) | Event::ProviderRecovered(_) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved() -> Event {
        Event::IncidentResolved(IncidentChange {
            incident_id: "kctbh9vrtdwd".into(),
            update_id: Some("u3".into()),
            from: Some(IncidentStatus::Monitoring),
            to: Some(IncidentStatus::Resolved),
            impact: Some(Impact::Major),
            components: vec!["api".into()],
            edited: false,
            backfilled: false,
            reopened: false,
        })
    }

    #[test]
    fn kind_names_round_trip_through_parse_and_serde() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"{kind}\""));
        }
        assert_eq!(EventKind::parse("IncidentOpened"), None);
    }

    #[test]
    fn serialises_flat_with_the_kind_as_a_tag_and_reads_back() {
        let event = resolved();
        let json = serde_json::to_value(&event).unwrap_or_default();
        assert_eq!(json["kind"], "incident_resolved");
        assert_eq!(json["kind"], event.kind().as_str());
        assert_eq!(json["incident_id"], "kctbh9vrtdwd");
        assert_eq!(json["from"], "monitoring");
        assert_eq!(json["impact"], "major");
        let back: Result<Event, _> = serde_json::from_value(json);
        assert_eq!(back.ok(), Some(event));
    }

    #[test]
    fn subject_is_the_vendor_id() {
        assert_eq!(resolved().subject_id(), Some("kctbh9vrtdwd"));
        let flip = Event::ComponentStatusChanged(ComponentChange {
            component_id: "c1".into(),
            from: ComponentStatus::Operational,
            to: ComponentStatus::MajorOutage,
        });
        assert_eq!(flip.subject_id(), Some("c1"));
        assert_eq!(flip.kind(), EventKind::ComponentStatusChanged);
    }
}
