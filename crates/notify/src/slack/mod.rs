//! Slack incoming webhooks with Block Kit (CHANNELS.md, "Slack").
//!
//! `render` builds the blocks and the one-line `text` fallback; `send` POSTs them. Vendor text
//! goes in `plain_text` objects (never parsed) or, where we compose mrkdwn around it, escaped
//! (`&`, `<`, `>`: that also defuses `<!channel>` and `<@U…>`). Links are ours. `link_names`
//! and `parse: full` are never set.

mod render;
mod target;

pub use render::render;
pub use target::SlackWebhook;

use vw_outbound::{Client, StatusCode, header::HeaderMap};

use crate::answer::Dialect;
use crate::channel::ChannelKind;
use crate::http::{self, json_message};
use crate::outcome::Attempt;

json_message!("Slack");

/// POSTs `message` to `target`.
pub async fn send(client: &Client, target: &SlackWebhook, message: &Message) -> Attempt {
    http::post_json(
        client,
        ChannelKind::Slack,
        &DIALECT,
        target.expose_url(),
        message.body(),
        HeaderMap::new(),
    )
    .await
}

/// Slack answers in plain-text strings: `ok`, `invalid_blocks`, `channel_not_found`, …
const DIALECT: Dialect = Dialect {
    revoked,
    reason: |body| Some(String::from_utf8_lossy(body).trim().to_owned()),
    ..Dialect::PLAIN
};

/// The answers that mean the webhook is gone: removed or its app uninstalled
/// (`no_service`, `channel_not_found`, `invalid_token`) or the channel archived.
fn revoked(_status: StatusCode, body: &[u8]) -> bool {
    let said = String::from_utf8_lossy(body);
    matches!(
        said.trim(),
        "channel_not_found" | "no_service" | "invalid_token" | "channel_is_archived"
    )
}
