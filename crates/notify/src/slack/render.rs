//! Block Kit for one alert. Limits (CHANNELS.md): 50 blocks; any text object 1–3000 chars;
//! header `plain_text` ≤ 150; section fields ≤ 10, each ≤ 2000; context ≤ 10 elements; button
//! text ≤ 75, url ≤ 3000; the top-level `text` one line under 300.

use serde_json::{Value, json};
use url::Url;

use super::Message;
use crate::alert::Alert;
use crate::text;
use crate::wording;

const HEADER_CHARS: usize = 150;
const TEXT_OBJECT_CHARS: usize = 3000;
const FIELD_CHARS: usize = 2000;
const MAX_FIELDS: usize = 10;
const FALLBACK_CHARS: usize = 299;
const BUTTON_CHARS: usize = 75;
const COMPONENT_CHARS: usize = 200;

/// The Block Kit message for `alert`.
pub fn render(alert: &Alert) -> Message {
    let mut blocks = vec![json!({
        "type": "header",
        "text": plain(&text::chars(&wording::headline(alert), HEADER_CHARS).text),
    })];

    let fields: Vec<Value> = wording::facts(alert)
        .into_iter()
        .take(MAX_FIELDS)
        .map(|fact| {
            let field = format!("*{}*\n{}", fact.label, escape(&fact.value));
            mrkdwn(&text::chars(&field, FIELD_CHARS).text)
        })
        .collect();
    blocks.push(json!({ "type": "section", "fields": fields }));

    if let Some(body) = wording::body(alert) {
        let fitted = text::chars(&body, TEXT_OBJECT_CHARS);
        blocks.push(json!({ "type": "section", "text": plain(&fitted.text) }));
        if fitted.cut {
            let more = link(&alert.page_url, "Read the full update on vendorwatch");
            blocks.push(json!({ "type": "context", "elements": [mrkdwn(&more)] }));
        }
    }

    let components = wording::components(alert);
    if !components.is_empty() {
        let title = "Affected components\n";
        let list = text::bullets(
            &components,
            TEXT_OBJECT_CHARS - title.chars().count(),
            COMPONENT_CHARS,
            str::to_owned,
            |s| s.chars().count(),
        );
        blocks.push(json!({ "type": "section", "text": plain(&format!("{title}{list}")) }));
    }

    blocks.push(json!({ "type": "context", "elements": [mrkdwn(&context(alert))] }));
    blocks.push(json!({
        "type": "actions",
        "elements": [{
            "type": "button",
            "text": plain(&text::chars(wording::page_link_label(alert), BUTTON_CHARS).text),
            "url": alert.page_url.as_str(),
        }],
    }));

    let fallback = text::fit(&wording::one_line(alert), FALLBACK_CHARS, escape, |s| {
        s.chars().count()
    });
    Message(json!({ "text": fallback.text, "blocks": blocks }))
}

/// The footer line: links to our page and the vendor's, and whose alert this is.
fn context(alert: &Alert) -> String {
    let mut parts = vec![link(&alert.page_url, wording::page_link_label(alert))];
    if let Some(vendor) = wording::vendor_link(alert) {
        parts.push(link(vendor, "Vendor status page"));
    }
    let workspace = text::fit(&text::line(&alert.workspace), 100, escape, |s| {
        s.chars().count()
    });
    parts.push(format!("vendorwatch for {}", workspace.text));
    parts.join(" · ")
}

/// A `plain_text` object: shown as is, never parsed for links, mentions or formatting.
fn plain(text: &str) -> Value {
    json!({ "type": "plain_text", "text": text, "emoji": true })
}

fn mrkdwn(text: &str) -> Value {
    json!({ "type": "mrkdwn", "text": text })
}

/// Slack's escaping for mrkdwn and `text`: `&`, `<`, `>` and nothing else.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `<url|label>`, the only link syntax we write: the label escaped, and the characters that
/// would end the construct early percent-encoded in the URL.
fn link(url: &Url, label: &str) -> String {
    let href = url
        .as_str()
        .replace('|', "%7C")
        .replace('>', "%3E")
        .replace('<', "%3C");
    format!("<{href}|{}>", escape(label))
}
