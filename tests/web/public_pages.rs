//! The public directory, provider pages and incident pages, as a visitor (no sign-in) and a
//! JSON client see them, on providers, components and incidents seeded the way the poller
//! stores them.

mod seed;

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, VARY};
use serde_json::{Value, json};
use uuid::Uuid;

use self::seed::{HOSTILE, seed};
use crate::app::App;

/// RFC 3339 in UTC, as the JSON prints whole seconds.
fn iso(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

async fn get_json(app: &App, path: &str) -> (StatusCode, HeaderMap, Value) {
    let response = app
        .browser()
        .client
        .get(format!("{}{path}", app.base))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.text().await.unwrap();
    let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (status, headers, value)
}

#[tokio::test]
async fn the_directory_finds_providers_by_part_of_their_name_or_a_typo() {
    let app = App::start().await;
    seed(&app.db.pool).await;
    let visitor = app.browser();
    let names = |page: &crate::app::Page| page.texts("#providers tbody td:first-child");

    let all = visitor.get("/providers").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(names(&all), ["DigitalOcean", "GitHub", "GitLab", "Stripe"]);
    assert_eq!(
        all.texts("#providers tbody td:nth-child(2) .pill"),
        [
            "Not checked yet",
            "Major outage",
            "Status page unreadable",
            "Not checked yet"
        ]
    );
    assert_eq!(
        all.texts("#providers .badge-alert"),
        ["1 active incident", "1 active incident"]
    );
    assert_eq!(
        all.attr("#providers a", "href").as_deref(),
        Some("/providers/digitalocean")
    );
    assert!(
        all.texts("nav.nav a").contains(&"Providers".to_owned()),
        "the nav links the directory"
    );

    // Names starting with the query come first, then names containing it.
    let git = visitor.get("/providers?q=git").await;
    assert_eq!(names(&git), ["GitHub", "GitLab", "DigitalOcean"]);
    assert_eq!(git.attr("input[name=q]", "value").as_deref(), Some("git"));
    assert_eq!(
        names(&visitor.get("/providers?q=%20GITHUB%20").await),
        ["GitHub"]
    );
    assert_eq!(names(&visitor.get("/providers?q=githib").await), ["GitHub"]);
    assert_eq!(names(&visitor.get("/providers?q=strpe").await), ["Stripe"]);
    // LIKE's wildcards are plain characters in a query.
    let wildcard = visitor.get("/providers?q=%25").await;
    assert_eq!(names(&wildcard), Vec::<String>::new());
    assert!(wildcard.body.contains("No provider matches “%”."));
    assert_eq!(
        names(&visitor.get("/providers?q=git&page=abc").await),
        ["GitHub", "GitLab", "DigitalOcean"],
        "an unreadable page number is the first page"
    );

    let (status, headers, json) = get_json(&app, "/providers?q=git").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[VARY], "Accept");
    assert_eq!(json["query"], "git");
    assert_eq!(json["page"], 1);
    assert_eq!(json["next_page"], Value::Null);
    let slugs: Vec<&str> = json["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["github", "gitlab", "digitalocean"]);
    assert_eq!(json["providers"][0]["status"], "major_outage");
    assert_eq!(json["providers"][0]["open_incidents"], 1);
    assert_eq!(json["providers"][1]["status"], "operational");
    assert_eq!(json["providers"][2]["last_checked_at"], Value::Null);
}

#[tokio::test]
async fn the_directory_pages_fifty_at_a_time() {
    let app = App::start().await;
    sqlx::query(
        "INSERT INTO providers (id, slug, name, status_url, canonical_url)
         SELECT gen_random_uuid(), 'vendor-' || n, format('Vendor %s', lpad(n::text, 2, '0')),
                'https://s' || n || '.example', 'https://s' || n || '.example'
         FROM generate_series(1, 52) AS n",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let visitor = app.browser();
    let first = visitor.get("/providers").await;
    let rows = first.texts("#providers tbody td:first-child");
    assert_eq!(rows.len(), 50);
    assert_eq!(rows[0], "Vendor 01");
    assert_eq!(rows[49], "Vendor 50");
    assert_eq!(first.attr("a[rel=prev]", "href"), None);
    assert_eq!(
        first.attr("a[rel=next]", "href").as_deref(),
        Some("/providers?page=2")
    );
    let second = visitor.get("/providers?page=2").await;
    assert_eq!(
        second.texts("#providers tbody td:first-child"),
        ["Vendor 51", "Vendor 52"]
    );
    assert_eq!(
        second.attr("a[rel=prev]", "href").as_deref(),
        Some("/providers?page=1")
    );
    assert_eq!(second.attr("a[rel=next]", "href"), None);
    let searched = visitor.get("/providers?q=vendor").await;
    assert_eq!(
        searched.attr("a[rel=next]", "href").as_deref(),
        Some("/providers?q=vendor&page=2")
    );
}

#[tokio::test]
async fn a_provider_page_shows_components_incidents_maintenances_and_changes() {
    let app = App::start().await;
    let w = seed(&app.db.pool).await;
    let page = app.browser().get("/providers/github").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), ["GitHub"]);
    assert_eq!(page.texts("#provider-state"), ["Major outage"]);
    assert_eq!(
        page.attr("#last-checked time", "datetime").as_deref(),
        Some(iso(w.now - TimeDelta::minutes(1)).as_str())
    );
    assert!(page.attr("#last-checked time", "data-local").is_some());
    assert!(page.texts("#unreachable").is_empty());

    // Ungrouped components first (the vendor listed one first), then the Actions group.
    assert_eq!(page.texts("#components h3"), ["Actions"]);
    assert_eq!(
        page.texts("#components .component-name"),
        ["Git Operations", "API Requests", "Hosted runners", "Cache"]
    );
    assert_eq!(
        page.texts("#components .pill"),
        [
            "Operational",
            "Operational",
            "Major outage",
            "Degraded performance"
        ]
    );

    let ongoing_href = format!("/providers/github/incidents/{}", w.ongoing);
    assert_eq!(
        page.texts("#active-incidents li a"),
        ["Actions runs delayed"]
    );
    assert_eq!(
        page.attr("#active-incidents li a", "href").as_deref(),
        Some(ongoing_href.as_str())
    );

    // The last 90 days, newest first; the quiet one is closed by its last update.
    assert_eq!(
        page.texts("#history tbody td:first-child a"),
        [
            "Actions runs delayed",
            "Webhooks delayed",
            "Pages builds failing",
            "Degraded API latency"
        ]
    );
    assert_eq!(
        page.texts("#history td.duration"),
        [
            "ongoing",
            "unknown",
            "unknown: the vendor gives an end 45m before the start",
            "2h 5m"
        ]
    );
    let hrefs: Vec<String> = scraper::Html::parse_document(&page.body)
        .select(&scraper::Selector::parse("#history tbody td:first-child a").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert_eq!(
        hrefs,
        [w.ongoing, w.quiet, w.backwards, w.resolved]
            .map(|id| format!("/providers/github/incidents/{id}"))
    );
    assert!(!page.body.contains("An old outage"));

    assert_eq!(page.texts("#maintenances li a"), ["Database upgrade"]);
    let events: Vec<String> = page
        .texts("#events li")
        .iter()
        .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let at = |minutes| utc(w.now - TimeDelta::hours(2) + TimeDelta::minutes(minutes));
    assert_eq!(
        events,
        [
            format!(
                "{} Component status changed: Hosted runners: Operational → major outage",
                at(2)
            ),
            format!("{} Incident opened: Actions runs delayed", at(1)),
        ]
    );
    assert_eq!(
        page.attr("#events li a", "href").as_deref(),
        Some(ongoing_href.as_str())
    );

    let gitlab = app.browser().get("/providers/gitlab").await;
    assert_eq!(gitlab.texts("#provider-state"), ["Status page unreadable"]);
    let notice = gitlab.texts("#unreachable").join(" ");
    assert!(
        notice.starts_with(&format!(
            "vendorwatch cannot read this status page since {}.",
            utc(w.gitlab_down_since)
        )),
        "{notice}"
    );
    assert_eq!(gitlab.texts("#active-incidents li a"), ["GitLab outage"]);
}

#[tokio::test]
async fn a_provider_page_as_json() {
    let app = App::start().await;
    let w = seed(&app.db.pool).await;
    let (status, headers, json) = get_json(&app, "/providers/github").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "application/json");
    assert_eq!(headers[VARY], "Accept");
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "active_incidents",
            "components",
            "homepage",
            "id",
            "incidents",
            "last_checked_at",
            "last_read_error",
            "last_read_partial",
            "name",
            "platform",
            "recent_events",
            "slug",
            "status",
            "status_url",
            "unreachable",
            "unreachable_since",
            "upcoming_maintenances"
        ]
    );
    assert_eq!(json["slug"], "github");
    assert_eq!(json["last_read_error"], Value::Null, "github reads fine");
    assert_eq!(json["last_read_partial"], false);
    assert_eq!(json["status"], "major_outage");
    assert_eq!(json["status_url"], "https://status.github.example");
    assert_eq!(json["last_checked_at"], iso(w.now - TimeDelta::minutes(1)));
    assert_eq!(json["unreachable"], false);
    assert_eq!(json["unreachable_since"], Value::Null);
    assert_eq!(
        json["components"][1],
        json!({"id": "runners", "name": "Hosted runners", "group": "Actions",
               "status": "major_outage"})
    );
    assert_eq!(json["components"].as_array().unwrap().len(), 4);
    let ids = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&json["active_incidents"]), [w.ongoing.to_string()]);
    assert_eq!(
        ids(&json["incidents"]),
        [w.ongoing, w.quiet, w.backwards, w.resolved].map(|id| id.to_string())
    );
    assert!(!ids(&json["incidents"]).contains(&w.old.to_string()));
    assert_eq!(
        json["incidents"][3],
        json!({
            "id": w.resolved,
            "vendor_id": "inc-api",
            "title": "Degraded API latency",
            "impact": "minor",
            "status": "resolved",
            "started_at": iso(w.t),
            "resolved_at": iso(w.t + TimeDelta::minutes(125)),
            "url": "https://status.example/incidents/inc-api",
            "components": ["api"],
            "detected_at": iso(w.t + TimeDelta::minutes(3)),
            "backfilled": false,
            "duration_seconds": 7500,
        })
    );
    assert_eq!(
        json["incidents"][1]["status"], "resolved",
        "from its update"
    );
    assert_eq!(json["incidents"][1]["duration_seconds"], Value::Null);
    let maintenances = json["upcoming_maintenances"].as_array().unwrap();
    assert_eq!(maintenances.len(), 1);
    assert_eq!(maintenances[0]["title"], "Database upgrade");
    assert_eq!(maintenances[0]["status"], "scheduled");
    assert_eq!(
        maintenances[0]["scheduled_for"],
        iso(w.now + TimeDelta::days(3))
    );
    let events = json["recent_events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["event"]["kind"], "component_status_changed");
    assert_eq!(events[0]["incident_id"], Value::Null);
    assert_eq!(events[1]["event"]["kind"], "incident_opened");
    assert_eq!(events[1]["event"]["incident_id"], "inc-runners");
    assert_eq!(events[1]["incident_id"], w.ongoing.to_string());

    let (_, _, gitlab) = get_json(&app, "/providers/gitlab").await;
    assert_eq!(gitlab["unreachable"], true);
    assert_eq!(gitlab["unreachable_since"], iso(w.gitlab_down_since));
    assert_eq!(
        ids(&gitlab["active_incidents"]),
        [w.gitlab_incident.to_string()]
    );
}

