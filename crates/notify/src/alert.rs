//! What one alert says, whatever the channel: the model the job layer fills from the database
//! and every channel renders. Texts are stored as the vendor wrote them; channels clean, escape
//! and cut them for their format.

use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;
use uuid::Uuid;
use vw_domain::{Impact, IncidentStatus, MaintenanceStatus, ProviderSlug, Severity};

/// One message to send: an event of a provider as one notification group sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The event announced (the outbox row's id). Stable across retries: the webhook-id and
    /// the e-mail Message-ID are derived from it, so a receiver can drop a duplicate. A test
    /// message gets a fresh one.
    pub event_id: Uuid,
    /// What happened, to what.
    pub about: About,
    /// The severity the group's filters matched on: `Severity::of_impact` of an incident's
    /// impact, `Maintenance` for maintenances. It picks colours and labels.
    pub severity: Severity,
    /// The components the event touches, as the provider names them; `watched` marks those
    /// the monitor is narrowed to, and messages list them first and marked.
    pub components: Vec<AffectedComponent>,
    /// The newest update's text, as the vendor wrote it: may be long and may contain
    /// Markdown, HTML, mentions, control or bidi characters. `None` when there is none.
    pub latest_update: Option<String>,
    /// The vendorwatch page of the incident, maintenance or provider. Every message links to
    /// it, and cut text is completed there.
    pub page_url: Url,
    /// When vendorwatch first saw the change (never the vendor's time).
    pub detected_at: DateTime<Utc>,
    /// The workspace (tenant) the alert is for, as its members named it.
    pub workspace: String,
}

/// The subject of an alert with what happened to it. Incident events only ever carry an
/// incident, and so on: a mismatch cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub enum About {
    Incident {
        /// Whose status page reported it.
        provider: Provider,
        /// The incident as it stands after the event.
        incident: IncidentInfo,
        /// What happened to it.
        event: IncidentEvent,
    },
    Maintenance {
        provider: Provider,
        /// The maintenance as it stands after the event.
        maintenance: MaintenanceInfo,
        event: MaintenanceEvent,
    },
    /// Whether vendorwatch can read the provider's status page at all.
    Provider {
        provider: Provider,
        /// Unreachable or readable again.
        event: ProviderEvent,
    },
    /// A "send test" button's message: proves the channel works, about nothing.
    Test,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentEvent {
    /// First sight of an open incident.
    Opened,
    /// A closed incident opened again.
    Reopened,
    /// A new or edited update, or a status or impact change.
    Updated,
    Resolved,
    PostmortemPublished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaintenanceEvent {
    /// First sight of a scheduled maintenance.
    Scheduled,
    /// A scheduled maintenance's window moved.
    Rescheduled,
    Started,
    Completed,
    Cancelled,
    /// A reminder sent `before` the start (24 h, 1 h, …). `late` when it could not be sent at
    /// that offset (the maintenance was announced closer to its start, or the queue was
    /// behind): the message then says "less than" instead of an exact time.
    Reminder {
        before: Duration,
        late: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderEvent {
    /// The status page could not be read since `since`; `error` is the last failure, one line.
    Unreachable { since: DateTime<Utc>, error: String },
    /// The status page was read again after failing since `since`.
    Recovered { since: DateTime<Utc> },
}

/// The vendor whose status page the event comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// Its name in the catalog and in its vendorwatch address; webhook receivers key on it.
    pub slug: ProviderSlug,
    /// Its display name ("GitHub"): from the catalog or the page, so treated as vendor text.
    pub name: String,
    /// The vendor's own status page ("View vendor source").
    pub status_page_url: Url,
}

/// An incident as it stands after the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentInfo {
    /// vendorwatch's id of the incident: e-mails about one incident form one thread by it.
    pub id: Uuid,
    /// As the vendor wrote it (vendor text: any length, any characters).
    pub title: String,
    /// `None` when the vendor gives none.
    pub impact: Option<Impact>,
    /// The status after the event; `None` when the vendor's word maps to none of ours.
    pub status: Option<IncidentStatus>,
    /// When the vendor says it began (not when we saw it: that is `Alert::detected_at`).
    pub started_at: Option<DateTime<Utc>>,
    /// Set once resolved; with `started_at` it gives the duration shown.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// A maintenance as it stands after the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintenanceInfo {
    /// vendorwatch's id of the maintenance: its e-mails form one thread by it.
    pub id: Uuid,
    /// As the vendor wrote it (vendor text).
    pub title: String,
    /// `None` once cancelled (the vendor no longer lists it) or when not given.
    pub status: Option<MaintenanceStatus>,
    /// The announced window's start: reminders count back from it.
    pub starts_at: Option<DateTime<Utc>>,
    /// The announced window's end.
    pub ends_at: Option<DateTime<Utc>>,
}

/// A component the event touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedComponent {
    /// As the vendor names it (vendor text).
    pub name: String,
    /// The group it sits in on the vendor's page ("API"), if any.
    pub group: Option<String>,
    /// The monitor watches it: messages mark it and list it first.
    pub watched: bool,
}

