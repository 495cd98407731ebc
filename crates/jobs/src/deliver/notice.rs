//! E-mails of vendorwatch's own: asking a new recipient to confirm the address, and telling
//! a workspace's owners and admins that a channel stopped receiving alerts. Sent like
//! alerts (or kept on the sent-mail page without SMTP); a server that is away makes the job
//! try again on its queue's schedule.

use vw_domain::EmailAddress;
use vw_notify::email::{self, BrokenIntegration};
use vw_notify::{Attempt, Outcome};
use vw_store::queue::Notice;

use super::DeliveryContext;
use crate::JobsError;

pub async fn notice(context: &DeliveryContext, job: &Notice) -> Result<(), JobsError> {
    match job {
        Notice::VerifyRecipient { channel } => {
            let Some(found) = vw_store::channels::for_delivery(&context.db, *channel).await? else {
                return Ok(());
            };
            let Some(address) = found.address.as_deref().filter(|_| !found.verified) else {
                return Ok(());
            };
            let to = parse(address)?;
            let workspace = vw_store::workspaces::get(&context.db, found.workspace_id).await?;
            let confirm = vw_app::channels::verify_url(
                &context.config.secrets,
                &context.config.base_url,
                found.id,
            );
            let message = email::verification(&context.email, &to, &workspace.name, &confirm)
                .map_err(|e| JobsError::Pool(e.to_string()))?;
            let sent = context.mailer.send(&message).await;
            settle(context, &sent).await
        }
        Notice::ChannelStopped { channel, detail } => {
            let Some(found) = vw_store::channels::for_delivery(&context.db, *channel).await? else {
                return Ok(());
            };
            let workspace = vw_store::workspaces::get(&context.db, found.workspace_id).await?;
            let settings_url = context
                .config
                .base_url
                .join(&format!("/groups/{}", found.group_id))
                .map_err(|e| JobsError::Pool(e.to_string()))?;
            let stopped = BrokenIntegration {
                workspace: workspace.name,
                channel: vw_app::channels::notify_kind(found.kind),
                masked_target: found.masked.clone(),
                detail: detail.clone(),
                at: context.clock.now(),
                settings_url,
            };
            let admins =
                vw_store::channels::admin_addresses(&context.db, found.workspace_id).await?;
            let mut last = Ok(());
            for address in admins {
                let message =
                    email::integration_broken(&context.email, &parse(&address)?, &stopped)
                        .map_err(|e| JobsError::Pool(e.to_string()))?;
                let sent = context.mailer.send(&message).await;
                // One admin's server refusing must not keep the others uninformed.
                if let Err(e) = settle(context, &sent).await {
                    last = Err(e);
                }
            }
            last
        }
    }
}

fn parse(address: &str) -> Result<EmailAddress, JobsError> {
    EmailAddress::parse(address)
        .map_err(|e| vw_store::StoreError::Invalid(format!("stored address: {e}")).into())
}

/// Keeps a logged mail; a transient failure is an error, for the queue to retry.
async fn settle(context: &DeliveryContext, sent: &Attempt) -> Result<(), JobsError> {
    if let Some(mail) = &sent.logged_mail {
        vw_store::logged_mail::insert(
            &context.db,
            &mail.to.join(", "),
            &mail.subject,
            &String::from_utf8_lossy(&mail.raw),
        )
        .await?;
    }
    match &sent.outcome {
        Outcome::Delivered { .. } => Ok(()),
        Outcome::Retry { detail, .. } => {
            Err(JobsError::Pool(format!("sending a notice: {detail}")))
        }
        Outcome::Permanent { detail, .. } | Outcome::Broken { detail, .. } => {
            tracing::warn!(detail, "a notice was refused; not retried");
            Ok(())
        }
    }
}