#[tokio::test]
async fn an_incident_page_shows_its_times_sums_and_timeline() {
    let app = App::start().await;
    let w = seed(&app.db.pool).await;
    let visitor = app.browser();

    let resolved = visitor
        .get(&format!("/providers/github/incidents/{}", w.resolved))
        .await;
    assert_eq!(resolved.status, StatusCode::OK);
    assert_eq!(resolved.texts("h1"), ["Degraded API latency"]);
    assert_eq!(resolved.texts("#severity"), ["minor"]);
    assert_eq!(resolved.texts("#status"), ["Resolved"]);
    assert_eq!(resolved.texts("#started"), [utc(w.t)]);
    assert_eq!(
        resolved.attr("#started time", "datetime").as_deref(),
        Some(iso(w.t).as_str())
    );
    assert!(resolved.attr("#started time", "data-local").is_some());
    assert_eq!(
        resolved.texts("#resolved"),
        [utc(w.t + TimeDelta::minutes(125))]
    );
    assert_eq!(resolved.texts("#duration"), ["2h 5m"]);
    assert_eq!(
        resolved.texts("#detected"),
        [format!(
            "Detected by vendorwatch {}",
            utc(w.t + TimeDelta::minutes(3))
        )]
    );
    assert_eq!(resolved.texts("#vendor-lag"), ["12m after the start"]);
    assert_eq!(resolved.texts("#affected li"), ["API Requests"]);
    assert_eq!(
        resolved.texts("#timeline .update-status"),
        ["Investigating", "Resolved"],
        "oldest first"
    );
    assert_eq!(
        resolved.texts("#timeline .update-body"),
        ["Slow API calls.", "All good now."]
    );
    assert_eq!(
        resolved.attr("#vendor-source", "href").as_deref(),
        Some("https://status.example/incidents/inc-api")
    );
    assert_eq!(resolved.texts("#vendor-source"), ["View vendor source →"]);
    assert_eq!(
        resolved.attr(".crumbs a:nth-child(2)", "href").as_deref(),
        Some("/providers/github")
    );

    let ongoing = visitor
        .get(&format!("/providers/github/incidents/{}", w.ongoing))
        .await;
    assert_eq!(ongoing.texts("#duration"), ["ongoing"]);
    assert_eq!(ongoing.texts("#resolved"), ["not yet"]);
    assert_eq!(ongoing.texts("#status"), ["Identified"]);
    assert_eq!(ongoing.texts("#vendor-lag"), ["7m after the start"]);
    assert_eq!(
        ongoing.texts("#affected li"),
        ["Actions / Hosted runners", "gone-component"]
    );
    let hostile = scraper::Html::parse_document(&ongoing.body);
    let body = hostile
        .select(&scraper::Selector::parse("#timeline .update-body").unwrap())
        .nth(1)
        .unwrap()
        .inner_html();
    assert!(
        body.contains("<strong>identified</strong>"),
        "Markdown is rendered: {body}"
    );
    assert!(
        body.contains("the cause.<br>"),
        "line breaks are kept: {body}"
    );
    for dropped in ["<script", "alert(1)", "<img", "onerror", "javascript:"] {
        assert!(!body.contains(dropped), "{dropped} survived: {body}");
    }

    let backwards = visitor
        .get(&format!("/providers/github/incidents/{}", w.backwards))
        .await;
    let start = w.t + TimeDelta::days(1);
    assert_eq!(backwards.texts("#started"), [utc(start)]);
    assert_eq!(
        backwards.texts("#resolved"),
        [utc(start - TimeDelta::minutes(45))],
        "shown as the vendor gave it"
    );
    assert_eq!(
        backwards.texts("#duration"),
        ["⚠ unknown: the vendor gives an end 45m before the start"]
    );
    assert_eq!(
        backwards.attr("#duration", "class").as_deref(),
        Some("flagged")
    );
    assert_eq!(
        backwards.texts("#detected"),
        [format!(
            "Detected by vendorwatch {} (already closed when first seen)",
            utc(start + TimeDelta::days(1))
        )]
    );
    assert_eq!(backwards.texts("#vendor-lag"), ["at the start"]);
    assert_eq!(backwards.texts("#affected"), ["none named by the vendor"]);
}

