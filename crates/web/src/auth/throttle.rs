//! Sign-in throttling: 10 failures for one email or from one IP address within 15 minutes
//! close the door for that email or address until the oldest of them is 15 minutes old.

use std::net::IpAddr;

use chrono::{Duration, Utc};
use vw_domain::EmailAddress;
use vw_store::PgPool;

use crate::WebError;

const LIMIT: i64 = 10;
const WINDOW_MINUTES: i64 = 15;

pub struct LoginThrottle {
    keys: Vec<String>,
}

impl LoginThrottle {
    pub fn new(email: &EmailAddress, ip: Option<IpAddr>) -> Self {
        let mut keys = vec![format!("email:{email}")];
        keys.extend(ip.map(|ip| format!("ip:{ip}")));
        LoginThrottle { keys }
    }

    /// `TooManyAttempts` with the seconds to wait once the limit is reached.
    pub async fn check(&self, db: &PgPool) -> Result<(), WebError> {
        let window = Duration::minutes(WINDOW_MINUTES);
        let now = Utc::now();
        let recent = vw_store::login_failures::worst_since(db, &self.keys, now - window).await?;
        if recent.count < LIMIT {
            return Ok(());
        }
        let reopens = recent.oldest.unwrap_or(now) + window;
        let retry_after_secs = (reopens - now).num_seconds().max(1).unsigned_abs();
        Err(WebError::TooManyAttempts { retry_after_secs })
    }

    pub async fn record_failure(&self, db: &PgPool) -> Result<(), WebError> {
        vw_store::login_failures::record(db, &self.keys).await?;
        Ok(())
    }

    /// A correct password for the email forgets that email's failures (not the address's:
    /// one right guess must not reopen the door for a guesser trying many emails).
    pub async fn succeeded(&self, db: &PgPool) -> Result<(), WebError> {
        if let Some(email_key) = self.keys.first() {
            vw_store::login_failures::clear(db, email_key).await?;
        }
        Ok(())
    }
}
