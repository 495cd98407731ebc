//! Discord's Execute Webhook with one embed (CHANNELS.md, "Discord").
//!
//! `render` builds the embed; `send` POSTs it with `?wait=true` so that the answer carries
//! the message (its id is kept: a message can be edited later). `allowed_mentions` is always
//! `{"parse": []}`: a vendor's `@everyone` is then text that pings nobody. Markdown in vendor
//! text is escaped, so it cannot bold, spoil or mask a link.

mod render;
mod target;

pub use render::render;
pub use target::DiscordWebhook;

use std::time::Duration;

use serde_json::Value;
use vw_outbound::{Client, StatusCode, header::HeaderMap};

use crate::answer::Dialect;
use crate::channel::ChannelKind;
use crate::http::{self, json_message};
use crate::outcome::Attempt;

json_message!("Discord");

/// POSTs `message` to `target`, asking Discord to wait and answer with the message.
pub async fn send(client: &Client, target: &DiscordWebhook, message: &Message) -> Attempt {
    let mut url = target.expose_url().clone();
    url.query_pairs_mut().append_pair("wait", "true");
    http::post_json(
        client,
        ChannelKind::Discord,
        &DIALECT,
        &url,
        message.body(),
        HeaderMap::new(),
    )
    .await
}

const DIALECT: Dialect = Dialect {
    revoked,
    reason,
    pace,
    message_id: |body| {
        let value: Value = serde_json::from_slice(body).ok()?;
        value.get("id")?.as_str().map(str::to_owned)
    },
    delivered_note: None,
};

/// Unknown Webhook (10015), Invalid Webhook Token (50027), or any 401: the webhook was deleted
/// or its token reset. Sending on would only count towards Discord's IP ban.
fn revoked(status: StatusCode, body: &[u8]) -> bool {
    status == StatusCode::UNAUTHORIZED || matches!(error_code(body), Some(10015 | 50027))
}

fn error_code(body: &[u8]) -> Option<u64> {
    let value: Value = serde_json::from_slice(body).ok()?;
    value.get("code")?.as_u64()
}

/// "Invalid Form Body (50035): embeds.0.description: Must be 4096 or fewer in length."
fn reason(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let message = value.get("message")?.as_str()?;
    let mut reason = match value.get("code").and_then(Value::as_u64) {
        Some(code) => format!("{message} ({code})"),
        None => message.to_owned(),
    };
    if let Some((path, error)) = value.get("errors").and_then(|e| first_field_error(e, "")) {
        reason.push_str(&format!(": {path}: {error}"));
    }
    Some(reason)
}

/// The first `_errors[].message` in Discord's nested field errors, with its dotted path.
fn first_field_error(value: &Value, path: &str) -> Option<(String, String)> {
    let object = value.as_object()?;
    if let Some(message) = object
        .get("_errors")
        .and_then(|e| e.get(0))
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
    {
        return Some((path.to_owned(), message.to_owned()));
    }
    object.iter().find_map(|(key, inner)| {
        let path = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        first_field_error(inner, &path)
    })
}

/// The wait Discord's rate-limit headers ask for: when the bucket is empty
/// (`X-RateLimit-Remaining: 0`), `X-RateLimit-Reset-After` seconds; after a 429, the body's
/// `retry_after` too. Pacing comes from these answers, never from fixed numbers.
fn pace(headers: &HeaderMap, body: &[u8]) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let seconds = |text: &str| {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64)
    };
    let bucket = match header("x-ratelimit-remaining").map(str::trim) {
        Some("0") => header("x-ratelimit-reset-after").and_then(seconds),
        _ => None,
    };
    let told = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("retry_after").and_then(Value::as_f64))
        .and_then(|s| seconds(&s.to_string()));
    bucket.max(told)
}
