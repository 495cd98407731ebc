//! A hostile or broken vendor, read through the real pipeline: a NUL byte and a broken date
//! lose nothing else, what cannot be stored is a counted failure shown on the page, a page
//! that breaks for a while keeps its platform, and a body built to be slow to render costs
//! its rendering once, when written.

use chrono::TimeDelta;
use serde_json::{Value, json};
use vw_domain::ProviderId;

use crate::support::TestDb;
use crate::support::app;
use crate::support::pipeline::{self, StatuspageSite, Vendor, add_provider, kinds};

/// A new incident on the site, shaped as the fixture's open one.
fn incident(site: &StatuspageSite, id: &str, title: &str, body: &str) -> Value {
    let mut incident = site.summary["incidents"][0].clone();
    let mut update = incident["incident_updates"][0].clone();
    update["id"] = json!(format!("{id}-u1"));
    update["body"] = json!(body);
    update["status"] = json!("investigating");
    incident["id"] = json!(id);
    incident["name"] = json!(title);
    incident["status"] = json!("investigating");
    incident["incident_updates"] = json!([update]);
    incident
}

async fn poll_state(db: &TestDb, provider: ProviderId) -> (i32, Option<String>, bool, bool) {
    sqlx::query_as(
        "SELECT failures, last_error_kind, lease_id IS NULL, last_read_partial
         FROM poll_state WHERE provider_id = $1",
    )
    .bind(provider.0)
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_page_with_a_nul_and_a_bad_date_keeps_being_read_and_says_so() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    let nul = incident(&site, "nul", "Actions\u{0} down", "Looking\u{0} into it");
    let mut broken = incident(&site, "broken", "Broken date", "x");
    broken["created_at"] = json!("2026-13-45T99:99:99Z");
    site.incidents = vec![nul, broken];
    site.publish(&vendor);
    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let pipeline = pipeline::pipeline(&db);

    pipeline.poll_due().await.unwrap();
    let titles: Vec<String> =
        sqlx::query_scalar("SELECT title FROM incidents WHERE provider_id = $1 ORDER BY title")
            .bind(provider.0)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert!(titles.contains(&"Actions down".to_owned()), "{titles:?}");
    assert!(
        !titles
            .iter()
            .any(|t| t.contains('\u{0}') || t == "Broken date")
    );
    let (failures, _, released, partial) = poll_state(&db, provider).await;
    assert_eq!((failures, released, partial), (0, true, true));

    // The vendor opens another incident: it is read and announced, the broken one still
    // skipped.
    let fresh = incident(&site, "fresh", "Webhooks delayed", "Delays");
    site.incidents.push(fresh);
    site.publish(&vendor);
    pipeline.clock().advance(TimeDelta::minutes(2));
    pipeline.poll_due().await.unwrap();
    assert_eq!(kinds(&db, provider).await, ["incident_opened"]);

    let (status, page) = app::get(&db.pool, "/providers/github").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(
        page.contains("id=\"read-partial\""),
        "the page says part was skipped"
    );
    assert!(page.contains("Webhooks delayed"));
}

#[tokio::test]
async fn what_cannot_be_stored_is_a_counted_failure_shown_on_the_page() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    site.publish(&vendor);
    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let pipeline = pipeline::pipeline(&db);
    pipeline.poll_due().await.unwrap();

    // The database refuses this one title (standing for any error a write can meet).
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.title = 'boom' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
         CREATE TRIGGER refuse_boom BEFORE INSERT OR UPDATE ON incidents
         FOR EACH ROW EXECUTE FUNCTION refuse_boom();",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    site.incidents.push(incident(&site, "boom", "boom", "x"));
    site.publish(&vendor);
    pipeline.clock().advance(TimeDelta::minutes(2));
    pipeline.poll_due().await.unwrap();

    let (failures, kind, released, _) = poll_state(&db, provider).await;
    assert_eq!(failures, 1);
    assert_eq!(kind.as_deref(), Some("database"));
    assert!(released, "the lease is handed back, not left to run out");
    assert!(
        kinds(&db, provider).await.is_empty(),
        "nothing of the read was written"
    );
    let (_, page) = app::get(&db.pool, "/providers/github").await;
    assert!(page.contains("id=\"read-failed\""));
    assert!(page.contains("could not be stored"));

    // Once the database takes it, the next poll (after the backoff) writes it.
    sqlx::raw_sql("DROP TRIGGER refuse_boom ON incidents")
        .execute(&db.pool)
        .await
        .unwrap();
    pipeline.clock().advance(TimeDelta::minutes(2));
    pipeline.poll_due().await.unwrap();
    assert_eq!(kinds(&db, provider).await, ["incident_opened"]);
    assert_eq!(poll_state(&db, provider).await.0, 0);
}

