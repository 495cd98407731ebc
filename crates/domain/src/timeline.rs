//! The sums an incident's page shows: whether it is still open, how long it lasted, and how
//! long the vendor took to say anything. The vendor's times are shown as given; these sums
//! never turn a vendor's inconsistency into a negative duration.

use chrono::{DateTime, TimeDelta, Utc};

use crate::{Incident, IncidentStatus};

/// Where an incident stands as far as what is stored tells: its own status, else its newest
/// update's, else resolved when it has an end (a feed may give nothing more). The same rule
/// the diff reads incidents by, so that the page and the alerts agree.
pub fn incident_status(
    own: Option<IncidentStatus>,
    newest_update: Option<IncidentStatus>,
    resolved_at: Option<DateTime<Utc>>,
) -> Option<IncidentStatus> {
    own.or(newest_update)
        .or_else(|| resolved_at.map(|_| IncidentStatus::Resolved))
}

/// An incident of unknown status is open: nothing says it ended.
pub fn is_open(status: Option<IncidentStatus>) -> bool {
    !status.is_some_and(IncidentStatus::is_closed)
}

impl Incident {
    /// Where the incident stands as far as the read tells, by [`incident_status`]: the rule
    /// the diff, the stored `current_status` / `open` columns and every page share.
    pub fn current_status(&self) -> Option<IncidentStatus> {
        incident_status(
            self.status,
            crate::diff::newest_status(&self.updates),
            self.resolved_at,
        )
    }

    pub fn is_open(&self) -> bool {
        is_open(self.current_status())
    }
}

/// How long an incident lasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentDuration {
    /// Still open, whatever end time the vendor once gave (a reopened incident keeps one).
    Ongoing,
    /// Closed after this long; never negative.
    Lasted(TimeDelta),
    /// Closed, and the vendor's end is before its start (`by` this much): the times are
    /// shown as the vendor gave them and flagged, with no duration.
    ResolvedBeforeStarted { by: TimeDelta },
    /// Closed, but the vendor did not give both a start and an end.
    Unknown,
}

impl IncidentDuration {
    pub fn of(
        status: Option<IncidentStatus>,
        started_at: Option<DateTime<Utc>>,
        resolved_at: Option<DateTime<Utc>>,
    ) -> Self {
        if is_open(status) {
            return IncidentDuration::Ongoing;
        }
        match (started_at, resolved_at) {
            (Some(start), Some(end)) if end >= start => IncidentDuration::Lasted(end - start),
            (Some(start), Some(end)) => IncidentDuration::ResolvedBeforeStarted { by: start - end },
            _ => IncidentDuration::Unknown,
        }
    }

    /// Whole seconds, for machines; only a real duration has one.
    pub fn seconds(self) -> Option<i64> {
        match self {
            IncidentDuration::Lasted(d) => Some(d.num_seconds()),
            _ => None,
        }
    }
}

/// How long after the incident's start the vendor posted its first update. A first update
/// posted before the start the vendor gives (a start set later by hand) is no lag: zero.
/// `None` when either time is unknown.
pub fn vendor_lag(
    started_at: Option<DateTime<Utc>>,
    update_times: impl IntoIterator<Item = Option<DateTime<Utc>>>,
) -> Option<TimeDelta> {
    let first = update_times.into_iter().flatten().min()?;
    Some((first - started_at?).max(TimeDelta::zero()))
}

/// A span for people, to the two largest units: "45s", "12m 30s", "2h 5m", "3d 4h".
/// Negative spans read as their size: callers say which way they point.
pub fn describe(span: TimeDelta) -> String {
    let total = span.num_seconds().unsigned_abs();
    let (days, hours, minutes, seconds) = (
        total / 86_400,
        total / 3_600 % 24,
        total / 60 % 60,
        total % 60,
    );
    let units = [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")];
    let Some(first) = units.iter().position(|(n, _)| *n > 0) else {
        return "0s".to_owned();
    };
    units[first..]
        .iter()
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use IncidentStatus::{Identified, Investigating, Monitoring, Postmortem, Resolved};

    fn at(minute: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(1_790_000_000 + minute * 60, 0)
    }

    #[test]
    fn status_falls_back_on_the_newest_update_then_on_an_end_time() {
        assert_eq!(
            incident_status(Some(Monitoring), Some(Resolved), at(9)),
            Some(Monitoring)
        );
        assert_eq!(
            incident_status(None, Some(Identified), at(9)),
            Some(Identified)
        );
        assert_eq!(incident_status(None, None, at(9)), Some(Resolved));
        assert_eq!(incident_status(None, None, None), None);
        assert!(is_open(None));
        assert!(is_open(Some(Investigating)));
        assert!(!is_open(Some(Postmortem)));
    }

    #[test]
    fn a_closed_incident_lasts_from_start_to_end() {
        let lasted = IncidentDuration::of(Some(Resolved), at(0), at(125));
        assert_eq!(lasted, IncidentDuration::Lasted(TimeDelta::minutes(125)));
        assert_eq!(lasted.seconds(), Some(7_500));
        let instant = IncidentDuration::of(Some(Postmortem), at(3), at(3));
        assert_eq!(instant.seconds(), Some(0));
    }

    #[test]
    fn an_open_incident_is_ongoing_even_with_an_old_end_time() {
        let reopened = IncidentDuration::of(Some(Investigating), at(0), at(10));
        assert_eq!(reopened, IncidentDuration::Ongoing);
        assert_eq!(reopened.seconds(), None);
        assert_eq!(
            IncidentDuration::of(None, at(0), None),
            IncidentDuration::Ongoing
        );
    }

    #[test]
    fn an_end_before_the_start_is_flagged_not_negative() {
        let flagged = IncidentDuration::of(Some(Resolved), at(60), at(15));
        assert_eq!(
            flagged,
            IncidentDuration::ResolvedBeforeStarted {
                by: TimeDelta::minutes(45)
            }
        );
        assert_eq!(flagged.seconds(), None);
    }

    #[test]
    fn a_closed_incident_missing_a_time_has_no_duration() {
        assert_eq!(
            IncidentDuration::of(Some(Resolved), None, at(5)),
            IncidentDuration::Unknown
        );
        assert_eq!(
            IncidentDuration::of(Some(Resolved), at(5), None),
            IncidentDuration::Unknown
        );
    }

    #[test]
    fn vendor_lag_runs_from_the_start_to_the_first_update() {
        let updates = [at(30), None, at(12), at(50)];
        assert_eq!(vendor_lag(at(0), updates), Some(TimeDelta::minutes(12)));
        assert_eq!(vendor_lag(at(20), [at(5)]), Some(TimeDelta::zero()));
        assert_eq!(vendor_lag(None, [at(5)]), None);
        assert_eq!(vendor_lag(at(0), [None]), None);
        assert_eq!(vendor_lag(at(0), []), None);
    }

    #[test]
    fn spans_read_in_their_two_largest_units() {
        assert_eq!(describe(TimeDelta::zero()), "0s");
        assert_eq!(describe(TimeDelta::seconds(45)), "45s");
        assert_eq!(describe(TimeDelta::seconds(750)), "12m 30s");
        assert_eq!(describe(TimeDelta::minutes(125)), "2h 5m");
        assert_eq!(describe(TimeDelta::hours(2)), "2h");
        assert_eq!(describe(TimeDelta::seconds(7_201)), "2h");
        assert_eq!(describe(TimeDelta::hours(76)), "3d 4h");
        assert_eq!(describe(TimeDelta::days(2) + TimeDelta::minutes(5)), "2d");
        assert_eq!(describe(TimeDelta::minutes(-45)), "45m");
    }
}
