//! Every documented limit of every channel holds, and hostile vendor text comes out
//! neutralised, for every kind of alert, for a 1 MB title and a 100,000-character update, and
//! for random text with emoji and multi-byte characters at the cut points.

#![allow(clippy::unwrap_used)]

mod common;

use proptest::prelude::*;
use serde_json::Value;
use vw_notify::{Alert, IncidentEvent, discord, email, slack, teams, webhook};

const OURS: [&str; 2] = [
    "https://vendorwatch.example/",
    "https://www.githubstatus.com/",
];

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Every string in a JSON document.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// No control character but line feeds, and no bidi control, anywhere in the document.
fn assert_clean(value: &Value, channel: &str) {
    let mut all = Vec::new();
    strings(value, &mut all);
    for s in all {
        assert!(
            !s.chars()
                .any(|c| (c.is_control() && c != '\n') || is_bidi(c)),
            "{channel}: control or bidi character in {:?}",
            s.chars().take(80).collect::<String>()
        );
    }
}

fn check_slack(alert: &Alert) {
    let message = slack::render(alert);
    let json = message.json();
    assert_clean(json, "slack");
    assert!(json.get("link_names").is_none() && json.get("parse").is_none());
    let text = str_at(json, "/text");
    assert!(
        (1..300).contains(&chars(text)) && !text.contains('\n'),
        "text: {text}"
    );
    assert_slack_mrkdwn(text);
    let blocks = json["blocks"].as_array().unwrap();
    assert!(blocks.len() <= 50);
    let mut text_objects = Vec::new();
    for block in blocks {
        match str_at(block, "/type") {
            "header" => {
                assert_eq!(str_at(block, "/text/type"), "plain_text");
                assert!((1..=150).contains(&chars(str_at(block, "/text/text"))));
            }
            "section" => {
                if let Some(fields) = block["fields"].as_array() {
                    assert!(fields.len() <= 10);
                    for field in fields {
                        assert!(chars(str_at(field, "/text")) <= 2000);
                        text_objects.push(field.clone());
                    }
                }
                if !block["text"].is_null() {
                    text_objects.push(block["text"].clone());
                }
            }
            "context" => {
                let elements = block["elements"].as_array().unwrap();
                assert!((1..=10).contains(&elements.len()));
                text_objects.extend(elements.iter().cloned());
            }
            "actions" => {
                for button in block["elements"].as_array().unwrap() {
                    assert!((1..=75).contains(&chars(str_at(button, "/text/text"))));
                    let url = str_at(button, "/url");
                    assert!(chars(url) <= 3000 && OURS.iter().any(|o| url.starts_with(o)));
                }
            }
            other => panic!("unexpected block {other}"),
        }
    }
    for object in text_objects {
        let text = str_at(&object, "/text");
        assert!(
            (1..=3000).contains(&chars(text)),
            "text object of {}",
            chars(text)
        );
        if str_at(&object, "/type") == "mrkdwn" {
            assert_slack_mrkdwn(text);
        }
    }
}

/// In mrkdwn, every `<` opens one of our links, and `&` only starts the three entities.
fn assert_slack_mrkdwn(text: &str) {
    for (i, _) in text.match_indices('<') {
        let rest = &text[i + 1..];
        assert!(
            OURS.iter().any(|o| rest.starts_with(o)),
            "stray < in {text:?}"
        );
    }
    for (i, _) in text.match_indices('&') {
        let rest = &text[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;"]
                .iter()
                .any(|e| rest.starts_with(e)),
            "stray & in {text:?}"
        );
    }
}

