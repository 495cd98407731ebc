//! What a notification group's filters see of an event: the class of change (opened,
//! updated, resolved, or the opt-in postmortem and page-health ones), its severity, and the
//! components it touches. Decided here, once, and stored with the event, so that fan-out
//! matches columns instead of restating these rules.

use crate::{Event, Severity};

/// The kind of change a group's event filter lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertClass {
    Opened,
    Updated,
    Resolved,
    /// Opted in per group (it counts as news about a closed incident).
    Postmortem,
    /// The status page cannot be read, or reads again: opted in per group.
    PageHealth,
}

impl AlertClass {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertClass::Opened => "opened",
            AlertClass::Updated => "updated",
            AlertClass::Resolved => "resolved",
            AlertClass::Postmortem => "postmortem",
            AlertClass::PageHealth => "page_health",
        }
    }
}

/// How an event is routed; `class` `None` alerts nobody.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing<'a> {
    pub class: Option<AlertClass>,
    pub severity: Option<Severity>,
    /// Vendor ids of the components it touches; empty touches every component.
    pub touches: &'a [String],
}

impl Event {
    /// How the event reaches notification groups. An incident is major or minor by its
    /// impact at the time of the change; a maintenance is "maintenance": it starts (opened),
    /// is (re)scheduled (updated), completes or is cancelled (resolved). Backfilled news about
    /// the past, and component status moves, alert nobody.
    pub fn routing(&self) -> Routing<'_> {
        let none: &[String] = &[];
        match self {
            Event::IncidentOpened(c)
            | Event::IncidentUpdated(c)
            | Event::IncidentResolved(c)
            | Event::PostmortemPublished(c) => {
                let class = match self {
                    _ if c.backfilled => None,
                    Event::IncidentOpened(_) => Some(AlertClass::Opened),
                    Event::IncidentUpdated(_) => Some(AlertClass::Updated),
                    Event::IncidentResolved(_) => Some(AlertClass::Resolved),
                    _ => Some(AlertClass::Postmortem),
                };
                Routing {
                    class,
                    severity: Some(Severity::of_impact(c.impact)),
                    touches: &c.components,
                }
            }
            Event::MaintenanceScheduled(c)
            | Event::MaintenanceStarted(c)
            | Event::MaintenanceCompleted(c)
            | Event::MaintenanceCancelled(c) => {
                let class = match self {
                    _ if c.backfilled => None,
                    Event::MaintenanceStarted(_) => Some(AlertClass::Opened),
                    Event::MaintenanceScheduled(_) => Some(AlertClass::Updated),
                    _ => Some(AlertClass::Resolved),
                };
                Routing {
                    class,
                    severity: Some(Severity::Maintenance),
                    touches: &c.components,
                }
            }
            Event::ComponentStatusChanged(_) => Routing {
                class: None,
                severity: None,
                touches: none,
            },
            Event::ProviderUnreachable(_) | Event::ProviderRecovered(_) => Routing {
                class: Some(AlertClass::PageHealth),
                severity: None,
                touches: none,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Impact, IncidentChange, MaintenanceChange, ProviderChange};

    fn incident(impact: Option<Impact>, backfilled: bool) -> IncidentChange {
        IncidentChange {
            incident_id: "i".into(),
            update_id: None,
            from: None,
            to: None,
            impact,
            components: vec!["api".into()],
            edited: false,
            backfilled,
            reopened: false,
        }
    }

    fn maintenance() -> MaintenanceChange {
        MaintenanceChange {
            maintenance_id: "m".into(),
            update_id: None,
            from: None,
            to: None,
            scheduled_for: None,
            scheduled_until: None,
            components: vec![],
            backfilled: false,
            rescheduled: false,
        }
    }

    #[test]
    fn incidents_route_by_their_impact_and_change() {
        let opened = Event::IncidentOpened(incident(Some(Impact::Critical), false));
        let routing = opened.routing();
        assert_eq!(routing.class, Some(AlertClass::Opened));
        assert_eq!(routing.severity, Some(Severity::Major));
        assert_eq!(routing.touches, ["api"]);
        let none = Event::IncidentResolved(incident(Some(Impact::None), false));
        assert_eq!(none.routing().severity, Some(Severity::Minor));
        assert_eq!(none.routing().class, Some(AlertClass::Resolved));
        let pm = Event::PostmortemPublished(incident(None, false));
        assert_eq!(pm.routing().class, Some(AlertClass::Postmortem));
    }

    #[test]
    fn backfilled_news_and_component_moves_alert_nobody() {
        let past = Event::IncidentResolved(incident(Some(Impact::Major), true));
        assert_eq!(past.routing().class, None);
        let moved = Event::ComponentStatusChanged(crate::ComponentChange {
            component_id: "api".into(),
            from: crate::ComponentStatus::Operational,
            to: crate::ComponentStatus::MajorOutage,
        });
        assert_eq!(moved.routing().class, None);
    }

    #[test]
    fn maintenances_are_maintenance_and_start_as_opened() {
        let started = Event::MaintenanceStarted(maintenance());
        assert_eq!(started.routing().class, Some(AlertClass::Opened));
        assert_eq!(started.routing().severity, Some(Severity::Maintenance));
        assert_eq!(
            Event::MaintenanceCompleted(maintenance()).routing().class,
            Some(AlertClass::Resolved)
        );
        assert_eq!(
            Event::MaintenanceScheduled(maintenance()).routing().class,
            Some(AlertClass::Updated)
        );
        let down = Event::ProviderUnreachable(ProviderChange {
            failing_since: chrono::DateTime::UNIX_EPOCH,
            error: None,
        });
        assert_eq!(down.routing().class, Some(AlertClass::PageHealth));
    }
}
