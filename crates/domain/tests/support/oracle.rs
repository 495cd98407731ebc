//! What a replay of reads should report, worked out from the true history and what each read
//! could see, not from the diff's code: kinds come from the labels the history gave each
//! change when it made it.
//!
//! A change is expected once, at the first read that shows its result. Changes made before the
//! first read that shows an item become that item's one first-sight event; changes undone or
//! repeated between two reads that show an item count as what the second read shows (an update
//! edited twice: one edit; a component flipped and back: nothing).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use vw_domain::{ComponentStatus, Event, EventKind, Impact, MaintenanceStatus};

use super::history::{World, is_open};
use super::views::View;

type Window = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

#[derive(Default)]
pub struct Oracle {
    /// Per incident seen: the update texts and the impact as last seen.
    incidents: BTreeMap<String, (BTreeMap<String, String>, Option<Impact>)>,
    /// Per maintenance seen: its window as last seen and the step of that read.
    maintenances: BTreeMap<String, (Window, usize)>,
    components: BTreeMap<String, Option<ComponentStatus>>,
    pub expected: Vec<String>,
}

impl Oracle {
    /// Records what a read through `view`, made after `step` steps, should report.
    pub fn observe(&mut self, world: &World, step: usize, view: View) {
        self.incidents(world, view);
        self.maintenances(world, step, view);
        if view.shows_components() {
            for component in &world.truth.components {
                let seen = self
                    .components
                    .insert(component.id.clone(), component.status);
                if let Some(Some(from)) = seen
                    && let Some(to) = component.status
                    && from != to
                {
                    self.expected.push(format!(
                        "component_status_changed {} {from}>{to}",
                        component.id
                    ));
                }
            }
        }
    }

    fn incidents(&mut self, world: &World, view: View) {
        for incident in world
            .truth
            .incidents
            .iter()
            .filter(|i| view.shows_incident(i))
        {
            let shown_impact = if view == View::Feed {
                None
            } else {
                incident.impact
            };
            let bodies: BTreeMap<String, String> = incident
                .updates
                .iter()
                .map(|u| (u.id.clone(), u.body.clone()))
                .collect();
            let id = &incident.id;
            let Some((seen, impact)) = self.incidents.get_mut(id) else {
                let newest = incident.updates.last().map_or("-", |u| u.id.as_str());
                self.expected.push(if is_open(incident) {
                    format!("incident_opened {id} {newest}")
                } else {
                    format!("incident_resolved {id} {newest} backfilled")
                });
                self.incidents.insert(id.clone(), (bodies, shown_impact));
                continue;
            };
            // The truth is canonical: updates oldest first.
            let fresh: Vec<_> = incident
                .updates
                .iter()
                .filter(|u| !seen.contains_key(&u.id))
                .collect();
            for update in &fresh {
                let label = world.update_labels[&update.id];
                let flag = if label.reopened { " reopened" } else { "" };
                self.expected
                    .push(format!("{} {id} {}{flag}", label.kind, update.id));
            }
            if fresh.is_empty()
                && impact.is_some()
                && shown_impact.is_some()
                && shown_impact != *impact
            {
                self.expected.push(format!("incident_updated {id} -"));
            }
            for update in &incident.updates {
                if seen
                    .get(&update.id)
                    .is_some_and(|body| *body != update.body)
                {
                    self.expected
                        .push(format!("incident_updated {id} {} edited", update.id));
                }
            }
            *seen = bodies;
            *impact = shown_impact.or(*impact);
        }
    }

    fn maintenances(&mut self, world: &World, step: usize, view: View) {
        use MaintenanceStatus::*;
        let labels_since = |id: &str, since: usize| -> Vec<EventKind> {
            world.maintenance_labels[since..step]
                .iter()
                .filter_map(|l| l.get(id).copied())
                .collect()
        };
        let shows_window = view != View::Feed;
        let mut shown = Vec::new();
        for m in world
            .truth
            .maintenances
            .iter()
            .filter(|m| view.shows_maintenance(m.status))
        {
            shown.push(m.id.clone());
            let id = &m.id;
            let window = (m.scheduled_for, m.scheduled_until);
            let window_shown = if shows_window { window } else { (None, None) };
            let Some((seen_window, since)) = self.maintenances.get_mut(id) else {
                self.expected.push(match m.status {
                    Some(Scheduled) => format!("maintenance_scheduled {id}"),
                    Some(Completed) => format!("maintenance_completed {id} backfilled"),
                    _ => format!("maintenance_started {id}"),
                });
                self.maintenances.insert(id.clone(), (window_shown, step));
                continue;
            };
            let labels = labels_since(id, *since);
            if labels.contains(&EventKind::MaintenanceCompleted) {
                self.expected.push(format!("maintenance_completed {id}"));
            } else if labels.contains(&EventKind::MaintenanceStarted) {
                self.expected.push(format!("maintenance_started {id}"));
            } else if m.status == Some(Scheduled) && moved(window_shown, *seen_window) {
                self.expected
                    .push(format!("maintenance_scheduled {id} rescheduled"));
            }
            *seen_window = (
                window_shown.0.or(seen_window.0),
                window_shown.1.or(seen_window.1),
            );
            *since = step;
        }
        let gone: Vec<String> = self
            .maintenances
            .iter()
            .filter(|(id, (_, since))| {
                !shown.contains(id)
                    && labels_since(id, *since).contains(&EventKind::MaintenanceCancelled)
            })
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            self.expected.push(format!("maintenance_cancelled {id}"));
            self.maintenances.remove(&id);
        }
    }
}

fn moved(shown: Window, seen: Window) -> bool {
    let one =
        |a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>| a.is_some() && b.is_some() && a != b;
    one(shown.0, seen.0) || one(shown.1, seen.1)
}

/// The same shape for an event the diff produced.
pub fn describe(event: &Event) -> String {
    let kind = event.kind();
    let id = event.subject_id().unwrap_or_default();
    match event {
        Event::IncidentOpened(c)
        | Event::IncidentUpdated(c)
        | Event::IncidentResolved(c)
        | Event::PostmortemPublished(c) => {
            let mut s = format!("{kind} {id} {}", c.update_id.as_deref().unwrap_or("-"));
            for (flag, name) in [
                (c.edited, "edited"),
                (c.backfilled, "backfilled"),
                (c.reopened, "reopened"),
            ] {
                if flag {
                    s.push(' ');
                    s.push_str(name);
                }
            }
            s
        }
        Event::MaintenanceScheduled(c)
        | Event::MaintenanceStarted(c)
        | Event::MaintenanceCompleted(c)
        | Event::MaintenanceCancelled(c) => {
            let mut s = format!("{kind} {id}");
            for (flag, name) in [(c.backfilled, "backfilled"), (c.rescheduled, "rescheduled")] {
                if flag {
                    s.push(' ');
                    s.push_str(name);
                }
            }
            s
        }
        Event::ComponentStatusChanged(c) => format!("{kind} {id} {}>{}", c.from, c.to),
        // The diff never makes these: they come from the poller's failure accounting.
        Event::ProviderUnreachable(_) | Event::ProviderRecovered(_) => kind.to_string(),
    }
}
