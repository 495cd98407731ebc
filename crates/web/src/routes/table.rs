//! The pages' routes as one table: each a method, a path pattern, its handler, what its path
//! parameters name and whether its form carries a CSRF token. The router is built from it
//! (`routes::pages`), and the security tests read the same table (`vw_web::page_routes`), so
//! that a route cannot be added without being covered: a new POST is presumed a CSRF form, and
//! a new path parameter must say whose it is.

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};

use crate::AppState;

/// What a path parameter names: whether another workspace's value must answer 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// A row of the session's workspace, looked up with it: another workspace's is 404.
    Owned(Resource),
    /// A secret or signed token (an invitation, a link in an e-mail): it is its own
    /// authority, not the session.
    Token,
    /// The same for everyone: a provider's slug, its incidents and maintenances.
    Public,
    /// The operators' sent mail: not any workspace's; everyone but an operator gets 404.
    OperatorMail,
}

/// The tenant-owned resources a path can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Monitor,
    /// A request to add a monitor by URL, waiting for detection.
    MonitorRequest,
    Group,
    Channel,
    /// A user, as a member of the session's workspace.
    Member,
    Invitation,
    /// A workspace the signed-in user may switch to.
    Workspace,
    /// A token of the workspace's API.
    ApiToken,
}

/// How a POST is protected from cross-site requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Csrf {
    /// Not a form (GET).
    NotAForm,
    /// A form that must carry the session's (or the anonymous cookie's) `csrf_token`.
    Token,
    /// RFC 8058 one-click unsubscribe: posted by mail clients with no session and no token;
    /// the signed token in the path is its authority.
    OneClick,
}

/// One route as the security tests see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRoute {
    pub method: Method,
    pub path: &'static str,
    /// What each `{…}` of the path names, in order.
    pub params: &'static [Param],
    pub csrf: Csrf,
}

/// A route and its handler.
pub struct Entry {
    pub route: PageRoute,
    pub handler: MethodRouter<AppState>,
}

impl Entry {
    fn get<H: Handler<T, AppState>, T: 'static>(path: &'static str, handler: H) -> Entry {
        Entry {
            route: PageRoute {
                method: Method::GET,
                path,
                params: &[],
                csrf: Csrf::NotAForm,
            },
            handler: get(handler),
        }
    }

    fn post<H: Handler<T, AppState>, T: 'static>(path: &'static str, handler: H) -> Entry {
        Entry {
            route: PageRoute {
                method: Method::POST,
                path,
                params: &[],
                csrf: Csrf::Token,
            },
            handler: post(handler),
        }
    }

    fn params(mut self, params: &'static [Param]) -> Entry {
        self.route.params = params;
        self
    }

    fn one_click(mut self) -> Entry {
        self.route.csrf = Csrf::OneClick;
        self
    }
}

use super::{
    api_tokens, auth, calendar, calendar_settings, channels, dashboard, directory, group, groups,
    home, incidents, invitations, links, maintenances, members, monitor, monitors, operator,
    providers, settings, time_zone, workspaces,
};
use Param::{OperatorMail, Owned, Public, Token};
use Resource::{ApiToken, Channel, Group, Invitation, Member, Monitor, MonitorRequest, Workspace};

