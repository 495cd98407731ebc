//! The cookies vendorwatch sets: the session, the anonymous visitor's CSRF token and the
//! flash message.

use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::layout::Flash;

pub const SESSION: &str = "vw_session";
pub const CSRF: &str = "vw_csrf";
pub const FLASH: &str = "vw_flash";

/// Sessions last 30 days from sign-in.
pub const SESSION_DAYS: i64 = 30;

fn base(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    let mut cookie = base(SESSION, token, secure);
    cookie.set_max_age(Some(time::Duration::days(SESSION_DAYS)));
    cookie
}

pub fn session_cookie_cleared(secure: bool) -> Cookie<'static> {
    let mut cookie = base(SESSION, String::new(), secure);
    cookie.make_removal();
    cookie
}

/// Lives as long as the browser session: it only has to outlast a form.
pub fn csrf_cookie(token: String, secure: bool) -> Cookie<'static> {
    base(CSRF, token, secure)
}

pub fn flash_cookie(flash: &Flash, secure: bool) -> Cookie<'static> {
    let json = serde_json::to_vec(flash).unwrap_or_default();
    base(FLASH, URL_SAFE_NO_PAD.encode(json), secure)
}

pub fn flash_cookie_cleared(secure: bool) -> Cookie<'static> {
    let mut cookie = base(FLASH, String::new(), secure);
    cookie.make_removal();
    cookie
}

pub fn read_flash(value: &str) -> Option<Flash> {
    let json = URL_SAFE_NO_PAD.decode(value).ok()?;
    serde_json::from_slice(&json).ok()
}
