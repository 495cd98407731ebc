//! Generic webhooks signed with Standard Webhooks v1 (CHANNELS.md, "Generic webhooks";
//! docs/webhooks.md is the receivers' side).
//!
//! `render` builds the versioned JSON payload; `send` signs it at send time (receivers reject
//! timestamps more than five minutes off) over the exact bytes sent, with a `webhook-id` that
//! is the same on every retry of the event.

mod payload;
mod secret;
mod target;

pub use payload::{MAX_BYTES, VERSION};
pub use secret::{WebhookSecret, message_id, signature};
pub use target::WebhookEndpoint;

use std::time::Duration;

use chrono::Utc;
use uuid::Uuid;
use vw_outbound::Client;
use vw_outbound::header::{HeaderMap, HeaderName, HeaderValue};

use crate::alert::Alert;
use crate::answer::Dialect;
use crate::channel::ChannelKind;
use crate::http;
use crate::outcome::Attempt;

/// When a delivery's attempts are due, counted from the first: the Standard Webhooks schedule
/// (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: ten attempts over about
/// a day), to be spread with jitter, and overridden by a longer `Retry-After`. After the last
/// one the endpoint is marked failing and the workspace told. docs/webhooks.md promises it
/// to receivers.
pub const RETRY_SCHEDULE: [Duration; 10] = [
    Duration::ZERO,
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(14 * 3600),
    Duration::from_secs(20 * 3600),
    Duration::from_secs(24 * 3600),
];

/// A rendered webhook: the payload and the event it is about (which names the webhook-id).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    json: serde_json::Value,
    event_id: Uuid,
}

impl Message {
    pub fn json(&self) -> &serde_json::Value {
        &self.json
    }

    /// The exact bytes sent and signed.
    pub fn body(&self) -> Vec<u8> {
        self.json.to_string().into_bytes()
    }

    /// The `webhook-id` header: stable across retries.
    pub fn webhook_id(&self) -> String {
        message_id(self.event_id)
    }
}

/// The payload for `alert`.
pub fn render(alert: &Alert) -> Message {
    Message {
        json: payload::payload(alert),
        event_id: alert.event_id,
    }
}

/// Signs `message` now and POSTs it to `endpoint`.
pub async fn send(client: &Client, endpoint: &WebhookEndpoint, message: &Message) -> Attempt {
    let body = message.body();
    let id = message.webhook_id();
    let timestamp = Utc::now().timestamp();
    let signature = signature(endpoint.secrets(), &id, timestamp, &body);
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("webhook-id", id),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", signature),
    ] {
        // Ids, digits and base64 are always valid header values.
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    http::post_json(
        client,
        ChannelKind::Webhook,
        &Dialect::PLAIN,
        endpoint.expose_url(),
        body,
        headers,
    )
    .await
}
