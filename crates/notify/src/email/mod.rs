//! E-mail (CHANNELS.md, "E-mail"): one `multipart/alternative` message per recipient, text
//! first and HTML last, UTF-8, with `Auto-Submitted`, `List-Id` and one-click unsubscribe
//! (RFC 8058), and one thread per incident or maintenance.
//!
//! `render` builds an alert's message; `verification` and `integration_broken` the other
//! mails the product sends; a [`Mailer`] sends them all.

mod headers;
mod mailer;
mod notices;
mod recipient;
mod render;

pub use mailer::Mailer;
pub use notices::{BrokenIntegration, integration_broken, verification};
pub use recipient::{EmailRecipient, EmailSettings};
pub use render::render;

/// An alert's subject, text part and HTML part, as [`render`] puts them in the message: for
/// previews and snapshot tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub use render::parts;
