//! The Adaptive Card for one alert, in the `{"type":"message","attachments":[…]}` envelope
//! Workflows expect. Teams takes at most 28 KB per message; we aim for 20,000 bytes (the
//! serialised JSON, envelope included), which the update text is cut to fit.

use serde_json::{Value, json};
use vw_domain::Severity;

use super::Message;
use crate::alert::Alert;
use crate::text;
use crate::wording;

/// Teams' limit: 28 KB for the whole message.
pub const MAX_BYTES: usize = 28_000;
/// What we aim for, leaving room for Teams' own wrapping.
pub const TARGET_BYTES: usize = 20_000;
const TOPIC_CHARS: usize = 500;
const WORKSPACE_CHARS: usize = 100;
const COMPONENT_CHARS: usize = 200;
const COMPONENTS_BYTES: usize = 3000;
const READ_MORE: &str = "Read the full update on vendorwatch";

/// The card for `alert`.
pub fn render(alert: &Alert) -> Message {
    let topic = text::chars(&wording::topic(alert), TOPIC_CHARS).text;
    let workspace = text::chars(&text::line(&alert.workspace), WORKSPACE_CHARS).text;
    let components = wording::components(alert);
    let components = (!components.is_empty()).then(|| {
        text::bullets(
            &components,
            COMPONENTS_BYTES,
            COMPONENT_CHARS,
            str::to_owned,
            text::json_bytes,
        )
    });
    let body = wording::body(alert);

    // Measure the card without the update text, then give the text what is left.
    let frame = card(
        alert,
        &topic,
        &workspace,
        components.as_deref(),
        Some(("", false)),
    );
    let used = frame.to_string().len();
    let update = body.map(|body| {
        let whole = text::fit(
            &body,
            TARGET_BYTES.saturating_sub(used),
            str::to_owned,
            text::json_bytes,
        );
        if whole.cut {
            // Room for the link run that completes cut text.
            let with_link = card(
                alert,
                &topic,
                &workspace,
                components.as_deref(),
                Some(("", true)),
            );
            let room = TARGET_BYTES.saturating_sub(with_link.to_string().len());
            (
                text::fit(&body, room, str::to_owned, text::json_bytes).text,
                true,
            )
        } else {
            (whole.text, false)
        }
    });
    let update = update.as_ref().map(|(text, cut)| (text.as_str(), *cut));
    Message(card(
        alert,
        &topic,
        &workspace,
        components.as_deref(),
        update,
    ))
}

/// The whole message. `update` is the (already fitted) update text and whether it was cut.
fn card(
    alert: &Alert,
    topic: &str,
    workspace: &str,
    components: Option<&str>,
    update: Option<(&str, bool)>,
) -> Value {
    let mut body = vec![
        // Our own words only: TextBlock renders Markdown.
        json!({
            "type": "TextBlock",
            "text": wording::prefix(alert),
            "weight": "Bolder",
            "size": "Medium",
            "color": color(alert.severity),
            "wrap": true,
        }),
        rich(vec![
            json!({ "type": "TextRun", "text": topic, "weight": "Bolder" }),
        ]),
        json!({
            "type": "FactSet",
            "facts": wording::facts(alert)
                .into_iter()
                .map(|fact| json!({ "title": fact.label, "value": fact.value }))
                .collect::<Vec<Value>>(),
        }),
    ];
    if let Some((text, cut)) = update {
        let mut runs = vec![json!({ "type": "TextRun", "text": text })];
        if cut {
            runs.push(json!({
                "type": "TextRun",
                "text": format!(" {READ_MORE}"),
                "selectAction": { "type": "Action.OpenUrl", "url": alert.page_url.as_str() },
            }));
        }
        body.push(rich(runs));
    }
    if let Some(list) = components {
        body.push(rich(vec![json!({
            "type": "TextRun",
            "text": "Affected components",
            "weight": "Bolder",
        })]));
        body.push(rich(vec![json!({ "type": "TextRun", "text": list })]));
    }
    body.push(rich(vec![json!({
        "type": "TextRun",
        "text": format!("vendorwatch for {workspace}"),
        "isSubtle": true,
        "size": "Small",
    })]));

    let mut actions = vec![json!({
        "type": "Action.OpenUrl",
        "title": wording::page_link_label(alert),
        "url": alert.page_url.as_str(),
    })];
    if let Some(vendor) = wording::vendor_link(alert) {
        actions.push(json!({
            "type": "Action.OpenUrl",
            "title": "Vendor status page",
            "url": vendor.as_str(),
        }));
    }

    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "msteams": { "width": "Full" },
                "body": body,
                "actions": actions,
            },
        }],
    })
}

fn rich(inlines: Vec<Value>) -> Value {
    json!({ "type": "RichTextBlock", "inlines": inlines })
}

fn color(severity: Severity) -> &'static str {
    match severity {
        Severity::Major => "Attention",
        Severity::Minor => "Warning",
        Severity::Maintenance => "Accent",
    }
}
