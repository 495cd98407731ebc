//! What one attempt to send came to, in the one policy CHANNELS.md sets for every channel, so
//! that the job layer records and retries all channels alike.

use std::time::Duration;

/// The verdict on one attempt. `status` is the HTTP status, or for e-mail the SMTP reply
/// code; `None` when no answer came. `detail` is one short line from the answer, for the
/// delivery log: it never contains the target's URL (which may embed a credential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted (2xx, SMTP 250), or written to the log by a mailer without SMTP.
    Delivered { status: Option<u16>, detail: String },
    /// Not delivered, and trying the same message again later may work: 429, 5xx, timeouts,
    /// connection errors, SMTP 4xx. `after` is the wait the answer asked for (Retry-After),
    /// if any; otherwise back off exponentially with jitter.
    Retry {
        after: Option<Duration>,
        status: Option<u16>,
        detail: String,
    },
    /// Refused for this message (other 4xx, SMTP 5xx, a redirect): sending it again will not
    /// help; the detail says why.
    Permanent { status: Option<u16>, detail: String },
    /// The target is gone (404/410, a revoked webhook or token): stop sending to it, mark the
    /// integration broken and tell the workspace's admins.
    Broken { status: Option<u16>, detail: String },
}

impl Outcome {
    /// The stable name for a delivery row or a log field.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Delivered { .. } => "delivered",
            Outcome::Retry { .. } => "retry",
            Outcome::Permanent { .. } => "permanent",
            Outcome::Broken { .. } => "broken",
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Outcome::Delivered { status, .. }
            | Outcome::Retry { status, .. }
            | Outcome::Permanent { status, .. }
            | Outcome::Broken { status, .. } => *status,
        }
    }

    pub fn detail(&self) -> &str {
        match self {
            Outcome::Delivered { detail, .. }
            | Outcome::Retry { detail, .. }
            | Outcome::Permanent { detail, .. }
            | Outcome::Broken { detail, .. } => detail,
        }
    }
}

/// One attempt: its outcome and what the job layer needs around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub outcome: Outcome,
    /// From sending the request to having the answer read (for the delivery log).
    pub duration: Duration,
    /// The least time to wait before the next message to the same target: the channel's
    /// own pace (Slack and Teams: 1 s), a Discord bucket that is empty, or a 429's
    /// Retry-After, whichever is longest. `None` when the next one may go at once.
    pub next_allowed_after: Option<Duration>,
    /// The id the receiver gave the message, when it gives one: Discord's message id (the
    /// message can be edited later with it); for e-mail, our Message-ID.
    pub message_id: Option<String>,
    /// Set only by a mailer without SMTP: the message that was written to the log instead of
    /// sent, for an operator's "sent mail" page. It contains the links (and so the tokens) the
    /// recipient would have received: store it like the mail itself, never log it.
    pub logged_mail: Option<LoggedMail>,
}

/// A message a log-only mailer kept instead of sending.
#[derive(Clone, PartialEq, Eq)]
pub struct LoggedMail {
    pub to: Vec<String>,
    pub subject: String,
    /// The whole message as it would have gone over SMTP (RFC 5322).
    pub raw: Vec<u8>,
}

// Written by hand so that a debug print of an attempt cannot spill the tokens in the body.
impl std::fmt::Debug for LoggedMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoggedMail")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("raw", &format_args!("{} bytes", self.raw.len()))
            .finish()
    }
}
