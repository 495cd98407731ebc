//! The channels as a closed set, and the pace each must be sent at: data for the job layer's
//! queue, not a scheduler.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    Email,
    Slack,
    Discord,
    Teams,
    Webhook,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 5] = [
        ChannelKind::Email,
        ChannelKind::Slack,
        ChannelKind::Discord,
        ChannelKind::Teams,
        ChannelKind::Webhook,
    ];

    /// The stable name, for delivery rows and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Email => "email",
            ChannelKind::Slack => "slack",
            ChannelKind::Discord => "discord",
            ChannelKind::Teams => "teams",
            ChannelKind::Webhook => "webhook",
        }
    }

    /// The least time between two messages to one target, before any answer says more.
    /// Slack asks for about one message a second per webhook; Teams throttles above four a
    /// second, and one a second leaves room. Discord publishes no fixed number (its answers'
    /// `X-RateLimit-*` headers set the pace, see [`crate::Attempt::next_allowed_after`]);
    /// webhooks and SMTP have none of their own.
    pub fn min_interval(self) -> Duration {
        match self {
            ChannelKind::Slack | ChannelKind::Teams => Duration::from_secs(1),
            ChannelKind::Discord | ChannelKind::Webhook | ChannelKind::Email => Duration::ZERO,
        }
    }
}

impl std::fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
