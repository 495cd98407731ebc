//! The HTML incident.io puts in each feed entry (FORMATS.md §2.4): not a timeline but the
//! current state,
//!
//! ```text
//! <b>Status: Resolved</b><br/><br/>latest message<br/><br/>
//! <b>Affected components</b><ul><li>Login (Operational)</li></ul>
//! ```

use vw_domain::ComponentStatus;

use super::label::Label;
use crate::text::html_to_text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Current {
    /// `None` when the status word is not one we know.
    pub label: Option<Label>,
    pub body: String,
    /// Component names with their state now, as the entry lists them.
    pub components: Vec<(String, Option<ComponentStatus>)>,
}

/// Reads the markup; `None` when the content has no `<b>Status: …</b>`.
pub(crate) fn read(html: &str) -> Option<Current> {
    let lower = html.to_ascii_lowercase();
    let status_at = lower.find("<b>status:")?;
    let word_start = status_at + "<b>status:".len();
    let word_end = word_start + lower[word_start..].find("</b>")?;
    let label = status_label(&html_to_text(&html[word_start..word_end]));
    let body_start = word_end + "</b>".len();
    let components_at = lower[body_start..]
        .find("<b>affected components</b>")
        .map(|i| body_start + i);
    let body = html_to_text(&html[body_start..components_at.unwrap_or(html.len())]);
    let components = components_at
        .map(|at| list_items(&html[at..], &lower[at..]))
        .unwrap_or_default()
        .iter()
        .filter_map(|item| component(&html_to_text(item)))
        .collect();
    Some(Current {
        label,
        body,
        components,
    })
}

/// incident.io's words for an incident (`Investigating` … `Resolved`) are Statuspage's; its
/// maintenances say `Maintenance scheduled|in progress|complete`.
fn status_label(word: &str) -> Option<Label> {
    let word = word.trim();
    let word = strip_prefix_ci(word, "maintenance")
        .map(|w| w.trim_start_matches(|c: char| c == '_' || c.is_whitespace()))
        .unwrap_or(word)
        .replace('_', " ");
    if word.eq_ignore_ascii_case("complete") {
        return Label::parse("completed");
    }
    Label::parse(&word)
}

/// The inner HTML of each `<li>` in `html` (`lower` is `html` in lower case).
fn list_items<'a>(html: &'a str, lower: &str) -> Vec<&'a str> {
    let mut items = Vec::new();
    let mut from = 0;
    while let Some(open) = lower[from..].find("<li>").map(|i| from + i + "<li>".len()) {
        let close = lower[open..].find("</li>").map_or(html.len(), |i| open + i);
        items.push(&html[open..close]);
        from = close;
    }
    items
}

/// `Name (State)`: the state in the last parentheses, so that names with parentheses keep
/// them. A state we do not know is kept as unknown, never guessed.
fn component(text: &str) -> Option<(String, Option<ComponentStatus>)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let parsed = text.strip_suffix(')').and_then(|head| {
        let open = head.rfind(" (")?;
        Some((head[..open].trim(), &head[open + 2..]))
    });
    Some(match parsed {
        Some((name, state)) if !name.is_empty() => (name.to_owned(), component_status(state)),
        _ => (text.to_owned(), None),
    })
}

fn component_status(state: &str) -> Option<ComponentStatus> {
    let word = state.trim().to_ascii_lowercase().replace(' ', "_");
    match word.as_str() {
        "full_outage" => Some(ComponentStatus::MajorOutage),
        _ => ComponentStatus::parse(&word),
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use vw_domain::{IncidentStatus, MaintenanceStatus};

    use super::*;

    #[test]
    fn reads_status_body_and_component_states() {
        let html = "<b>Status: Monitoring</b><br/><br/>A fix is out.<br/><br/>\
                    <b>Affected components</b><ul><li>Login (Operational)</li>\
                    <li>Fine-tuning (beta) (Degraded performance)</li><li>Chat (Full outage)</li></ul>";
        let current = read(html);
        assert_eq!(
            current.as_ref().and_then(|c| c.label),
            Some(Label::Incident(IncidentStatus::Monitoring))
        );
        assert_eq!(
            current.as_ref().map(|c| c.body.as_str()),
            Some("A fix is out.")
        );
        let components = current.map(|c| c.components).unwrap_or_default();
        assert_eq!(
            components,
            vec![
                ("Login".to_owned(), Some(ComponentStatus::Operational)),
                (
                    "Fine-tuning (beta)".to_owned(),
                    Some(ComponentStatus::DegradedPerformance)
                ),
                ("Chat".to_owned(), Some(ComponentStatus::MajorOutage)),
            ]
        );
    }

    #[test]
    fn reads_maintenance_words() {
        assert_eq!(
            status_label("Maintenance complete"),
            Some(Label::Maintenance(MaintenanceStatus::Completed))
        );
        assert_eq!(
            status_label("maintenance_in_progress"),
            Some(Label::Maintenance(MaintenanceStatus::InProgress))
        );
        assert_eq!(read("<p>no status here</p>"), None);
    }
}
