//! Error pages and hostile requests: a clear page in the site's look, nothing internal shown,
//! nothing stored changed.

use reqwest::StatusCode;

use crate::app::App;

#[tokio::test]
async fn unknown_pages_get_the_sites_404() {
    let app = App::start().await;
    let page = app.browser().get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("/static/app.css"), "in the site's look");
    assert_eq!(page.texts("h1"), ["Not found"]);
}

#[tokio::test]
async fn huge_and_mistyped_bodies_get_clear_errors() {
    let app = App::start().await;
    let browser = app.member("ada@example.com", "Acme").await;
    let token = browser.get("/settings/workspace").await.csrf_token();
    let huge = "x".repeat(1024 * 1024);
    let too_large = browser
        .post_raw(
            "/settings/workspace/name",
            &[("csrf_token", &token), ("name", &huge)],
        )
        .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(too_large.body.contains("larger than vendorwatch accepts"));

    let json = browser
        .client
        .post(format!("{}/settings/workspace/name", app.base))
        .header("content-type", "application/json")
        .body(format!(r#"{{"csrf_token":"{token}","name":"Json"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::BAD_REQUEST);
    assert!(
        json.text()
            .await
            .unwrap()
            .contains("Expected a form submission")
    );

    let long_name = browser
        .post_raw(
            "/settings/workspace/name",
            &[("csrf_token", &token), ("name", &"y".repeat(101))],
        )
        .await;
    let after = browser.follow(&long_name).await;
    assert!(after.body.contains("1 to 100 characters"));
    assert_eq!(
        browser.get("/dashboard").await.texts("h1"),
        ["Acme"],
        "nothing changed"
    );
}

#[tokio::test]
async fn database_errors_show_an_apology_not_internals() {
    let app = App::start().await;
    let browser = app.member("ada@example.com", "Acme").await;
    // Break the schema under the running app: the next query fails inside PostgreSQL.
    sqlx::query("ALTER TABLE workspaces RENAME TO workspaces_gone")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let page = browser.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(page.body.contains("Something went wrong"));
    for leak in ["workspaces", "relation", "sqlx", "SELECT", "panicked"] {
        assert!(
            !page.body.contains(leak),
            "the page shows {leak:?}:\n{}",
            page.body
        );
    }
}

#[tokio::test]
async fn health_and_readiness() {
    let app = App::start().await;
    let browser = app.browser();
    assert_eq!(browser.get("/healthz").await.status, StatusCode::OK);
    let ready = browser.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, "ready\n")
    );
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let pending = browser.get("/readyz").await;
    assert_eq!(pending.status, StatusCode::SERVICE_UNAVAILABLE);
}
