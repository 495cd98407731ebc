//! The vendorwatch domain: what a status page says (a [`Snapshot`]), the words it is said in
//! (statuses, impacts, platforms), and the changes between two snapshots ([`Event`]s).
//!
//! Pure: no I/O, no async, no clock. Every other crate depends on this one; it depends on none
//! of them.

mod platform;
mod snapshot;
mod status;

pub use platform::{Platform, UnknownPlatform};
pub use snapshot::{Component, Incident, Maintenance, Page, Snapshot, Update};
pub use status::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus};
