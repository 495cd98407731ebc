//! The crate's one error type. Sending never fails with it (an attempt always ends in an
//! [`crate::Outcome`]); it is for what is refused before anything is sent: a target, a secret
//! or a mail setting that cannot be used. Messages are shown to the person who typed the
//! value, and never repeat it (it may be a secret).

use crate::channel::ChannelKind;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// A channel's URL (or address) cannot be used; `reason` says what to paste instead.
    #[error("This is not a usable {kind} target: {reason}")]
    InvalidTarget { kind: ChannelKind, reason: String },
    /// A webhook signing secret that is not `whsec_` + base64 of 24 to 64 bytes.
    #[error("This is not a webhook signing secret: {0}")]
    InvalidSecret(String),
    /// The SMTP URL cannot be used (scheme, host, TLS settings). Never names the URL: it holds
    /// the SMTP password.
    #[error("cannot use the SMTP settings: {0}")]
    Smtp(String),
    /// A message could not be put together (an address lettre refuses, say).
    #[error("cannot build the e-mail: {0}")]
    Email(String),
}
