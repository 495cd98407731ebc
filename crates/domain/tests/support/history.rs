//! A vendor's true history: a page that changes one step at a time, each step labelled with
//! the event it should cause when someone sees it.
//!
//! Steps are built from raw numbers (`Seed`), interpreted against the current state so that
//! every step is valid whatever the numbers: a step with nothing to act on does nothing. That
//! keeps the proptest strategies trivial and shrinking effective.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use vw_domain::{
    Component, ComponentStatus, EventKind, Impact, Incident, IncidentStatus, Maintenance,
    MaintenanceStatus, Platform, Snapshot, Update,
};

/// `(action, target, variant)`.
pub type Seed = (u8, u8, u8);

pub const ACTIONS: u8 = 16;

/// What a step should be reported as, once seen: kind and flags, without the ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub kind: EventKind,
    pub reopened: bool,
}

impl Label {
    fn plain(kind: EventKind) -> Self {
        Label {
            kind,
            reopened: false,
        }
    }
}

pub struct World {
    /// The page as it truly is now, every list canonical.
    pub truth: Snapshot,
    /// The label of every incident update ever posted, by update id.
    pub update_labels: BTreeMap<String, Label>,
    /// The maintenance labels of each step, by maintenance id.
    pub maintenance_labels: Vec<BTreeMap<String, EventKind>>,
    counter: usize,
    minute: i64,
}

fn time(minute: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(1_780_000_000, 0).map(|t| t + Duration::minutes(minute))
}

const COMPONENTS: [&str; 3] = ["api", "web", "git"];

