//! Notification groups and their channels through the API: the group shape (the Default one
//! marked), creating, filtering, scoping, renaming, deleting; channels with write-only
//! secrets; a test message queued and seen in the deliveries of its group and channel.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use vw_app::api_tokens::Scope;

use super::client::{Api, assert_problem};
use crate::app::App;
use crate::support::seed;

async fn start() -> (App, Api) {
    let app = App::start_with(None, |config| {
        config.target_rules = vw_notify::TargetRules {
            allow_private_targets: false,
        };
    })
    .await;
    let (_, acme) = seed::workspace(&app.db.pool, "ada@example.com", "Acme").await;
    seed::provider(&app.db.pool, "github", "GitHub").await;
    let api = Api::for_workspace(&app, acme, Scope::Write).await;
    (app, api)
}

#[tokio::test]
async fn groups_have_the_documented_shape_and_change_through_the_same_rules() {
    let (_app, api) = start().await;
    let listed = api.get("/api/v1/groups").await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.json);
    let default = &listed.json["data"][0];
    assert_eq!(default["name"], "Default");
    assert_eq!(default["default"], true);
    assert_eq!(
        default["filters"],
        json!({"severities": ["major", "minor"], "events": ["opened", "resolved"],
               "postmortems": false, "page_health": false})
    );
    assert_eq!(default["scope"], json!({"all": true}));
    assert_eq!(default["channels"][0]["kind"], "email");
    assert_eq!(default["channels"][0]["address"], "ada@example.com");
    assert_eq!(default["channels"][0]["state"], "active");

    let monitor = api
        .post("/api/v1/monitors", &json!({"provider": "github"}))
        .await;
    let monitor_id = monitor.json["id"].as_str().unwrap();
    let made = api
        .post(
            "/api/v1/groups",
            &json!({"name": "On-call",
                    "filters": {"severities": ["major"], "events": ["opened", "updated", "resolved"]},
                    "scope": {"all": false, "monitors": [monitor_id]}}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.json);
    let path = made.header("location").unwrap().to_owned();
    assert_eq!(made.json["default"], false);
    assert_eq!(
        made.json["scope"],
        json!({"all": false, "monitors": [monitor_id]})
    );
    assert_eq!(
        made.json["filters"]["events"],
        json!(["opened", "updated", "resolved"])
    );
    assert_eq!(made.json["channels"], json!([]));

    let renamed = api.patch(&path, &json!({"name": "Pager"})).await;
    assert_eq!(renamed.json["name"], "Pager");
    assert_eq!(
        renamed.json["filters"]["severities"],
        json!(["major"]),
        "kept"
    );
    let widened = api.patch(&path, &json!({"scope": {"all": true}})).await;
    assert_eq!(widened.json["scope"], json!({"all": true}));
    assert_eq!(api.get(&path).await.json, widened.json);

    assert_problem(
        &api.patch(&path, &json!({"name": "Default"})).await,
        StatusCode::CONFLICT,
        "taken",
    );
    for (body, field) in [
        (json!({"name": ""}), "name"),
        (
            json!({"filters": {"severities": ["apocalyptic"], "events": []}}),
            "filters",
        ),
        (
            json!({"scope": {"all": false, "monitors": [uuid::Uuid::now_v7()]}}),
            "scope.monitors",
        ),
    ] {
        let refused = api.patch(&path, &body).await;
        assert_problem(&refused, StatusCode::BAD_REQUEST, "invalid");
        assert_eq!(refused.json["errors"][0]["field"], field, "{body}");
    }
    let default_path = format!("/api/v1/groups/{}", default["id"].as_str().unwrap());
    assert_problem(
        &api.delete(&default_path).await,
        StatusCode::BAD_REQUEST,
        "invalid",
    );
    assert_eq!(api.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_problem(&api.get(&path).await, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        api.get("/api/v1/groups").await.json["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn channels_keep_their_secrets_write_only_and_a_test_shows_in_the_deliveries() {
    let (app, api) = start().await;
    let groups = api.get("/api/v1/groups").await;
    let group = groups.json["data"][0]["id"].as_str().unwrap().to_owned();
    let channels = format!("/api/v1/groups/{group}/channels");

    let hook_url = "https://hooks.example.com/vendorwatch/T0k3n-in-the-path?sig=s3cr3t";
    let hook = api
        .post(&channels, &json!({"kind": "webhook", "url": hook_url}))
        .await;
    assert_eq!(hook.status, StatusCode::CREATED, "{:?}", hook.json);
    let secret = hook.json["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(hook.json["kind"], "webhook");
    let target = hook.json["target"].as_str().unwrap();
    assert!(
        !target.contains("T0k3n") && !target.contains("s3cr3t"),
        "masked: {target}"
    );
    let hook_path = hook.header("location").unwrap().to_owned();
    let read = api.get(&hook_path).await;
    assert!(
        read.json.get("secret").is_none(),
        "the secret is shown once only"
    );
    let everything = api.get(&channels).await;
    let text = everything.json.to_string();
    assert!(!text.contains(&secret) && !text.contains("T0k3n") && !text.contains("s3cr3t"));
    assert_eq!(everything.json.as_array().unwrap().len(), 2);

    let recipient = api
        .post(
            &channels,
            &json!({"kind": "email", "address": "Bob@Example.com"}),
        )
        .await;
    assert_eq!(
        recipient.status,
        StatusCode::CREATED,
        "{:?}",
        recipient.json
    );
    assert_eq!(recipient.json["address"], "bob@example.com");
    assert_eq!(recipient.json["state"], "unconfirmed");
    let unconfirmed = recipient.header("location").unwrap().to_owned();
    assert_problem(
        &api.post(&format!("{unconfirmed}/test"), &Value::Null).await,
        StatusCode::BAD_REQUEST,
        "invalid",
    );
    for (body, field) in [
        (
            json!({"kind": "email", "address": "not an address"}),
            "address",
        ),
        (
            json!({"kind": "email", "url": "https://x.example"}),
            "address",
        ),
        (
            json!({"kind": "slack", "url": "https://example.com/not-slack"}),
            "url",
        ),
        (
            json!({"kind": "webhook", "url": "http://127.0.0.1:8080/hook"}),
            "url",
        ),
        (
            json!({"kind": "pigeon", "url": "https://x.example"}),
            "kind",
        ),
    ] {
        let refused = api.post(&channels, &body).await;
        assert_problem(&refused, StatusCode::BAD_REQUEST, "invalid");
        assert_eq!(refused.json["errors"][0]["field"], field, "{body}");
    }

    let queued = api.post(&format!("{hook_path}/test"), &Value::Null).await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{:?}", queued.json);
    let delivery = queued.json["delivery"].as_str().unwrap().to_owned();
    for log in [
        format!("{hook_path}/deliveries"),
        format!("/api/v1/groups/{group}/deliveries"),
    ] {
        let answer = api.get(&log).await;
        assert_eq!(answer.status, StatusCode::OK, "{log}: {:?}", answer.json);
        assert_eq!(answer.json["data"][0]["id"], delivery.as_str(), "{log}");
        assert_eq!(answer.json["data"][0]["state"], "pending");
        assert_eq!(answer.json["data"][0]["event"], Value::Null, "a test");
    }
    // Paged newest first.
    let second = api.post(&format!("{hook_path}/test"), &Value::Null).await;
    let page = api.get(&format!("{hook_path}/deliveries?limit=1")).await;
    assert_eq!(page.json["data"][0]["id"], second.json["delivery"]);
    let rest = api.get(page.json["next"].as_str().unwrap()).await;
    assert_eq!(rest.json["data"][0]["id"], delivery.as_str());
    assert_eq!(rest.json["next"], Value::Null);

    assert_eq!(api.delete(&hook_path).await.status, StatusCode::NO_CONTENT);
    assert_problem(
        &api.get(&hook_path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM deliveries")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "removed with its deliveries");

    // A webhook added twice with one Idempotency-Key is one channel, its secret the same.
    let key = [("idempotency-key", "hook-2")];
    let body = json!({"kind": "webhook", "url": "https://hooks.example.com/second"});
    let first = api.send(Method::POST, &channels, Some(&body), &key).await;
    let again = api.send(Method::POST, &channels, Some(&body), &key).await;
    assert_eq!(first.json, again.json);
    assert_eq!(api.get(&channels).await.json.as_array().unwrap().len(), 3);
    // The kept answer holds the secret sealed, never in the clear.
    let secret = first.json["secret"].as_str().unwrap();
    let in_clear: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM api_idempotency WHERE position(convert_to($1, 'UTF8') IN body_sealed) > 0",
    )
    .bind(secret)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(in_clear, 0);
}
