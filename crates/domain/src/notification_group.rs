//! A notification group's filters and name: which severities and kinds of change reach its
//! channels. The Default group's filters are the product's defaults.

use std::collections::BTreeSet;

use crate::{AlertClass, InvalidInput, Severity};

/// What a group lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupFilters {
    pub severities: BTreeSet<Severity>,
    /// Opened, updated, resolved: the classes an event filter can name.
    pub events: BTreeSet<AlertClass>,
    /// Postmortems published (opt in).
    pub postmortems: bool,
    /// The status page cannot be read / reads again (opt in).
    pub page_health: bool,
}

impl Default for GroupFilters {
    /// Major and minor, opened and resolved: an incident's beginning and end, no
    /// maintenances, no chatter.
    fn default() -> Self {
        GroupFilters {
            severities: [Severity::Major, Severity::Minor].into(),
            events: [AlertClass::Opened, AlertClass::Resolved].into(),
            postmortems: false,
            page_health: false,
        }
    }
}

impl GroupFilters {
    /// The classes an event filter may hold.
    pub const EVENTS: [AlertClass; 3] = [
        AlertClass::Opened,
        AlertClass::Updated,
        AlertClass::Resolved,
    ];

    /// Reads the filters a form or an API call names; an unknown word is refused.
    pub fn parse<'a>(
        severities: impl IntoIterator<Item = &'a str>,
        events: impl IntoIterator<Item = &'a str>,
        postmortems: bool,
        page_health: bool,
    ) -> Result<Self, InvalidInput> {
        let severities = severities
            .into_iter()
            .map(|word| {
                Severity::parse(word)
                    .ok_or_else(|| InvalidInput::new(format!("{word:?} is not a severity.")))
            })
            .collect::<Result<_, _>>()?;
        let events = events
            .into_iter()
            .map(|word| {
                Self::EVENTS
                    .into_iter()
                    .find(|class| class.as_str() == word)
                    .ok_or_else(|| InvalidInput::new(format!("{word:?} is not an event filter.")))
            })
            .collect::<Result<_, _>>()?;
        Ok(GroupFilters {
            severities,
            events,
            postmortems,
            page_health,
        })
    }
}

/// A group's name: 1 to 100 characters, trimmed, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupName(String);

impl GroupName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(input: &str) -> Result<Self, InvalidInput> {
        let name = input.trim();
        if name.is_empty() || name.chars().count() > Self::MAX_CHARS {
            return Err(InvalidInput::new(format!(
                "A group's name is 1 to {} characters.",
                Self::MAX_CHARS
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(InvalidInput::new(
                "A group's name cannot hold control characters.",
            ));
        }
        Ok(GroupName(name.to_owned()))
    }

    pub fn default_group() -> Self {
        GroupName("Default".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_major_and_minor_opened_and_resolved() {
        let d = GroupFilters::default();
        assert!(d.severities.contains(&Severity::Major) && d.severities.contains(&Severity::Minor));
        assert!(!d.severities.contains(&Severity::Maintenance));
        assert!(d.events.contains(&AlertClass::Opened) && d.events.contains(&AlertClass::Resolved));
        assert!(!d.events.contains(&AlertClass::Updated));
        assert!(!d.postmortems && !d.page_health);
    }

    #[test]
    fn unknown_words_are_refused() {
        assert!(GroupFilters::parse(["major"], ["opened"], false, false).is_ok());
        assert!(GroupFilters::parse(["huge"], ["opened"], false, false).is_err());
        assert!(GroupFilters::parse(["major"], ["postmortem"], false, false).is_err());
        assert!(GroupName::parse("  ").is_err());
        assert!(GroupName::parse(&"x".repeat(101)).is_err());
        assert_eq!(
            GroupName::parse(" On call ").map(|n| n.0),
            Ok("On call".into())
        );
    }
}

/// When before a maintenance's start a group is reminded of it: at most five offsets, each
/// from a minute to a week, kept sorted from the farthest. 24 h and 1 h by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderOffsets(Vec<u32>);

impl ReminderOffsets {
    pub const MAX: usize = 5;
    /// A week, in minutes: the reminder clock looks no farther.
    pub const LONGEST_MINUTES: u32 = 10_080;

    pub fn parse(minutes: impl IntoIterator<Item = u32>) -> Result<Self, InvalidInput> {
        let mut all: Vec<u32> = minutes.into_iter().collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        all.dedup();
        if all.len() > Self::MAX {
            return Err(InvalidInput::new(format!(
                "A group can have at most {} reminders.",
                Self::MAX
            )));
        }
        if all.iter().any(|m| *m == 0 || *m > Self::LONGEST_MINUTES) {
            return Err(InvalidInput::new(
                "A reminder comes between a minute and a week before the start.",
            ));
        }
        Ok(ReminderOffsets(all))
    }

    pub fn minutes(&self) -> impl Iterator<Item = i32> + '_ {
        self.0.iter().map(|m| i32::try_from(*m).unwrap_or(i32::MAX))
    }
}

impl Default for ReminderOffsets {
    fn default() -> Self {
        ReminderOffsets(vec![24 * 60, 60])
    }
}

#[cfg(test)]
mod reminder_tests {
    use super::ReminderOffsets;

    #[test]
    fn offsets_are_sorted_deduplicated_and_bounded() {
        let parsed = ReminderOffsets::parse([60, 1440, 60]).unwrap_or_default();
        assert_eq!(parsed.minutes().collect::<Vec<_>>(), [1440, 60]);
        assert_eq!(parsed, ReminderOffsets::default());
        assert!(ReminderOffsets::parse([0]).is_err());
        assert!(ReminderOffsets::parse([10_081]).is_err());
        assert!(ReminderOffsets::parse([1, 2, 3, 4, 5, 6]).is_err());
        assert!(ReminderOffsets::parse([]).is_ok_and(|o| o.minutes().count() == 0));
    }
}
