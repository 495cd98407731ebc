//! Addresses no link of ours makes: NUL and other control characters in a search or in a
//! provider's slug are the visitor's mistake (400 for a query, 404 for a path), never a
//! failure of ours (500, logged as an error).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::app::App;
use crate::support::seed;

async fn get(app: &App, path: &str, accept: &str) -> (StatusCode, String) {
    let response = app
        .browser()
        .client
        .get(format!("{}{path}", app.base))
        .header("accept", accept)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_control_character_in_a_search_is_a_bad_request() {
    let app = App::start().await;
    seed::provider(&app.db.pool, "github", "GitHub").await;
    for query in ["q=%00", "q=git%00hub", "q=git%01", "q=%7F", "page=2&q=%1B"] {
        let path = format!("/providers?{query}");
        let (status, body) = get(&app, &path, "text/html").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert!(body.contains("Bad request"), "{path}: {body}");

        let (status, body) = get(&app, &path, "application/json").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json, json!({"error": "bad request"}), "{path}");
    }
    // The first `q` is the search; a later one is ignored, as it always was.
    let (status, _) = get(&app, "/providers?q=git&q=%00", "text/html").await;
    assert_eq!(status, StatusCode::OK);
    // Tabs and line breaks typed around a search are still trimmed off, as before.
    let (status, body) = get(&app, "/providers?q=%09GitHub%0A", "text/html").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("/providers/github"), "{body}");
}

#[tokio::test]
async fn a_control_character_in_a_slug_is_not_found() {
    let app = App::start().await;
    seed::provider(&app.db.pool, "github", "GitHub").await;
    let incident = uuid::Uuid::now_v7();
    for slug in [
        "%00",
        "github%00",
        "git%00hub",
        "github%01",
        "GitHub",
        "github%20",
    ] {
        for path in [
            format!("/providers/{slug}"),
            format!("/providers/{slug}/incidents/{incident}"),
        ] {
            let (status, body) = get(&app, &path, "text/html").await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
            assert!(body.contains("Not found"), "{path}: {body}");

            let (status, body) = get(&app, &path, "application/json").await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            let json: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(json, json!({"error": "not found"}), "{path}");
        }
    }
    let (status, _) = get(&app, "/providers/github", "text/html").await;
    assert_eq!(status, StatusCode::OK, "the real slug still answers");
}
