//! The status words feeds put in front of an update ("Resolved", "In progress", "Update").

use vw_domain::{IncidentStatus, MaintenanceStatus};

/// What one label says about the state of an incident or a maintenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Incident(IncidentStatus),
    Maintenance(MaintenanceStatus),
    /// Statuspage's "Update": news without a change of status.
    Update,
}

impl Label {
    /// Reads a label, ignoring case and extra spaces. Words outside Statuspage's labels
    /// (FORMATS.md §1) are `None`.
    pub fn parse(word: &str) -> Option<Label> {
        let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
        let label = match word.to_ascii_lowercase().as_str() {
            "investigating" => Label::Incident(IncidentStatus::Investigating),
            "identified" => Label::Incident(IncidentStatus::Identified),
            "monitoring" => Label::Incident(IncidentStatus::Monitoring),
            "resolved" => Label::Incident(IncidentStatus::Resolved),
            "postmortem" => Label::Incident(IncidentStatus::Postmortem),
            "scheduled" => Label::Maintenance(MaintenanceStatus::Scheduled),
            "in progress" => Label::Maintenance(MaintenanceStatus::InProgress),
            "verifying" => Label::Maintenance(MaintenanceStatus::Verifying),
            "completed" => Label::Maintenance(MaintenanceStatus::Completed),
            "update" => Label::Update,
            _ => return None,
        };
        Some(label)
    }

    pub fn is_maintenance(self) -> bool {
        matches!(self, Label::Maintenance(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labels_whatever_their_case_and_spacing() {
        assert_eq!(
            Label::parse(" In  Progress"),
            Some(Label::Maintenance(MaintenanceStatus::InProgress))
        );
        assert_eq!(
            Label::parse("RESOLVED"),
            Some(Label::Incident(IncidentStatus::Resolved))
        );
        assert_eq!(Label::parse("Update"), Some(Label::Update));
        assert_eq!(Label::parse("Mitigated"), None);
    }
}