/// Every route that needs the request context (session, CSRF token, flash).
pub fn entries() -> Vec<Entry> {
    vec![
        Entry::get("/", home::show),
        Entry::get("/signup", auth::signup_form),
        Entry::post("/signup", auth::signup),
        Entry::get("/login", auth::login_form),
        Entry::post("/login", auth::login),
        Entry::post("/logout", auth::logout),
        Entry::get("/dashboard", dashboard::show),
        Entry::get("/dashboard/monitors", dashboard::fragment),
        Entry::get("/dashboard/search", dashboard::search_fragment),
        Entry::post("/monitors", monitors::add),
        Entry::post("/monitors/by-url", monitors::add_by_url),
        Entry::get("/monitors/requests/{id}", monitors::request).params(&[Owned(MonitorRequest)]),
        Entry::get("/monitors/{id}", monitor::show).params(&[Owned(Monitor)]),
        Entry::post("/monitors/{id}/components", monitor::set_components).params(&[Owned(Monitor)]),
        Entry::post("/monitors/{id}/pause", monitor::pause).params(&[Owned(Monitor)]),
        Entry::post("/monitors/{id}/resume", monitor::resume).params(&[Owned(Monitor)]),
        Entry::get("/monitors/{id}/delete", monitor::confirm_delete).params(&[Owned(Monitor)]),
        Entry::post("/monitors/{id}/delete", monitor::delete).params(&[Owned(Monitor)]),
        Entry::get("/groups", groups::index),
        Entry::post("/groups", groups::create),
        Entry::post("/alerts/pause", groups::pause),
        Entry::post("/alerts/resume", groups::resume),
        Entry::get("/groups/{id}", group::show).params(&[Owned(Group)]),
        Entry::post("/groups/{id}", group::update).params(&[Owned(Group)]),
        Entry::post("/groups/{id}/scope", group::set_scope).params(&[Owned(Group)]),
        Entry::post("/groups/{id}/delete", group::delete).params(&[Owned(Group)]),
        Entry::post("/groups/{id}/recipients", group::add_recipient).params(&[Owned(Group)]),
        Entry::post("/groups/{id}/integrations", group::add_integration).params(&[Owned(Group)]),
        Entry::get("/groups/{id}/log", channels::log).params(&[Owned(Group)]),
        Entry::get("/groups/{id}/channels/{cid}", channels::show)
            .params(&[Owned(Group), Owned(Channel)]),
        Entry::post("/channels/{cid}/remove", channels::remove).params(&[Owned(Channel)]),
        Entry::post("/channels/{cid}/test", channels::send_test).params(&[Owned(Channel)]),
        Entry::get("/verify/{token}", links::verify).params(&[Token]),
        Entry::get("/u/{token}", links::confirm_unsubscribe).params(&[Token]),
        Entry::post("/u/{token}", links::unsubscribe)
            .params(&[Token])
            .one_click(),
        Entry::get("/operator/mail", operator::list),
        Entry::get("/operator/mail/{id}", operator::show).params(&[OperatorMail]),
        Entry::get("/settings/workspace", settings::show),
        Entry::post("/settings/workspace/name", settings::rename),
        Entry::post("/settings/workspace/leave", settings::leave),
        Entry::post("/settings/workspace/members/{user}/role", members::set_role)
            .params(&[Owned(Member)]),
        Entry::post("/settings/workspace/members/{user}/remove", members::remove)
            .params(&[Owned(Member)]),
        Entry::post("/settings/workspace/invitations", invitations::create),
        Entry::post(
            "/settings/workspace/invitations/{id}/revoke",
            invitations::revoke,
        )
        .params(&[Owned(Invitation)]),
        Entry::get("/invite/{token}", invitations::show).params(&[Token]),
        Entry::post("/invite/{token}", invitations::accept).params(&[Token]),
        Entry::post("/invite/{token}/signup", invitations::sign_up_and_accept).params(&[Token]),
        Entry::get("/workspaces/new", workspaces::new_form),
        Entry::post("/workspaces/new", workspaces::create),
        Entry::post("/workspaces/{id}/switch", workspaces::switch).params(&[Owned(Workspace)]),
        Entry::get("/providers", directory::index),
        Entry::get("/providers/{slug}", providers::show).params(&[Public]),
        Entry::get("/providers/{slug}/incidents/{id}", incidents::show).params(&[Public, Public]),
        Entry::get("/providers/{slug}/maintenances/{id}", maintenances::show)
            .params(&[Public, Public]),
        Entry::get("/calendar", calendar::month),
        Entry::get("/calendar/list", calendar::list),
        Entry::get(calendar_settings::PATH, calendar_settings::show),
        Entry::post("/settings/calendar/rotate", calendar_settings::rotate),
        Entry::post("/settings/calendar/revoke", calendar_settings::revoke),
        Entry::post("/settings/time-zone", time_zone::set),
        Entry::get(api_tokens::PATH, api_tokens::show),
        Entry::post(api_tokens::PATH, api_tokens::create),
        Entry::post("/settings/api-tokens/{id}/revoke", api_tokens::revoke)
            .params(&[Owned(ApiToken)]),
    ]
}

/// The routes of [`entries`], without their handlers.
pub fn routes() -> Vec<PageRoute> {
    entries().into_iter().map(|e| e.route).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_parameter_says_what_it_names() {
        for route in routes() {
            let named = route.path.matches('{').count();
            assert_eq!(named, route.params.len(), "{} {}", route.method, route.path);
        }
    }

    #[test]
    fn each_method_and_path_is_listed_once() {
        let all = routes();
        for (i, a) in all.iter().enumerate() {
            assert!(
                !all[i + 1..]
                    .iter()
                    .any(|b| a.method == b.method && a.path == b.path),
                "{} {} twice",
                a.method,
                a.path
            );
        }
    }
}
