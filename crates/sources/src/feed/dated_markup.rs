//! A timeline written as dated blocks, newest first, as xAI's status feed does once its HTML
//! is plain text:
//!
//! ```text
//! Updates:
//! Tue, 07 Jul 2026 16:37:02 GMT
//! Resolved
//! The incident has been resolved and the success rate is returning to normal.
//! Tue, 07 Jul 2026 15:40:26 GMT
//! Investigating
//! We are currently investigating the issue.
//! ```
//!
//! A block opens with a line that is a whole date and names its status on the next line. Text
//! before the first block (xAI's `Status:` / `Resolved:` header) is not part of any.

use chrono::{DateTime, Utc};

use super::keywords::date;
use super::label::Label;

/// One dated block.
pub(crate) struct Dated {
    pub posted_at: DateTime<Utc>,
    pub label: Option<Label>,
    pub body: String,
}

/// The blocks, oldest first; `None` unless at least one block names a status we know, so that
/// prose which happens to hold a date line is not taken for a timeline.
pub(crate) fn read(text: &str) -> Option<Vec<Dated>> {
    let mut blocks: Vec<Dated> = Vec::new();
    let mut expecting_label = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(posted_at) = date(line) {
            blocks.push(Dated {
                posted_at,
                label: None,
                body: String::new(),
            });
            expecting_label = true;
            continue;
        }
        let Some(block) = blocks.last_mut() else {
            continue;
        };
        if expecting_label {
            expecting_label = false;
            if let Some(label) = Label::parse(line) {
                block.label = Some(label);
                continue;
            }
        }
        if !block.body.is_empty() {
            block.body.push('\n');
        }
        block.body.push_str(line);
    }
    if !blocks.iter().any(|b| b.label.is_some()) {
        return None;
    }
    blocks.sort_by_key(|b| b.posted_at);
    Some(blocks)
}

#[cfg(test)]
mod tests {
    use vw_domain::IncidentStatus;

    use super::*;

    #[test]
    fn reads_dated_blocks_oldest_first() {
        let text = "Status: RESOLVED\nResolved: Tue, 07 Jul 2026 16:37:02 GMT\nUpdates:\n\
                    Tue, 07 Jul 2026 16:37:02 GMT\nResolved\nAll good.\n\
                    Tue, 07 Jul 2026 15:40:26 GMT\nInvestigating\nLooking.\nStill looking.";
        let blocks = read(text).unwrap_or_default();
        assert_eq!(blocks.len(), 2);
        assert_eq!(
            blocks[0].label,
            Some(Label::Incident(IncidentStatus::Investigating))
        );
        assert_eq!(blocks[0].body, "Looking.\nStill looking.");
        assert_eq!(blocks[1].body, "All good.");
        assert_eq!(
            blocks[1].posted_at.to_rfc3339(),
            "2026-07-07T16:37:02+00:00"
        );
    }

    #[test]
    fn dates_without_status_words_are_not_a_timeline() {
        assert!(read("Tue, 07 Jul 2026 16:37:02 GMT\nWe rebooted the servers.").is_none());
        assert!(read("Nothing dated here\nResolved").is_none());
    }
}
