//! No token reaches another workspace's data, for every operation of the API: the list is the
//! OpenAPI document's (so a new route is covered, or this test fails naming it). With Evil
//! Corp's token, every one of Acme's ids answers 404, changes nothing, and no list shows any
//! of them. The directory of providers is public and is the only exception.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::client::assert_problem;
use super::world::{World, body_for, operations};
use crate::app::App;

#[tokio::test]
async fn every_operation_keeps_another_workspaces_ids_out_of_reach() {
    let app = App::start_with(None, |config| config.api_requests_per_minute = 1_000_000).await;
    let world = World::build(&app).await;
    let before = world.acme.get("/api/v1/groups").await.json;
    let mut covered = Vec::new();
    for (method, template) in operations() {
        let path = world
            .path(&template)
            .unwrap_or_else(|| panic!("{template}: the tenancy test has no id for this path"));
        let answer = world
            .eve
            .send(
                Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                &path,
                body_for(&method, &template).as_ref(),
                &[],
            )
            .await;
        let text = answer.json.to_string();
        if template.contains("{slug}") {
            // The public directory: the same for every workspace.
            assert_eq!(answer.status, StatusCode::OK, "{method} {template}");
        } else if template.contains('{') {
            assert_problem(&answer, StatusCode::NOT_FOUND, "not_found");
        } else {
            assert!(
                answer.status.is_success() || answer.status.is_client_error(),
                "{method} {template}: {:?}",
                answer.json
            );
        }
        for id in world.acme_ids() {
            assert!(
                !text.contains(id),
                "{method} {template} shows Acme's {id}: {text}"
            );
        }
        covered.push(format!("{} {template}", method.to_uppercase()));
    }
    println!(
        "tenancy covered {} operations:\n{}",
        covered.len(),
        covered.join("\n")
    );
    assert!(covered.len() >= 20, "{covered:?}");
    // Acme's things are as they were.
    assert_eq!(world.acme.get("/api/v1/groups").await.json, before);
    let monitors = world.acme.get("/api/v1/monitors").await;
    assert_eq!(monitors.json["data"].as_array().unwrap().len(), 1);
    // Evil Corp's own lists hold only what its calls made (one monitor of GitHub, a group).
    let eves = world.eve.get("/api/v1/monitors").await;
    assert_eq!(
        eves.json["data"][0]["provider"],
        json!({"slug": "github", "name": "GitHub", "status": "operational"})
    );
}
