//! The maintenance page, the month and list views, and the user's time zone.

use chrono::{TimeDelta, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use vw_domain::MaintenanceStatus;

use super::world::{maintenance, world};
use crate::app::{App, Page};
use crate::support::seed;

/// The titles on one day of the month grid.
fn on_day(page: &Page, date: &str) -> Vec<String> {
    page.texts(&format!("td[data-date='{date}'] .chip-title"))
}

#[tokio::test]
async fn a_maintenance_page_shows_its_window_status_components_updates_and_source() {
    let app = App::start().await;
    let w = world(&app).await;
    let path = format!("/providers/github/maintenances/{}", w.api_upgrade);
    let page = app.browser().get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), ["API upgrade"]);
    assert_eq!(page.texts("#status"), ["Scheduled"]);
    assert_eq!(
        page.attr("#starts time", "datetime").as_deref(),
        Some("2027-03-10T22:00:00Z")
    );
    assert_eq!(page.texts("#ends time"), ["2027-03-12 01:00 UTC"]);
    assert_eq!(page.texts("#affected li"), ["API Requests"]);
    assert_eq!(
        page.attr("#vendor-source", "href").as_deref(),
        Some("https://www.githubstatus.com/incidents/m-api")
    );
    assert_eq!(page.texts(".update-body strong"), ["the API"]);
    assert!(
        !page.body.contains("<script>alert(1)"),
        "vendor HTML is sanitised"
    );
    assert!(page.texts("#cancelled").is_empty());

    let json: Value = app
        .browser()
        .client
        .get(format!("{}{path}", app.base))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|body| serde_json::from_str(&body).unwrap())
        .unwrap();
    assert_eq!(json["title"], "API upgrade");
    assert_eq!(json["calendar_status"], "scheduled");
    assert_eq!(json["scheduled_until"], "2027-03-12T01:00:00Z");
    assert_eq!(json["components"], serde_json::json!(["api"]));
    assert_eq!(json["updates"][0]["id"], "u1");

    // Cancelled: said so, with when.
    seed::maintenance_gone(&app.db.pool, w.github, "m-api", Utc::now()).await;
    let page = app.browser().get(&path).await;
    assert_eq!(page.texts("#status"), ["Cancelled"]);
    assert_eq!(page.texts("#cancelled time").len(), 1);

    // Another provider's path, a malformed id, an unknown one: 404.
    for wrong in [
        format!("/providers/stripe/maintenances/{}", w.api_upgrade),
        "/providers/github/maintenances/not-a-uuid".to_owned(),
        format!("/providers/github/maintenances/{}", uuid::Uuid::now_v7()),
    ] {
        assert_eq!(
            app.browser().get(&wrong).await.status,
            StatusCode::NOT_FOUND,
            "{wrong}"
        );
    }
}

