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
