//! One attempt at one delivery, as a state machine kept in its row: pending → sending →
//! delivered | failed | gave_up (pending again between retries). "Sending" is committed
//! before the call and the outcome before the job is acknowledged, so a job run twice (or a
//! second job for the same delivery) re-reads the row and sends nothing twice; the receiver's
//! idempotency key (the webhook id, the e-mail's Message-ID) stays the same across retries
//! for the one case no database can cover: a worker killed during the call.

use chrono::{DateTime, Utc};
use vw_domain::DeliveryId;
use vw_notify::{Attempt, Outcome, Target};
use vw_store::deliveries::{self, AttemptRecord, Locked, State};
use vw_store::queue::{self, Deliver, Notice};

use super::{DeliveryContext, alert, schedule};
use crate::JobsError;

/// A job may run up to this much before the moment it was queued for: apalis keeps whole
/// seconds.
const EARLY: chrono::Duration = chrono::Duration::seconds(1);

/// Runs a `Deliver` job: an attempt at each of its deliveries, side by side, each taking one
/// of the process's places for a delivery in flight (a slow receiver holds its own place only).
/// The job fails when any attempt could not be recorded; run again, it redoes only those.
pub async fn run(context: &DeliveryContext, job: &Deliver) -> Result<(), JobsError> {
    let attempts = job.deliveries.iter().map(|&delivery| async move {
        let _place = context.in_flight.acquire().await;
        attempt(context, delivery).await
    });
    futures::future::join_all(attempts)
        .await
        .into_iter()
        .collect()
}

/// Makes the delivery's next attempt, if it is due and nobody else is making it.
#[tracing::instrument(skip_all, fields(delivery = %id))]
pub async fn attempt(context: &DeliveryContext, id: DeliveryId) -> Result<(), JobsError> {
    let Some((delivery, number, target)) = claim(context, id).await? else {
        return Ok(());
    };
    let sent = match (alert_for(context, &delivery).await, &target) {
        (Ok(alert), Ok(target)) => context.notifier.deliver(&alert, target).await,
        (Err(JobsError::Store(vw_store::StoreError::Database(error))), _) => {
            not_sent(Outcome::Retry {
                after: None,
                status: None,
                detail: format!("not sent: the event could not be read ({error})"),
            })
        }
        (Err(error), _) => not_sent(Outcome::Permanent {
            status: None,
            detail: format!("not sent: {error}"),
        }),
        (_, Err(why)) => not_sent(Outcome::Permanent {
            status: None,
            detail: format!("not sent: {why}"),
        }),
    };
    finish(context, &delivery, number, &sent).await
}

/// Takes the delivery for an attempt: `sending`, committed. `None` when there is nothing to
/// do: it is finished, held, another attempt is under way, it is not due yet, or its
/// channel's pace put it off (then a job for its turn is queued).
async fn claim(
    context: &DeliveryContext,
    id: DeliveryId,
) -> Result<Option<(Locked, i32, Result<Target, String>)>, JobsError> {
    let now = context.clock.now();
    let mut tx = vw_store::begin(&context.db).await?;
    let Some(delivery) = deliveries::lock(&mut tx, id).await? else {
        return Ok(None);
    };
    let due = delivery.next_attempt_at.is_none_or(|at| at <= now + EARLY);
    if delivery.state != State::Pending || !due {
        return Ok(None);
    }
    // Held: news and reminders (a test message is sent whatever the switch says).
    if delivery.alerts_paused && (delivery.event_id.is_some() || delivery.maintenance_id.is_some())
    {
        deliveries::hold(&mut *tx, delivery.id).await?;
        vw_store::commit(tx).await?;
        return Ok(None);
    }
    let channel = &delivery.channel;
    if channel.broken || (channel.kind == vw_store::channels::Kind::Email && !channel.verified) {
        let why = if channel.broken {
            "not sent: the integration is broken"
        } else {
            "not sent: the address is not confirmed"
        };
        deliveries::abandon(&mut *tx, delivery.id, State::Failed, why).await?;
        vw_store::commit(tx).await?;
        crate::series::delivery_finished(channel.kind, State::Failed, 0);
        return Ok(None);
    }
    if delivery.channel_next_send_at > now {
        // Its channel's turn comes later: wait in line, without an attempt.
        let turn = delivery.channel_next_send_at;
        deliveries::due_at(&mut *tx, delivery.id, turn).await?;
        queue::push_at(&mut tx, &Deliver::one(delivery.id), turn).await?;
        vw_store::commit(tx).await?;
        return Ok(None);
    }
    let kind = vw_app::channels::notify_kind(channel.kind);
    let interval = kind.min_interval();
    if !interval.is_zero() {
        let next = now + chrono::Duration::from_std(interval).unwrap_or_default();
        vw_store::channels::next_send_at(&mut *tx, channel.id, next).await?;
    }
    let lease = chrono::Duration::from_std(context.config.lease).unwrap_or_default();
    let number = deliveries::start_attempt(&mut tx, delivery.id, now + lease).await?;
    vw_store::commit(tx).await?;
    let target = vw_app::channels::target(
        &context.config.secrets,
        context.rules,
        &context.config.base_url,
        channel,
    )
    .map_err(|e| e.to_string());
    Ok(Some((delivery, number, target)))
}

