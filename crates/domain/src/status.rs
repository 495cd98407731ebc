//! The closed vocabularies of a status page, as DESIGN.md names them. Adapters map each
//! platform's own words onto these; a word that maps to nothing is left out (`None`), never
//! guessed.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// Reads the word as `as_str` writes it.
            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// The state of one component, worst last.
    ComponentStatus {
        Operational => "operational",
        UnderMaintenance => "under_maintenance",
        DegradedPerformance => "degraded_performance",
        PartialOutage => "partial_outage",
        MajorOutage => "major_outage",
    }
}

vocabulary! {
    /// How bad an incident is, mildest first.
    Impact {
        None => "none",
        Minor => "minor",
        Major => "major",
        Critical => "critical",
    }
}

vocabulary! {
    /// Where an incident is in its life, in the order it usually moves.
    IncidentStatus {
        Investigating => "investigating",
        Identified => "identified",
        Monitoring => "monitoring",
        Resolved => "resolved",
        Postmortem => "postmortem",
    }
}

vocabulary! {
    /// Where a scheduled maintenance is in its life.
    MaintenanceStatus {
        Scheduled => "scheduled",
        InProgress => "in_progress",
        Verifying => "verifying",
        Completed => "completed",
    }
}

vocabulary! {
    /// How an alert is filtered: incidents are major or minor by their impact, maintenances are
    /// maintenance. A notification group picks the severities it wants.
    Severity {
        Major => "major",
        Minor => "minor",
        Maintenance => "maintenance",
    }
}

impl Severity {
    /// Critical and major are major; minor, none and an impact the vendor did not give are
    /// minor (an incident is worth telling about even when the vendor rates it low).
    pub fn of_impact(impact: Option<Impact>) -> Self {
        match impact {
            Some(Impact::Critical | Impact::Major) => Severity::Major,
            Some(Impact::Minor | Impact::None) | None => Severity::Minor,
        }
    }
}

impl IncidentStatus {
    /// Resolved and postmortem incidents are over; the others are open.
    pub fn is_closed(self) -> bool {
        matches!(self, IncidentStatus::Resolved | IncidentStatus::Postmortem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_follows_the_impact() {
        assert_eq!(Severity::of_impact(Some(Impact::Critical)), Severity::Major);
        assert_eq!(Severity::of_impact(Some(Impact::Major)), Severity::Major);
        assert_eq!(Severity::of_impact(Some(Impact::Minor)), Severity::Minor);
        assert_eq!(Severity::of_impact(Some(Impact::None)), Severity::Minor);
        assert_eq!(Severity::of_impact(None), Severity::Minor);
    }

    #[test]
    fn words_round_trip_through_parse_and_serde() {
        for s in ComponentStatus::ALL {
            assert_eq!(ComponentStatus::parse(s.as_str()), Some(*s));
            let json = serde_json::to_string(s).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        for s in MaintenanceStatus::ALL {
            assert_eq!(MaintenanceStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(IncidentStatus::parse("Resolved"), None);
    }

    #[test]
    fn component_statuses_order_from_best_to_worst() {
        assert!(ComponentStatus::Operational < ComponentStatus::DegradedPerformance);
        assert!(ComponentStatus::PartialOutage < ComponentStatus::MajorOutage);
        assert!(Impact::Minor < Impact::Critical);
    }
}
