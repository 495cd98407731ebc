//! Throttles, counted in the database so that every web replica counts alike, each attempt
//! taking its place in the count in one locked step before any work is done, so that requests
//! sent in parallel cannot all pass a count that none of them had yet added to:
//!
//! - sign-in: 10 failures for one email or from one IP address within 15 minutes close the
//!   door for that email or address until the oldest of them is 15 minutes old. A place is
//!   taken before the password is checked and stays as a failure unless the password proves
//!   right;
//! - sign-up (directly or through an invitation): 5 from one IP address within an hour, each
//!   counted before its password is hashed, since every one costs an Argon2 hash.

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

const SIGN_UP_LIMIT: i64 = 5;
const SIGN_UP_WINDOW_MINUTES: i64 = 60;

/// Counts a sign-up from `ip`; `TooManyAttempts`, with the seconds to wait, once the limit is
/// reached. Without an address (the router driven without a socket) there is nothing to count
/// by.
pub async fn reserve_sign_up(db: &PgPool, ip: Option<IpAddr>) -> Result<(), WebError> {
    let Some(ip) = ip else {
        return Ok(());
    };
    let window = Duration::minutes(SIGN_UP_WINDOW_MINUTES);
    let now = Utc::now();
    let mut tx = vw_store::begin(db).await?;
    let reservation =
        vw_store::signup_attempts::reserve(&mut tx, &ip.to_string(), now - window, SIGN_UP_LIMIT)
            .await?;
    vw_store::commit(tx).await?;
    refuse_until_reopened(Throttled::SignUp, reservation, window, now)
}

/// `Ok` for a granted reservation; else `TooManyAttempts` with the seconds until the oldest
/// counted attempt leaves the window.
fn refuse_until_reopened(
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
