//! Every form route refuses a post without the CSRF token, or with another's; the only form
//! without one is RFC 8058's one-click unsubscribe, which mail clients post with no session.

use reqwest::StatusCode;
use vw_web::{Csrf, page_routes};

use super::{World, expect};

#[tokio::test]
async fn every_form_refuses_a_missing_or_wrong_csrf_token() {
    let world = World::new().await;
    let ada = &world.acme.browser;
    let eves_token = world
        .evil
        .browser
        .get("/settings/workspace")
        .await
        .csrf_token();
    let forms: Vec<_> = page_routes()
        .into_iter()
        .filter(|r| r.csrf == Csrf::Token)
        .collect();
    assert!(forms.len() > 30, "{} form routes", forms.len());
    for route in &forms {
        let path = world.path(route, &world.acme, None);
        let missing = ada.post_raw(&path, &[]).await;
        expect(
            missing.status,
            StatusCode::FORBIDDEN,
            &format!("POST {} without a token", route.path),
            &missing.body,
        );
        let wrong = ada
            .post_raw(&path, &[("csrf_token", eves_token.as_str())])
            .await;
        expect(
            wrong.status,
            StatusCode::FORBIDDEN,
            &format!("POST {} with another session's token", route.path),
            &wrong.body,
        );
    }
    // Refused, nothing happened: Acme still has its monitor, channel, invitation and name.
    let acme = vw_domain::WorkspaceId(world.acme.workspace);
    let pool = &world.app.db.pool;
    assert_eq!(vw_store::channels::list(pool, acme).await.unwrap().len(), 1);
    let dashboard = ada.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK, "ada is still signed in");
    assert_eq!(dashboard.texts("h1"), ["Acme"]);
    let monitor = ada.get(&format!("/monitors/{}", world.acme.monitor)).await;
    assert_eq!(monitor.status, StatusCode::OK, "the monitor is still there");

    let exempt: Vec<_> = page_routes()
        .into_iter()
        .filter(|r| r.csrf == Csrf::OneClick)
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(exempt, ["POST /u/{token}"]);
}
