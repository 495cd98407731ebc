//! `vendorwatch admin set-plan`, run as the real binary against a real database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod support;

use std::time::Duration;

use support::TestDb;

async fn admin(db: &TestDb, args: &[&str]) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_vendorwatch"));
    command
        .arg("admin")
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn");
    tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn set_plan_moves_a_workspace_named_by_its_owner_or_its_id() {
    let db = TestDb::fresh().await;
    let (_, workspace) = support::seed::workspace(&db.pool, "ada@example.com", "Acme").await;

    let by_email = admin(&db, &["set-plan", "ada@example.com", "team"]).await;
    assert!(by_email.status.success(), "{by_email:?}");
    let said = String::from_utf8_lossy(&by_email.stdout);
    assert!(
        said.contains("now on the Team plan, 0 of 50 monitors"),
        "{said}"
    );

    let by_id = admin(&db, &["set-plan", &workspace.to_string(), "business"]).await;
    assert!(by_id.status.success(), "{by_id:?}");
    let plan: String = sqlx::query_scalar("SELECT plan_id FROM workspaces WHERE id = $1")
        .bind(workspace.0)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(plan, "business");

    let unknown = admin(&db, &["set-plan", "ada@example.com", "platinum"]).await;
    assert!(!unknown.status.success());
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        said.contains("no plan \"platinum\"") && said.contains("free, team, business"),
        "{said}"
    );
    let nobody = admin(&db, &["set-plan", "nobody@example.com", "team"]).await;
    assert!(!nobody.status.success());
}

#[tokio::test]
async fn create_token_prints_a_token_that_the_api_takes_with_the_scope_asked_for() {
    let db = TestDb::fresh().await;
    let (_, workspace) = support::seed::workspace(&db.pool, "ada@example.com", "Acme").await;

    let made = admin(
        &db,
        &[
            "create-token",
            "--workspace",
            "ada@example.com",
            "--name",
            "terraform",
            "--write",
        ],
    )
    .await;
    assert!(made.status.success(), "{made:?}");
    let printed = String::from_utf8(made.stdout).unwrap();
    let token = printed.trim();
    assert!(
        token.starts_with("vwk_") && !token.contains(char::is_whitespace),
        "{printed:?}"
    );
    let said = String::from_utf8_lossy(&made.stderr);
    assert!(
        said.contains("(write)") && said.contains(&workspace.to_string()),
        "{said}"
    );

    let found = vw_app::api_tokens::authenticate(&db.pool, token, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.workspace, workspace);
    assert_eq!(found.scope, vw_app::api_tokens::Scope::Write);
    let listed = vw_app::api_tokens::list(&db.pool, workspace).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "terraform");

    let read_only = admin(
        &db,
        &[
            "create-token",
            "--workspace",
            &workspace.to_string(),
            "--name",
            "ci",
        ],
    )
    .await;
    assert!(read_only.status.success(), "{read_only:?}");
    let token = String::from_utf8(read_only.stdout).unwrap();
    let found = vw_app::api_tokens::authenticate(&db.pool, token.trim(), chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.scope, vw_app::api_tokens::Scope::Read);

    let unknown = admin(
        &db,
        &[
            "create-token",
            "--workspace",
            "nobody@example.com",
            "--name",
            "x",
        ],
    )
    .await;
    assert!(!unknown.status.success());
    let printed = String::from_utf8_lossy(&unknown.stdout);
    assert!(!printed.contains("vwk_"), "no token printed: {printed}");
}
