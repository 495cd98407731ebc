//! What scripts read: the directory (search, pages stable under inserts, one provider by
//! group), the monitored providers' incidents with every filter and their timelines, the
//! maintenances and the calendar's window.

use chrono::{TimeDelta, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use vw_app::api_tokens::Scope;
use vw_domain::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus};

use super::client::{Api, assert_problem};
use crate::app::App;
use crate::support::seed::{self, Seed};

fn slugs(answer: &Value) -> Vec<String> {
    answer["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_directory_pages_by_name_without_repeating_or_skipping_across_inserts() {
    let app = App::start().await;
    let (_, acme) = seed::workspace(&app.db.pool, "ada@example.com", "Acme").await;
    for (slug, name) in [
        ("bravo", "Bravo"),
        ("delta", "Delta"),
        ("foxtrot", "Foxtrot"),
    ] {
        seed::provider(&app.db.pool, slug, name).await;
    }
    let api = Api::for_workspace(&app, acme, Scope::Read).await;
    let first = api.get("/api/v1/providers?limit=2").await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.json);
    assert_eq!(slugs(&first.json), ["bravo", "delta"]);
    let next = first.json["next"].as_str().unwrap().to_owned();
    assert!(
        next.starts_with("/api/v1/providers?limit=2&cursor="),
        "{next}"
    );
    // Added meanwhile, before and after the cursor: the next page neither repeats nor skips.
    seed::provider(&app.db.pool, "alpha", "Alpha").await;
    seed::provider(&app.db.pool, "echo", "Echo").await;
    let second = api.get(&next).await;
    assert_eq!(slugs(&second.json), ["echo", "foxtrot"]);
    assert_eq!(second.json["next"], Value::Null);

    let found = api.get("/api/v1/providers?q=fox").await;
    assert_eq!(slugs(&found.json), ["foxtrot"]);
    let near = api.get("/api/v1/providers?q=foxtrott").await;
    assert_eq!(slugs(&near.json), ["foxtrot"], "a typo still finds it");
    assert_problem(
        &api.get("/api/v1/providers?limit=0").await,
        StatusCode::BAD_REQUEST,
        "invalid",
    );
    let bad_cursor = api.get("/api/v1/providers?cursor=AAAA").await;
    assert_problem(&bad_cursor, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(bad_cursor.json["errors"][0]["field"], "cursor");
}

#[tokio::test]
async fn a_provider_comes_with_its_components_by_group_and_its_status() {
    let app = App::start().await;
    let (_, acme) = seed::workspace(&app.db.pool, "ada@example.com", "Acme").await;
    let github = seed::provider(&app.db.pool, "github", "GitHub").await;
    seed::components(
        &app.db.pool,
        github,
        &[
            (
                "git",
                "Git Operations",
                Some("Core"),
                ComponentStatus::Operational,
            ),
            ("actions", "Actions", None, ComponentStatus::PartialOutage),
            (
                "api",
                "API Requests",
                Some("Core"),
                ComponentStatus::Operational,
            ),
        ],
    )
    .await;
    let api = Api::for_workspace(&app, acme, Scope::Read).await;
    let got = api.get("/api/v1/providers/github").await;
    assert_eq!(got.status, StatusCode::OK, "{:?}", got.json);
    assert_eq!(got.json["status"], "partial_outage");
    assert_eq!(got.json["status_page"], "https://status.github.example");
    assert_eq!(
        got.json["groups"],
        json!([
            {"name": "Core", "components": [
                {"id": "git", "name": "Git Operations", "status": "operational"},
                {"id": "api", "name": "API Requests", "status": "operational"},
            ]},
            {"name": null, "components": [
                {"id": "actions", "name": "Actions", "status": "partial_outage"},
            ]},
        ])
    );
    let etag = got.header("etag").unwrap().to_owned();
    let same = api
        .send(
            Method::GET,
            "/api/v1/providers/github",
            None,
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    assert_problem(
        &api.get("/api/v1/providers/nobody").await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[tokio::test]
async fn incidents_of_monitored_providers_are_filtered_and_carry_their_timeline() {
    let app = App::start().await;
    let pool = &app.db.pool;
    let (_, acme) = seed::workspace(pool, "ada@example.com", "Acme").await;
    let github = seed::provider(pool, "github", "GitHub").await;
    let stripe = seed::provider(pool, "stripe", "Stripe").await;
    let unwatched = seed::provider(pool, "elsewhere", "Elsewhere").await;
    seed::components(
        pool,
        github,
        &[
            ("git", "Git", None, ComponentStatus::Operational),
            ("pages", "Pages", None, ComponentStatus::Operational),
        ],
    )
    .await;
    let now = Utc::now();
    let hours = |h: i64| now - TimeDelta::hours(h);
    let incident = |vendor_id, title, impact, started, resolved, components| Seed {
        vendor_id,
        title,
        impact: Some(impact),
        status: None,
        started: Some(started),
        resolved,
        components,
        detected: started,
        backfilled: false,
        updates: &[],
    };
    let open_git = seed::incident(
        pool,
        github,
        Seed {
            updates: &[
                (
                    "u1",
                    Some(IncidentStatus::Investigating),
                    "Looking into it",
                    Some(hours(3)),
                ),
                (
                    "u2",
                    Some(IncidentStatus::Identified),
                    "Found it",
                    Some(hours(2)),
                ),
            ],
            ..incident("g1", "Git is slow", Impact::Major, hours(3), None, &["git"])
        },
    )
    .await;
    seed::incident(
        pool,
        github,
        incident(
            "g2",
            "Pages down",
            Impact::Minor,
            hours(30),
            Some(hours(29)),
            &["pages"],
        ),
    )
    .await;
    seed::incident(
        pool,
        stripe,
        incident(
            "s1",
            "Payments delayed",
            Impact::Critical,
            hours(5),
            Some(hours(4)),
            &[],
        ),
    )
    .await;
    seed::incident(
        pool,
        unwatched,
        incident("e1", "Not ours", Impact::Major, hours(1), None, &[]),
    )
    .await;
    let api = Api::for_workspace(&app, acme, Scope::Write).await;
    let github_monitor = api
        .post("/api/v1/monitors", &json!({"provider": "github"}))
        .await;
    api.post("/api/v1/monitors", &json!({"provider": "stripe"}))
        .await;
    api.patch(
        &format!(
            "/api/v1/monitors/{}",
            github_monitor.json["id"].as_str().unwrap()
        ),
        &json!({"components": {"all": false, "components": ["git"]}}),
    )
    .await;

    let titles = |answer: &Value| -> Vec<String> {
        answer["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = api.get("/api/v1/incidents").await;
    assert_eq!(all.status, StatusCode::OK, "{:?}", all.json);
    assert_eq!(
        titles(&all.json),
        ["Git is slow", "Payments delayed", "Pages down"],
        "newest first, only the monitored providers'"
    );
    let first = &all.json["data"][0];
    assert_eq!(
        first["provider"],
        json!({"slug": "github", "name": "GitHub"})
    );
    assert_eq!(first["impact"], "major");
    assert_eq!(first["status"], "identified");
    assert_eq!(first["components"], json!(["git"]));
    assert_eq!(first["duration_seconds"], Value::Null, "open");
    assert_eq!(
        titles(&api.get("/api/v1/incidents?state=open").await.json),
        ["Git is slow"]
    );
    assert_eq!(
        titles(&api.get("/api/v1/incidents?state=resolved").await.json),
        ["Payments delayed", "Pages down"]
    );
    assert_eq!(
        titles(&api.get("/api/v1/incidents?provider=stripe").await.json),
        ["Payments delayed"]
    );
    assert_eq!(
        titles(
            &api.get("/api/v1/incidents?severity=critical,minor")
                .await
                .json
        ),
        ["Payments delayed", "Pages down"]
    );
    let since = (now - TimeDelta::hours(10)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(
        titles(
            &api.get(&format!("/api/v1/incidents?since={since}"))
                .await
                .json
        ),
        ["Git is slow", "Payments delayed"]
    );
    // GitHub's monitor watches git only; Stripe's incident names no component (all of it).
    assert_eq!(
        titles(&api.get("/api/v1/incidents?watched=true").await.json),
        ["Git is slow", "Payments delayed"]
    );
    let paged = api.get("/api/v1/incidents?limit=2").await;
    assert_eq!(titles(&paged.json), ["Git is slow", "Payments delayed"]);
    let rest = api.get(paged.json["next"].as_str().unwrap()).await;
    assert_eq!(titles(&rest.json), ["Pages down"]);
    for wrong in [
        "state=closed",
        "severity=huge",
        "since=yesterday",
        "watched=maybe",
    ] {
        assert_problem(
            &api.get(&format!("/api/v1/incidents?{wrong}")).await,
            StatusCode::BAD_REQUEST,
            "invalid",
        );
    }

    let one = api.get(&format!("/api/v1/incidents/{open_git}")).await;
    assert_eq!(one.status, StatusCode::OK, "{:?}", one.json);
    assert_eq!(one.json["title"], "Git is slow");
    let bodies: Vec<&str> = one.json["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["Looking into it", "Found it"]);
    assert_eq!(one.json["provider"]["slug"], "github");
    // The shape is the public page's JSON, with the provider added.
    let public = reqwest::Client::new()
        .get(format!(
            "{}/providers/github/incidents/{open_git}",
            app.base
        ))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let public: Value = serde_json::from_slice(&public).unwrap();
    for (field, value) in public.as_object().unwrap() {
        assert_eq!(&one.json[field], value, "{field}");
    }
    let not_ours: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM incidents WHERE vendor_id = 'e1'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_problem(
        &api.get(&format!("/api/v1/incidents/{not_ours}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[tokio::test]
async fn maintenances_and_the_calendar_window() {
    let app = App::start().await;
    let pool = &app.db.pool;
    let (_, acme) = seed::workspace(pool, "ada@example.com", "Acme").await;
    let github = seed::provider(pool, "github", "GitHub").await;
    let now = Utc::now();
    let days = |d: i64| now + TimeDelta::days(d);
    seed::maintenance(
        pool,
        github,
        "Database upgrade",
        MaintenanceStatus::Scheduled,
        (days(2), days(2) + TimeDelta::hours(2)),
        false,
    )
    .await;
    seed::maintenance(
        pool,
        github,
        "Network work",
        MaintenanceStatus::Scheduled,
        (days(40), days(40) + TimeDelta::hours(1)),
        false,
    )
    .await;
    seed::maintenance(
        pool,
        github,
        "Called off",
        MaintenanceStatus::Scheduled,
        (days(3), days(3) + TimeDelta::hours(1)),
        true,
    )
    .await;
    let api = Api::for_workspace(&app, acme, Scope::Write).await;
    assert_eq!(
        api.get("/api/v1/maintenances").await.json["data"],
        json!([]),
        "not monitored yet"
    );
    api.post("/api/v1/monitors", &json!({"provider": "github"}))
        .await;

    let listed = api.get("/api/v1/maintenances").await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.json);
    let titles: Vec<&str> = listed.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Network work", "Called off", "Database upgrade"]);
    assert!(
        listed.json["data"][0].get("updates").is_none(),
        "lists leave the timeline out"
    );
    let open = api.get("/api/v1/maintenances?state=open").await;
    assert_eq!(
        open.json["data"].as_array().unwrap().len(),
        2,
        "the cancelled one is not open"
    );
    let id = listed.json["data"][2]["id"].as_str().unwrap();
    let one = api.get(&format!("/api/v1/maintenances/{id}")).await;
    assert_eq!(one.json["title"], "Database upgrade");
    assert_eq!(one.json["calendar_status"], "scheduled");
    assert_eq!(one.json["updates"], json!([]));

    let window = api.get("/api/v1/calendar").await;
    assert_eq!(window.status, StatusCode::OK, "{:?}", window.json);
    let on_calendar: Vec<(&str, &str)> = window.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["title"].as_str().unwrap(), m["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        on_calendar,
        [
            ("Database upgrade", "scheduled"),
            ("Called off", "cancelled")
        ],
        "the next 30 days, by start"
    );
    let to = days(60).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let wider = api.get(&format!("/api/v1/calendar?to={to}")).await;
    assert_eq!(wider.json["data"].as_array().unwrap().len(), 3);
    let far = days(500).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_problem(
        &api.get(&format!("/api/v1/calendar?to={far}")).await,
        StatusCode::BAD_REQUEST,
        "invalid",
    );
}
