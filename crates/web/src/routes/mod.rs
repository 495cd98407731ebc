//! The site's pages, one file per resource.

mod api_tokens;
mod auth;
mod calendar;
pub mod calendar_feed;
mod calendar_settings;
mod channels;
mod dashboard;
mod directory;
pub(crate) mod directory_json;
mod display;
mod group;
mod groups;
pub mod health;
mod home;
mod incidents;
mod invitations;
mod links;
mod maintenances;
mod members;
mod monitor;
mod monitors;
mod operator;
mod providers;
mod settings;
pub mod table;
mod time_zone;
mod workspaces;

use axum::Router;
use axum::http::uri::PathAndQuery;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use crate::AppState;
use crate::layout::Flash;

/// The routes that need the request context (session, CSRF token, flash), from the one
/// table the security tests read too.
pub fn pages() -> Router<AppState> {
    table::entries()
        .into_iter()
        .fold(Router::new(), |router, entry| {
            router.route(entry.route.path, entry.handler)
        })
}

/// A form with nothing in it but its CSRF token.
#[derive(serde::Deserialize)]
pub struct Empty {}

/// Post/Redirect/Get: a redirect that leaves a message for the next page.
fn redirect_with_flash(state: &AppState, to: &str, flash: Flash) -> Response {
    let jar = CookieJar::new().add(crate::auth::flash_cookie(&flash, state.config.https));
    (jar, Redirect::to(to)).into_response()
}

fn notice(message: impl Into<String>) -> Flash {
    Flash {
        message: message.into(),
        link: None,
    }
}

/// Where to go after signing in: a path on this site, else the dashboard.
///
/// Only an absolute path (`/…`, never `//…`: that names another host) of visible ASCII
/// without `\` passes. Browsers drop tabs and line breaks from a URL and read `\` as `/`,
/// so `/\t/evil.example` or `/\\evil.example` would take them to another origin; nothing
/// this site links to has a raw space, control character or non-ASCII character either, and
/// such a value would not even make a valid `Location`.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if is_own_path(path) => path,
        _ => "/dashboard",
    }
}

fn is_own_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
        && path.parse::<PathAndQuery>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/settings/workspace")),
            "/settings/workspace"
        );
        assert_eq!(
            safe_next(Some("/providers?q=git%20hub&page=2")),
            "/providers?q=git%20hub&page=2"
        );
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "https:evil.example",
            "evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\0/evil.example",
            "/ /evil.example",
            "/\u{7f}",
            "/\u{a0}/evil.example",
            "/caf\u{e9}",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/dashboard", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/dashboard");
    }
}
