//! One call for the job layer: render an alert for a target's channel and send it.

use std::time::Duration;

use vw_outbound::Client;

use crate::alert::Alert;
use crate::channel::ChannelKind;
use crate::discord::{self, DiscordWebhook};
use crate::email::{self, EmailRecipient, EmailSettings, Mailer};
use crate::outcome::{Attempt, Outcome};
use crate::slack::{self, SlackWebhook};
use crate::teams::{self, TeamsWorkflow};
use crate::webhook::{self, WebhookEndpoint};

/// Where one delivery goes: a recipient or an integration, already parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Email(EmailRecipient),
    Slack(SlackWebhook),
    Discord(DiscordWebhook),
    Teams(TeamsWorkflow),
    Webhook(WebhookEndpoint),
}

impl Target {
    pub fn kind(&self) -> ChannelKind {
        match self {
            Target::Email(_) => ChannelKind::Email,
            Target::Slack(_) => ChannelKind::Slack,
            Target::Discord(_) => ChannelKind::Discord,
            Target::Teams(_) => ChannelKind::Teams,
            Target::Webhook(_) => ChannelKind::Webhook,
        }
    }
}

/// What sending needs: the delivery client of the outbound door, a mailer and the mail
/// settings. Cheap to clone; one per worker process.
#[derive(Debug, Clone)]
pub struct Notifier {
    http: Client,
    mailer: Mailer,
    email: EmailSettings,
}

impl Notifier {
    /// `http` should be `Client::new(Policy::deliveries())` (private targets allowed only in
    /// tests and local development).
    pub fn new(http: Client, mailer: Mailer, email: EmailSettings) -> Self {
        Notifier {
            http,
            mailer,
            email,
        }
    }

    /// Renders `alert` for `target`'s channel and sends it once. Never fails: every way it
    /// can go is an [`Outcome`] in the attempt.
    pub async fn deliver(&self, alert: &Alert, target: &Target) -> Attempt {
        match target {
            Target::Slack(hook) => slack::send(&self.http, hook, &slack::render(alert)).await,
            Target::Discord(hook) => discord::send(&self.http, hook, &discord::render(alert)).await,
            Target::Teams(flow) => teams::send(&self.http, flow, &teams::render(alert)).await,
            Target::Webhook(endpoint) => {
                webhook::send(&self.http, endpoint, &webhook::render(alert)).await
            }
            Target::Email(recipient) => match email::render(alert, &self.email, recipient) {
                Ok(message) => self.mailer.send(&message).await,
                // Nothing was sent, and the same alert would fail the same way again.
                Err(error) => Attempt {
                    outcome: Outcome::Permanent {
                        status: None,
                        detail: error.to_string(),
                    },
                    duration: Duration::ZERO,
                    next_allowed_after: None,
                    message_id: None,
                    logged_mail: None,
                },
            },
        }
    }
}
