//! Status from plain words, for feeds in no markup we know: a status word used as a label
//! ("Resolved: …", "[Monitoring] …", "Investigating - …", or a line that is only the word).
//!
//! Words inside sentences are not read: "we began investigating" tells the history, not the
//! state (Azure's text says that in an item whose state is "identified" further down).

use super::label::Label;

/// The first labelled status word of `text`, line by line.
pub(crate) fn label_in(text: &str) -> Option<Label> {
    text.lines().find_map(line_label)
}

fn line_label(line: &str) -> Option<Label> {
    let line = line.trim();
    let word = match line.strip_prefix('[') {
        Some(inner) => &inner[..inner.find(']')?],
        None => {
            let end = [":", " - ", "\u{2013}", "|"]
                .iter()
                .filter_map(|sep| line.find(sep))
                .min()
                .unwrap_or(line.len());
            &line[..end]
        }
    };
    Label::parse(word)
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
}