fn check_discord(alert: &Alert) {
    let message = discord::render(alert);
    let json = message.json();
    assert_clean(json, "discord");
    assert_eq!(json["allowed_mentions"], serde_json::json!({ "parse": [] }));
    assert_eq!(str_at(json, "/username"), "vendorwatch");
    let embeds = json["embeds"].as_array().unwrap();
    assert_eq!(embeds.len(), 1);
    let embed = &embeds[0];
    let title = str_at(embed, "/title");
    let description = str_at(embed, "/description");
    let footer = str_at(embed, "/footer/text");
    assert!((1..=256).contains(&chars(title)));
    assert!(chars(description) <= 4096);
    assert!(chars(footer) <= 2048);
    assert_discord_escaped(title);
    let ours = "\n\n[Read the full update on vendorwatch](https://vendorwatch.example/";
    let vendor_part = description.split(ours).next().unwrap_or_default();
    assert_discord_escaped(vendor_part);
    let fields = embed["fields"].as_array().unwrap();
    assert!(fields.len() <= 25);
    let mut total = chars(title.trim()) + chars(description.trim()) + chars(footer.trim());
    for field in fields {
        let (name, value) = (str_at(field, "/name"), str_at(field, "/value"));
        assert!((1..=256).contains(&chars(name.trim())));
        assert!((1..=1024).contains(&chars(value.trim())));
        if name == "Affected components" {
            assert_discord_escaped(value);
        }
        total += chars(name.trim()) + chars(value.trim());
    }
    assert!(total <= 6000, "embed total {total}");
}

/// Every Markdown character Discord reads is preceded by a backslash.
fn assert_discord_escaped(text: &str) {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
            continue;
        }
        assert!(
            !matches!(
                c,
                '*' | '_' | '~' | '`' | '|' | '>' | '#' | '-' | '[' | ']' | '(' | ')'
            ),
            "unescaped {c:?} in {:?}",
            text.chars().take(120).collect::<String>()
        );
    }
}

fn check_teams(alert: &Alert, fill: &str) {
    let message = teams::render(alert);
    let json = message.json();
    assert_clean(json, "teams");
    let bytes = message.body().len();
    // Teams' 28 KB limit, with the room we keep below it.
    const { assert!(teams::TARGET_BYTES < teams::MAX_BYTES) };
    assert!(bytes <= teams::TARGET_BYTES, "{bytes} bytes");
    let card = &json["attachments"][0]["content"];
    assert_eq!(str_at(card, "/version"), "1.4");
    for element in card["body"].as_array().unwrap() {
        match str_at(element, "/type") {
            // Markdown-rendering blocks carry only our words.
            "TextBlock" => {
                assert_eq!(element["wrap"], Value::Bool(true));
                let text = str_at(element, "/text");
                assert!(
                    text.chars().all(|c| c.is_ascii_alphanumeric() || c == ' '),
                    "vendor text in a TextBlock: {text}"
                );
            }
            "FactSet" => {
                for fact in element["facts"].as_array().unwrap() {
                    assert!(fill.is_empty() || !str_at(fact, "/value").contains(fill));
                }
            }
            "RichTextBlock" => {}
            other => panic!("unexpected element {other}"),
        }
    }
    for action in card["actions"].as_array().unwrap() {
        assert_eq!(str_at(action, "/type"), "Action.OpenUrl");
        assert!(OURS.iter().any(|o| str_at(action, "/url").starts_with(o)));
    }
}

fn check_webhook(alert: &Alert) {
    let message = webhook::render(alert);
    assert!(
        message.body().len() <= webhook::MAX_BYTES,
        "{} bytes",
        message.body().len()
    );
    let json = message.json();
    assert_clean(json, "webhook");
    assert_eq!(json["version"], Value::from(webhook::VERSION));
    assert_eq!(str_at(json, "/type"), alert.kind().as_str());
    assert!(!message.webhook_id().contains('.'));
}

fn check_email(alert: &Alert) {
    let parts = email::parts(alert, &common::recipient()).unwrap();
    assert!(chars(&parts.subject) <= 150);
    assert!(!parts.subject.contains(['\r', '\n']));
    assert!(
        !parts
            .text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || is_bidi(c))
    );
    assert!(parts.text.contains(alert.page_url.as_str()));
    assert!(parts.text.contains(common::UNSUBSCRIBE_TOKEN));
    assert!(chars(&parts.text) < 40_000);
    let html = parts.html.to_ascii_lowercase();
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<iframe"));
    for (i, _) in html.match_indices("href=\"") {
        let href = &html[i + 6..];
        assert!(
            OURS.iter().any(|o| href.starts_with(o)),
            "foreign link {}",
            &href[..40.min(href.len())]
        );
    }
    // Tags are ours only: every `<` starts a tag from the templates.
    let tags = [
        "<!doctype",
        "<html",
        "</html",
        "<head",
        "</head",
        "<meta",
        "<title",
        "</title",
        "<body",
        "</body",
        "<p",
        "</p",
        "<h1",
        "</h1",
        "<table",
        "</table",
        "<tr",
        "</tr",
        "<td",
        "</td",
        "<div",
        "</div",
        "<br",
        "<ul",
        "</ul",
        "<li",
        "</li",
        "<a ",
        "</a",
    ];
    for (i, _) in html.match_indices('<') {
        assert!(
            tags.iter().any(|t| html[i..].starts_with(t)),
            "stray tag at {}",
            &html[i..i + 20.min(html.len() - i)]
        );
    }
}

