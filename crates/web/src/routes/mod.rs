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
mod time_zone;
mod workspaces;

use axum::Router;
use axum::http::uri::PathAndQuery;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;

use crate::AppState;
use crate::layout::Flash;

/// The routes that need the request context (session, CSRF token, flash).
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/signup", get(auth::signup_form).post(auth::signup))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/dashboard", get(dashboard::show))
        .route("/dashboard/monitors", get(dashboard::fragment))
        .route("/dashboard/search", get(dashboard::search_fragment))
        .route("/monitors", post(monitors::add))
        .route("/monitors/by-url", post(monitors::add_by_url))
        .route("/monitors/requests/{id}", get(monitors::request))
        .route("/monitors/{id}", get(monitor::show))
        .route("/monitors/{id}/components", post(monitor::set_components))
        .route("/monitors/{id}/pause", post(monitor::pause))
        .route("/monitors/{id}/resume", post(monitor::resume))
        .route(
            "/monitors/{id}/delete",
            get(monitor::confirm_delete).post(monitor::delete),
        )
        .route("/groups", get(groups::index).post(groups::create))
        .route("/alerts/pause", post(groups::pause))
        .route("/alerts/resume", post(groups::resume))
        .route("/groups/{id}", get(group::show).post(group::update))
        .route("/groups/{id}/scope", post(group::set_scope))
        .route("/groups/{id}/delete", post(group::delete))
        .route("/groups/{id}/recipients", post(group::add_recipient))
        .route("/groups/{id}/integrations", post(group::add_integration))
        .route("/groups/{id}/log", get(channels::log))
        .route("/groups/{id}/channels/{cid}", get(channels::show))
        .route("/channels/{cid}/remove", post(channels::remove))
        .route("/channels/{cid}/test", post(channels::send_test))
        .route("/verify/{token}", get(links::verify))
        .route(
            "/u/{token}",
            get(links::confirm_unsubscribe).post(links::unsubscribe),
        )
        .route("/operator/mail", get(operator::list))
        .route("/operator/mail/{id}", get(operator::show))
        .route("/settings/workspace", get(settings::show))
        .route("/settings/workspace/name", post(settings::rename))
        .route("/settings/workspace/leave", post(settings::leave))
        .route(
            "/settings/workspace/members/{user}/role",
            post(members::set_role),
        )
        .route(
            "/settings/workspace/members/{user}/remove",
            post(members::remove),
        )
        .route("/settings/workspace/invitations", post(invitations::create))
        .route(
            "/settings/workspace/invitations/{id}/revoke",
            post(invitations::revoke),
        )
        .route(
            "/invite/{token}",
            get(invitations::show).post(invitations::accept),
        )
        .route(
            "/invite/{token}/signup",
            post(invitations::sign_up_and_accept),
        )
        .route(
            "/workspaces/new",
            get(workspaces::new_form).post(workspaces::create),
        )
        .route("/workspaces/{id}/switch", post(workspaces::switch))
        .route("/providers", get(directory::index))
        .route("/providers/{slug}", get(providers::show))
        .route("/providers/{slug}/incidents/{id}", get(incidents::show))
        .route(
            "/providers/{slug}/maintenances/{id}",
            get(maintenances::show),
        )
        .route("/calendar", get(calendar::month))
        .route("/calendar/list", get(calendar::list))
        .route(calendar_settings::PATH, get(calendar_settings::show))
        .route("/settings/calendar/rotate", post(calendar_settings::rotate))
        .route("/settings/calendar/revoke", post(calendar_settings::revoke))
        .route("/settings/time-zone", post(time_zone::set))
        .route(
            api_tokens::PATH,
            get(api_tokens::show).post(api_tokens::create),
        )
        .route("/settings/api-tokens/{id}/revoke", post(api_tokens::revoke))
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