/// The alert the delivery sends: its event as the store holds it now, or a test message.
async fn alert_for(
    context: &DeliveryContext,
    delivery: &Locked,
) -> Result<vw_notify::Alert, JobsError> {
    let base_url = &context.config.base_url;
    if delivery.maintenance_id.is_some() {
        let mut conn = context
            .db
            .acquire()
            .await
            .map_err(vw_store::StoreError::from)?;
        let facts = vw_store::reminders::facts(&mut conn, delivery.id).await?;
        drop(conn);
        return alert::reminder(&facts, delivery.id, context.clock.now(), base_url);
    }
    let Some(event) = delivery.event_id else {
        return Ok(alert::test(
            delivery.id.0,
            &delivery.workspace_name,
            base_url,
        ));
    };
    let mut conn = context
        .db
        .acquire()
        .await
        .map_err(vw_store::StoreError::from)?;
    let facts = deliveries::event_facts(&mut conn, delivery.workspace_id, event).await?;
    drop(conn);
    alert::from_facts(&facts, base_url)
}

/// An attempt that made no call: the alert or its target could not be had. Recorded like
/// any other, so that the delivery never stays "sending".
fn not_sent(outcome: Outcome) -> Attempt {
    Attempt {
        outcome,
        duration: std::time::Duration::ZERO,
        next_allowed_after: None,
        message_id: None,
        logged_mail: None,
    }
}

/// Records the attempt and what follows from it, in one transaction: the next attempt's
/// job, a pause the receiver asked for, a broken integration and the notice about it.
async fn finish(
    context: &DeliveryContext,
    delivery: &Locked,
    number: i32,
    sent: &Attempt,
) -> Result<(), JobsError> {
    let now = context.clock.now();
    let channel = delivery.channel.id;
    let record = AttemptRecord {
        attempt: number,
        at: now,
        outcome: sent.outcome.as_str(),
        status: sent.outcome.status().map(i32::from),
        detail: sent.outcome.detail(),
        duration_ms: i32::try_from(sent.duration.as_millis()).unwrap_or(i32::MAX),
    };
    let plain = sent.logged_mail.is_none() && sent.next_allowed_after.is_none();
    if let (true, Outcome::Delivered { .. }) = (plain, &sent.outcome) {
        // The usual case, and the one a burst is made of: one write, one statement.
        deliveries::finish_attempt(&context.db, delivery.id, &record, State::Delivered, None)
            .await?;
        log_attempt(delivery, &record, State::Delivered);
        return Ok(());
    }
    let mut tx = vw_store::begin(&context.db).await?;
    if let Some(mail) = &sent.logged_mail {
        vw_store::logged_mail::insert(
            &mut *tx,
            &mail.to.join(", "),
            &mail.subject,
            &String::from_utf8_lossy(&mail.raw),
        )
        .await?;
    }
    let (state, next) = match &sent.outcome {
        Outcome::Delivered { .. } => (State::Delivered, None),
        Outcome::Permanent { .. } => (State::Failed, None),
        Outcome::Broken { detail, .. } => {
            if vw_store::channels::mark_broken(&mut *tx, channel, detail).await? {
                let notice = Notice::ChannelStopped {
                    channel,
                    detail: detail.clone(),
                };
                queue::push(&mut tx, &notice).await?;
                tracing::warn!(%channel, "integration marked broken: the receiver says it is gone");
            }
            (State::Failed, None)
        }
        Outcome::Retry { after, .. } => {
            if let Some(after) = after {
                // The receiver asked the channel to slow down: every delivery to it waits.
                vw_store::channels::pause_sends_until(&mut *tx, channel, later(now, *after))
                    .await?;
            }
            let made = u32::try_from(number).unwrap_or(u32::MAX);
            match schedule::next_attempt(delivery.created_at, made, now, *after, rand::random()) {
                Some(at) => (State::Pending, Some(at)),
                None => {
                    let notice = Notice::ChannelStopped {
                        channel,
                        detail: format!(
                            "gave up after {} attempts over a day; the last answer: {}",
                            schedule::MAX_ATTEMPTS,
                            sent.outcome.detail()
                        ),
                    };
                    queue::push(&mut tx, &notice).await?;
                    (State::GaveUp, None)
                }
            }
        }
    };
    if let Some(pace) = sent.next_allowed_after {
        vw_store::channels::pause_sends_until(&mut *tx, channel, later(now, pace)).await?;
    }
    deliveries::finish_attempt(&mut *tx, delivery.id, &record, state, next).await?;
    if let Some(at) = next {
        queue::push_at(&mut tx, &Deliver::one(delivery.id), at).await?;
    }
    vw_store::commit(tx).await?;
    log_attempt(delivery, &record, state);
    Ok(())
}

/// Logs a recorded attempt, and counts it in the Prometheus series.
fn log_attempt(delivery: &Locked, record: &AttemptRecord<'_>, state: State) {
    crate::series::delivery_attempt(delivery.channel.kind, record.outcome, state, record.attempt);
    tracing::info!(
        attempt = record.attempt,
        outcome = record.outcome,
        status = record.status,
        kind = delivery.channel.kind.as_str(),
        duration_ms = record.duration_ms,
        state = state.as_str(),
        "delivery attempted"
    );
}

fn later(now: DateTime<Utc>, by: std::time::Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(by).unwrap_or(chrono::Duration::days(1))
}
