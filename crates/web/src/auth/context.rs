//! The middleware that, before any page handler runs, finds the visitor's session, their
//! anonymous CSRF token and any flash message, and after it runs sets the cookies that need
//! setting.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use vw_store::sessions::Session;

use super::cookies::{self, CSRF, FLASH, SESSION};
use super::tokens;
use crate::layout::Flash;
use crate::{AppState, WebError};

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

#[derive(Clone)]
pub struct RequestContext {
    pub session: Option<Arc<ActiveSession>>,
    /// The token anonymous visitors' forms carry (double-submit: it is also in a cookie).
    pub anonymous_csrf: String,
    pub flash: Option<Flash>,
    pub client_ip: Option<IpAddr>,
}

pub struct ActiveSession {
    pub token_hash: Vec<u8>,
    pub record: Session,
}

impl RequestContext {
    /// The token this visitor's forms must carry: the session's once signed in.
    pub fn csrf_token(&self) -> &str {
        self.session
            .as_ref()
            .map_or(&self.anonymous_csrf, |s| &s.record.csrf_token)
    }
}

pub async fn load(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let https = state.config.https;
    let session = match find_session(&state, &jar).await {
        Ok(session) => session,
        Err(error) => return error.into_response(),
    };
    let existing_csrf = jar
        .get(CSRF.get(https))
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 43);
    let new_csrf = match existing_csrf {
        Some(_) => None,
        None => match tokens::new_token() {
            Ok(token) => Some(token),
            Err(error) => return error.into_response(),
        },
    };
    let flash = jar
        .get(FLASH.get(https))
        .and_then(|c| cookies::read_flash(c.value()));
    let context = RequestContext {
        session,
        anonymous_csrf: existing_csrf
            .or_else(|| new_csrf.clone())
            .unwrap_or_default(),
        flash,
        client_ip: client_ip(&state, &request),
    };
    let had_flash = context.flash.is_some();
    let signed_in = context.session.is_some();
    request.extensions_mut().insert(context);

    let mut response = next.run(request).await;
    if let Some(token) = new_csrf {
        set_cookie(&mut response, cookies::csrf_cookie(token, https));
    }
    // A redirect carries the flash on to the page that will show it.
    if had_flash && !response.status().is_redirection() {
        set_cookie(&mut response, cookies::flash_cookie_cleared(https));
    }
    // What a signed-in visitor sees is theirs: no cache (a shared one, or the browser's after
    // signing out) may keep it.
    if signed_in {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The peer's address, or the client a trusted proxy forwarded for.
fn client_ip(state: &AppState, request: &Request) -> Option<IpAddr> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()?
        .0
        .ip();
    let forwarded_for = request
        .headers()
        .get_all(X_FORWARDED_FOR)
        .iter()
        .filter_map(|v| v.to_str().ok());
    Some(state.config.trusted_proxies.client(peer, forwarded_for))
}

async fn find_session(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<Arc<ActiveSession>>, WebError> {
    let Some(cookie) = jar.get(SESSION.get(state.config.https)) else {
        return Ok(None);
    };
    let token_hash = tokens::hash(cookie.value());
    let record = vw_store::sessions::find_active(&state.db, &token_hash).await?;
    Ok(record.map(|record| Arc::new(ActiveSession { token_hash, record })))
}

fn set_cookie(response: &mut Response, cookie: Cookie<'static>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
