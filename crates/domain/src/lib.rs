//! The vendorwatch domain: what a status page says (a [`Snapshot`]), the words it is said in
//! (statuses, impacts, platforms), and the changes between two snapshots ([`Event`]s).
//!
//! Pure: no I/O, no async, no clock. Every other crate depends on this one; it depends on none
//! of them.

mod account;
pub mod calendar;
mod catalog_entry;
mod component_filter;
mod diff;
mod event;
mod ids;
mod notification_group;
mod platform;
mod poll_failure;
mod provider_slug;
mod routing;
mod snapshot;
mod status;
mod status_page_url;
pub mod timeline;
mod validators;
pub mod vendor_text;

pub use account::{EmailAddress, InvalidInput, Password, Role, WorkspaceName};
pub use calendar::{CalendarStatus, Month, TimeZoneName};
pub use catalog_entry::{CatalogEntry, RawEntry};
pub use component_filter::{ComponentFilter, FilterableComponent};
pub use diff::{diff, merge};
pub use event::{
    ComponentChange, Event, EventKind, IncidentChange, MaintenanceChange, ProviderChange,
};
pub use ids::{
    ApiTokenId, ChannelId, DeliveryId, EventId, GroupId, IncidentId, InvitationId, LeaseId,
    MaintenanceId, MonitorId, MonitorRequestId, ProviderId, UserId, WorkspaceId,
};
pub use notification_group::{GroupFilters, GroupName, ReminderOffsets};
pub use platform::{Platform, UnknownPlatform};
pub use poll_failure::PollFailure;
pub use provider_slug::{InvalidSlug, ProviderSlug};
pub use routing::{AlertClass, Routing};
pub use snapshot::{Component, Incident, Maintenance, Page, Snapshot, Update};
pub use status::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Severity};
pub use status_page_url::{InvalidStatusPageUrl, StatusPageUrl};
pub use timeline::IncidentDuration;
pub use validators::{PageValidators, Validators};
pub use vendor_text::{CUT_MARKER, was_cut};