#[tokio::test]
async fn a_page_that_answers_html_for_a_while_keeps_its_platform() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    site.publish(&vendor);
    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let pipeline = pipeline::pipeline(&db);
    pipeline.poll_due().await.unwrap();

    // An outage: every path answers the vendor's HTML error page.
    for path in [
        "api/v2/summary.json",
        "api/v2/incidents.json",
        "api/v2/scheduled-maintenances.json",
        "history.atom",
    ] {
        vendor.publish(
            path,
            b"<!doctype html><h1>Down for maintenance</h1>".to_vec(),
        );
    }
    for _ in 0..3 {
        pipeline.clock().advance(TimeDelta::minutes(5));
        pipeline.poll_due().await.unwrap();
    }
    let platform: Option<String> =
        sqlx::query_scalar("SELECT platform FROM providers WHERE id = $1")
            .bind(provider.0)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        platform.as_deref(),
        Some("statuspage"),
        "an outage is not a move"
    );

    site.publish(&vendor);
    pipeline.clock().advance(TimeDelta::minutes(5));
    pipeline.poll_due().await.unwrap();
    assert_eq!(
        poll_state(&db, provider).await.0,
        0,
        "read again once healthy"
    );
}

#[tokio::test]
async fn a_body_built_to_be_slow_is_rendered_once_and_shown_as_text() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    site.publish(&vendor);
    add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let pipeline = pipeline::pipeline(&db);
    pipeline.poll_due().await.unwrap();

    let divs = format!("{}deep{}", "<div>".repeat(4_000), "</div>".repeat(4_000));
    site.incidents
        .push(incident(&site, "slow", "Nested", &divs));
    site.publish(&vendor);
    pipeline.clock().advance(TimeDelta::minutes(2));
    pipeline.poll_due().await.unwrap();

    let html: Option<String> = sqlx::query_scalar(
        "SELECT u.body_html FROM incident_updates u JOIN incidents i ON i.id = u.incident_id
         WHERE i.vendor_id = 'slow'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let html = html.expect("rendered when written");
    assert!(
        html.starts_with("<p>&lt;div&gt;"),
        "shown as text: {}",
        &html[..40]
    );
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM incidents WHERE vendor_id = 'slow'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (status, page) = app::get(&db.pool, &format!("/providers/github/incidents/{id}")).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(page.contains("&lt;div&gt;&lt;div&gt;"));
    assert!(!page.contains("<div><div>"));
}

#[tokio::test]
async fn a_megabyte_title_is_cut_and_a_bidi_override_is_isolated_on_the_pages() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    let rlo = "Git\u{202e}snoitarepO";
    site.summary["components"][0]["name"] = json!(rlo);
    site.incidents.push(incident(
        &site,
        "huge",
        &"very long title ".repeat(70_000),
        "x",
    ));
    site.publish(&vendor);
    add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let pipeline = pipeline::pipeline(&db);
    pipeline.poll_due().await.unwrap();

    let (title, id): (String, uuid::Uuid) =
        sqlx::query_as("SELECT title, id FROM incidents WHERE vendor_id = 'huge'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(
        title.chars().count() <= 300,
        "{} chars",
        title.chars().count()
    );
    assert!(vw_domain::was_cut(&title));
    let (_, page) = app::get(&db.pool, &format!("/providers/github/incidents/{id}")).await;
    assert!(
        page.contains("id=\"cut\""),
        "the page says it was cut and links the rest"
    );
    assert!(page.contains("read all of it on the vendor"));

    let (_, page) = app::get(&db.pool, "/providers/github").await;
    assert!(
        page.contains(&format!("<bdi class=\"component-name\">{rlo}</bdi>")),
        "the override stays inside its own isolate"
    );
}
