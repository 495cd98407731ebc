//! Microsoft Teams through a Workflows webhook, as an Adaptive Card 1.4 (CHANNELS.md,
//! "Microsoft Teams").
//!
//! Vendor text only ever goes in `RichTextBlock` → `TextRun`, whose text Teams never reads as
//! Markdown; `TextBlock` (which renders a Markdown subset) carries only our own words.
//! Version 1.4 because Workflows fail to display 1.5 cards.

mod render;
mod target;

pub use render::{MAX_BYTES, TARGET_BYTES, render};
pub use target::TeamsWorkflow;

use vw_outbound::{Client, StatusCode, header::HeaderMap};

use crate::answer::Dialect;
use crate::channel::ChannelKind;
use crate::http::{self, json_message};
use crate::outcome::Attempt;

json_message!("Teams");

/// POSTs `message` to `target`.
pub async fn send(client: &Client, target: &TeamsWorkflow, message: &Message) -> Attempt {
    http::post_json(
        client,
        ChannelKind::Teams,
        &DIALECT,
        target.expose_url(),
        message.body(),
        HeaderMap::new(),
    )
    .await
}

/// A 401, 403 or 404 from a flow means it was deleted or its URL revoked.
const DIALECT: Dialect = Dialect {
    revoked: |status, _| matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
    // A 202 only says the flow started: a bad card or a disabled flow shows up in the flow's
    // run history, never to us.
    delivered_note: Some(
        "accepted: the flow was started (its run history in Teams shows whether the card was posted)",
    ),
    ..Dialect::PLAIN
};
