//! Same page, two addresses: two providers whose pages serve one Statuspage page id (as
//! `<id>.statuspage.io` and a vendor's own domain do) are one vendor. The one that came first
//! is polled and listed; the other points at it, is polled no more, and its page and monitors
//! show the first one's state, whichever of the two was read first.

use chrono::TimeDelta;
use serde_json::{Value, json};
use uuid::Uuid;
use vw_domain::ProviderId;

use crate::support::pipeline::{self, StatuspageSite, Vendor, add_provider, kinds};
use crate::support::{TestDb, app, seed};

const SUMMARY: &str = "api/v2/summary.json";
/// The fixture's `page.id`.
const GITHUB_PAGE: &str = "kctbh9vrtdwd";

/// (same_as, statuspage_page_id) of a provider.
async fn same_page(db: &TestDb, provider: ProviderId) -> (Option<Uuid>, Option<String>) {
    sqlx::query_as("SELECT same_as, statuspage_page_id FROM providers WHERE id = $1")
        .bind(provider.0)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// The slugs the directory lists.
async fn listed(db: &TestDb) -> Vec<String> {
    vw_store::directory::search(&db.pool, "", 50, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.slug)
        .collect()
}

async fn components_of(db: &TestDb, provider: ProviderId) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM components WHERE provider_id = $1")
        .bind(provider.0)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// An open incident, shaped as the fixture's.
fn open_incident(site: &StatuspageSite, title: &str) -> Value {
    let mut incident = site.summary["incidents"][0].clone();
    incident["id"] = json!("same-page-1");
    incident["name"] = json!(title);
    incident["status"] = json!("investigating");
    incident
}

#[tokio::test]
async fn one_page_at_two_addresses_is_listed_once_and_its_monitors_see_the_first() {
    let db = TestDb::fresh().await;
    let (own_domain, statuspage_io) = (Vendor::start().await, Vendor::start().await);
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    site.publish(&own_domain);
    site.publish(&statuspage_io);
    let first = add_provider(&db, "github", &own_domain.base, Some("statuspage")).await;
    let second = add_provider(&db, "github-io", &statuspage_io.base, Some("statuspage")).await;
    // A workspace already watches the second address.
    let (_, workspace) = seed::workspace(&db.pool, "ops@example.com", "Ops").await;
    let monitor = vw_app::monitors::add(&db.pool, workspace, second)
        .await
        .unwrap();
    let pipeline = pipeline::pipeline(&db);

    assert_eq!(pipeline.poll_due().await.unwrap().len(), 2);
    assert_eq!(
        same_page(&db, first).await,
        (None, Some(GITHUB_PAGE.into()))
    );
    assert_eq!(same_page(&db, second).await, (Some(first.0), None));
    assert_eq!(listed(&db).await, ["github"]);
    let fixture_components = site.summary["components"].as_array().unwrap().len() as i64;
    assert_eq!(components_of(&db, first).await, fixture_components);

    // The vendor opens an incident, on both addresses: only the first is polled.
    site.incidents = vec![open_incident(&site, "Webhooks delayed")];
    site.publish(&own_domain);
    site.publish(&statuspage_io);
    let asked_before = statuspage_io.answers(SUMMARY).len();
    pipeline.clock().advance(TimeDelta::minutes(2));
    assert_eq!(pipeline.poll_due().await.unwrap().len(), 1);
    assert_eq!(statuspage_io.answers(SUMMARY).len(), asked_before);
    assert_eq!(kinds(&db, first).await, ["incident_opened"]);
    assert!(kinds(&db, second).await.is_empty());

    // The monitor on the second shows the first one's components and incidents.
    let shown = vw_store::monitors::watched_provider(&db.pool, workspace, monitor)
        .await
        .unwrap();
    assert_eq!(shown, first);
    let components = vw_store::directory::components(&db.pool, shown)
        .await
        .unwrap();
    assert_eq!(components.len() as i64, fixture_components);
    let active = vw_store::directory::active_incidents(&db.pool, shown)
        .await
        .unwrap();
    let titles: Vec<&str> = active.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["Webhooks delayed"]);
    // And so does the second one's page: it redirects to the first one's.
    let (status, page) = app::get(&db.pool, "/providers/github-io").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(page.contains("Webhooks delayed"), "{page}");
    let (status, location) = app::get_unfollowed(&db.pool, "/providers/github-io").await;
    assert_eq!(status, reqwest::StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(location.as_deref(), Some("/providers/github"));

    // Another workspace starts watching the second address: the first is due at once (its
    // next poll lay ahead, on the test's clock two minutes ahead of the database's).
    let next_poll = || async {
        sqlx::query_scalar::<_, chrono::DateTime<chrono::Utc>>(
            "SELECT next_poll_at FROM poll_state WHERE provider_id = $1",
        )
        .bind(first.0)
        .fetch_one(&db.pool)
        .await
        .unwrap()
    };
    assert!(next_poll().await > chrono::Utc::now());
    let (_, other) = seed::workspace(&db.pool, "dev@example.com", "Dev").await;
    vw_app::monitors::add(&db.pool, other, second)
        .await
        .unwrap();
    assert!(next_poll().await <= chrono::Utc::now());
    assert_eq!(pipeline.poll_due().await.unwrap().len(), 1);
    assert_eq!(statuspage_io.answers(SUMMARY).len(), asked_before);
}

#[tokio::test]
async fn the_provider_that_came_first_takes_the_page_back_when_it_reads_it_later() {
    let db = TestDb::fresh().await;
    let (own_domain, statuspage_io) = (Vendor::start().await, Vendor::start().await);
    let site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    // The vendor's own domain is down at first.
    own_domain.publish_with(
        SUMMARY,
        reqwest::StatusCode::SERVICE_UNAVAILABLE,
        b"down".to_vec(),
        Vec::new(),
    );
    site.publish(&statuspage_io);
    let first = add_provider(&db, "acme", &own_domain.base, Some("statuspage")).await;
    let second = add_provider(&db, "acme-io", &statuspage_io.base, Some("statuspage")).await;
    let (_, workspace) = seed::workspace(&db.pool, "ops@example.com", "Ops").await;
    let monitor = vw_app::monitors::add(&db.pool, workspace, second)
        .await
        .unwrap();
    let pipeline = pipeline::pipeline(&db);

    pipeline.poll_due().await.unwrap();
    // Only the second could be read: it holds the page for now, and both are listed.
    assert_eq!(
        same_page(&db, second).await,
        (None, Some(GITHUB_PAGE.into()))
    );
    assert_eq!(same_page(&db, first).await, (None, None));
    assert_eq!(listed(&db).await, ["acme", "acme-io"]);

    // The own domain answers again; past its backoff, the first reads the same page.
    site.publish(&own_domain);
    pipeline.clock().advance(TimeDelta::minutes(3));
    pipeline.poll_due().await.unwrap();
    assert_eq!(
        same_page(&db, first).await,
        (None, Some(GITHUB_PAGE.into()))
    );
    assert_eq!(same_page(&db, second).await, (Some(first.0), None));
    assert_eq!(listed(&db).await, ["acme"]);
    assert_eq!(
        vw_store::monitors::watched_provider(&db.pool, workspace, monitor)
            .await
            .unwrap(),
        first
    );
    let asked_before = statuspage_io.answers(SUMMARY).len();
    pipeline.clock().advance(TimeDelta::minutes(2));
    assert_eq!(pipeline.poll_due().await.unwrap().len(), 1);
    assert_eq!(statuspage_io.answers(SUMMARY).len(), asked_before);

    // A catalog moves the first to another page: the second is its own again, and polled.
    let moved = json!([{"slug": "acme", "name": "Acme", "homepage": null,
                        "status_url": "https://status.acme.test", "platform": "statuspage"}]);
    vw_app::catalog::import(
        &db.pool,
        &moved.to_string(),
        std::time::Duration::ZERO,
        &mut |_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(same_page(&db, second).await, (None, None));
    assert_eq!(listed(&db).await, ["acme", "acme-io"]);
    assert_eq!(
        vw_store::monitors::watched_provider(&db.pool, workspace, monitor)
            .await
            .unwrap(),
        second
    );
}
