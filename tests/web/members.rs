//! Roles, removing members, leaving, and the rule that a workspace keeps an owner.

use reqwest::StatusCode;

use crate::app::{App, Browser, PASSWORD};
use crate::invitations::invite;

/// Acme with ada (owner) and bob (member).
pub async fn acme_with_bob(app: &App) -> (Browser, Browser) {
    let ada = app.member("ada@example.com", "Acme").await;
    let link = invite(&ada, "bob@example.com", "member").await;
    let bob = app.browser();
    let path = format!("/invite/{}", link.rsplit('/').next().unwrap());
    let page = bob.get(&path).await;
    let joined = bob
        .post_raw(
            &format!("{path}/signup"),
            &[("csrf_token", &page.csrf_token()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    (ada, bob)
}

async fn set_role(app: &App, as_: &Browser, email: &str, role: &str) -> crate::app::Page {
    let user = app.user_id(email).await;
    as_.submit(
        "/settings/workspace",
        &format!("/settings/workspace/members/{user}/role"),
        &[("role", role)],
    )
    .await
}

#[tokio::test]
async fn owners_change_roles_and_others_cannot() {
    let app = App::start().await;
    let (ada, bob) = acme_with_bob(&app).await;
    let promoted = set_role(&app, &ada, "bob@example.com", "admin").await;
    assert_eq!(promoted.status, StatusCode::SEE_OTHER);
    assert!(
        ada.follow(&promoted)
            .await
            .body
            .contains("Role changed to admin.")
    );
    assert_eq!(
        app.role("Acme", "bob@example.com").await.as_deref(),
        Some("admin")
    );

    // An admin manages the workspace but not its members.
    let refused = set_role(&app, &bob, "bob@example.com", "owner").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Not allowed"));
    assert_eq!(
        app.role("Acme", "bob@example.com").await.as_deref(),
        Some("admin")
    );
    let renamed = bob
        .submit(
            "/settings/workspace",
            "/settings/workspace/name",
            &[("name", "Acme Ltd")],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    assert_eq!(bob.get("/dashboard").await.texts("h1"), ["Acme Ltd"]);

    let demoted = set_role(&app, &ada, "bob@example.com", "member").await;
    assert_eq!(demoted.status, StatusCode::SEE_OTHER);
    let refused = bob
        .submit(
            "/settings/workspace",
            "/settings/workspace/name",
            &[("name", "Mine")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        bob.get("/settings/workspace")
            .await
            .attr("form[action$='/role']", "action"),
        None,
        "members see no role controls"
    );
    let bad = set_role(&app, &ada, "bob@example.com", "superuser").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_last_owner_can_neither_step_down_nor_leave() {
    let app = App::start().await;
    let (ada, bob) = acme_with_bob(&app).await;
    let step_down = set_role(&app, &ada, "ada@example.com", "admin").await;
    assert_eq!(step_down.status, StatusCode::SEE_OTHER);
    assert!(
        ada.follow(&step_down)
            .await
            .body
            .contains("at least one owner")
    );
    assert_eq!(
        app.role("Acme", "ada@example.com").await.as_deref(),
        Some("owner")
    );

    let leave = ada
        .submit("/settings/workspace", "/settings/workspace/leave", &[])
        .await;
    assert!(ada.follow(&leave).await.body.contains("at least one owner"));
    assert_eq!(
        app.role("Acme", "ada@example.com").await.as_deref(),
        Some("owner")
    );
    let ada_id = app.user_id("ada@example.com").await;
    let removed = ada
        .submit(
            "/settings/workspace",
            &format!("/settings/workspace/members/{ada_id}/remove"),
            &[],
        )
        .await;
    assert!(
        ada.follow(&removed)
            .await
            .body
            .contains("at least one owner")
    );

    // With a second owner, the first may go.
    set_role(&app, &ada, "bob@example.com", "owner").await;
    let leave = ada
        .submit("/settings/workspace", "/settings/workspace/leave", &[])
        .await;
    assert_eq!(leave.status, StatusCode::SEE_OTHER);
    assert_eq!(app.role("Acme", "ada@example.com").await, None);
    // Ada has no workspace left: she is offered to create one.
    let dashboard = ada.follow(&leave).await;
    assert_eq!(dashboard.location(), Some("/workspaces/new"));
    assert_eq!(bob.get("/dashboard").await.texts("h1"), ["Acme"]);
}

#[tokio::test]
async fn a_removed_member_loses_access_at_once() {
    let app = App::start().await;
    let (ada, bob) = acme_with_bob(&app).await;
    assert_eq!(bob.get("/settings/workspace").await.status, StatusCode::OK);
    let bob_id = app.user_id("bob@example.com").await;
    let removed = ada
        .submit(
            "/settings/workspace",
            &format!("/settings/workspace/members/{bob_id}/remove"),
            &[],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.role("Acme", "bob@example.com").await, None);
    let after = bob.get("/settings/workspace").await;
    assert_eq!(
        after.location(),
        Some("/workspaces/new"),
        "bob's session no longer opens Acme"
    );
}
