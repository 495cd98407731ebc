//! The e-mails that are not alerts: confirming a recipient's address, and telling a
//! workspace's admins that an integration is broken. (The test message is an alert about
//! [`crate::About::Test`], rendered by [`super::render`].)

use askama::Template;
use chrono::{DateTime, Utc};
use lettre::Message;
use url::Url;
use uuid::Uuid;
use vw_domain::EmailAddress;

use super::Parts;
use super::headers::{self, Thread};
use super::recipient::EmailSettings;
use crate::channel::ChannelKind;
use crate::error::NotifyError;
use crate::{text, wording};

#[derive(Template)]
#[template(path = "notifications/verification/body.txt")]
struct VerificationText<'a> {
    workspace: &'a str,
    address: &'a str,
    confirm_url: &'a str,
}

#[derive(Template)]
#[template(path = "notifications/verification/body.html")]
struct VerificationHtml<'a> {
    workspace: &'a str,
    address: &'a str,
    confirm_url: &'a str,
}

/// Asks `to` to confirm, by opening `confirm_url`, that it may receive `workspace`'s alerts.
/// No unsubscribe headers: the address is on no list yet.
pub fn verification(
    settings: &EmailSettings,
    to: &EmailAddress,
    workspace: &str,
    confirm_url: &Url,
) -> Result<Message, NotifyError> {
    let workspace = text::chars(&text::line(workspace), 100).text;
    let confirm_url = confirm_url.as_str();
    let address = to.as_str();
    let content = Parts {
        subject: "Confirm your e-mail address for vendorwatch alerts".to_owned(),
        text: render(&VerificationText {
            workspace: &workspace,
            address,
            confirm_url,
        })?,
        html: render(&VerificationHtml {
            workspace: &workspace,
            address,
            confirm_url,
        })?,
    };
    let thread = Thread::Alone(format!("verify-{}", Uuid::new_v4()));
    let builder = headers::builder(settings, address, &content.subject, &thread)?;
    headers::finish(builder, content)
}

/// What the broken-integration notice says.
#[derive(Debug, Clone)]
pub struct BrokenIntegration {
    pub workspace: String,
    pub channel: ChannelKind,
    /// The target's masked form (`SlackWebhook::masked`): never the URL itself.
    pub masked_target: String,
    /// The answer that broke it (`Outcome::detail`).
    pub detail: String,
    pub at: DateTime<Utc>,
    /// The integration's settings page, to paste a new URL.
    pub settings_url: Url,
}

#[derive(Template)]
#[template(path = "notifications/broken/body.txt")]
struct BrokenText<'a> {
    kind: &'a str,
    target: &'a str,
    workspace: &'a str,
    detail: &'a str,
    at: &'a str,
    settings_url: &'a str,
}

#[derive(Template)]
#[template(path = "notifications/broken/body.html")]
struct BrokenHtml<'a> {
    kind: &'a str,
    target: &'a str,
    workspace: &'a str,
    detail: &'a str,
    at: &'a str,
    settings_url: &'a str,
}

/// Tells an owner or admin (`to`) that `broken`'s integration stopped receiving alerts.
pub fn integration_broken(
    settings: &EmailSettings,
    to: &EmailAddress,
    broken: &BrokenIntegration,
) -> Result<Message, NotifyError> {
    let kind = match broken.channel {
        ChannelKind::Email => "e-mail",
        ChannelKind::Slack => "Slack",
        ChannelKind::Discord => "Discord",
        ChannelKind::Teams => "Microsoft Teams",
        ChannelKind::Webhook => "webhook",
    };
    let workspace = text::chars(&text::line(&broken.workspace), 100).text;
    let target = text::chars(&text::line(&broken.masked_target), 200).text;
    let detail = text::chars(&text::line(&broken.detail), 300).text;
    let at = wording::time(broken.at);
    let settings_url = broken.settings_url.as_str();
    let content = Parts {
        subject: format!("Alerts to a {kind} integration of {workspace} have stopped"),
        text: render(&BrokenText {
            kind,
            target: &target,
            workspace: &workspace,
            detail: &detail,
            at: &at,
            settings_url,
        })?,
        html: render(&BrokenHtml {
            kind,
            target: &target,
            workspace: &workspace,
            detail: &detail,
            at: &at,
            settings_url,
        })?,
    };
    let thread = Thread::Alone(format!("broken-{}", Uuid::new_v4()));
    let builder = headers::builder(settings, to.as_str(), &content.subject, &thread)?;
    headers::finish(builder, content)
}

fn render(template: &impl Template) -> Result<String, NotifyError> {
    template
        .render()
        .map_err(|e| NotifyError::Email(e.to_string()))
}