/// An alert's kind by its stable name: the webhook `type`, also a log field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    IncidentOpened,
    IncidentUpdated,
    IncidentResolved,
    IncidentPostmortem,
    MaintenanceScheduled,
    MaintenanceStarted,
    MaintenanceCompleted,
    MaintenanceCancelled,
    MaintenanceReminder,
    ProviderUnreachable,
    ProviderRecovered,
    TestPing,
}

impl AlertKind {
    pub const ALL: [AlertKind; 12] = [
        AlertKind::IncidentOpened,
        AlertKind::IncidentUpdated,
        AlertKind::IncidentResolved,
        AlertKind::IncidentPostmortem,
        AlertKind::MaintenanceScheduled,
        AlertKind::MaintenanceStarted,
        AlertKind::MaintenanceCompleted,
        AlertKind::MaintenanceCancelled,
        AlertKind::MaintenanceReminder,
        AlertKind::ProviderUnreachable,
        AlertKind::ProviderRecovered,
        AlertKind::TestPing,
    ];

    /// The dotted name of docs/webhooks.md (`incident.opened`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::IncidentOpened => "incident.opened",
            AlertKind::IncidentUpdated => "incident.updated",
            AlertKind::IncidentResolved => "incident.resolved",
            AlertKind::IncidentPostmortem => "incident.postmortem",
            AlertKind::MaintenanceScheduled => "maintenance.scheduled",
            AlertKind::MaintenanceStarted => "maintenance.started",
            AlertKind::MaintenanceCompleted => "maintenance.completed",
            AlertKind::MaintenanceCancelled => "maintenance.cancelled",
            AlertKind::MaintenanceReminder => "maintenance.reminder",
            AlertKind::ProviderUnreachable => "provider.unreachable",
            AlertKind::ProviderRecovered => "provider.recovered",
            AlertKind::TestPing => "test.ping",
        }
    }
}

impl std::fmt::Display for AlertKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Alert {
    pub fn kind(&self) -> AlertKind {
        match &self.about {
            About::Incident { event, .. } => match event {
                IncidentEvent::Opened | IncidentEvent::Reopened => AlertKind::IncidentOpened,
                IncidentEvent::Updated => AlertKind::IncidentUpdated,
                IncidentEvent::Resolved => AlertKind::IncidentResolved,
                IncidentEvent::PostmortemPublished => AlertKind::IncidentPostmortem,
            },
            About::Maintenance { event, .. } => match event {
                MaintenanceEvent::Scheduled | MaintenanceEvent::Rescheduled => {
                    AlertKind::MaintenanceScheduled
                }
                MaintenanceEvent::Started => AlertKind::MaintenanceStarted,
                MaintenanceEvent::Completed => AlertKind::MaintenanceCompleted,
                MaintenanceEvent::Cancelled => AlertKind::MaintenanceCancelled,
                MaintenanceEvent::Reminder { .. } => AlertKind::MaintenanceReminder,
            },
            About::Provider { event, .. } => match event {
                ProviderEvent::Unreachable { .. } => AlertKind::ProviderUnreachable,
                ProviderEvent::Recovered { .. } => AlertKind::ProviderRecovered,
            },
            About::Test => AlertKind::TestPing,
        }
    }

    /// The provider the alert is about; `None` for a test message.
    pub fn provider(&self) -> Option<&Provider> {
        match &self.about {
            About::Incident { provider, .. }
            | About::Maintenance { provider, .. }
            | About::Provider { provider, .. } => Some(provider),
            About::Test => None,
        }
    }
}