impl World {
    pub fn new() -> Self {
        let mut truth = Snapshot::empty(Platform::Statuspage);
        truth.components = COMPONENTS
            .iter()
            .map(|id| Component {
                id: (*id).into(),
                name: id.to_uppercase(),
                group: None,
                status: Some(ComponentStatus::Operational),
            })
            .collect();
        World {
            truth,
            update_labels: BTreeMap::new(),
            maintenance_labels: Vec::new(),
            counter: 0,
            minute: 0,
        }
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}-{}", self.counter)
    }

    /// Applies one step; the truth stays canonical.
    pub fn step(&mut self, (action, target, variant): Seed) {
        self.minute += 10;
        let mut maintenance_labels = BTreeMap::new();
        match action % ACTIONS {
            0 => self.open(variant),
            1 => self.backfill(variant),
            2 => self.post(target, is_open, |s| match s {
                IncidentStatus::Investigating => IncidentStatus::Identified,
                _ => IncidentStatus::Monitoring,
            }),
            3 => self.post(target, is_open, |_| IncidentStatus::Resolved),
            4 => self.post(
                target,
                |i| i.status == Some(IncidentStatus::Resolved),
                |_| IncidentStatus::Postmortem,
            ),
            5 => self.post(target, |i| !is_open(i), |_| IncidentStatus::Investigating),
            6 => self.post(target, |_| true, |s| s),
            7 => self.edit(target, variant),
            8 => self.escalate(target, variant),
            9 => self.schedule(variant, &mut maintenance_labels),
            10..=14 => self.maintain(action % ACTIONS, target, &mut maintenance_labels),
            _ => self.flip(target, variant),
        }
        self.maintenance_labels.push(maintenance_labels);
        self.truth.canonicalize();
    }

    fn update(&mut self, status: IncidentStatus, minute: i64) -> Update<IncidentStatus> {
        let id = self.fresh("upd");
        Update {
            body: format!("What we know at {id}"),
            id,
            status: Some(status),
            posted_at: time(minute),
        }
    }

    fn open(&mut self, variant: u8) {
        let first = self.update(IncidentStatus::Investigating, self.minute);
        self.update_labels
            .insert(first.id.clone(), Label::plain(EventKind::IncidentOpened));
        let id = self.fresh("inc");
        self.truth.incidents.push(Incident {
            title: format!("Trouble {id}"),
            id,
            impact: [
                None,
                Some(Impact::Minor),
                Some(Impact::Major),
                Some(Impact::Critical),
            ][usize::from(variant % 4)],
            status: Some(IncidentStatus::Investigating),
            started_at: time(self.minute),
            resolved_at: None,
            url: None,
            components: vec![COMPONENTS[usize::from(variant) % 3].into()],
            updates: vec![first],
        });
    }

    /// An incident the page lists for the first time already closed (a vendor posting
    /// after the fact, or a page seen for the first time).
    fn backfill(&mut self, variant: u8) {
        let mut updates = vec![
            self.update(IncidentStatus::Investigating, self.minute - 9),
            self.update(IncidentStatus::Resolved, self.minute - 5),
        ];
        if variant % 2 == 1 {
            updates.push(self.update(IncidentStatus::Postmortem, self.minute));
        }
        for update in &updates {
            // Never reported on their own: they are seen with the incident, or not at all.
            self.update_labels
                .insert(update.id.clone(), Label::plain(EventKind::IncidentResolved));
        }
        let id = self.fresh("inc");
        self.truth.incidents.push(Incident {
            title: format!("Past trouble {id}"),
            id,
            impact: Some(Impact::Minor),
            status: updates.last().and_then(|u| u.status),
            started_at: time(self.minute - 9),
            resolved_at: time(self.minute - 5),
            url: None,
            components: vec![],
            updates,
        });
    }

    fn pick_incident(&self, target: u8, eligible: impl Fn(&Incident) -> bool) -> Option<usize> {
        let candidates: Vec<usize> = (0..self.truth.incidents.len())
            .filter(|&i| eligible(&self.truth.incidents[i]))
            .collect();
        (!candidates.is_empty()).then(|| candidates[usize::from(target) % candidates.len()])
    }

    /// Posts an update that moves the incident's status by `next`.
    fn post(
        &mut self,
        target: u8,
        eligible: impl Fn(&Incident) -> bool,
        next: impl Fn(IncidentStatus) -> IncidentStatus,
    ) {
        let Some(index) = self.pick_incident(target, eligible) else {
            return;
        };
        let from = self.truth.incidents[index]
            .status
            .unwrap_or(IncidentStatus::Investigating);
        let to = next(from);
        let update = self.update(to, self.minute);
        let label = match (from.is_closed(), to.is_closed()) {
            (false, true) => Label::plain(EventKind::IncidentResolved),
            (true, false) => Label {
                reopened: true,
                ..Label::plain(EventKind::IncidentOpened)
            },
            _ if to == IncidentStatus::Postmortem && from != to => {
                Label::plain(EventKind::PostmortemPublished)
            }
            _ => Label::plain(EventKind::IncidentUpdated),
        };
        self.update_labels.insert(update.id.clone(), label);
        let minute = self.minute;
        let incident = &mut self.truth.incidents[index];
        incident.status = Some(to);
        incident.resolved_at = if to.is_closed() {
            incident.resolved_at.or(time(minute))
        } else {
            None
        };
        incident.updates.push(update);
    }

    fn edit(&mut self, target: u8, variant: u8) {
        let Some(index) = self.pick_incident(target, |_| true) else {
            return;
        };
        let updates = &mut self.truth.incidents[index].updates;
        let n = usize::from(variant) % updates.len();
        updates[n].body.push_str(" (edited)");
    }

    fn escalate(&mut self, target: u8, variant: u8) {
        let Some(index) = self.pick_incident(target, is_open) else {
            return;
        };
        let incident = &mut self.truth.incidents[index];
        let others: Vec<Impact> = Impact::ALL
            .iter()
            .copied()
            .filter(|i| Some(*i) != incident.impact)
            .collect();
        incident.impact = Some(others[usize::from(variant) % others.len()]);
    }

    fn schedule(&mut self, variant: u8, labels: &mut BTreeMap<String, EventKind>) {
        let id = self.fresh("mnt");
        labels.insert(id.clone(), EventKind::MaintenanceScheduled);
        let start = self.minute + 60 + i64::from(variant);
        self.truth.maintenances.push(Maintenance {
            title: format!("Upgrade {id}"),
            id,
            status: Some(MaintenanceStatus::Scheduled),
            scheduled_for: time(start),
            scheduled_until: time(start + 60),
            url: None,
            components: vec![COMPONENTS[usize::from(variant) % 3].into()],
            updates: vec![],
        });
    }

    /// 10 start, 11 verify, 12 complete, 13 cancel, 14 reschedule.
    fn maintain(&mut self, action: u8, target: u8, labels: &mut BTreeMap<String, EventKind>) {
        use MaintenanceStatus::*;
        let eligible = |m: &Maintenance| match action {
            10 | 13 | 14 => m.status == Some(Scheduled),
            11 => m.status == Some(InProgress),
            _ => matches!(m.status, Some(InProgress | Verifying)),
        };
        let candidates: Vec<usize> = (0..self.truth.maintenances.len())
            .filter(|&i| eligible(&self.truth.maintenances[i]))
            .collect();
        if candidates.is_empty() {
            return;
        }
        let index = candidates[usize::from(target) % candidates.len()];
        let id = self.truth.maintenances[index].id.clone();
        let (status, label) = match action {
            10 => (InProgress, Some(EventKind::MaintenanceStarted)),
            11 => (Verifying, None),
            12 => (Completed, Some(EventKind::MaintenanceCompleted)),
            13 => {
                self.truth.maintenances.remove(index);
                labels.insert(id, EventKind::MaintenanceCancelled);
                return;
            }
            _ => {
                let m = &mut self.truth.maintenances[index];
                m.scheduled_for = m.scheduled_for.map(|t| t + Duration::minutes(30));
                m.scheduled_until = m.scheduled_until.map(|t| t + Duration::minutes(30));
                labels.insert(id, EventKind::MaintenanceScheduled);
                return;
            }
        };
        let note = Update {
            id: self.fresh("mu"),
            status: Some(status),
            body: format!("{status}"),
            posted_at: time(self.minute),
        };
        let m = &mut self.truth.maintenances[index];
        m.status = Some(status);
        m.updates.push(note);
        if let Some(label) = label {
            labels.insert(id, label);
        }
    }

    fn flip(&mut self, target: u8, variant: u8) {
        let component = &mut self.truth.components[usize::from(target) % COMPONENTS.len()];
        let others: Vec<ComponentStatus> = ComponentStatus::ALL
            .iter()
            .copied()
            .filter(|s| Some(*s) != component.status)
            .collect();
        component.status = Some(others[usize::from(variant) % others.len()]);
    }
}

pub fn is_open(incident: &Incident) -> bool {
    !incident.status.is_some_and(IncidentStatus::is_closed)
}
