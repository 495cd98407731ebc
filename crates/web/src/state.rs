use std::sync::Arc;

use vw_store::PgPool;

use crate::{Passwords, TrustedProxies};

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
            passwords: Passwords::for_cores(
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Where people reach the site, without a trailing slash: links in invitations use it.
    pub base_url: String,
    /// The public URL is https: responses then carry HSTS, and cookies are `Secure` and
    /// `__Host-` prefixed.
    pub https: bool,
    /// Peers whose `X-Forwarded-For` names the client (`VW_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
}

impl WebConfig {
    pub fn new(base_url: &str) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        WebConfig {
            https: base_url.starts_with("https://"),
            base_url,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}
