//! A snapshot: everything one read of a status page says, in one normalised shape.
//!
//! Serialised as `vendorwatch inspect` prints it: a value the source does not give is `null`,
//! times are RFC 3339 in UTC, updates oldest first, incidents newest first.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Platform};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub platform: Platform,
    pub page: Page,
    pub components: Vec<Component>,
    pub incidents: Vec<Incident>,
    pub maintenances: Vec<Maintenance>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub name: Option<String>,
    pub url: Option<String>,
}

/// A part of a vendor's service. Group headers are not components: a component names its
/// group in `group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub status: Option<ComponentStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub impact: Option<Impact>,
    pub status: Option<IncidentStatus>,
    pub started_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    /// Ids of the affected components; empty when the source names none.
    pub components: Vec<String>,
    pub updates: Vec<Update<IncidentStatus>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Maintenance {
    pub id: String,
    pub title: String,
    pub status: Option<MaintenanceStatus>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub components: Vec<String>,
    pub updates: Vec<Update<MaintenanceStatus>>,
}

/// One entry of an incident's or a maintenance's timeline. `S` is the status vocabulary of
/// the thing it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update<S> {
    /// The vendor's id, or where the vendor gives none, one derived from what it does give
    /// (such as the update's time), so that the same update keeps the same id across reads.
    pub id: String,
    pub status: Option<S>,
    /// Plain text or Markdown, as the vendor wrote it.
    pub body: String,
    pub posted_at: Option<DateTime<Utc>>,
}

impl Snapshot {
    /// An empty snapshot of a page on `platform`.
    pub fn empty(platform: Platform) -> Self {
        Snapshot {
            platform,
            page: Page::default(),
            components: Vec::new(),
            incidents: Vec::new(),
            maintenances: Vec::new(),
        }
    }

    /// Puts the lists in the order the snapshot promises: updates oldest first, incidents
    /// newest first, maintenances by start. Sorts are stable and ties fall back on ids, so
    /// the order never depends on the order the source listed things in.
    pub fn canonicalize(&mut self) {
        for incident in &mut self.incidents {
            sort_updates(&mut incident.updates);
        }
        for maintenance in &mut self.maintenances {
            sort_updates(&mut maintenance.updates);
        }
        self.incidents.sort_by(|a, b| {
            b.sort_time()
                .cmp(&a.sort_time())
                .then_with(|| a.id.cmp(&b.id))
        });
        self.maintenances.sort_by(|a, b| {
            b.scheduled_for
                .cmp(&a.scheduled_for)
                .then_with(|| a.id.cmp(&b.id))
        });
    }
}

impl Incident {
    /// When the incident began as far as the source tells: its start, else its first update.
    pub fn sort_time(&self) -> Option<DateTime<Utc>> {
        self.started_at
            .or_else(|| self.updates.iter().filter_map(|u| u.posted_at).min())
    }
}

fn sort_updates<S>(updates: &mut [Update<S>]) {
    updates.sort_by(|a, b| a.posted_at.cmp(&b.posted_at).then_with(|| a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    fn update(id: &str, posted_at: &str) -> Update<IncidentStatus> {
        Update {
            id: id.into(),
            status: None,
            body: String::new(),
            posted_at: at(posted_at),
        }
    }

    fn incident(id: &str, started_at: &str) -> Incident {
        Incident {
            id: id.into(),
            title: id.into(),
            impact: None,
            status: None,
            started_at: at(started_at),
            resolved_at: None,
            url: None,
            components: vec![],
            updates: vec![
                update("b", "2026-01-01T10:00:00Z"),
                update("a", "2026-01-01T09:00:00Z"),
            ],
        }
    }

    #[test]
    fn canonical_order_is_newest_incident_first_and_oldest_update_first() {
        let mut s = Snapshot::empty(Platform::Statuspage);
        s.incidents = vec![
            incident("old", "2026-01-01T00:00:00Z"),
            incident("new", "2026-02-01T00:00:00Z"),
        ];
        s.canonicalize();
        assert_eq!(s.incidents[0].id, "new");
        assert_eq!(s.incidents[0].updates[0].id, "a");
    }

    #[test]
    fn serialises_missing_values_as_null_and_times_in_utc() {
        let mut s = Snapshot::empty(Platform::Gcp);
        s.incidents = vec![incident("x", "2026-01-01T00:00:00Z")];
        let json = serde_json::to_value(&s).unwrap_or_default();
        assert_eq!(json["platform"], "gcp");
        assert!(json["page"]["name"].is_null());
        assert!(json["incidents"][0]["resolved_at"].is_null());
        assert_eq!(json["incidents"][0]["started_at"], "2026-01-01T00:00:00Z");
    }
}
