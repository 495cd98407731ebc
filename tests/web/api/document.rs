//! The OpenAPI document against the router: served as generated, version 3.1; every
//! operation it lists is routed (answers neither "no such route" nor 405), and every path
//! serves no method it does not list. The docs page renders it from our own assets.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::client::Api;
use super::world::{World, body_for, operations};
use crate::app::App;

#[tokio::test]
async fn the_document_lists_exactly_the_operations_the_router_serves() {
    let app = App::start_with(None, |config| config.api_requests_per_minute = 1_000_000).await;
    let world = World::build(&app).await;
    let served = Api::new(&app, None).get("/api/v1/openapi.json").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(
        served.json,
        serde_json::to_value(vw_web::api_document()).unwrap()
    );
    assert!(served.json["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(served.json["components"]["securitySchemes"]["token"].is_object());

    let operations = operations();
    let mut paths: Vec<&str> = operations.iter().map(|(_, p)| p.as_str()).collect();
    paths.dedup();
    for (method, template) in &operations {
        let path = world.path(template).unwrap();
        let answer = world
            .acme
            .send(
                Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                &path,
                body_for(method, template).as_ref(),
                &[],
            )
            .await;
        assert_ne!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {template}"
        );
        assert_ne!(answer.code(), "no_such_route", "{method} {template}");
        assert!(
            !answer.status.is_server_error(),
            "{method} {template}: {:?}",
            answer.json
        );
        let documented = &served.json["paths"][template][method];
        assert!(
            documented["responses"][answer.status.as_str()].is_object()
                || documented["responses"]["4XX"].is_object() && answer.status.is_client_error(),
            "{method} {template} answered {} which it does not document",
            answer.status
        );
    }
    // The reverse: a method a path does not list is not served.
    for template in paths {
        let path = world.path(template).unwrap();
        for method in ["get", "post", "put", "patch", "delete"] {
            if operations.iter().any(|(m, p)| m == method && p == template) {
                continue;
            }
            let answer = world
                .acme
                .send(
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    &path,
                    None,
                    &[],
                )
                .await;
            assert_eq!(
                answer.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {template} is served but not documented"
            );
        }
    }
    // Every operation says it needs a token and documents its refusals as problems.
    for (method, template) in &operations {
        let documented = &served.json["paths"][template][method];
        assert_eq!(
            documented["security"][0]["token"],
            Value::Array(vec![]),
            "{method} {template}"
        );
        assert!(
            documented["responses"]["4XX"].is_object(),
            "{method} {template}"
        );
    }
}

#[tokio::test]
async fn the_docs_page_renders_the_document_from_the_binarys_own_assets() {
    let app = App::start().await;
    let browser = app.browser();
    let page = browser.get("/api/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    let scripts: Vec<String> = page
        .body
        .match_indices("src=\"")
        .map(|(at, _)| page.body[at + 5..].split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(
        scripts,
        ["/api/docs/swagger-ui-bundle.js", "/api/docs/init.js"]
    );
    for asset in scripts
        .iter()
        .map(String::as_str)
        .chain(["/api/docs/swagger-ui.css"])
    {
        let got = browser.get(asset).await;
        assert_eq!(got.status, StatusCode::OK, "{asset}");
        assert!(got.body.len() > 100, "{asset}");
    }
    let policy = page.headers["content-security-policy"].to_str().unwrap();
    let scripts = policy
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(!scripts.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"));
}
