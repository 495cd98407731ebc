//! A vendor whose incident, maintenance and component carry script tags, event handlers,
//! `javascript:` links, control characters and a very long update, read through the real
//! poll, and every page that shows them (provider, incident, maintenance, monitor, dashboard,
//! calendar month and list): nothing of it runs, nothing of it links anywhere, and it is still
//! shown, as text. The channels' renderers get the same strings in
//! `crates/notify/tests/limits.rs`.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::app::App;
use crate::support::pipeline::{self, StatuspageSite, Vendor, add_provider};

const TITLE: &str = "<script>alert('title')</script><img src=x onerror=alert('img')> Outage";
const COMPONENT: &str = "API\"><svg onload=alert('component')>";

/// An update body in Markdown and HTML with every trick, a control character or two, and
/// then enough of it to be long.
fn body(marker: &str) -> String {
    let tricks = format!(
        "{marker} <script>alert(1)</script> <img src=x onerror=alert(2)> \
         [click](javascript:alert(3)) <a href=\"javascript:alert(4)\" onclick=\"alert(5)\">a</a> \
         <a href=\" JaVaScRiPt:alert(6)\">b</a> <iframe src=\"https://evil.example\"></iframe> \
         <form action=\"https://evil.example\"><button formaction=\"javascript:alert(7)\">x</button></form> \
         \u{1b}[31m\u{7}\u{8} <style>body{{display:none}}</style> <div style=\"background:url(javascript:alert(8))\">s</div>\n\n"
    );
    tricks.repeat(400)
}

fn maintenance() -> Value {
    // Under way since a moment ago: in this month's calendar whenever the test runs.
    let start = Utc::now() - Duration::minutes(10);
    json!({
        "id": "hostile-m", "name": TITLE, "status": "in_progress",
        "created_at": Utc::now(), "updated_at": Utc::now(), "monitoring_at": null,
        "resolved_at": null, "impact": "maintenance", "shortlink": "https://stspg.io/x",
        "started_at": Utc::now(), "page_id": "x",
        "incident_updates": [{
            "id": "hostile-mu", "status": "in_progress", "body": body("maintenance-body"),
            "incident_id": "hostile-m", "created_at": Utc::now(), "updated_at": Utc::now(),
            "display_at": Utc::now(), "affected_components": null,
            "deliver_notifications": true, "custom_tweet": null, "tweet_id": null
        }],
        "components": [],
        "scheduled_for": start, "scheduled_until": start + Duration::hours(2)
    })
}

/// What must hold of every page showing vendor text.
fn harmless(html: &str, what: &str) {
    assert!(
        !html
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
        "{what}: a control character reached the page"
    );
    let document = Html::parse_document(html);
    let all = Selector::parse("*").unwrap();
    for element in document.select(&all) {
        let name = element.value().name();
        assert!(
            !matches!(
                name,
                "iframe" | "object" | "embed" | "svg" | "style" | "img" | "base"
            ),
            "{what}: a <{name}> element"
        );
        if name == "script" {
            let src = element.value().attr("src").unwrap_or_default();
            assert!(
                src.starts_with("/static/"),
                "{what}: a script not ours: {src:?}"
            );
        }
        for (attribute, value) in element.value().attrs() {
            assert!(
                !attribute.starts_with("on"),
                "{what}: an event handler {attribute}={value:?} on <{name}>"
            );
            assert!(attribute != "style", "{what}: an inline style on <{name}>");
            let value: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(
                !value.starts_with("javascript:") && !value.starts_with("vbscript:"),
                "{what}: {attribute}={value:?} on <{name}>"
            );
            if matches!(attribute, "href" | "src" | "action" | "formaction") {
                assert!(
                    !value.contains("evil.example"),
                    "{what}: a link to the vendor's choice: {value:?}"
                );
            }
        }
    }
}

/// The page's visible text.
fn text(html: &str) -> String {
    Html::parse_document(html).root_element().text().collect()
}

#[tokio::test]
async fn hostile_vendor_text_is_shown_harmlessly_on_every_page() {
    let app = App::start().await;
    let ada = app.member("ada@acme.example", "Acme").await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    site.summary["components"][0]["name"] = json!(COMPONENT);
    let mut incident = site.summary["incidents"][0].clone();
    incident["id"] = json!("hostile-i");
    incident["name"] = json!(TITLE);
    incident["status"] = json!("investigating");
    let mut update = incident["incident_updates"][0].clone();
    update["id"] = json!("hostile-iu");
    update["status"] = json!("investigating");
    update["body"] = json!(body("incident-body"));
    incident["incident_updates"] = json!([update]);
    site.incidents = vec![incident];
    site.publish(&vendor);
    let maintenance = maintenance();
    let mut summary: Value = site.summary.clone();
    summary["incidents"] = json!(site.incidents);
    summary["scheduled_maintenances"] = json!([maintenance]);
    vendor.publish_json("api/v2/summary.json", &summary);
    vendor.publish_json(
        "api/v2/scheduled-maintenances.json",
        &json!({"page": site.summary["page"], "scheduled_maintenances": [maintenance]}),
    );

    let provider = add_provider(&app.db, "github", &vendor.base, Some("statuspage")).await;
    let workspace: uuid::Uuid = sqlx::query_scalar("SELECT id FROM workspaces WHERE name = 'Acme'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let monitor = vw_app::monitors::add(&app.db.pool, vw_domain::WorkspaceId(workspace), provider)
        .await
        .unwrap();
    pipeline::pipeline(&app.db).poll_due().await.unwrap();

    let id = |table: &'static str| {
        let pool = app.db.pool.clone();
        async move {
            let sql = format!(
                "SELECT id FROM {table} WHERE provider_id = $1 AND vendor_id LIKE 'hostile-%'"
            );
            sqlx::query_scalar::<_, uuid::Uuid>(sqlx::AssertSqlSafe(sql))
                .bind(provider.0)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let incident = id("incidents").await;
    let maintenance = id("maintenances").await;
    // Each page, and the vendor's words it must still show (as text).
    let pages = [
        ("/providers/github".to_owned(), vec!["Outage", COMPONENT]),
        (
            format!("/providers/github/incidents/{incident}"),
            vec!["Outage", "incident-body", "alert(3)"],
        ),
        (
            format!("/providers/github/maintenances/{maintenance}"),
            vec!["Outage", "maintenance-body", "alert(3)"],
        ),
        (format!("/monitors/{}", monitor.0), vec![COMPONENT]),
        ("/dashboard".to_owned(), vec!["Outage"]),
        ("/dashboard/monitors".to_owned(), vec!["Outage"]),
        ("/calendar".to_owned(), vec!["Outage"]),
        ("/calendar/list".to_owned(), vec!["Outage"]),
    ];
    for (path, words) in pages {
        let page = ada.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        harmless(&page.body, &path);
        let shown = text(&page.body);
        for word in words {
            assert!(shown.contains(word), "{path} shows {word:?}, as text");
        }
    }
    let incident_page = text(
        &ada.get(&format!("/providers/github/incidents/{incident}"))
            .await
            .body,
    );
    assert!(
        incident_page.contains("<script>alert('title')</script>"),
        "the title is shown as the vendor wrote it, as text"
    );
}
