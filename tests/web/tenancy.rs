//! One workspace can never read or change another's settings, members or invitations: every
//! attempt answers 404, as if the other workspace did not exist.

use reqwest::StatusCode;

use crate::app::App;
use crate::invitations::invite;

#[tokio::test]
async fn another_workspace_cannot_be_read_or_changed() {
    let app = App::start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let eve = app.member("eve@example.com", "Evil Corp").await;
    invite(&ada, "bob@example.com", "member").await;

    let acme_settings = ada.get("/settings/workspace").await;
    let acme_invitation_revoke = acme_settings.attr("#invitations form", "action").unwrap();
    let ada_id = app.user_id("ada@example.com").await;
    let acme_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM workspaces WHERE name = 'Acme'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

    // Eve sees only her own workspace.
    let eve_settings = eve.get("/settings/workspace").await;
    assert!(!eve_settings.body.contains("ada@example.com"));
    assert!(!eve_settings.body.contains("bob@example.com"));
    assert!(!eve_settings.body.contains("Acme"));

    let attempts = [
        (
            format!("/settings/workspace/members/{ada_id}/role"),
            vec![("role", "member")],
        ),
        (
            format!("/settings/workspace/members/{ada_id}/remove"),
            vec![],
        ),
        (acme_invitation_revoke.clone(), vec![]),
        (format!("/workspaces/{acme_id}/switch"), vec![]),
    ];
    for (action, fields) in attempts {
        let response = eve.submit("/settings/workspace", &action, &fields).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{action}");
        assert!(!response.body.contains("Acme"), "{action} leaks nothing");
    }
    assert_eq!(
        app.role("Acme", "ada@example.com").await.as_deref(),
        Some("owner")
    );
    let pending: i64 =
        sqlx::query_scalar("SELECT count(*) FROM invitations WHERE accepted_at IS NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(pending, 1, "Acme's invitation survives");
    assert_eq!(
        eve.get("/dashboard").await.texts("h1"),
        ["Evil Corp"],
        "eve did not switch"
    );
    // Renaming acts on the session's workspace only: Acme keeps its name.
    eve.submit(
        "/settings/workspace",
        "/settings/workspace/name",
        &[("name", "Pwned")],
    )
    .await;
    assert_eq!(ada.get("/dashboard").await.texts("h1"), ["Acme"]);
}

#[tokio::test]
async fn members_of_two_workspaces_see_each_only_while_in_it() {
    let app = App::start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let eve = app.member("eve@example.com", "Evil Corp").await;
    invite(&eve, "mallory@example.com", "member").await;
    let acme = ada.get("/settings/workspace").await;
    let listed = acme.texts("#members tbody tr td:first-child");
    assert_eq!(listed.len(), 1);
    assert!(listed[0].starts_with("ada@example.com"));
    assert!(
        acme.texts("#invitations td").is_empty(),
        "Evil Corp's invitation is not Acme's"
    );
}