#[tokio::test]
async fn an_incident_as_json() {
    let app = App::start().await;
    let w = seed(&app.db.pool).await;
    let (status, headers, resolved) =
        get_json(&app, &format!("/providers/github/incidents/{}", w.resolved)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[VARY], "Accept");
    let (t, m) = (w.t, TimeDelta::minutes);
    assert_eq!(
        resolved,
        json!({
            "id": w.resolved,
            "vendor_id": "inc-api",
            "title": "Degraded API latency",
            "impact": "minor",
            "status": "resolved",
            "started_at": iso(t),
            "resolved_at": iso(t + m(125)),
            "url": "https://status.example/incidents/inc-api",
            "components": ["api"],
            "updates": [
                {"id": "a1", "status": "investigating", "body": "Slow API calls.",
                 "posted_at": iso(t + m(12)), "detected_at": iso(t + m(12))},
                {"id": "a2", "status": "resolved", "body": "All good now.",
                 "posted_at": iso(t + m(125)), "detected_at": iso(t + m(125))},
            ],
            "detected_at": iso(t + m(3)),
            "backfilled": false,
            "duration_seconds": 7500,
            "resolved_before_started": false,
            "vendor_lag_seconds": 720,
        })
    );

    let (_, _, ongoing) =
        get_json(&app, &format!("/providers/github/incidents/{}", w.ongoing)).await;
    assert_eq!(ongoing["status"], "identified");
    assert_eq!(ongoing["resolved_at"], Value::Null);
    assert_eq!(ongoing["duration_seconds"], Value::Null);
    assert_eq!(ongoing["vendor_lag_seconds"], 420);
    assert_eq!(
        ongoing["updates"][1]["body"], HOSTILE,
        "JSON gives the text as written"
    );

    let (_, _, backwards) = get_json(
        &app,
        &format!("/providers/github/incidents/{}", w.backwards),
    )
    .await;
    let start = w.t + TimeDelta::days(1);
    assert_eq!(backwards["started_at"], iso(start));
    assert_eq!(
        backwards["resolved_at"],
        iso(start - TimeDelta::minutes(45))
    );
    assert_eq!(backwards["duration_seconds"], Value::Null);
    assert_eq!(backwards["resolved_before_started"], true);
    assert_eq!(backwards["vendor_lag_seconds"], 0);
    assert_eq!(backwards["backfilled"], true);
    assert_eq!(backwards["impact"], "critical");

    let (_, _, quiet) = get_json(&app, &format!("/providers/github/incidents/{}", w.quiet)).await;
    assert_eq!(quiet["status"], "resolved");
    assert_eq!(quiet["impact"], Value::Null);
    assert_eq!(quiet["duration_seconds"], Value::Null);
    assert_eq!(quiet["vendor_lag_seconds"], 0);
}

