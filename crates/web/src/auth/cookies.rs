//! The cookies vendorwatch sets: the session, the anonymous visitor's CSRF token and the
//! flash message. Over https their names carry the `__Host-` prefix: browsers then take them
//! only `Secure`, for `Path=/` and without `Domain`, so that neither a sibling subdomain nor a
//! plain-http page can set or shadow them (a planted session or CSRF cookie).

use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::layout::Flash;

/// A cookie's names over http and over https.
#[derive(Debug, Clone, Copy)]
pub struct Name {
    plain: &'static str,
    host_only: &'static str,
}

impl Name {
    pub fn get(self, https: bool) -> &'static str {
        if https { self.host_only } else { self.plain }
    }
}

pub const SESSION: Name = Name {
    plain: "vw_session",
    host_only: "__Host-vw_session",
};
pub const CSRF: Name = Name {
    plain: "vw_csrf",
    host_only: "__Host-vw_csrf",
};
pub const FLASH: Name = Name {
    plain: "vw_flash",
    host_only: "__Host-vw_flash",
};

/// Sessions last 30 days from sign-in.
pub const SESSION_DAYS: i64 = 30;

/// `Path=/`, no `Domain`, and `Secure` over https: what a `__Host-` name requires.
fn base(name: Name, value: String, https: bool) -> Cookie<'static> {
    Cookie::build((name.get(https), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(https)
        .build()
}

pub fn session_cookie(token: String, https: bool) -> Cookie<'static> {
    let mut cookie = base(SESSION, token, https);
    cookie.set_max_age(Some(time::Duration::days(SESSION_DAYS)));
    cookie
}

pub fn session_cookie_cleared(https: bool) -> Cookie<'static> {
    let mut cookie = base(SESSION, String::new(), https);
    cookie.make_removal();
    cookie
}

/// Lives as long as the browser session: it only has to outlast a form.
pub fn csrf_cookie(token: String, https: bool) -> Cookie<'static> {
    base(CSRF, token, https)
}

pub fn flash_cookie(flash: &Flash, https: bool) -> Cookie<'static> {
    let json = serde_json::to_vec(flash).unwrap_or_default();
    base(FLASH, URL_SAFE_NO_PAD.encode(json), https)
}

pub fn flash_cookie_cleared(https: bool) -> Cookie<'static> {
    let mut cookie = base(FLASH, String::new(), https);
    cookie.make_removal();
    cookie
}

pub fn read_flash(value: &str) -> Option<Flash> {
    let json = URL_SAFE_NO_PAD.decode(value).ok()?;
    serde_json::from_slice(&json).ok()
}
