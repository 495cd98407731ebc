//! An entry's updates, oldest first, once read from whichever markup: from them come the
//! incident's or the maintenance's statuses, its update ids, and when it was resolved.

use std::collections::HashSet;

use chrono::{DateTime, SecondsFormat, Utc};
use vw_domain::{Incident, IncidentStatus, Maintenance, Update};

use super::label::Label;

pub(crate) enum Item {
    Incident(Incident),
    Maintenance(Maintenance),
}

/// What every entry has, whatever its content.
pub(crate) struct Head {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
}

/// One update before its status is worked out: `label` is `None` for a word we do not know.
pub(crate) struct Step {
    pub label: Option<Label>,
    pub posted_at: Option<DateTime<Utc>>,
    /// What the update's id is made from when it has no time.
    pub stamp: String,
    pub body: String,
}

/// The times an entry gives besides its updates'. Each is `None` unless the entry states it.
#[derive(Default)]
pub(crate) struct Times {
    pub started: Option<DateTime<Utc>>,
    /// Taken only if the entry ends closed.
    pub resolved: Option<DateTime<Utc>>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
}

/// The time of the last update labelled Resolved: when the incident was said to be over.
pub(crate) fn resolved_step(steps: &[Step]) -> Option<DateTime<Utc>> {
    steps
        .iter()
        .rev()
        .find(|s| s.label == Some(Label::Incident(IncidentStatus::Resolved)))
        .and_then(|s| s.posted_at)
}

/// `steps` oldest first. An entry is a maintenance when any of its labels is a maintenance
/// one (Scheduled, In progress, Verifying, Completed): feeds mix both and say no more.
pub(crate) fn build(head: Head, steps: Vec<Step>, times: Times) -> Item {
    let ids = update_ids(&steps);
    if steps
        .iter()
        .any(|s| s.label.is_some_and(Label::is_maintenance))
    {
        let updates = timeline(&steps, ids, |label| match label {
            Label::Maintenance(status) => Some(status),
            _ => None,
        });
        return Item::Maintenance(Maintenance {
            id: head.id,
            title: head.title,
            status: updates.last().and_then(|u| u.status),
            scheduled_for: times.scheduled_for,
            scheduled_until: times.scheduled_until,
            url: head.url,
            components: Vec::new(),
            updates,
        });
    }
    let updates = timeline(&steps, ids, |label| match label {
        Label::Incident(status) => Some(status),
        _ => None,
    });
    let status = updates.last().and_then(|u| u.status);
    Item::Incident(Incident {
        id: head.id,
        title: head.title,
        // Feeds do not carry an impact.
        impact: None,
        status,
        started_at: times.started,
        resolved_at: times
            .resolved
            .filter(|_| status.is_some_and(IncidentStatus::is_closed)),
        url: head.url,
        components: Vec::new(),
        updates,
    })
}

/// Statuses oldest first: "Update" keeps the status before it (none when it comes first).
fn timeline<S: Copy>(
    steps: &[Step],
    ids: Vec<String>,
    status_of: impl Fn(Label) -> Option<S>,
) -> Vec<Update<S>> {
    let mut current = None;
    steps
        .iter()
        .zip(ids)
        .map(|(step, id)| {
            current = match step.label {
                Some(Label::Update) => current,
                Some(label) => status_of(label),
                None => None,
            };
            Update {
                id,
                status: current,
                body: step.body.clone(),
                posted_at: step.posted_at,
            }
        })
        .collect()
}

/// Update ids from the update's time (the stamp as written when it has none), the same on
/// every read. Updates with the same time are numbered from the oldest, which new updates
/// (added on top) never renumber.
fn update_ids(steps: &[Step]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    steps
        .iter()
        .map(|step| {
            let base = step.posted_at.map_or_else(
                || step.stamp.clone(),
                |t| t.to_rfc3339_opts(SecondsFormat::Secs, true),
            );
            let mut id = base.clone();
            let mut n = 1;
            while used.contains(&id) {
                n += 1;
                id = format!("{base}#{n}");
            }
            used.insert(id.clone());
            id
        })
        .collect()
}
