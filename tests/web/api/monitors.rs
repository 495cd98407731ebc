//! Monitors through the API: the shapes scripts rely on, adding by slug (201) and by URL
//! (202 and a request to poll), narrowing, pausing, deleting, `ETag`s, the plan's quota (race
//! included) and `Idempotency-Key`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use vw_app::api_tokens::Scope;
use vw_app::monitors::Detected;
use vw_domain::{ComponentStatus, MonitorRequestId};

use super::client::{Api, assert_problem};
use crate::app::App;
use crate::support::seed;

/// Acme with a read-write token, and GitHub with components in two groups.
async fn acme(app: &App) -> Api {
    let (_, acme) = seed::workspace(&app.db.pool, "ada@example.com", "Acme").await;
    let github = seed::provider(&app.db.pool, "github", "GitHub").await;
    seed::components(
        &app.db.pool,
        github,
        &[
            (
                "git",
                "Git Operations",
                Some("Core"),
                ComponentStatus::Operational,
            ),
            (
                "api",
                "API Requests",
                Some("Core"),
                ComponentStatus::Operational,
            ),
            ("actions", "Actions", None, ComponentStatus::MajorOutage),
        ],
    )
    .await;
    Api::for_workspace(app, acme, Scope::Write).await
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn a_monitor_added_by_slug_has_the_documented_shape_and_changes_as_asked() {
    let app = App::start().await;
    let api = acme(&app).await;
    let added = api
        .post("/api/v1/monitors", &json!({"provider": "github"}))
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.json);
    let id = added.json["id"].as_str().unwrap().to_owned();
    assert_eq!(
        added.header("location"),
        Some(format!("/api/v1/monitors/{id}").as_str())
    );
    assert_eq!(
        keys(&added.json),
        [
            "components",
            "created_at",
            "id",
            "paused",
            "provider",
            "status"
        ]
    );
    assert_eq!(
        added.json["provider"],
        json!({"slug": "github", "name": "GitHub", "status": "major_outage"})
    );
    assert_eq!(added.json["components"], json!({"all": true}));
    assert_eq!(added.json["paused"], false);
    assert_eq!(added.json["status"], "major_outage");
    chrono::DateTime::parse_from_rfc3339(added.json["created_at"].as_str().unwrap()).unwrap();

    // Narrowed to the Core group and the API component: Actions' outage is not its status.
    let path = format!("/api/v1/monitors/{id}");
    let narrowed = api
        .patch(
            &path,
            &json!({"components": {"all": false, "groups": ["Core"], "components": ["api"]}}),
        )
        .await;
    assert_eq!(narrowed.status, StatusCode::OK, "{:?}", narrowed.json);
    assert_eq!(
        narrowed.json["components"],
        json!({"all": false, "groups": ["Core"], "components": ["api"]})
    );
    assert_eq!(narrowed.json["status"], "operational");
    assert_eq!(narrowed.json["provider"]["status"], "major_outage");

    // A component the page does not have is refused, naming the field; nothing changes.
    let wrong = api
        .patch(
            &path,
            &json!({"components": {"all": false, "components": ["nope"]}}),
        )
        .await;
    assert_problem(&wrong, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(wrong.json["errors"][0]["field"], "components");
    let mistyped = api.patch(&path, &json!({"paused": "yes"})).await;
    assert_problem(&mistyped, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(mistyped.json["errors"][0]["field"], "paused");
    let unknown = api.patch(&path, &json!({"colour": "red"})).await;
    assert_problem(&unknown, StatusCode::BAD_REQUEST, "invalid");

    // ETag: unchanged → 304; changed → a new tag.
    let read = api.get(&path).await;
    assert_eq!(read.json, narrowed.json);
    let etag = read.header("etag").unwrap().to_owned();
    let again = api
        .send(Method::GET, &path, None, &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let paused = api.patch(&path, &json!({"paused": true})).await;
    assert_eq!(paused.json["paused"], true);
    assert_eq!(paused.json["components"]["groups"], json!(["Core"]), "kept");
    let changed = api
        .send(Method::GET, &path, None, &[("if-none-match", &etag)])
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(changed.header("etag").unwrap(), etag);

    // Listed, then deleted.
    let listed = api.get("/api/v1/monitors").await;
    assert_eq!(listed.json["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed.json["data"][0], paused.json);
    assert_eq!(listed.json["next"], Value::Null);
    assert_eq!(api.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_problem(&api.get(&path).await, StatusCode::NOT_FOUND, "not_found");
    assert_problem(&api.delete(&path).await, StatusCode::NOT_FOUND, "not_found");
    assert_problem(
        &api.get("/api/v1/monitors/not-a-uuid").await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[tokio::test]
async fn a_monitor_by_url_is_a_request_that_ends_as_the_monitor_or_an_error() {
    let app = App::start().await;
    let api = acme(&app).await;
    // A known page's address is added at once, as by its slug.
    let known = api
        .post(
            "/api/v1/monitors",
            &json!({"url": "https://status.github.example/"}),
        )
        .await;
    assert_eq!(known.status, StatusCode::CREATED, "{:?}", known.json);
    assert_eq!(known.json["provider"]["slug"], "github");

    let asked = api
        .post(
            "/api/v1/monitors",
            &json!({"url": "https://status.newvendor.example"}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{:?}", asked.json);
    let location = asked.header("location").unwrap().to_owned();
    assert!(
        location.starts_with("/api/v1/monitor-requests/"),
        "{location}"
    );
    assert_eq!(asked.json["state"], "checking");
    assert_eq!(api.get(&location).await.json["state"], "checking");

    // What the detection job ends it with (here: the page was found to be a new provider).
    let request: MonitorRequestId = asked.json["id"].as_str().unwrap().parse().unwrap();
    let found = seed::provider(&app.db.pool, "newvendor", "New Vendor").await;
    vw_app::monitors::finish_request(&app.db.pool, request, Detected::Provider(found))
        .await
        .unwrap();
    let done = api.get(&location).await;
    assert_eq!(done.json["state"], "added", "{:?}", done.json);
    assert_eq!(done.json["monitor"]["provider"]["slug"], "newvendor");

    let refused = api
        .post(
            "/api/v1/monitors",
            &json!({"url": "https://status.broken.example"}),
        )
        .await;
    let location = refused.header("location").unwrap().to_owned();
    let request: MonitorRequestId = refused.json["id"].as_str().unwrap().parse().unwrap();
    vw_app::monitors::finish_request(
        &app.db.pool,
        request,
        Detected::Refused("No status page platform answers there.".into()),
    )
    .await
    .unwrap();
    let failed = api.get(&location).await;
    assert_eq!(failed.json["state"], "failed");
    assert_eq!(
        failed.json["error"],
        "No status page platform answers there."
    );
    assert_eq!(failed.json["monitor"], Value::Null);

    for body in [
        json!({"url": "not a url"}),
        json!({"url": "javascript:alert(1)"}),
        json!({}),
        json!({"provider": "github", "url": "https://x.example"}),
        json!({"provider": "no-such-vendor"}),
    ] {
        let answer = api.post("/api/v1/monitors", &body).await;
        assert_problem(&answer, StatusCode::BAD_REQUEST, "invalid");
        assert!(
            !answer.json["errors"].as_array().unwrap().is_empty(),
            "{body}"
        );
    }
    let already = api
        .post("/api/v1/monitors", &json!({"provider": "github"}))
        .await;
    assert_problem(&already, StatusCode::CONFLICT, "already_monitored");
    assert_eq!(
        already.json["monitor"],
        format!("/api/v1/monitors/{}", known.json["id"].as_str().unwrap())
    );
    let not_json = api
        .send(
            Method::POST,
            "/api/v1/monitors",
            None,
            &[("content-type", "text/plain")],
        )
        .await;
    assert_problem(
        &not_json,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
}

#[tokio::test]
async fn the_free_plans_quota_holds_for_parallel_creates() {
    let app = App::start().await;
    let (_, acme) = seed::workspace(&app.db.pool, "ada@example.com", "Acme").await;
    for n in 0..10 {
        seed::provider(&app.db.pool, &format!("vendor-{n}"), &format!("Vendor {n}")).await;
    }
    let api = std::sync::Arc::new(Api::for_workspace(&app, acme, Scope::Write).await);
    let tries = (0..10).map(|n| {
        let api = api.clone();
        tokio::spawn(async move {
            api.post(
                "/api/v1/monitors",
                &json!({"provider": format!("vendor-{n}")}),
            )
            .await
        })
    });
    let tries: Vec<_> = tries.collect();
    let mut created = 0;
    for tried in tries {
        let answer = tried.await.unwrap();
        match answer.status {
            StatusCode::CREATED => created += 1,
            _ => {
                assert_problem(&answer, StatusCode::CONFLICT, "plan_limit");
                assert!(
                    answer.json["detail"]
                        .as_str()
                        .unwrap()
                        .contains("Free plan allows 5")
                );
            }
        }
    }
    assert_eq!(created, 5);
    let monitors: i64 = sqlx::query_scalar("SELECT count(*) FROM monitors")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(monitors, 5);
}

#[tokio::test]
async fn a_retried_create_with_its_idempotency_key_returns_the_first_monitor() {
    let app = App::start().await;
    let api = acme(&app).await;
    seed::provider(&app.db.pool, "stripe", "Stripe").await;
    let body = json!({"provider": "github"});
    let key = [("idempotency-key", "create-github-1")];
    let first = api
        .send(Method::POST, "/api/v1/monitors", Some(&body), &key)
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.header("idempotent-replayed"), Some("false"));
    let retried = api
        .send(Method::POST, "/api/v1/monitors", Some(&body), &key)
        .await;
    assert_eq!(retried.status, StatusCode::CREATED, "{:?}", retried.json);
    assert_eq!(retried.json, first.json);
    assert_eq!(retried.header("location"), first.header("location"));
    assert_eq!(retried.header("idempotent-replayed"), Some("true"));
    let monitors: i64 = sqlx::query_scalar("SELECT count(*) FROM monitors")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(monitors, 1);

    // The same key with another request is refused; without a key, a repeat is a conflict.
    let other = api
        .send(
            Method::POST,
            "/api/v1/monitors",
            Some(&json!({"provider": "stripe"})),
            &key,
        )
        .await;
    assert_problem(
        &other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    );
    let repeat = api.post("/api/v1/monitors", &body).await;
    assert_problem(&repeat, StatusCode::CONFLICT, "already_monitored");
    // Keys are the workspace's: another workspace's same key is its own.
    let (_, beta) = seed::workspace(&app.db.pool, "bea@example.com", "Beta").await;
    let beta = Api::for_workspace(&app, beta, Scope::Write).await;
    let theirs = beta
        .send(Method::POST, "/api/v1/monitors", Some(&body), &key)
        .await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    assert_ne!(theirs.json["id"], first.json["id"]);
}
