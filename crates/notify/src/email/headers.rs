//! The headers every message gets, and threading. Anything put in a header has been through
//! `text::line` (no CR, LF, control or bidi characters), so vendor text cannot add a header.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MessageBuilder, MultiPart};
use lettre::{Address, Message};

use super::Parts;
use super::recipient::{EmailRecipient, EmailSettings};
use crate::error::NotifyError;
use crate::text;

/// The longest Subject we write; vendor titles can be of any length.
const SUBJECT_CHARS: usize = 150;

/// Where a message sits in a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Thread {
    /// The first message of a thread: its Message-ID is the thread's root (`incident-{id}`).
    Root(String),
    /// A later message: its own id, replying to the root.
    Reply { own: String, root: String },
    /// A message of its own (`event-{id}`, `verify-{id}`): no thread.
    Alone(String),
}

/// A message builder with From, To, Date, Subject, Message-ID (and threading) and
/// Auto-Submitted set (RFC 3834: keeps out-of-office replies away).
pub(crate) fn builder(
    settings: &EmailSettings,
    to: &str,
    subject: &str,
    thread: &Thread,
) -> Result<MessageBuilder, NotifyError> {
    let to: Address = to
        .parse()
        .map_err(|e| NotifyError::Email(format!("the recipient address is not valid: {e}")))?;
    let id = |local: &str| format!("<{local}@{}>", settings.domain());
    let mut builder = Message::builder()
        .from(settings.from().clone())
        .to(Mailbox::new(None, to))
        .date_now()
        .subject(subject_line(subject))
        .raw_header(raw("Auto-Submitted", "auto-generated"));
    builder = match thread {
        Thread::Root(root) => builder.message_id(Some(id(root))),
        Thread::Reply { own, root } => builder
            .message_id(Some(id(own)))
            .in_reply_to(id(root))
            .references(id(root)),
        Thread::Alone(own) => builder.message_id(Some(id(own))),
    };
    Ok(builder)
}

/// The list headers of a group's alert: `List-Id`, and one-click unsubscribe (RFC 8058:
/// exactly one https URI, and the exact `List-Unsubscribe-Post` value).
pub(crate) fn list(
    builder: MessageBuilder,
    settings: &EmailSettings,
    recipient: &EmailRecipient,
    workspace: &str,
) -> MessageBuilder {
    // The phrase is display text: quotes and backslashes would end it early.
    let name: String = text::chars(&text::line(workspace), 60)
        .text
        .chars()
        .filter(|c| !matches!(c, '"' | '\\'))
        .collect();
    let list_id = format!(
        "\"vendorwatch alerts for {name}\" <{}.alerts.{}>",
        recipient.group_id(),
        settings.domain()
    );
    builder
        .raw_header(raw("List-Id", &list_id))
        .raw_header(raw(
            "List-Unsubscribe",
            &format!("<{}>", recipient.unsubscribe_url()),
        ))
        .raw_header(raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
}

/// The finished message: text/plain first, text/html last (the preferred part), UTF-8.
pub(crate) fn finish(builder: MessageBuilder, content: Parts) -> Result<Message, NotifyError> {
    builder
        .multipart(MultiPart::alternative_plain_html(
            content.text,
            content.html,
        ))
        .map_err(|e| NotifyError::Email(e.to_string()))
}

/// `subject` as a header: one line, cut to a length mail clients show.
pub(crate) fn subject_line(subject: &str) -> String {
    text::chars(&text::line(subject), SUBJECT_CHARS).text
}

fn raw(name: &'static str, value: &str) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), text::line(value))
}
