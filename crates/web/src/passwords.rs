//! Argon2id hashing on blocking threads, with a bounded number at a time: each hash takes
//! ~19 MiB and tens of milliseconds of a core, so a burst queues for permits instead of
//! taking every thread.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;
use vw_domain::Password;

use crate::WebError;

/// Sign-ins and sign-ups wait for permits of their own: a burst of sign-ups (200 at 51/s from
/// one address had raised everyone's sign-in time from 32 ms to 417 ms) queues behind itself
/// and never ahead of a sign-in.
#[derive(Clone)]
pub struct Passwords {
    /// For verifying sign-ins' passwords.
    sign_in: Arc<Semaphore>,
    /// For hashing new passwords (sign-ups); fewer than sign-in's, so that sign-ups cannot
    /// take most of the cores either.
    sign_up: Arc<Semaphore>,
    /// Verified against when the email is unknown, so that the answer takes as long as for
    /// a known one and does not tell which addresses have accounts.
    decoy: Arc<str>,
}

impl Passwords {
    /// Permits for `cores`: as many for sign-ins, half as many (at least one) for sign-ups.
    pub fn for_cores(cores: usize) -> Self {
        Self::new(cores, cores / 2)
    }

    pub fn new(sign_in_permits: usize, sign_up_permits: usize) -> Self {
        let decoy = Argon2::default()
            .hash_password(b"vendorwatch decoy password")
            .map(|h| h.to_string())
            .unwrap_or_default();
        Passwords {
            sign_in: Arc::new(Semaphore::new(sign_in_permits.max(1))),
            sign_up: Arc::new(Semaphore::new(sign_up_permits.max(1))),
            decoy: decoy.into(),
        }
    }

    /// A new password's hash, for a sign-up.
    pub async fn hash(&self, password: Password) -> Result<String, WebError> {
        blocking(&self.sign_up, move || {
            Argon2::default()
                .hash_password(password.expose().as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| WebError::internal("hashing a password", e.to_string()))
        })
        .await?
    }

    /// Whether `password` matches `stored`; with no stored hash, checks a decoy and says no.
    pub async fn verify(
        &self,
        password: Password,
        stored: Option<String>,
    ) -> Result<bool, WebError> {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| self.decoy.to_string());
        let matches = blocking(&self.sign_in, move || {
            PasswordHash::new(&phc).is_ok_and(|hash| {
                Argon2::default()
                    .verify_password(password.expose().as_bytes(), &hash)
                    .is_ok()
            })
        })
        .await?;
        Ok(known && matches)
    }
}

async fn blocking<T: Send + 'static>(
    permits: &Semaphore,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WebError> {
    let _permit = permits
        .acquire()
        .await
        .map_err(|e| WebError::internal("waiting for a password permit", e))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| WebError::internal("running a password hash", e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn password(text: &str) -> Password {
        Password::parse(text).unwrap()
    }

    #[tokio::test]
    async fn sign_ups_waiting_for_their_permits_do_not_hold_up_a_sign_in() {
        let passwords = Passwords::new(1, 1);
        let stored = passwords.hash(password("correct horse")).await.unwrap();

        // Every sign-up permit taken, and sign-ups queued for it.
        let held = passwords.sign_up.clone().acquire_owned().await.unwrap();
        let mut sign_ups = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let passwords = passwords.clone();
            sign_ups.spawn(async move { passwords.hash(password("a new password")).await });
        }
        tokio::task::yield_now().await;
        assert_eq!(passwords.sign_in.available_permits(), 1);

        // The sign-in is checked while they wait. (The timeout only stops a broken build
        // from hanging: with one pool for both, the sign-in would wait for `held` forever.)
        let verified = tokio::time::timeout(
            Duration::from_secs(60),
            passwords.verify(password("correct horse"), Some(stored)),
        )
        .await
        .expect("the sign-in waited for the sign-ups' permit")
        .unwrap();
        assert!(verified);
        assert!(sign_ups.try_join_next().is_none(), "no sign-up ran before");

        drop(held);
        for hashed in sign_ups.join_all().await {
            assert!(hashed.unwrap().starts_with("$argon2id$"));
        }
    }

    #[tokio::test]
    async fn an_unknown_email_checks_the_decoy_and_says_no() {
        let passwords = Passwords::for_cores(2);
        let decoy = passwords.decoy.to_string();
        assert!(decoy.starts_with("$argon2id$"));
        let verified = passwords
            .verify(password("vendorwatch decoy password"), None)
            .await
            .unwrap();
        assert!(!verified);
    }
}
