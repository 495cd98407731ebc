//! Status from plain words, for feeds in no markup we know: a status word used as a label
//! ("Resolved: …", "[Monitoring] …", "Investigating - …", a line that is only the word),
//! `Status: RESOLVED` (xAI), and the phrases AWS starts its titles with ("Service is
//! operating normally: [RESOLVED] Increased Packet loss").
//!
//! Words inside sentences are not read: "we began investigating" tells the history, not the
//! state (Azure's text says that in an item whose state is "identified" further down).

use chrono::{DateTime, Utc};

use super::label::Label;
use vw_domain::IncidentStatus;

/// AWS's title phrases, from its dashboard's legend. Only "operating normally" says where the
/// event is; the others say how bad it is, and a bracketed word after them
/// ("Informational message: [RESOLVED] …") may still say the status.
const AWS_PHRASES: [(&str, Option<Label>); 6] = [
    (
        "service is operating normally",
        Some(Label::Incident(IncidentStatus::Resolved)),
    ),
    ("informational message", None),
    ("performance issues", None),
    ("service degradation", None),
    ("service disruption", None),
    ("service impact", None),
];

/// The first labelled status word of `text`, line by line.
pub(crate) fn label_in(text: &str) -> Option<Label> {
    text.lines().find_map(line_label)
}

/// The time of an explicit `Resolved: <date>` line (xAI: `Resolved: Tue, 07 Jul 2026 16:37:02
/// GMT`), in RFC 2822 or RFC 3339.
pub(crate) fn resolved_line(text: &str) -> Option<DateTime<Utc>> {
    text.lines().find_map(|line| {
        let (head, rest) = line.trim().split_once(':')?;
        head.trim().eq_ignore_ascii_case("resolved").then_some(())?;
        date(rest.trim())
    })
}

/// A whole date in RFC 2822 (feeds' own dates) or RFC 3339.
pub(crate) fn date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(text)
        .or_else(|_| DateTime::parse_from_rfc3339(text))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn line_label(line: &str) -> Option<Label> {
    let mut rest = line.trim();
    // A few leading parts may come before the status: bracketed words (`[API] [Resolved] …`)
    // and an AWS phrase.
    for _ in 0..4 {
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            if let Some(label) = Label::parse(&inner[..end]) {
                return Some(label);
            }
            rest = inner[end + 1..].trim_start();
            continue;
        }
        let (head, after) = split_head(rest);
        if let Some(label) = Label::parse(head) {
            return Some(label);
        }
        if head.eq_ignore_ascii_case("status") {
            return Label::parse(split_head(after).0);
        }
        let phrase = AWS_PHRASES
            .iter()
            .find(|(phrase, _)| head.eq_ignore_ascii_case(phrase));
        match phrase {
            Some((_, said)) => {
                let after = after.trim_start();
                if !after.starts_with('[') {
                    return *said;
                }
                let bracketed = line_label(after);
                return bracketed.or(*said);
            }
            None => return None,
        }
    }
    None
}

/// The line up to its first separator, and what follows the separator.
fn split_head(line: &str) -> (&str, &str) {
    let end = [":", " - ", "\u{2013}", "|"]
        .iter()
        .filter_map(|sep| line.find(sep).map(|at| (at, sep.len())))
        .min();
    match end {
        Some((at, len)) => (line[..at].trim(), &line[at + len..]),
        None => (line.trim(), ""),
    }
}

#[cfg(test)]
mod tests {
    use vw_domain::{IncidentStatus, MaintenanceStatus};

    use super::*;

    #[test]
    fn reads_labels_not_sentences() {
        let resolved = Some(Label::Incident(IncidentStatus::Resolved));
        assert_eq!(label_in("Resolved: the API is back"), resolved);
        assert_eq!(label_in("[Resolved] API errors"), resolved);
        assert_eq!(label_in("Some intro\nRESOLVED - all good"), resolved);
        assert_eq!(
            label_in("Completed"),
            Some(Label::Maintenance(MaintenanceStatus::Completed))
        );
        assert_eq!(
            label_in("Starting at 14:44 UTC we began investigating"),
            None
        );
        assert_eq!(label_in("Investigating the cause: a bad deploy"), None);
        assert_eq!(label_in("Current Status:"), None);
    }

    #[test]
    fn reads_status_prefixes_and_vendor_phrases() {
        let resolved = Some(Label::Incident(IncidentStatus::Resolved));
        assert_eq!(
            label_in("Service is operating normally: [RESOLVED] Increased Packet loss"),
            resolved
        );
        assert_eq!(
            label_in("Service is operating normally: Increased latency"),
            resolved
        );
        assert_eq!(
            label_in("Informational message: [RESOLVED] Increased API Error Rates"),
            resolved
        );
        assert_eq!(label_in("Service impact: Increased Packet loss"), None);
        assert_eq!(label_in("Status: RESOLVED"), resolved);
        assert_eq!(
            label_in("[API (us-west-2.api.x.ai)] [Monitoring] Imagine Video"),
            Some(Label::Incident(IncidentStatus::Monitoring))
        );
        assert_eq!(
            label_in("[API (us-west-2.api.x.ai)] Imagine Video is slow"),
            None
        );
        assert_eq!(label_in("Status: all good"), None);
    }

    #[test]
    fn reads_an_explicit_resolution_time() {
        let text = "Status: RESOLVED\nSeverity: available\nResolved: Tue, 07 Jul 2026 16:37:02 GMT";
        assert_eq!(
            resolved_line(text),
            DateTime::parse_from_rfc3339("2026-07-07T16:37:02Z")
                .ok()
                .map(|t| t.with_timezone(&Utc))
        );
        assert_eq!(resolved_line("Resolved: the API is back"), None);
    }
}