#[tokio::test]
async fn unknown_providers_and_incidents_are_404_in_html_and_json() {
    let app = App::start().await;
    let w = seed(&app.db.pool).await;
    let visitor = app.browser();
    let missing = [
        "/providers/no-such-vendor".to_owned(),
        format!("/providers/no-such-vendor/incidents/{}", w.resolved),
        format!("/providers/github/incidents/{}", Uuid::now_v7()),
        // GitLab's incident under GitHub's address.
        format!("/providers/github/incidents/{}", w.gitlab_incident),
        "/providers/github/incidents/123".to_owned(),
        "/providers/github/incidents/not-a-uuid".to_owned(),
    ];
    for path in &missing {
        let page = visitor.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(page.texts("h1"), ["Not found"], "{path}");
        assert!(!page.body.contains("GitLab outage"), "{path}");

        let (status, headers, json) = get_json(&app, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[CONTENT_TYPE], "application/json");
        assert_eq!(json, json!({"error": "not found"}), "{path}");
    }
    let right_home = visitor
        .get(&format!(
            "/providers/gitlab/incidents/{}",
            w.gitlab_incident
        ))
        .await;
    assert_eq!(right_home.status, StatusCode::OK);
}

#[tokio::test]
async fn signed_in_visitors_see_the_same_pages_with_their_nav() {
    let app = App::start().await;
    let w = seed(&app.db.pool).await;
    let member = app.member("ada@example.com", "Acme").await;
    let page = member
        .get(&format!("/providers/github/incidents/{}", w.resolved))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("#duration"), ["2h 5m"]);
    assert!(
        page.texts("nav.nav button")
            .contains(&"Sign out".to_owned())
    );
    let anonymous = app.browser().get("/providers/github").await;
    assert!(anonymous.texts("nav.nav a").contains(&"Log in".to_owned()));
}
