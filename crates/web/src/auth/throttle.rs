//! Sign-in throttling: 10 failures for one email or from one IP address within 15 minutes
//! close the door for that email or address until the oldest of them is 15 minutes old.
//!
//! An attempt takes its place in the count before its password is checked ([`reserve`]), in
//! one locked step, so that guesses sent in parallel cannot all pass a count that none of
//! them had yet added to; the place stays as a failure unless the password proves right.
//!
//! [`reserve`]: LoginThrottle::reserve

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use vw_domain::EmailAddress;
use vw_store::PgPool;
use vw_store::throttle::Reservation;

use crate::WebError;
use crate::error::Throttled;

const LIMIT: i64 = 10;
const WINDOW_MINUTES: i64 = 15;

pub struct LoginThrottle {
    /// The email's key first.
    keys: Vec<String>,
    /// This attempt, which a right password gives its places back under.
    attempt: Uuid,
}

impl LoginThrottle {
    pub fn new(email: &EmailAddress, ip: Option<IpAddr>) -> Self {
        let mut keys = vec![format!("email:{email}")];
        keys.extend(ip.map(|ip| format!("ip:{ip}")));
        LoginThrottle {
            keys,
            attempt: Uuid::new_v4(),
        }
    }

    /// Counts this attempt as a failure in advance; `TooManyAttempts`, with the seconds to
    /// wait, once the limit is reached.
    pub async fn reserve(&self, db: &PgPool) -> Result<(), WebError> {
        let window = Duration::minutes(WINDOW_MINUTES);
        let now = Utc::now();
        let mut tx = vw_store::begin(db).await?;
        let reservation = vw_store::login_failures::reserve(
            &mut tx,
            &self.keys,
            self.attempt,
            now - window,
            LIMIT,
        )
        .await?;
        vw_store::commit(tx).await?;
        refuse_until_reopened(Throttled::SignIn, reservation, window, now)
    }

    /// A correct password for the email forgets that email's failures and this attempt's
    /// place under the address (not the address's other failures: one right guess must not
    /// reopen the door for a guesser trying many emails).
    pub async fn succeeded(&self, db: &PgPool) -> Result<(), WebError> {
        if let Some(email_key) = self.keys.first() {
            vw_store::login_failures::forget_success(db, email_key, self.attempt).await?;
        }
        Ok(())
    }
}

/// `Ok` for a granted reservation; else `TooManyAttempts` with the seconds until the oldest
/// counted attempt leaves the window.
pub fn refuse_until_reopened(
    of: Throttled,
    reservation: Reservation,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<(), WebError> {
    match reservation {
        Reservation::Granted => Ok(()),
        Reservation::Refused { oldest } => {
            let retry_after_secs = (oldest + window - now).num_seconds().max(1).unsigned_abs();
            Err(WebError::TooManyAttempts {
                of,
                retry_after_secs,
            })
        }
    }
}