fn check_all(alert: &Alert, fill: &str) {
    check_slack(alert);
    check_discord(alert);
    check_teams(alert, fill);
    check_webhook(alert);
    check_email(alert);
}

#[test]
fn every_kind_of_alert_fits_every_channel() {
    for alert in common::every_kind() {
        check_all(&alert, "");
    }
}

#[test]
fn hostile_vendor_text_is_neutralised_and_fits() {
    for fill in common::hostile_snippets() {
        let alert = common::hostile(fill);
        check_all(&alert, fill);
    }
}

#[test]
fn mentions_never_survive_in_slack_mrkdwn_or_discord() {
    let alert = common::hostile("<!channel> <@U123> @everyone [click](https://evil.example)");
    let fallback = str_at(slack::render(&alert).json(), "/text").to_owned();
    assert!(fallback.contains("&lt;!channel&gt;"), "{fallback}");
    let discord = discord::render(&alert);
    let description = str_at(discord.json(), "/embeds/0/description");
    assert!(description.contains(r"\[click\]\(https://evil.example\)"));
}

#[test]
fn cut_text_links_to_the_incident_page() {
    let alert = common::hostile("word ");
    let url = alert.page_url.as_str();
    let slack = slack::render(&alert).json().to_string();
    assert!(slack.contains(&format!("<{url}|Read the full update on vendorwatch>")));
    let discord = discord::render(&alert);
    assert!(
        str_at(discord.json(), "/embeds/0/description")
            .ends_with(&format!("[Read the full update on vendorwatch]({url})"))
    );
    let teams = teams::render(&alert).json().to_string();
    assert!(teams.contains("Read the full update on vendorwatch"));
    let webhook = webhook::render(&alert);
    assert_eq!(
        webhook.json()["data"]["update"]["truncated"],
        Value::Bool(true)
    );
    let parts = email::parts(&alert, &common::recipient()).unwrap();
    assert!(
        parts
            .text
            .contains(&format!("[Cut here. The full text: {url}]"))
    );
}

#[test]
fn every_cut_point_of_multi_byte_text_stays_within_limits() {
    let pattern = "é🚨&<*|👨\u{200D}👩 障";
    for n in 120..=300 {
        let title: String = pattern.chars().cycle().take(n).collect();
        let mut alert = common::incident(IncidentEvent::Opened);
        if let vw_notify::About::Incident { incident, .. } = &mut alert.about {
            incident.title = title.clone();
        }
        alert.latest_update = Some(pattern.chars().cycle().take(n * 20).collect());
        check_slack(&alert);
        check_discord(&alert);
        check_teams(&alert, "");
    }
}

fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        " ",
        "\n",
        "é",
        "🚨",
        "👨\u{200D}👩",
        "\u{FE0F}",
        "障",
        "&",
        "<",
        ">",
        "*",
        "_",
        "|",
        "[",
        "](",
        ")",
        "\\",
        "\"",
        "\u{0}",
        "\u{202E}",
        "@everyone",
        "<!here>",
        "-",
        "#",
    ]);
    prop::collection::vec(pieces, 0..6000).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_hostile_text_stays_within_every_limit(title in hostile_text(), update in hostile_text(), name in hostile_text()) {
        let mut alert = common::incident(IncidentEvent::Updated);
        if let vw_notify::About::Incident { incident, provider, .. } = &mut alert.about {
            incident.title = title;
            provider.name = name.chars().take(300).collect();
        }
        alert.latest_update = Some(update);
        check_all(&alert, "");
    }
}
