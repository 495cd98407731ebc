//! Workspace API tokens: made in the settings by admins (shown once, stored hashed), listed
//! by name and prefix with their last use, revoked; and what the API answers a missing, bad,
//! revoked or read-only token, and a token past its request budget.

use reqwest::StatusCode;
use serde_json::json;
use vw_app::api_tokens::Scope;

use super::client::{Api, assert_problem};
use crate::app::App;
use crate::members::acme_with_bob;

#[tokio::test]
async fn an_admin_makes_a_token_that_is_shown_once_stored_hashed_and_revoked_at_once() {
    let app = App::start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let made = ada
        .submit(
            "/settings/api-tokens",
            "/settings/api-tokens",
            &[("name", "terraform"), ("scope", "write")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let token = made.attr("#token-value", "value").unwrap();
    assert!(token.starts_with("vwk_"), "{token}");
    assert_eq!(made.headers.get("cache-control").unwrap(), "no-store");

    // Stored as a hash, never as itself; listed by its prefix only.
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(stored, token.as_bytes());
    let dump: String = sqlx::query_scalar("SELECT row_to_json(t)::text FROM api_tokens t")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(!dump.contains(&token[4..]), "{dump}");
    let listed = ada.get("/settings/api-tokens").await;
    assert!(!listed.body.contains(&token), "shown only once");
    assert_eq!(
        listed.texts("#tokens tbody tr td:first-child"),
        ["terraform"]
    );
    assert!(
        listed.body.contains(&token[..12]),
        "the prefix tells it apart"
    );
    assert!(
        listed
            .texts("#tokens tbody tr td")
            .iter()
            .any(|t| t == "never")
    );

    // It works, and its use is recorded.
    let api = Api::new(&app, Some(&token));
    let monitors = api.get("/api/v1/monitors").await;
    assert_eq!(monitors.status, StatusCode::OK, "{:?}", monitors.json);
    assert_eq!(monitors.json["data"], json!([]));
    assert!(monitors.header("ratelimit-remaining").is_some());
    let listed = ada.get("/settings/api-tokens").await;
    assert!(
        !listed
            .texts("#tokens tbody tr td")
            .iter()
            .any(|t| t == "never")
    );

    // Revoked: refused from the next request on.
    let revoke = listed.attr("#tokens form", "action").unwrap();
    let revoked = ada.submit("/settings/api-tokens", &revoke, &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_problem(
        &api.get("/api/v1/monitors").await,
        StatusCode::UNAUTHORIZED,
        "token_revoked",
    );
    assert!(
        ada.get("/settings/api-tokens")
            .await
            .texts("#no-tokens")
            .len()
            == 1
    );
}

#[tokio::test]
async fn only_admins_manage_tokens_and_only_their_own_workspaces() {
    let app = App::start().await;
    let (ada, bob) = acme_with_bob(&app).await;
    assert_eq!(
        bob.get("/settings/api-tokens").await.status,
        StatusCode::FORBIDDEN
    );
    let eve = app.member("eve@example.com", "Evil Corp").await;
    ada.submit(
        "/settings/api-tokens",
        "/settings/api-tokens",
        &[("name", "ci"), ("scope", "read")],
    )
    .await;
    let revoke = ada
        .get("/settings/api-tokens")
        .await
        .attr("#tokens form", "action")
        .unwrap();
    // Eve, admin of her own workspace, cannot revoke Acme's token.
    let tried = eve.submit("/settings/api-tokens", &revoke, &[]).await;
    assert_eq!(tried.status, StatusCode::NOT_FOUND);
    assert_eq!(
        ada.get("/settings/api-tokens")
            .await
            .texts("#tokens tbody tr td:first-child"),
        ["ci"]
    );
}

#[tokio::test]
async fn missing_unknown_and_read_only_tokens_are_refused_with_a_problem() {
    let app = App::start().await;
    let (_, acme) = crate::support::seed::workspace(&app.db.pool, "ada@example.com", "Acme").await;

    let anonymous = Api::new(&app, None).get("/api/v1/monitors").await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(
        anonymous.header("www-authenticate"),
        Some("Bearer realm=\"vendorwatch\"")
    );
    for bad in [
        "nonsense",
        "vwk_",
        "vwk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        assert_problem(
            &Api::new(&app, Some(bad)).get("/api/v1/monitors").await,
            StatusCode::UNAUTHORIZED,
            "invalid_token",
        );
    }
    // A signed-in browser's session is no credential here.
    let bea = app.member("bea@example.com", "Beta").await;
    let page = bea.get("/api/v1/monitors").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);

    let reader = Api::for_workspace(&app, acme, Scope::Read).await;
    assert_eq!(reader.get("/api/v1/groups").await.status, StatusCode::OK);
    let write = reader
        .post("/api/v1/groups", &json!({"name": "On-call"}))
        .await;
    assert_problem(&write, StatusCode::FORBIDDEN, "read_only_token");
    let groups: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notification_groups WHERE workspace_id = $1")
            .bind(acme.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(groups, 1, "only the Default group");
    let writer = Api::for_workspace(&app, acme, Scope::Write).await;
    let made = writer
        .post("/api/v1/groups", &json!({"name": "On-call"}))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.json);

    // Unknown paths under /api answer a problem, not the site's HTML.
    assert_problem(
        &writer.get("/api/v1/nothing-here").await,
        StatusCode::NOT_FOUND,
        "no_such_route",
    );
}

#[tokio::test]
async fn a_token_past_its_budget_is_told_when_to_come_back() {
    // 60 a minute: bursts of 6.
    let app = App::start_with(None, |config| config.api_requests_per_minute = 60).await;
    let (_, acme) = crate::support::seed::workspace(&app.db.pool, "ada@example.com", "Acme").await;
    let api = Api::for_workspace(&app, acme, Scope::Read).await;
    let other = Api::for_workspace(&app, acme, Scope::Read).await;
    for n in 0..6 {
        let answer = api.get("/api/v1/monitors").await;
        assert_eq!(answer.status, StatusCode::OK, "request {n}");
        assert_eq!(answer.header("ratelimit-limit"), Some("6"));
    }
    let refused = api.get("/api/v1/monitors").await;
    assert_problem(&refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry), "{retry}");
    // Another token has its own budget.
    assert_eq!(other.get("/api/v1/monitors").await.status, StatusCode::OK);
}
