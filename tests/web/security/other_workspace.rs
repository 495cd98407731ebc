//! Another workspace's ids answer 404 on every route that names a tenant-owned resource,
//! whichever of its parameters is the other's, and change nothing.

use reqwest::StatusCode;
use vw_web::{Param, page_routes};

use super::{World, expect, fields};

#[tokio::test]
async fn every_route_with_a_tenant_id_gives_404_for_another_workspaces() {
    let world = World::new().await;
    let eve = &world.evil.browser;
    let mut covered = 0;
    for route in page_routes() {
        for (at, param) in route.params.iter().enumerate() {
            if !matches!(param, Param::Owned(_)) {
                continue;
            }
            covered += 1;
            let path = world.path(&route, &world.evil, Some((at, &world.acme)));
            let what = format!("{} {} with Acme's {param:?}", route.method, route.path);
            let answer = if route.method == axum::http::Method::GET {
                eve.get(&path).await
            } else {
                eve.submit("/settings/workspace", &path, fields(&route))
                    .await
            };
            expect(answer.status, StatusCode::NOT_FOUND, &what, &answer.body);
            assert!(!answer.body.contains("Acme"), "{what} leaks nothing");
        }
    }
    assert!(covered >= 20, "{covered} tenant-owned parameters");

    // Eve's own ids are found: the 404s above are the other workspace's, not a broken route.
    for route in page_routes() {
        let owned = route.params.iter().any(|p| matches!(p, Param::Owned(_)));
        if owned && route.method == axum::http::Method::GET {
            let page = eve.get(&world.path(&route, &world.evil, None)).await;
            expect(
                page.status,
                StatusCode::OK,
                &format!("GET {} of eve's own", route.path),
                &page.body,
            );
        }
    }

    // Acme is as it was.
    let ada = &world.acme.browser;
    let pool = &world.app.db.pool;
    let acme = vw_domain::WorkspaceId(world.acme.workspace);
    assert_eq!(vw_store::channels::list(pool, acme).await.unwrap().len(), 1);
    assert_eq!(vw_store::groups::list(pool, acme).await.unwrap().len(), 1);
    let monitor = ada.get(&format!("/monitors/{}", world.acme.monitor)).await;
    assert_eq!(monitor.status, StatusCode::OK, "not deleted by eve");
    let paused: bool = sqlx::query_scalar("SELECT paused FROM monitors WHERE id = $1")
        .bind(world.acme.monitor)
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(!paused, "not paused by eve");
    let pending: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL",
    )
    .bind(world.acme.workspace)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(pending, 1, "Acme's invitation is not revoked");
    assert_eq!(
        world.app.role("Acme", "ada@acme.example").await.as_deref(),
        Some("owner")
    );
    assert_eq!(
        eve.get("/dashboard").await.texts("h1"),
        ["Evil Corp"],
        "eve did not switch"
    );
}
