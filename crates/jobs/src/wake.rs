//! Waking a worker the moment a job is queued for it, rather than at its next look.
//!
//! apalis' jobs table notifies `apalis::job::insert` for every job inserted due now, and
//! apalis' `Pubsub` listens to it on a connection of its own. Its stream ends for good when that
//! connection fails (and would then wake the worker on every poll), so this stream listens
//! again after a pause instead. Jobs due later, and any notification lost meanwhile, are still
//! found by the worker's interval ([`crate::every::Every`]), which runs beside it.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use apalis_postgres::Pubsub;
use futures::Stream;
use tokio::time::Sleep;
use vw_store::PgPool;

/// How long to wait before listening again after the listening connection failed.
const RELISTEN_AFTER: Duration = Duration::from_secs(5);

/// One item per job queued in `queue` (due now), from any process.
pub struct Inserted {
    pool: PgPool,
    queue: &'static str,
    listening: Option<Pubsub>,
    pause: Option<Pin<Box<Sleep>>>,
}

impl Inserted {
    pub fn new(pool: PgPool, queue: &'static str) -> Self {
        Inserted {
            pool,
            queue,
            listening: None,
            pause: None,
        }
    }
}

impl Stream for Inserted {
    type Item = ();

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<()>> {
        let this = &mut *self;
        loop {
            if let Some(pause) = &mut this.pause {
                if pause.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.pause = None;
            }
            let listening = this
                .listening
                .get_or_insert_with(|| Pubsub::new(this.pool.clone(), this.queue.to_owned()));
            match Pin::new(listening).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(_))) => return Poll::Ready(Some(())),
                Poll::Ready(Some(Err(error))) => {
                    tracing::warn!(queue = this.queue, %error, "listening for queued jobs failed; listening again shortly");
                }
                Poll::Ready(None) => {
                    tracing::warn!(
                        queue = this.queue,
                        "listening for queued jobs stopped; listening again shortly"
                    );
                }
            }
            this.listening = None;
            this.pause = Some(Box::pin(tokio::time::sleep(RELISTEN_AFTER)));
        }
    }
}