#[tokio::test]
async fn the_month_shows_watched_maintenances_on_every_day_they_span() {
    let app = App::start().await;
    let w = world(&app).await;
    let march = w.ada.get("/calendar?month=2027-03").await;
    assert_eq!(march.status, StatusCode::OK);
    assert_eq!(march.texts("#month-label"), ["March 2027"]);
    assert_eq!(march.texts("#zone-name"), ["UTC"]);
    // The API's maintenance on each of its three days; one naming no component counts.
    for day in ["2027-03-10", "2027-03-11", "2027-03-12"] {
        assert_eq!(on_day(&march, day), ["API upgrade"], "{day}");
    }
    assert_eq!(on_day(&march, "2027-03-13"), Vec::<String>::new());
    assert_eq!(on_day(&march, "2027-03-20"), ["Network work"]);
    // Not watched: the runners' one, and Stripe's (Bobco's).
    assert!(!march.body.contains("Runner images"));
    assert!(!march.body.contains("Payments failover"));
    assert_eq!(
        march.attr("td[data-date='2027-03-10'] a.chip", "href"),
        Some(format!("/providers/github/maintenances/{}", w.api_upgrade))
    );
    assert_eq!(
        march
            .attr("td[data-date='2027-03-10'] a.chip", "class")
            .as_deref(),
        Some("chip chip-scheduled")
    );
    // The grid: whole weeks from Monday, the neighbours' days marked.
    assert_eq!(
        march
            .attr("tbody tr:first-child td", "data-date")
            .as_deref(),
        Some("2027-03-01")
    );
    assert_eq!(march.texts("tbody tr").len(), 5);
    assert_eq!(
        march.attr("#previous-month", "href").as_deref(),
        Some("/calendar?month=2027-02")
    );
    assert_eq!(
        march.attr("#next-month", "href").as_deref(),
        Some("/calendar?month=2027-04")
    );
    let this_month = Utc::now().format("%Y-%m").to_string();
    assert_eq!(
        march.attr("#this-month", "href"),
        Some(format!("/calendar?month={this_month}"))
    );
    // The whole page is there without JavaScript: no script decides what is shown.
    assert!(march.texts("td.day").len() == 35);

    // Stripe's workspace sees its own, and nothing of GitHub's.
    let bobs = w.bob.get("/calendar?month=2027-03").await;
    assert_eq!(on_day(&bobs, "2027-03-05"), ["Payments failover"]);
    assert!(!bobs.body.contains("API upgrade"));
    assert!(!bobs.body.contains("Network work"));

    // A month that cannot be read is this one; signed out, the calendar asks to sign in.
    let odd = w.ada.get("/calendar?month=2027-13").await;
    assert_eq!(odd.status, StatusCode::OK);
    assert_eq!(
        odd.texts("#month-label"),
        [Utc::now().format("%B %Y").to_string()]
    );
    assert_eq!(
        app.browser().get("/calendar").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_users_time_zone_moves_a_maintenance_to_its_own_day() {
    let app = App::start().await;
    let w = world(&app).await;
    // 23:30 to 23:50 UTC on the 20th is the morning of the 21st in Tokyo.
    let set = w
        .ada
        .submit(
            "/calendar",
            "/settings/time-zone",
            &[
                ("time_zone", "Asia/Tokyo"),
                ("next", "/calendar?month=2027-03"),
            ],
        )
        .await;
    assert_eq!(set.location(), Some("/calendar?month=2027-03"));
    let march = w.ada.follow(&set).await;
    assert_eq!(march.texts("#zone-name"), ["Asia/Tokyo"]);
    assert_eq!(on_day(&march, "2027-03-20"), Vec::<String>::new());
    assert_eq!(on_day(&march, "2027-03-21"), ["Network work"]);
    assert_eq!(
        march.texts("td[data-date='2027-03-21'] .chip-time"),
        ["08:30"]
    );
    // 22:00 UTC on the 10th is the 11th in Tokyo: the API's window there is the 11th and 12th.
    assert_eq!(on_day(&march, "2027-03-10"), Vec::<String>::new());
    assert_eq!(on_day(&march, "2027-03-12"), ["API upgrade"]);

    // The list speaks the same zone.
    let list = w.ada.get("/calendar/list").await;
    assert!(
        list.texts("#upcoming .window")
            .contains(&"Thu 11 Mar 2027 07:00 – Fri 12 Mar 2027 10:00".to_owned()),
        "{:?}",
        list.texts("#upcoming .window")
    );

    // A zone that is not one is refused and changes nothing.
    let bad = w
        .ada
        .submit(
            "/calendar",
            "/settings/time-zone",
            &[("time_zone", "Mars/Olympus"), ("next", "/calendar")],
        )
        .await;
    let page = w.ada.follow(&bad).await;
    assert!(page.texts(".flash p")[0].contains("not a time zone"));
    assert_eq!(page.texts("#zone-name"), ["Asia/Tokyo"]);
}

#[tokio::test]
async fn the_browsers_zone_is_taken_once_and_never_over_a_choice() {
    let app = App::start().await;
    let w = world(&app).await;
    let dashboard = w.ada.get("/dashboard").await;
    // No zone yet: the page carries the form the script sends.
    let token = dashboard
        .attr("#time-zone-auto input[name=csrf_token]", "value")
        .unwrap();
    let auto = |zone: &'static str| {
        let token = token.clone();
        let ada = w.ada.clone();
        async move {
            ada.post_raw(
                "/settings/time-zone",
                &[
                    ("csrf_token", token.as_str()),
                    ("time_zone", zone),
                    ("auto", "1"),
                ],
            )
            .await
        }
    };
    assert_eq!(auto("Europe/Paris").await.status, StatusCode::NO_CONTENT);
    let page = w.ada.get("/calendar").await;
    assert_eq!(page.texts("#zone-name"), ["Europe/Paris"]);
    assert!(
        page.attr("#time-zone-auto", "action").is_none(),
        "asked once"
    );
    // A second report (another browser) does not override it.
    assert_eq!(
        auto("America/New_York").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        w.ada.get("/calendar").await.texts("#zone-name"),
        ["Europe/Paris"]
    );
    assert_eq!(auto("Not/AZone").await.status, StatusCode::BAD_REQUEST);
    // Without the CSRF token: refused.
    let forged = w
        .ada
        .post_raw(
            "/settings/time-zone",
            &[("time_zone", "Asia/Tokyo"), ("auto", "1")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_list_shows_upcoming_first_then_recent() {
    let app = App::start().await;
    let w = world(&app).await;
    let now = Utc::now();
    let iso = |d: TimeDelta| (now + d).to_rfc3339();
    let (tomorrow, next_week, yesterday, long_ago) = (
        iso(TimeDelta::days(1)),
        iso(TimeDelta::days(7)),
        iso(TimeDelta::days(-1)),
        iso(TimeDelta::days(-120)),
    );
    for (id, title, status, start) in [
        ("l1", "Next week", MaintenanceStatus::Scheduled, &next_week),
        ("l2", "Tomorrow", MaintenanceStatus::Scheduled, &tomorrow),
        ("l3", "Yesterday", MaintenanceStatus::Completed, &yesterday),
        ("l4", "Long ago", MaintenanceStatus::Completed, &long_ago),
    ] {
        let m = maintenance(id, title, status, (start, None), &[]);
        seed::maintenance_read(&app.db.pool, w.github, &m, now).await;
    }
    let list = w.ada.get("/calendar/list").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        list.texts("#upcoming .title"),
        ["Tomorrow", "Next week", "API upgrade", "Network work"]
    );
    assert_eq!(list.texts("#recent .title"), ["Yesterday"]);
    assert_eq!(list.texts("#recent .pill"), ["Completed"]);
    assert_eq!(
        list.texts("#upcoming li.maintenance:nth-child(3) .components-named li"),
        ["API Requests"]
    );
    assert!(
        list.texts("#upcoming .provider")
            .iter()
            .all(|p| p == "GitHub")
    );
    let bobs = w.bob.get("/calendar/list").await;
    assert_eq!(bobs.texts("#upcoming .title"), ["Payments failover"]);
    assert!(bobs.texts("#recent .title").is_empty());
}
