//! Reads of the true page through the views real sources give of it.

use vw_domain::{Incident, MaintenanceStatus, Snapshot};

use super::history::is_open;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Everything: the full API.
    Full,
    /// Statuspage's `summary.json`: unresolved incidents, upcoming and active maintenances,
    /// components.
    Summary,
    /// A history feed: every incident and maintenance, without impact, affected components,
    /// windows or the page's components.
    Feed,
}

impl View {
    pub const ALL: [View; 3] = [View::Full, View::Summary, View::Feed];

    pub fn shows_incident(self, incident: &Incident) -> bool {
        self != View::Summary || is_open(incident)
    }

    pub fn shows_maintenance(self, status: Option<MaintenanceStatus>) -> bool {
        self != View::Summary || status != Some(MaintenanceStatus::Completed)
    }

    pub fn shows_components(self) -> bool {
        self != View::Feed
    }
}

/// What a source returns when the page is `truth`: `view` applied, every list shuffled when
/// `shuffle` is given.
pub fn read(truth: &Snapshot, view: View, shuffle: Option<u64>) -> Snapshot {
    let mut read = truth.clone();
    read.incidents.retain(|i| view.shows_incident(i));
    read.maintenances
        .retain(|m| view.shows_maintenance(m.status));
    if !view.shows_components() {
        read.components.clear();
    }
    if view == View::Feed {
        for incident in &mut read.incidents {
            incident.impact = None;
            incident.components.clear();
        }
        for maintenance in &mut read.maintenances {
            maintenance.scheduled_for = None;
            maintenance.scheduled_until = None;
            maintenance.components.clear();
        }
    }
    if let Some(seed) = shuffle {
        shuffle_lists(&mut read, seed);
    }
    read
}

/// Shuffles every list of the snapshot: sources promise no order.
pub fn shuffle_lists(snapshot: &mut Snapshot, seed: u64) {
    let mut rng = XorShift(seed | 1);
    rng.shuffle(&mut snapshot.components);
    rng.shuffle(&mut snapshot.incidents);
    rng.shuffle(&mut snapshot.maintenances);
    for incident in &mut snapshot.incidents {
        rng.shuffle(&mut incident.updates);
    }
    for maintenance in &mut snapshot.maintenances {
        rng.shuffle(&mut maintenance.updates);
    }
}

/// A tiny deterministic generator, enough to shuffle (the seed comes from proptest).
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}
