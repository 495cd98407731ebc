//! Posting a rendered message through the one outbound door, timing it, reading the answer
//! and logging the attempt. Logs name the channel kind and the host only: the rest of a
//! Slack, Discord or Teams URL is a credential.

use std::time::Instant;

use chrono::Utc;
use url::Url;
use vw_outbound::{Client, Request, header::HeaderMap};

use crate::answer::{self, Dialect};
use crate::channel::ChannelKind;
use crate::outcome::{Attempt, Outcome};

/// POSTs `body` as JSON to `url` with `headers`, and reads the answer with `dialect`.
pub(crate) async fn post_json(
    client: &Client,
    kind: ChannelKind,
    dialect: &Dialect,
    url: &Url,
    body: Vec<u8>,
    headers: HeaderMap,
) -> Attempt {
    let host = url.host_str().unwrap_or_default().to_owned();
    let request = Request::post(url.clone(), "application/json", body).headers(headers);
    let started = Instant::now();
    let result = client.send(request).await;
    let duration = started.elapsed();
    let (outcome, message_id, wait) = match result {
        Ok(response) => {
            let read = answer::read(dialect, &response, url, Utc::now());
            (read.outcome, read.message_id, read.wait)
        }
        Err(error) => (answer::failure(&error, url), None, None),
    };
    let next_allowed_after =
        Some(kind.min_interval().max(wait.unwrap_or_default())).filter(|d| !d.is_zero());
    log(kind, &host, &outcome, duration);
    Attempt {
        outcome,
        duration,
        next_allowed_after,
        message_id,
        logged_mail: None,
    }
}

/// One line per attempt: delivered at info, the rest at warn with the (scrubbed) detail.
pub(crate) fn log(kind: ChannelKind, host: &str, outcome: &Outcome, duration: std::time::Duration) {
    let duration_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
    let status = outcome.status();
    match outcome {
        Outcome::Delivered { .. } => tracing::info!(
            channel = kind.as_str(),
            host,
            status,
            duration_ms,
            "alert delivered"
        ),
        _ => tracing::warn!(
            channel = kind.as_str(),
            host,
            status,
            duration_ms,
            outcome = outcome.as_str(),
            detail = outcome.detail(),
            "alert not delivered"
        ),
    }
}

/// Declares a channel's rendered `Message`: its JSON document, kept as a type of its own so
/// that a Slack message cannot be sent to a Discord webhook.
macro_rules! json_message {
    ($channel:literal) => {
        #[doc = concat!("A rendered ", $channel, " message: the JSON document that is POSTed.")]
        #[derive(Debug, Clone, PartialEq)]
        pub struct Message(serde_json::Value);

        impl Message {
            /// The document, for snapshots and the delivery log.
            pub fn json(&self) -> &serde_json::Value {
                &self.0
            }

            /// The exact bytes sent.
            pub fn body(&self) -> Vec<u8> {
                self.0.to_string().into_bytes()
            }
        }
    };
}
pub(crate) use json_message;
