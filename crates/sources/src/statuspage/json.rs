//! The documents of Statuspage's public `/api/v2`, as serde reads them. incident.io serves
//! the same shapes with fields left out, so everything a page may omit is optional here and
//! only what every document has (ids, names, statuses) is required.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::lenient::Lenient;

/// Which keys a document has, read before the document itself so that JSON which is not a
/// Statuspage document (another platform's, say) is told apart from a broken one.
#[derive(Debug, Deserialize)]
pub(crate) struct Keys {
    #[serde(default)]
    page: Option<IgnoredAny>,
    #[serde(default)]
    status: Option<IgnoredAny>,
    #[serde(default)]
    components: Option<IgnoredAny>,
    #[serde(default)]
    incidents: Option<IgnoredAny>,
    #[serde(default)]
    incident: Option<IgnoredAny>,
    #[serde(default)]
    scheduled_maintenances: Option<IgnoredAny>,
}

/// The endpoint a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `summary.json`: status, components, unresolved incidents and upcoming or active
    /// maintenances (incident.io leaves the maintenances out).
    Summary,
    /// `status.json`: the page and its overall indicator only.
    Status,
    Components,
    /// `incidents.json` or `incidents/unresolved.json`.
    Incidents,
    /// `incidents/<code>.json`.
    Incident,
    /// `scheduled-maintenances.json` and its `upcoming` / `active` variants.
    Maintenances,
}

impl Keys {
    /// `None` when the keys fit no endpoint: every document has `page`, plus one of these sets.
    pub fn kind(&self) -> Option<Kind> {
        self.page.as_ref()?;
        let has = (
            self.status.is_some(),
            self.components.is_some(),
            self.incidents.is_some(),
            self.incident.is_some(),
            self.scheduled_maintenances.is_some(),
        );
        match has {
            // A summary without its lists (some pages leave both out) still gives the page
            // and its components.
            (true, true, true, false, _) | (true, true, false, false, _) => Some(Kind::Summary),
            (true, false, false, false, false) => Some(Kind::Status),
            (false, true, false, false, false) => Some(Kind::Components),
            (false, false, true, false, false) => Some(Kind::Incidents),
            (false, false, false, true, false) => Some(Kind::Incident),
            (false, false, false, false, true) => Some(Kind::Maintenances),
            _ => None,
        }
    }
}

/// Any `/api/v2` document; [`Keys::kind`] says which one. Its lists are read item by item.
#[derive(Deserialize)]
pub(crate) struct Document {
    pub page: Page,
    #[serde(default)]
    pub components: Option<Lenient<Component>>,
    #[serde(default)]
    pub incidents: Option<Lenient<Item>>,
    #[serde(default)]
    pub incident: Option<Item>,
    #[serde(default)]
    pub scheduled_maintenances: Option<Lenient<Item>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Page {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Component {
    pub id: String,
    pub name: String,
    pub status: String,
    /// `true` on a group header, which is not a component itself.
    #[serde(default)]
    pub group: Option<bool>,
    #[serde(default)]
    pub group_id: Option<String>,
}

/// An incident or a scheduled maintenance: Statuspage gives both the same shape, the
/// maintenance adding `scheduled_for` / `scheduled_until`.
#[derive(Deserialize)]
pub(crate) struct Item {
    pub id: String,
    pub name: String,
    pub status: String,
    #[serde(default)]
    pub impact: Option<String>,
    #[serde(default)]
    pub created_at: Option<Time>,
    #[serde(default)]
    pub started_at: Option<Time>,
    #[serde(default)]
    pub resolved_at: Option<Time>,
    #[serde(default)]
    pub scheduled_for: Option<Time>,
    #[serde(default)]
    pub scheduled_until: Option<Time>,
    #[serde(default)]
    pub shortlink: Option<String>,
    #[serde(default)]
    pub components: Option<Vec<ComponentRef>>,
    #[serde(default)]
    pub incident_updates: Lenient<ItemUpdate>,
}

/// A component as an incident lists it: we keep only the id.
#[derive(Debug, Deserialize)]
pub(crate) struct ComponentRef {
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ItemUpdate {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub created_at: Option<Time>,
    #[serde(default)]
    pub display_at: Option<Time>,
    #[serde(default)]
    pub affected_components: Option<Vec<AffectedComponent>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AffectedComponent {
    /// The component's id (`name` may be stale after a rename, so it is not read).
    pub code: String,
}

/// A timestamp as Statuspage writes it: RFC 3339, in UTC or with the page's offset
/// (Twilio: `-07:00`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(transparent)]
pub(crate) struct Time(DateTime<FixedOffset>);

impl Time {
    pub fn utc(self) -> DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }
}
