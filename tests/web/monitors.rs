//! Monitors on the dashboard: adding them from the directory and by URL, one per provider,
//! the plan's quota (also under concurrency), component filters, pause, resume and delete,
//! odd input, and every route refusing another workspace's ids.

use chrono::{TimeDelta, Utc};
use reqwest::StatusCode;
use vw_domain::{ComponentStatus, Impact, IncidentStatus, ProviderId};

use crate::app::{App, Browser};
use crate::support::seed::{self, Seed};

/// Seeds a provider with GitHub-like components, two in the "Actions" group.
async fn github(app: &App) -> ProviderId {
    let id = seed::provider(&app.db.pool, "github", "GitHub").await;
    use ComponentStatus::{MajorOutage, Operational};
    seed::components(
        &app.db.pool,
        id,
        &[
            ("git", "Git Operations", None, Operational),
            ("runners", "Hosted runners", Some("Actions"), MajorOutage),
            ("cache", "Cache", Some("Actions"), Operational),
            ("api", "API Requests", None, Operational),
        ],
    )
    .await;
    id
}

/// Adds the provider from the dashboard as its search results would; returns the answer.
async fn add(browser: &Browser, slug: &str) -> crate::app::Page {
    browser
        .submit("/dashboard", "/monitors", &[("provider", slug)])
        .await
}

async fn monitors_of(app: &App, workspace: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM monitors m JOIN workspaces w ON w.id = m.workspace_id
         WHERE w.name = $1",
    )
    .bind(workspace)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

fn flash(page: &crate::app::Page) -> String {
    page.texts(".flash p").join(" ")
}

