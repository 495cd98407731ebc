//! Two workspaces with one of everything the API reads or changes, for the tests generated
//! from the OpenAPI document: Acme owns a monitor, a request by URL, a group with a webhook
//! and its delivery, and monitors GitHub's incident and maintenance; Evil Corp owns nothing
//! of it.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use vw_app::api_tokens::Scope;
use vw_domain::{ComponentStatus, Impact, MaintenanceStatus};

use super::client::Api;
use crate::app::App;
use crate::support::seed::{self, Seed};

pub struct World {
    pub acme: Api,
    acme_token: String,
    pub eve: Api,
    /// Acme's ids, by the path they stand in (`/api/v1/monitors/{id}` → a monitor's).
    ids: Vec<(&'static str, String)>,
}

impl World {
    pub async fn build(app: &App) -> World {
        let pool = &app.db.pool;
        let (_, acme) = seed::workspace(pool, "ada@example.com", "Acme").await;
        let (_, eve) = seed::workspace(pool, "eve@example.com", "Evil Corp").await;
        let github = seed::provider(pool, "github", "GitHub").await;
        seed::components(
            pool,
            github,
            &[("git", "Git", None, ComponentStatus::Operational)],
        )
        .await;
        let now = Utc::now();
        let incident = seed::incident(
            pool,
            github,
            Seed {
                vendor_id: "g1",
                title: "Git is slow",
                impact: Some(Impact::Major),
                status: None,
                started: Some(now - TimeDelta::hours(1)),
                resolved: None,
                components: &["git"],
                detected: now - TimeDelta::hours(1),
                backfilled: false,
                updates: &[],
            },
        )
        .await;
        seed::maintenance(
            pool,
            github,
            "Upgrade",
            MaintenanceStatus::Scheduled,
            (
                now + TimeDelta::days(1),
                now + TimeDelta::days(1) + TimeDelta::hours(1),
            ),
            false,
        )
        .await;
        let maintenance: uuid::Uuid = sqlx::query_scalar("SELECT id FROM maintenances")
            .fetch_one(pool)
            .await
            .unwrap();
        let acme_token = vw_app::api_tokens::create(pool, acme, "tests", Scope::Write, None)
            .await
            .unwrap()
            .secret;
        let api = Api::new(app, Some(&acme_token));
        let monitor = api
            .post("/api/v1/monitors", &json!({"provider": "github"}))
            .await;
        let request = api
            .post(
                "/api/v1/monitors",
                &json!({"url": "https://status.unknown.example"}),
            )
            .await;
        let group = api.post("/api/v1/groups", &json!({"name": "Ops"})).await;
        let group_id = id(&group.json);
        let channel = api
            .post(
                &format!("/api/v1/groups/{group_id}/channels"),
                &json!({"kind": "webhook", "url": "https://hooks.example.com/acme"}),
            )
            .await;
        let channel_id = id(&channel.json);
        api.post(&format!("/api/v1/channels/{channel_id}/test"), &Value::Null)
            .await;
        World {
            acme: api,
            acme_token,
            eve: Api::for_workspace(app, eve, Scope::Write).await,
            ids: vec![
                ("/api/v1/monitors/{id}", id(&monitor.json)),
                ("/api/v1/monitor-requests/{id}", id(&request.json)),
                ("/api/v1/incidents/{id}", incident.to_string()),
                ("/api/v1/maintenances/{id}", maintenance.to_string()),
                ("/api/v1/groups/{id}", group_id),
                ("/api/v1/channels/{id}", channel_id),
                ("/api/v1/providers/{slug}", "github".to_owned()),
            ],
        }
    }

    /// `template` with Acme's id of its kind in place of its parameter, or `None` for a path
    /// the world has no id for (a test then fails: every path must be covered).
    pub fn path(&self, template: &str) -> Option<String> {
        if !template.contains('{') {
            return Some(template.to_owned());
        }
        self.ids.iter().find_map(|(prefix, id)| {
            let param = &prefix[prefix.rfind('{')?..];
            let base = &prefix[..prefix.rfind('{')?];
            template
                .strip_prefix(base)
                .and_then(|rest| rest.strip_prefix(param))
                .map(|rest| format!("{base}{id}{rest}"))
        })
    }

    /// Acme's read-write token.
    pub fn acme_token(&self) -> &str {
        &self.acme_token
    }

    /// Every one of Acme's ids, to look for in what another workspace is answered.
    pub fn acme_ids(&self) -> impl Iterator<Item = &str> {
        self.ids
            .iter()
            .filter(|(prefix, _)| !prefix.contains("{slug}"))
            .map(|(_, id)| id.as_str())
    }
}

fn id(json: &Value) -> String {
    json["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {json}"))
        .to_owned()
}

/// A body each operation accepts in shape, for calls whose answer is not what is tested.
pub fn body_for(method: &str, template: &str) -> Option<Value> {
    match (method, template) {
        ("post", "/api/v1/monitors") => Some(json!({"provider": "github"})),
        ("post", "/api/v1/groups") => Some(json!({"name": "Another"})),
        ("post", "/api/v1/groups/{id}/channels") => {
            Some(json!({"kind": "email", "address": "someone@example.com"}))
        }
        ("patch", _) => Some(json!({})),
        _ => None,
    }
}

/// The document's operations: (method, path template).
pub fn operations() -> Vec<(String, String)> {
    let document = serde_json::to_value(vw_web::api_document()).unwrap();
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                operations.push((method.clone(), path.clone()));
            }
        }
    }
    operations.sort();
    operations
}
