//! One embed for one alert. Limits (CHANNELS.md): title 256, description 4096, ≤ 25 fields
//! (name ≤ 256, value ≤ 1024, both non-empty), footer 2048, and title + description + fields +
//! footer ≤ 6000 over the whole message. Title, fields and footer are budgeted first; the
//! description gets what is left.

use serde_json::{Value, json};
use url::Url;
use vw_domain::Severity;

use super::Message;
use crate::alert::Alert;
use crate::text;
use crate::wording;

const TITLE_CHARS: usize = 256;
const DESCRIPTION_CHARS: usize = 4096;
const FIELD_NAME_CHARS: usize = 256;
const FIELD_VALUE_CHARS: usize = 1024;
const MAX_FIELDS: usize = 25;
const FOOTER_CHARS: usize = 2048;
const TOTAL_CHARS: usize = 6000;
const COMPONENT_CHARS: usize = 200;
/// Our sender name: 1–80 characters, without "discord" or "clyde".
const USERNAME: &str = "vendorwatch";

/// The webhook message for `alert`.
pub fn render(alert: &Alert) -> Message {
    let count = |s: &str| s.chars().count();
    let title = text::fit(&wording::headline(alert), TITLE_CHARS, escape, count).text;
    // Footers are not Markdown: shown as they are, so not escaped.
    let footer = text::chars(
        &format!("vendorwatch for {}", text::line(&alert.workspace)),
        FOOTER_CHARS,
    )
    .text;

    let mut fields: Vec<(String, String, bool)> = wording::facts(alert)
        .into_iter()
        .map(|fact| (fact.label.to_owned(), fact.value, true))
        .collect();
    let components = wording::components(alert);
    if !components.is_empty() {
        let list = text::bullets(
            &components,
            FIELD_VALUE_CHARS,
            COMPONENT_CHARS,
            escape,
            count,
        );
        fields.push(("Affected components".to_owned(), list, false));
    }
    fields.truncate(MAX_FIELDS);
    let fields: Vec<(String, String, bool)> = fields
        .into_iter()
        .map(|(name, value, inline)| {
            let name = text::chars(name.trim(), FIELD_NAME_CHARS).text;
            let value = text::chars(value.trim(), FIELD_VALUE_CHARS).text;
            (name, value, inline)
        })
        .filter(|(name, value, _)| !name.is_empty() && !value.is_empty())
        .collect();

    let used = count(&title)
        + count(&footer)
        + fields
            .iter()
            .map(|(name, value, _)| count(name) + count(value))
            .sum::<usize>();
    let room = DESCRIPTION_CHARS.min(TOTAL_CHARS.saturating_sub(used));
    let description = wording::body(alert).map(|body| description(&body, &alert.page_url, room));

    let mut embed = json!({
        "type": "rich",
        "title": title,
        "url": alert.page_url.as_str(),
        "color": color(alert.severity),
        "timestamp": alert.detected_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "fields": fields
            .into_iter()
            .map(|(name, value, inline)| json!({ "name": name, "value": value, "inline": inline }))
            .collect::<Vec<Value>>(),
        "footer": { "text": footer },
    });
    if let Some(description) = description.filter(|d| !d.is_empty()) {
        embed["description"] = Value::String(description);
    }
    Message(json!({
        "username": USERNAME,
        "allowed_mentions": { "parse": [] },
        "embeds": [embed],
    }))
}

/// The update text, escaped, in `room` characters; when cut, followed by our link to the
/// full text (the link is budgeted before the text is cut, and never cut itself).
fn description(body: &str, page_url: &Url, room: usize) -> String {
    let count = |s: &str| s.chars().count();
    let whole = text::fit(body, room, escape, count);
    if !whole.cut {
        return whole.text;
    }
    let more = format!(
        "\n\n{}",
        link("Read the full update on vendorwatch", page_url)
    );
    let fitted = text::fit(body, room.saturating_sub(count(&more)), escape, count);
    format!("{}{more}", fitted.text)
}

/// Colours by severity: red, orange, blue.
fn color(severity: Severity) -> u32 {
    match severity {
        Severity::Major => 0xE7_4C_3C,
        Severity::Minor => 0xE6_7E_22,
        Severity::Maintenance => 0x34_98_DB,
    }
}

/// A backslash before each Markdown character Discord reads (CHANNELS.md's list), so that
/// vendor text cannot format, spoil, quote, head, list or link.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '-' | '[' | ']' | '(' | ')'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `[label](url)`, with the parentheses and spaces that would end it early percent-encoded.
fn link(label: &str, url: &Url) -> String {
    let href = url
        .as_str()
        .replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20");
    format!("[{}]({href})", escape(label))
}