#[tokio::test]
async fn a_provider_found_on_the_dashboard_is_added_once() {
    let app = App::start().await;
    github(&app).await;
    let ada = app.member("ada@example.com", "Acme").await;

    let empty = ada.get("/dashboard").await;
    assert_eq!(empty.texts("#add-monitor h2"), ["Add your first monitor"]);
    assert_eq!(empty.texts("#quota"), ["Free plan · 0 of 5 monitors"]);
    let found = ada.get("/dashboard?q=githb").await;
    assert_eq!(
        found.texts(".result-name"),
        ["GitHub"],
        "a typo still finds it"
    );
    let by_address = ada.get("/dashboard/search?q=status.github").await;
    assert_eq!(
        by_address.texts(".result-name"),
        ["GitHub"],
        "by its page's address"
    );

    let added = add(&ada, "github").await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let monitor_page = ada.follow(&added).await;
    assert_eq!(monitor_page.texts("main h1"), ["GitHub"]);
    assert!(flash(&monitor_page).contains("Monitoring GitHub"));

    let dashboard = ada.get("/dashboard").await;
    assert_eq!(dashboard.texts("#quota"), ["Free plan · 1 of 5 monitors"]);
    assert_eq!(dashboard.texts(".monitor-name"), ["GitHub"]);
    assert_eq!(dashboard.texts(".monitor-row .pill"), ["Major outage"]);
    assert_eq!(
        ada.get("/dashboard?q=github")
            .await
            .texts(".result-list .badge"),
        ["monitored"]
    );

    // Twice: said so, and the first one stays as it is.
    let again = ada.follow(&add(&ada, "github").await).await;
    assert!(
        flash(&again).contains("already monitors"),
        "{}",
        flash(&again)
    );
    assert_eq!(monitors_of(&app, "Acme").await, 1);
    // The provider is due at once, so that the new monitor shows something within seconds.
    let due: bool = sqlx::query_scalar(
        "SELECT next_poll_at <= now() FROM poll_state s JOIN providers p ON p.id = s.provider_id
         WHERE p.slug = 'github'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(due);
}

#[tokio::test]
async fn the_sixth_monitor_on_the_free_plan_is_refused_and_nothing_is_half_made() {
    let app = App::start().await;
    for n in 1..=6 {
        seed::provider(&app.db.pool, &format!("vendor-{n}"), &format!("Vendor {n}")).await;
    }
    let ada = app.member("ada@example.com", "Acme").await;
    for n in 1..=5 {
        assert_eq!(
            add(&ada, &format!("vendor-{n}")).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let refused = ada.follow(&add(&ada, "vendor-6").await).await;
    let message = flash(&refused);
    assert!(message.contains("Free plan allows 5 monitors"), "{message}");
    assert!(
        message.contains("Team: 50") && message.contains("Business: 500"),
        "the way up"
    );
    assert_eq!(monitors_of(&app, "Acme").await, 5);
    assert_eq!(refused.texts("#quota"), ["Free plan · 5 of 5 monitors"]);
}

#[tokio::test]
async fn ten_simultaneous_adds_at_four_of_five_give_exactly_one_monitor() {
    let app = App::start().await;
    for n in 1..=14 {
        seed::provider(&app.db.pool, &format!("vendor-{n}"), &format!("Vendor {n}")).await;
    }
    let ada = app.member("ada@example.com", "Acme").await;
    for n in 1..=4 {
        add(&ada, &format!("vendor-{n}")).await;
    }
    let token = ada.get("/dashboard").await.csrf_token();
    let mut adds = tokio::task::JoinSet::new();
    for n in 5..=14 {
        let (ada, token) = (ada.clone(), token.clone());
        adds.spawn(async move {
            let slug = format!("vendor-{n}");
            ada.post_raw(
                "/monitors",
                &[("csrf_token", token.as_str()), ("provider", slug.as_str())],
            )
            .await
        });
    }
    let answers = adds.join_all().await;
    let to_monitor = answers
        .iter()
        .filter(|a| a.location().is_some_and(|l| l.starts_with("/monitors/")))
        .count();
    assert_eq!(to_monitor, 1, "exactly one of ten got through");
    assert_eq!(monitors_of(&app, "Acme").await, 5);
}

#[tokio::test]
async fn a_downgrade_keeps_every_monitor_and_refuses_new_ones_until_under_the_limit() {
    let app = App::start().await;
    for n in 1..=8 {
        seed::provider(&app.db.pool, &format!("vendor-{n}"), &format!("Vendor {n}")).await;
    }
    let ada = app.member("ada@example.com", "Acme").await;
    let workspace = vw_app::workspaces::find(&app.db.pool, "ada@example.com")
        .await
        .unwrap();
    vw_app::workspaces::set_plan(&app.db.pool, workspace, "team")
        .await
        .unwrap();
    for n in 1..=7 {
        add(&ada, &format!("vendor-{n}")).await;
    }
    assert_eq!(
        ada.get("/dashboard").await.texts("#quota"),
        ["Team plan · 7 of 50 monitors"]
    );

    vw_app::workspaces::set_plan(&app.db.pool, workspace, "free")
        .await
        .unwrap();
    assert_eq!(monitors_of(&app, "Acme").await, 7, "nothing is taken away");
    let refused = ada.follow(&add(&ada, "vendor-8").await).await;
    assert!(flash(&refused).contains("Free plan allows 5"));

    // Three deleted: 4 of 5, room for one again.
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM monitors ORDER BY id LIMIT 3")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    for id in ids {
        let path = format!("/monitors/{id}/delete");
        assert_eq!(
            ada.submit(&path, &path, &[]).await.status,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        add(&ada, "vendor-8")
            .await
            .location()
            .map(|l| l.starts_with("/monitors/")),
        Some(true)
    );
    assert!(
        vw_app::workspaces::set_plan(&app.db.pool, workspace, "platinum")
            .await
            .is_err(),
        "an unknown plan is refused"
    );
}

#[tokio::test]
async fn the_component_filter_decides_what_the_monitor_shows() {
    let app = App::start().await;
    let provider = github(&app).await;
    let ada = app.member("ada@example.com", "Acme").await;
    let monitor = ada.follow(&add(&ada, "github").await).await;
    let path = monitor
        .attr("#component-filter", "action")
        .unwrap()
        .trim_end_matches("/components")
        .to_owned();

    // Listed by group (in the order the vendor first lists them), with their status.
    assert_eq!(monitor.texts("#components legend bdi"), ["Actions"]);
    assert_eq!(
        monitor.texts(".component-boxes .component-name"),
        ["Git Operations", "API Requests", "Hosted runners", "Cache"]
    );
    assert_eq!(
        monitor.texts(".component-boxes .pill"),
        ["Operational", "Operational", "Major outage", "Operational"]
    );

    // Only the API: operational, whatever the runners do.
    let saved = ada
        .submit(
            &path,
            &format!("{path}/components"),
            &[("scope", "chosen"), ("component", "api")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let dashboard = ada.get("/dashboard").await;
    assert_eq!(dashboard.texts(".monitor-row .pill"), ["Operational"]);
    assert_eq!(dashboard.texts(".monitor-head .badge"), ["filtered"]);

    // Incidents: one on the runners is not this monitor's; one naming nothing is.
    let now = Utc::now();
    for (id, title, components) in [
        ("inc-runners", "Runners down", &["runners"][..]),
        ("inc-all", "Everything slow", &[][..]),
        ("inc-api", "API errors", &["api"][..]),
    ] {
        seed::incident(
            &app.db.pool,
            provider,
            Seed {
                vendor_id: id,
                title,
                impact: Some(Impact::Major),
                status: Some(IncidentStatus::Investigating),
                started: Some(now - TimeDelta::minutes(30)),
                resolved: None,
                components,
                detected: now - TimeDelta::minutes(29),
                backfilled: false,
                updates: &[],
            },
        )
        .await;
    }
    let mut shown = ada
        .get("/dashboard")
        .await
        .texts(".monitor-row .incident-list a");
    shown.sort();
    assert_eq!(
        shown,
        ["API errors", "Everything slow"],
        "the runners' one left out"
    );

    // The whole Actions group: the runners count, and a component that joins it later too.
    ada.submit(
        &path,
        &format!("{path}/components"),
        &[("scope", "chosen"), ("group", "Actions")],
    )
    .await;
    let dashboard = ada.get("/dashboard").await;
    assert_eq!(dashboard.texts(".monitor-row .pill")[0], "Major outage");
    use ComponentStatus::{MajorOutage, Operational};
    seed::components(
        &app.db.pool,
        provider,
        &[
            ("runners", "Hosted runners", Some("Actions"), Operational),
            ("cache", "Cache", Some("Actions"), Operational),
            ("artifacts", "Artifacts", Some("Actions"), MajorOutage),
        ],
    )
    .await;
    let page = ada.get(&path).await;
    assert!(
        page.texts(".component-boxes li.watched .component-name")
            .contains(&"Artifacts".to_owned())
    );
    assert_eq!(
        ada.get("/dashboard").await.texts(".monitor-row .pill")[0],
        "Major outage"
    );

    // A chosen component the vendor removes is said to be gone, not dropped.
    ada.submit(
        &path,
        &format!("{path}/components"),
        &[("scope", "chosen"), ("component", "cache")],
    )
    .await;
    seed::components(
        &app.db.pool,
        provider,
        &[("git", "Git Operations", None, Operational)],
    )
    .await;
    let page = ada.get(&path).await;
    assert_eq!(
        page.texts("#gone legend"),
        ["No longer on the vendor's page"]
    );
    assert_eq!(page.texts("#gone bdi"), ["cache"]);

    // Back to all.
    ada.submit(&path, &format!("{path}/components"), &[("scope", "all")])
        .await;
    assert!(
        ada.get("/dashboard")
            .await
            .texts(".monitor-head .badge")
            .is_empty()
    );
}

#[tokio::test]
async fn a_paused_monitor_shows_nothing_new_and_a_deleted_one_asks_first() {
    let app = App::start().await;
    github(&app).await;
    let ada = app.member("ada@example.com", "Acme").await;
    let monitor = ada.follow(&add(&ada, "github").await).await;
    let path = monitor
        .attr("#component-filter", "action")
        .unwrap()
        .trim_end_matches("/components")
        .to_owned();

    ada.submit(&path, &format!("{path}/pause"), &[]).await;
    let dashboard = ada.get("/dashboard").await;
    assert_eq!(dashboard.texts(".monitor-row .pill"), ["Paused"]);
    let paused: bool = sqlx::query_scalar("SELECT paused FROM monitors")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(paused);
    ada.submit(&path, &format!("{path}/resume"), &[]).await;
    assert_eq!(
        ada.get("/dashboard").await.texts(".monitor-row .pill"),
        ["Major outage"]
    );

    let confirm = ada.get(&format!("{path}/delete")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.texts("main h1")[0].starts_with("Delete the monitor of"));
    assert_eq!(monitors_of(&app, "Acme").await, 1, "asking deletes nothing");
    ada.submit(&format!("{path}/delete"), &format!("{path}/delete"), &[])
        .await;
    assert_eq!(monitors_of(&app, "Acme").await, 0);
    assert_eq!(ada.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn odd_input_gets_a_clear_message_and_changes_nothing() {
    let app = App::start().await;
    github(&app).await;
    let ada = app.member("ada@example.com", "Acme").await;

    let ftp = ada
        .follow(
            &ada.submit(
                "/dashboard",
                "/monitors/by-url",
                &[("url", "ftp://status.example.com")],
            )
            .await,
        )
        .await;
    assert!(flash(&ftp).contains("http or https"), "{}", flash(&ftp));
    let unknown = add(&ada, "no-such-vendor").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let nul = add(&ada, "git\u{0}hub").await;
    assert_eq!(nul.status, StatusCode::NOT_FOUND);
    let huge = "x".repeat(10 * 1024 * 1024);
    let big = ada
        .submit("/dashboard", "/monitors/by-url", &[("url", huge.as_str())])
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        ada.get("/dashboard?q=a%00b").await.status,
        StatusCode::BAD_REQUEST
    );

    let monitor = ada.follow(&add(&ada, "github").await).await;
    let path = monitor.attr("#component-filter", "action").unwrap();
    let bogus = ada
        .submit(
            "/dashboard",
            &path,
            &[("scope", "chosen"), ("component", "not-a-component")],
        )
        .await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST);
    assert!(bogus.body.contains("not a component of this page"));
    let bogus_group = ada
        .submit(
            "/dashboard",
            &path,
            &[("scope", "chosen"), ("group", "Nope")],
        )
        .await;
    assert_eq!(bogus_group.status, StatusCode::BAD_REQUEST);
    let filter: bool = sqlx::query_scalar("SELECT all_components FROM monitors")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(filter, "nothing changed");
    assert_eq!(monitors_of(&app, "Acme").await, 1);
}

#[tokio::test]
async fn another_workspaces_monitors_answer_404_on_every_route() {
    let app = App::start().await;
    github(&app).await;
    let ada = app.member("ada@example.com", "Acme").await;
    let eve = app.member("eve@example.com", "Evil").await;
    let monitor = ada.follow(&add(&ada, "github").await).await;
    let path = monitor
        .attr("#component-filter", "action")
        .unwrap()
        .trim_end_matches("/components")
        .to_owned();
    let request = ada
        .submit(
            "/dashboard",
            "/monitors/by-url",
            &[("url", "https://status.unknown.example")],
        )
        .await;
    let request_path = request.location().unwrap().to_owned();
    assert!(request_path.starts_with("/monitors/requests/"));

    for get in [path.clone(), format!("{path}/delete"), request_path.clone()] {
        assert_eq!(
            eve.get(&get).await.status,
            StatusCode::NOT_FOUND,
            "GET {get}"
        );
    }
    for post in ["components", "pause", "resume", "delete"] {
        let answer = eve
            .submit("/dashboard", &format!("{path}/{post}"), &[("scope", "all")])
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "POST {post}");
    }
    assert!(
        eve.get("/dashboard")
            .await
            .texts(".monitor-name")
            .is_empty()
    );
    let (paused, all): (bool, bool) = sqlx::query_as("SELECT paused, all_components FROM monitors")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(!paused && all);
    assert_eq!(monitors_of(&app, "Acme").await, 1);
    assert_eq!(ada.get(&path).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_pasted_url_is_checked_by_a_job_and_its_page_follows_it() {
    let app = App::start().await;
    let vendor = crate::support::pipeline::Vendor::start().await;
    crate::support::pipeline::StatuspageSite::from_fixture("github-summary-major-2026-07-24.json")
        .publish(&vendor);
    let ada = app.member("ada@example.com", "Acme").await;
    let pipeline = crate::support::pipeline::pipeline(&app.db);

    let asked = ada
        .submit(
            "/dashboard",
            "/monitors/by-url",
            &[("url", &format!("{}api/v2/summary.json", vendor.base))],
        )
        .await;
    let request = asked.location().unwrap().to_owned();
    let checking = ada.get(&request).await;
    assert!(checking.texts("main h1")[0].starts_with("Checking"));
    let body = ada
        .client
        .get(format!("{}{request}", ada.base))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["state"], "checking");
    assert_eq!(
        ada.get("/dashboard")
            .await
            .texts("#add-monitor .notice a")
            .len(),
        1,
        "the dashboard says it is being checked"
    );
    assert_eq!(
        monitors_of(&app, "Acme").await,
        0,
        "nothing fetched on the request's path"
    );

    assert_eq!(pipeline.detect_requested().await.unwrap(), 1);
    let done = ada.get(&request).await;
    assert_eq!(done.texts("main h1"), ["Monitor added"]);
    assert_eq!(monitors_of(&app, "Acme").await, 1);
    assert_eq!(
        pipeline.poll_due().await.unwrap().len(),
        1,
        "polled at once"
    );

    // The same page under another spelling is the same provider: no second one, no job.
    let again = ada
        .submit(
            "/dashboard",
            "/monitors/by-url",
            &[("url", vendor.base.trim_end_matches('/'))],
        )
        .await;
    let shown = ada.follow(&again).await;
    assert!(
        flash(&shown).contains("already monitors"),
        "{}",
        flash(&shown)
    );
    let providers: i64 = sqlx::query_scalar("SELECT count(*) FROM providers")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(providers, 1);
}

#[tokio::test]
async fn a_url_that_is_no_status_page_ends_its_request_saying_what_was_tried() {
    let app = App::start().await;
    let vendor = crate::support::pipeline::Vendor::start().await;
    vendor.publish("", b"<html><body>just a blog</body></html>".to_vec());
    let ada = app.member("ada@example.com", "Acme").await;
    let asked = ada
        .submit(
            "/dashboard",
            "/monitors/by-url",
            &[("url", vendor.base.as_str())],
        )
        .await;
    let request = asked.location().unwrap().to_owned();
    crate::support::pipeline::pipeline(&app.db)
        .detect_requested()
        .await
        .unwrap();
    let failed = ada.get(&request).await;
    assert_eq!(failed.texts("main h1"), ["Not added"]);
    let why = failed.texts("#request-status").join(" ");
    assert!(
        why.contains("not a status page") && why.contains("tried"),
        "{why}"
    );
    assert_eq!(monitors_of(&app, "Acme").await, 0);
}

#[tokio::test]
async fn a_private_address_is_refused_unless_the_operator_allows_it() {
    let app = App::start().await;
    let vendor = crate::support::pipeline::Vendor::start().await;
    crate::support::pipeline::StatuspageSite::from_fixture("github-summary-major-2026-07-24.json")
        .publish(&vendor);
    let ada = app.member("ada@example.com", "Acme").await;
    let asked = ada
        .submit(
            "/dashboard",
            "/monitors/by-url",
            &[("url", vendor.base.as_str())],
        )
        .await;
    let request = asked.location().unwrap().to_owned();
    // Production's policy: private targets refused.
    let guarded = vw_jobs::pipeline::Pipeline::new(
        app.db.pool.clone(),
        vw_jobs::poll::PollConfig::default(),
        vw_jobs::Clock::adjustable(),
    )
    .unwrap();
    guarded.detect_requested().await.unwrap();
    let failed = ada.get(&request).await;
    let why = failed.texts("#request-status").join(" ");
    assert!(why.contains("loopback") && why.contains("private"), "{why}");
    assert!(
        vendor.answers("api/v2/summary.json").is_empty(),
        "nothing reached it"
    );
}
