//! Inviting people: the link, accepting it as a new or an existing user, and its limits.

use reqwest::StatusCode;

use crate::app::{App, Browser, PASSWORD};

/// Invites `email` as `role` from the owner's settings page; returns the link shown.
pub async fn invite(owner: &Browser, email: &str, role: &str) -> String {
    let created = owner
        .submit(
            "/settings/workspace",
            "/settings/workspace/invitations",
            &[("email", email), ("role", role)],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let settings = owner.follow(&created).await;
    settings
        .attr("input.copy", "value")
        .unwrap_or_else(|| panic!("no invitation link shown:\n{}", settings.body))
}

/// The path of an invitation link (the site is reached on its local address in tests).
fn path(link: &str) -> String {
    format!("/invite/{}", link.rsplit('/').next().unwrap())
}

#[tokio::test]
async fn a_new_user_accepts_an_invitation_by_creating_an_account() {
    let app = App::start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let link = invite(&ada, "Bob@Example.com", "member").await;
    assert!(link.starts_with(&format!("{}/invite/", app.base)), "{link}");

    let bob = app.browser();
    let page = bob.get(&path(&link)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), ["Join Acme"]);
    assert!(page.body.contains("bob@example.com"));
    let token = page.csrf_token();
    let joined = bob
        .post_raw(
            &format!("{}/signup", path(&link)),
            &[("csrf_token", &token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    assert_eq!(bob.follow(&joined).await.texts("h1"), ["Acme"]);
    assert_eq!(
        app.role("Acme", "bob@example.com").await.as_deref(),
        Some("member")
    );

    // One link admits one person.
    assert_eq!(
        app.browser().get(&path(&link)).await.status,
        StatusCode::NOT_FOUND
    );
    let members = ada
        .get("/settings/workspace")
        .await
        .texts("#members tbody tr td:first-child");
    assert_eq!(members.len(), 2, "{members:?}");
}

#[tokio::test]
async fn an_existing_user_signs_in_and_joins_a_second_workspace() {
    let app = App::start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    app.member("carol@example.com", "Carol Co").await;
    let link = invite(&ada, "carol@example.com", "admin").await;

    let carol = app.browser();
    let page = carol.get(&path(&link)).await;
    let login_link = page.attr("main a.button", "href").unwrap();
    assert!(login_link.starts_with("/login?next="), "{login_link}");
    let signed_in = carol.log_in("carol@example.com", PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    let accept_page = carol.get(&path(&link)).await;
    let token = accept_page.csrf_token();
    let accepted = carol
        .post_raw(&path(&link), &[("csrf_token", &token)])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let dashboard = carol.follow(&accepted).await;
    assert_eq!(
        dashboard.texts("h1"),
        ["Acme"],
        "the session moves to the joined workspace"
    );
    assert!(dashboard.body.contains("You joined Acme."));
    assert_eq!(
        app.role("Acme", "carol@example.com").await.as_deref(),
        Some("admin")
    );
    assert_eq!(
        app.role("Carol Co", "carol@example.com").await.as_deref(),
        Some("owner")
    );

    // The switcher takes her back to her own workspace.
    let carol_co = dashboard.attr("form[action$='/switch']", "action").unwrap();
    let token = dashboard.csrf_token();
    let switched = carol.post_raw(&carol_co, &[("csrf_token", &token)]).await;
    assert_eq!(carol.follow(&switched).await.texts("h1"), ["Carol Co"]);
}

#[tokio::test]
async fn an_invitation_cannot_be_taken_by_another_account() {
    let app = App::start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let link = invite(&ada, "bob@example.com", "member").await;
    let mallory = app.member("mallory@example.com", "Evil").await;
    let page = mallory.get(&path(&link)).await;
    assert!(page.body.contains("signed in with another address"));
    let token = page.csrf_token();
    let taken = mallory
        .post_raw(&path(&link), &[("csrf_token", &token)])
        .await;
    assert_eq!(taken.status, StatusCode::FORBIDDEN);
    assert_eq!(app.role("Acme", "mallory@example.com").await, None);
}

#[tokio::test]
async fn revoked_expired_and_made_up_links_lead_nowhere() {
    let app = App::start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let revoked = invite(&ada, "bob@example.com", "member").await;
    let settings = ada.get("/settings/workspace").await;
    let revoke = settings.attr("#invitations form", "action").unwrap();
    let done = ada
        .post_raw(&revoke, &[("csrf_token", &settings.csrf_token())])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.browser().get(&path(&revoked)).await.status,
        StatusCode::NOT_FOUND
    );

    let expired = invite(&ada, "carol@example.com", "member").await;
    sqlx::query("UPDATE invitations SET expires_at = now() - interval '1 minute'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let page = app.browser().get(&path(&expired)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Not found"));
    assert_eq!(
        app.browser().get("/invite/made-up-token").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn members_cannot_invite_and_admins_cannot_invite_owners() {
    let app = App::start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let bob_link = invite(&ada, "bob@example.com", "member").await;
    let bob = app.browser();
    let page = bob.get(&path(&bob_link)).await;
    bob.post_raw(
        &format!("{}/signup", path(&bob_link)),
        &[("csrf_token", &page.csrf_token()), ("password", PASSWORD)],
    )
    .await;
    let refused = bob
        .submit(
            "/settings/workspace",
            "/settings/workspace/invitations",
            &[("email", "x@example.com"), ("role", "member")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let carol_link = invite(&ada, "carol@example.com", "admin").await;
    let carol = app.browser();
    let page = carol.get(&path(&carol_link)).await;
    carol
        .post_raw(
            &format!("{}/signup", path(&carol_link)),
            &[("csrf_token", &page.csrf_token()), ("password", PASSWORD)],
        )
        .await;
    let as_owner = carol
        .submit(
            "/settings/workspace",
            "/settings/workspace/invitations",
            &[("email", "dan@example.com"), ("role", "owner")],
        )
        .await;
    assert_eq!(as_owner.status, StatusCode::FORBIDDEN);
    let as_member = carol
        .submit(
            "/settings/workspace",
            "/settings/workspace/invitations",
            &[("email", "dan@example.com"), ("role", "member")],
        )
        .await;
    assert_eq!(as_member.status, StatusCode::SEE_OTHER);
}
