use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;
use vw_domain::Password;
use vw_store::PgPool;

use crate::WebError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<WebConfig>,
    pub passwords: Passwords,
}

impl AppState {
    pub fn new(db: PgPool, config: WebConfig) -> Self {
        AppState {
            db,
            config: Arc::new(config),
            passwords: Passwords::new(
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Where people reach the site, without a trailing slash: links in invitations use it.
    pub base_url: String,
    /// Cookies get `Secure` when the site is served over https.
    pub secure_cookies: bool,
    /// How often the dashboard's script refreshes its monitor list.
    pub dashboard_refresh: std::time::Duration,
}

impl WebConfig {
    pub fn new(base_url: &str) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        WebConfig {
            secure_cookies: base_url.starts_with("https://"),
            base_url,
            dashboard_refresh: std::time::Duration::from_secs(30),
        }
    }
}

/// Argon2id hashing on blocking threads, at most `permits` at a time: a burst of sign-ins
/// queues here instead of taking every thread (each hash takes ~19 MiB and tens of ms).
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the email is unknown, so that the answer takes as long as for
    /// a known one and does not tell which addresses have accounts.
    decoy: Arc<str>,
}

impl Passwords {
    pub fn new(permits: usize) -> Self {
        let decoy = Argon2::default()
            .hash_password(b"vendorwatch decoy password")
            .map(|h| h.to_string())
            .unwrap_or_default();
        Passwords {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            decoy: decoy.into(),
        }
    }

    pub async fn hash(&self, password: Password) -> Result<String, WebError> {
        self.blocking(move || {
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
        let matches = self
            .blocking(move || {
                PasswordHash::new(&phc).is_ok_and(|hash| {
                    Argon2::default()
                        .verify_password(password.expose().as_bytes(), &hash)
                        .is_ok()
                })
            })
            .await?;
        Ok(known && matches)
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WebError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| WebError::internal("waiting for a password permit", e))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| WebError::internal("running a password hash", e))
    }
}
