//! What each queue's jobs carry: ids, never rows (a job re-reads what it needs), and each
//! queue's attempts and backoff.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vw_domain::{ChannelId, DeliveryId, LeaseId, MonitorRequestId, ProviderId};

use super::{Job, Retry};

/// One poll of one provider, under the lease its claim took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poll {
    pub provider_id: ProviderId,
    pub lease_id: LeaseId,
    /// When the poll was due: lag is measured from here, and the next one planned from it.
    pub due_at: DateTime<Utc>,
}

impl Job for Poll {
    const QUEUE: &'static str = "poll";
    /// A failed poll is rescheduled by the provider's own backoff (`poll_state`), never by the
    /// queue: a retry here would poll a failing vendor twice as often.
    const RETRY: Retry = Retry::ONCE;
}

/// One pass of deleting expired rows, for one hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purge {
    /// The hour this purge is for; also its idempotency key.
    pub hour: DateTime<Utc>,
}

impl Job for Purge {
    const QUEUE: &'static str = "housekeeping";
    /// A purge that failed (the database was away) is worth a few more tries within the hour;
    /// the next hour's purge catches up anyway.
    const RETRY: Retry = Retry {
        max_attempts: 3,
        first: Duration::from_secs(60),
        max: Duration::from_secs(10 * 60),
    };
}

/// Detecting the status page of a request to add a monitor by URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectPage {
    pub request: MonitorRequestId,
}

impl Job for DetectPage {
    const QUEUE: &'static str = "detect_page";
    /// Detection that could not reach the page (a timeout, a 503) is worth another try or
    /// two while the person waits; a page that is not a status page is an answer, not a
    /// failure, and ends the request at once.
    const RETRY: Retry = Retry {
        max_attempts: 3,
        first: Duration::from_secs(10),
        max: Duration::from_secs(60),
    };
}

/// One attempt at each of a few deliveries (an event, or a test message, to one channel
/// each), made side by side: a fan-out to a thousand workspaces is then tens of jobs, not a
/// thousand, and the queue's own bookkeeping stops being most of the work. A delivery's
/// retries are its own (`deliveries.next_attempt_at`, on the channel's schedule), each a new
/// job of that one delivery; the queue's own retries only cover a job that failed before it
/// could record everything (the database was away), and run again only what is still due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliver {
    pub deliveries: Vec<DeliveryId>,
}

impl Deliver {
    /// The most deliveries one job carries.
    pub const MAX: usize = 16;

    pub fn one(delivery: DeliveryId) -> Self {
        Deliver {
            deliveries: vec![delivery],
        }
    }

    /// `deliveries` in jobs of at most [`Deliver::MAX`].
    pub fn batches(deliveries: &[DeliveryId]) -> Vec<Deliver> {
        deliveries
            .chunks(Self::MAX)
            .map(|chunk| Deliver {
                deliveries: chunk.to_vec(),
            })
            .collect()
    }
}

impl Job for Deliver {
    const QUEUE: &'static str = "deliver";
    const RETRY: Retry = Retry {
        max_attempts: 3,
        first: Duration::from_secs(5),
        max: Duration::from_secs(60),
    };
}

/// An e-mail vendorwatch sends of its own, not an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    /// Asks a new recipient to confirm the address.
    VerifyRecipient { channel: ChannelId },
    /// Tells the workspace's owners and admins that a channel stopped receiving alerts: the
    /// receiver said it is gone, or a delivery ran out of attempts. `detail` is the last
    /// answer, as the delivery log shows it.
    ChannelStopped { channel: ChannelId, detail: String },
}

impl Job for Notice {
    const QUEUE: &'static str = "notice";
    /// An SMTP server that is away for a while still gets the notice: about an hour of tries.
    const RETRY: Retry = Retry {
        max_attempts: 6,
        first: Duration::from_secs(60),
        max: Duration::from_secs(30 * 60),
    };
}
