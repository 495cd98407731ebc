//! A group's channels: e-mail recipients, who confirm their address by a link before any
//! alert reaches them and leave by one click, and integrations (Slack, Discord, Teams,
//! signed webhooks), whose URLs and secrets are stored sealed. "Send test" queues a message;
//! the web itself makes no outbound call.

use serde::{Deserialize, Serialize};
use url::Url;
use vw_domain::{ChannelId, DeliveryId, EmailAddress, GroupId, WorkspaceId};
use vw_notify::discord::DiscordWebhook;
use vw_notify::email::EmailRecipient;
use vw_notify::slack::SlackWebhook;
use vw_notify::teams::TeamsWorkflow;
use vw_notify::webhook::{WebhookEndpoint, WebhookSecret};
use vw_notify::{ChannelKind, Target, TargetRules};
use vw_store::PgPool;
use vw_store::channels::{ForDelivery, Kind};
use vw_store::queue::{self, Deliver, Notice};

use crate::AppError;
use crate::secrets::{LinkPurpose, Secrets};

/// What an integration keeps sealed: its URL (a credential on every platform) and, for a
/// webhook, its signing secret.
#[derive(Serialize, Deserialize)]
struct Sealed {
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

/// A channel kind as the store names it.
pub fn store_kind(kind: ChannelKind) -> Kind {
    match kind {
        ChannelKind::Email => Kind::Email,
        ChannelKind::Slack => Kind::Slack,
        ChannelKind::Discord => Kind::Discord,
        ChannelKind::Teams => Kind::Teams,
        ChannelKind::Webhook => Kind::Webhook,
    }
}

/// The notify crate's kind of a stored channel.
pub fn notify_kind(kind: Kind) -> ChannelKind {
    match kind {
        Kind::Email => ChannelKind::Email,
        Kind::Slack => ChannelKind::Slack,
        Kind::Discord => ChannelKind::Discord,
        Kind::Teams => ChannelKind::Teams,
        Kind::Webhook => ChannelKind::Webhook,
    }
}

/// Adds `address` to the group, unconfirmed, and queues the e-mail that asks to confirm it
/// (in the same transaction).
pub async fn add_recipient(
    db: &PgPool,
    workspace: WorkspaceId,
    group: GroupId,
    address: &str,
) -> Result<ChannelId, AppError> {
    let address = EmailAddress::parse(address).map_err(|e| AppError::Invalid(e.to_string()))?;
    vw_store::groups::get(db, workspace, group).await?;
    let mut tx = vw_store::begin(db).await?;
    let channel = vw_store::channels::insert_email(&mut *tx, workspace, group, &address, false)
        .await
        .map_err(|e| match e {
            vw_store::StoreError::Duplicate(_) => {
                AppError::Taken(format!("{address} already receives this group's alerts."))
            }
            other => other.into(),
        })?;
    queue::push(&mut tx, &Notice::VerifyRecipient { channel }).await?;
    vw_store::commit(tx).await?;
    tracing::info!(%workspace, %group, %channel, "recipient added; confirmation queued");
    Ok(channel)
}

/// An integration just added.
#[derive(Debug)]
pub struct AddedIntegration {
    pub channel: ChannelId,
    /// A webhook's signing secret (`whsec_…`): shown this once, never again.
    pub webhook_secret: Option<String>,
}

/// Adds a Slack, Discord, Teams or webhook integration to the group from the URL the person
/// pasted, checked as its platform's URL (`rules`), and stores it sealed.
pub async fn add_integration(
    db: &PgPool,
    secrets: &Secrets,
    rules: TargetRules,
    workspace: WorkspaceId,
    group: GroupId,
    kind: ChannelKind,
    url: &str,
) -> Result<AddedIntegration, AppError> {
    let invalid = |e: vw_notify::NotifyError| AppError::Invalid(e.to_string());
    let (masked, sealed, webhook_secret) = match kind {
        ChannelKind::Email => {
            return Err(AppError::Invalid(
                "E-mail recipients are added by address.".into(),
            ));
        }
        ChannelKind::Slack => {
            let hook = SlackWebhook::parse(url, rules).map_err(invalid)?;
            (hook.masked(), sealed_url(hook.expose_url()), None)
        }
        ChannelKind::Discord => {
            let hook = DiscordWebhook::parse(url, rules).map_err(invalid)?;
            (hook.masked(), sealed_url(hook.expose_url()), None)
        }
        ChannelKind::Teams => {
            let flow = TeamsWorkflow::parse(url, rules).map_err(invalid)?;
            (flow.masked(), sealed_url(flow.expose_url()), None)
        }
        ChannelKind::Webhook => {
            let secret = WebhookSecret::generate().map_err(invalid)?;
            let endpoint = WebhookEndpoint::parse(url, rules, secret.clone()).map_err(invalid)?;
            let exposed = secret.expose();
            let sealed = Sealed {
                url: endpoint.expose_url().to_string(),
                secret: Some(exposed.clone()),
            };
            (endpoint.masked(), sealed, Some(exposed))
        }
    };
    let plain = serde_json::to_vec(&sealed)
        .map_err(|e| AppError::Invalid(format!("sealing the integration: {e}")))?;
    let secret = secrets.seal(&plain)?;
    vw_store::groups::get(db, workspace, group).await?;
    let channel = vw_store::channels::insert_integration(
        db,
        workspace,
        group,
        store_kind(kind),
        &secret,
        &masked,
    )
    .await?;
    // The masked form only: the URL is a credential.
    tracing::info!(%workspace, %group, %channel, %kind, target = %masked, "integration added");
    Ok(AddedIntegration {
        channel,
        webhook_secret,
    })
}

fn sealed_url(url: &Url) -> Sealed {
    Sealed {
        url: url.to_string(),
        secret: None,
    }
}

/// Removes a recipient or an integration, with its deliveries.
pub async fn remove(
    db: &PgPool,
    workspace: WorkspaceId,
    channel: ChannelId,
) -> Result<(), AppError> {
    vw_store::channels::delete(db, workspace, channel).await?;
    tracing::info!(%workspace, %channel, "channel removed");
    Ok(())
}

/// Queues a test message to the channel; the delivery log shows how it went.
pub async fn send_test(
    db: &PgPool,
    workspace: WorkspaceId,
    channel: ChannelId,
) -> Result<DeliveryId, AppError> {
    let found = vw_store::channels::get(db, workspace, channel).await?;
    if found.kind == Kind::Email && found.verified_at.is_none() {
        return Err(AppError::Invalid(
            "This address has not been confirmed yet: nothing is sent to it until its owner \
             opens the link in the confirmation e-mail."
                .into(),
        ));
    }
    if found.broken_at.is_some() {
        return Err(AppError::Invalid(
            "This integration stopped working (the receiver said it is gone): remove it and \
             add its new URL."
                .into(),
        ));
    }
    let mut tx = vw_store::begin(db).await?;
    let delivery = vw_store::deliveries::insert_test(&mut *tx, workspace, channel).await?;
    queue::push(&mut tx, &Deliver::one(delivery)).await?;
    vw_store::commit(tx).await?;
    tracing::info!(%workspace, %channel, %delivery, "test message queued");
    Ok(delivery)
}

/// The link that confirms a recipient's address.
pub fn verify_url(secrets: &Secrets, base_url: &Url, channel: ChannelId) -> Url {
    link(
        base_url,
        "verify",
        &secrets.link_token(LinkPurpose::Verify, channel),
    )
}

/// The one-click unsubscribe link of a recipient (RFC 8058, and the visible link).
pub fn unsubscribe_url(secrets: &Secrets, base_url: &Url, channel: ChannelId) -> Url {
    link(
        base_url,
        "u",
        &secrets.link_token(LinkPurpose::Unsubscribe, channel),
    )
}

fn link(base_url: &Url, path: &str, token: &str) -> Url {
    let mut url = base_url.clone();
    url.set_path(&format!(
        "{}/{path}/{token}",
        base_url.path().trim_end_matches('/')
    ));
    url.set_query(None);
    url
}

/// The recipient a link names, if the link is genuine and the recipient still there.
pub async fn recipient_of_link(
    db: &PgPool,
    secrets: &Secrets,
    purpose: LinkPurpose,
    token: &str,
) -> Result<Option<(ChannelId, String)>, AppError> {
    let Some(channel) = secrets.read_link_token(purpose, token) else {
        return Ok(None);
    };
    Ok(vw_store::channels::for_delivery(db, channel)
        .await?
        .filter(|c| c.kind == Kind::Email)
        .and_then(|c| c.address.map(|a| (channel, a))))
}

/// Confirms the address a verification link names; `false` when the link is not genuine or
/// the recipient is gone.
pub async fn verify(db: &PgPool, secrets: &Secrets, token: &str) -> Result<bool, AppError> {
    let Some((channel, _)) = recipient_of_link(db, secrets, LinkPurpose::Verify, token).await?
    else {
        return Ok(false);
    };
    if vw_store::channels::verify(db, channel).await? {
        tracing::info!(%channel, "recipient confirmed");
    }
    Ok(true)
}

/// Removes the recipient an unsubscribe link names (no sign-in: the link is the
/// credential); `false` when the link is not genuine or the recipient already left.
pub async fn unsubscribe(db: &PgPool, secrets: &Secrets, token: &str) -> Result<bool, AppError> {
    let Some(channel) = secrets.read_link_token(LinkPurpose::Unsubscribe, token) else {
        return Ok(false);
    };
    let removed = vw_store::channels::unsubscribe(db, channel).await?;
    if removed {
        tracing::info!(%channel, "recipient unsubscribed");
    }
    Ok(removed)
}

/// Where a stored channel sends: its address with its own unsubscribe link, or its
/// integration unsealed and parsed again (by today's rules).
pub fn target(
    secrets: &Secrets,
    rules: TargetRules,
    base_url: &Url,
    channel: &ForDelivery,
) -> Result<Target, AppError> {
    let invalid = |e: vw_notify::NotifyError| AppError::Invalid(e.to_string());
    let integration = || -> Result<Sealed, AppError> {
        let sealed = channel
            .secret
            .as_deref()
            .ok_or_else(|| AppError::Invalid("an integration without its URL".into()))?;
        serde_json::from_slice(&secrets.open(sealed)?)
            .map_err(|e| AppError::Invalid(format!("a stored integration cannot be read: {e}")))
    };
    Ok(match channel.kind {
        Kind::Email => {
            let address = channel
                .address
                .as_deref()
                .ok_or_else(|| AppError::Invalid("an e-mail channel without an address".into()))
                .and_then(|a| {
                    EmailAddress::parse(a).map_err(|e| AppError::Invalid(e.to_string()))
                })?;
            let unsubscribe = unsubscribe_url(secrets, base_url, channel.id);
            Target::Email(
                EmailRecipient::new(address, channel.group_id.0, unsubscribe.as_str(), rules)
                    .map_err(invalid)?,
            )
        }
        Kind::Slack => {
            Target::Slack(SlackWebhook::parse(&integration()?.url, rules).map_err(invalid)?)
        }
        Kind::Discord => {
            Target::Discord(DiscordWebhook::parse(&integration()?.url, rules).map_err(invalid)?)
        }
        Kind::Teams => {
            Target::Teams(TeamsWorkflow::parse(&integration()?.url, rules).map_err(invalid)?)
        }
        Kind::Webhook => {
            let sealed = integration()?;
            let secret = WebhookSecret::parse(sealed.secret.as_deref().unwrap_or_default())
                .map_err(invalid)?;
            Target::Webhook(WebhookEndpoint::parse(&sealed.url, rules, secret).map_err(invalid)?)
        }
    })
}
