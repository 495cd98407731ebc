//! Security checks over every page route, read from the router's own table
//! (`vw_web::page_routes`): a route added there is covered here without a line of this file
//! changing. Two workspaces with one of every tenant-owned resource each; each test fills
//! the routes' path parameters from them.

mod csrf;
mod every_page;
mod hostile;
mod other_workspace;

use reqwest::StatusCode;
use uuid::Uuid;
use vw_web::{PageRoute, Param, Resource};

use crate::app::{App, Browser};
use crate::invitations::invite;
use crate::support::seed;

/// The provider both workspaces watch; its public pages are the same for everyone.
const SLUG: &str = "acme-cloud";

/// One workspace, signed in as its owner, and the id of one of each resource it owns.
pub struct Side {
    pub browser: Browser,
    pub workspace: Uuid,
    pub monitor: Uuid,
    pub request: Uuid,
    pub group: Uuid,
    pub channel: Uuid,
    pub owner: Uuid,
    pub invitation: Uuid,
    pub api_token: Uuid,
}

impl Side {
    async fn new(app: &App, email: &str, name: &str, provider: vw_domain::ProviderId) -> Side {
        let browser = app.member(email, name).await;
        let pool = &app.db.pool;
        let owner = app.user_id(email).await;
        let workspace: Uuid = sqlx::query_scalar("SELECT id FROM workspaces WHERE name = $1")
            .bind(name)
            .fetch_one(pool)
            .await
            .unwrap();
        let ws = vw_domain::WorkspaceId(workspace);
        let monitor = vw_app::monitors::add(pool, ws, provider).await.unwrap();
        let request = vw_store::monitors::insert_request(
            pool,
            ws,
            &format!("https://status.{}.example/", Uuid::new_v4().simple()),
        )
        .await
        .unwrap();
        let group = vw_store::groups::list(pool, ws).await.unwrap()[0].id;
        let channel = vw_store::channels::list(pool, ws).await.unwrap()[0].id;
        invite(
            &browser,
            &format!("invitee@{}.example", Uuid::new_v4().simple()),
            "member",
        )
        .await;
        let invitation: Uuid =
            sqlx::query_scalar("SELECT id FROM invitations WHERE workspace_id = $1")
                .bind(workspace)
                .fetch_one(pool)
                .await
                .unwrap();
        let api_token =
            vw_app::api_tokens::create(pool, ws, "ci", vw_app::api_tokens::Scope::Read, None)
                .await
                .unwrap()
                .id;
        Side {
            browser,
            workspace,
            monitor: monitor.0,
            request: request.0,
            group: group.0,
            channel: channel.0,
            owner,
            invitation,
            api_token: api_token.0,
        }
    }

    pub fn id(&self, resource: Resource) -> Uuid {
        match resource {
            Resource::Monitor => self.monitor,
            Resource::MonitorRequest => self.request,
            Resource::Group => self.group,
            Resource::Channel => self.channel,
            Resource::Member => self.owner,
            Resource::Invitation => self.invitation,
            Resource::Workspace => self.workspace,
            Resource::ApiToken => self.api_token,
        }
    }
}

/// Two workspaces watching the same provider: Acme (ada) and Evil Corp (eve).
pub struct World {
    pub app: App,
    pub acme: Side,
    pub evil: Side,
    pub incident: Uuid,
}

impl World {
    pub async fn new() -> World {
        Self::on(App::start().await).await
    }

    pub async fn on(app: App) -> World {
        let provider = seed::provider(&app.db.pool, SLUG, "Acme Cloud").await;
        let incident = seed::incident(
            &app.db.pool,
            provider,
            seed::Seed {
                vendor_id: "inc-1",
                title: "Elevated errors",
                impact: Some(vw_domain::Impact::Major),
                status: Some(vw_domain::IncidentStatus::Investigating),
                started: Some(chrono::Utc::now()),
                resolved: None,
                components: &[],
                detected: chrono::Utc::now(),
                backfilled: false,
                updates: &[],
            },
        )
        .await;
        let acme = Side::new(&app, "ada@acme.example", "Acme", provider).await;
        let evil = Side::new(&app, "eve@evil.example", "Evil Corp", provider).await;
        World {
            app,
            acme,
            evil,
            incident: incident.0,
        }
    }

    /// `route`'s path with a fresh id for every parameter.
    pub fn path_of_nobody(route: &PageRoute) -> String {
        fill(
            route.path,
            route.params.iter().map(|_| Uuid::new_v4().to_string()),
        )
    }

    /// `route`'s path with every parameter filled from `own`, except the one at `foreign`,
    /// which is `other`'s.
    pub fn path(&self, route: &PageRoute, own: &Side, foreign: Option<(usize, &Side)>) -> String {
        let values = route
            .params
            .iter()
            .enumerate()
            .map(|(i, param)| match param {
                Param::Owned(resource) => match foreign {
                    Some((at, other)) if at == i => other.id(*resource).to_string(),
                    _ => own.id(*resource).to_string(),
                },
                Param::Public if i == 0 => SLUG.to_owned(),
                Param::Public => self.incident.to_string(),
                Param::Token => "not-a-real-token".to_owned(),
                Param::OperatorMail => Uuid::new_v4().to_string(),
            });
        fill(route.path, values)
    }
}

/// `pattern` with its `{…}` replaced by `values`, in order.
fn fill(pattern: &str, mut values: impl Iterator<Item = String>) -> String {
    let mut path = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').unwrap() + open;
        path.push_str(&rest[..open]);
        path.push_str(&values.next().unwrap());
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    path
}

/// The fields a form on another workspace's resource needs besides its CSRF token, so that
/// its 404 is the tenancy check and not a form that could not be read (the token is checked
/// before the form is read, so the CSRF test needs none). A new route missing here whose
/// form has fields fails the tenancy test with its 400, which says to add it.
pub fn fields(route: &PageRoute) -> &'static [(&'static str, &'static str)] {
    match route.path {
        "/settings/workspace/members/{user}/role" => &[("role", "member")],
        "/groups/{id}" => &[
            ("name", "Renamed"),
            ("severity", "major"),
            ("event", "opened"),
        ],
        "/groups/{id}/recipients" => &[("email", "someone@example.com")],
        "/groups/{id}/integrations" => &[("kind", "webhook"), ("url", "https://hooks.example/x")],
        _ => &[],
    }
}

/// A status the tests expect, with what came back when it did not.
pub fn expect(status: StatusCode, expected: StatusCode, what: &str, body: &str) {
    assert_eq!(status, expected, "{what}: {}", &body[..body.len().min(400)]);
}
