//! How often a worker looks for queued jobs.
//!
//! apalis 1.0's `IntervalStrategy` arms its next timer after a tick without polling it, so no
//! wake-up is registered and the worker sleeps until something else wakes it — its 30-second
//! heartbeat. (Measured here: polls queued a second apart were picked up alternately at once
//! and 30 s late.) This strategy re-arms and polls its timer, so the worker really looks
//! every period.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use apalis::prelude::{PollSnapshot, PollStrategy};
use tokio::time::{Instant, Sleep};

pub struct Every {
    period: Duration,
    timer: Pin<Box<Sleep>>,
}

impl Every {
    pub fn new(period: Duration) -> Self {
        Every {
            period,
            timer: Box::pin(tokio::time::sleep(period)),
        }
    }
}

impl PollStrategy for Every {
    fn poll_drive(&mut self, cx: &mut Context<'_>, _: &PollSnapshot) -> Poll<Option<()>> {
        let mut ticked = false;
        // Loop until the timer is pending again: that poll registers the next wake-up.
        while self.timer.as_mut().poll(cx).is_ready() {
            ticked = true;
            let next = Instant::now() + self.period;
            self.timer.as_mut().reset(next);
        }
        if ticked {
            Poll::Ready(Some(()))
        } else {
            Poll::Pending
        }
    }
}
