//! An incident walked through its life on a fake Statuspage vendor: investigating → identified
//! → resolved → postmortem, one poll or more per step. Each change is exactly one event, with
//! our own detection time; unchanged polls cost a 304 and write nothing.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::TestDb;
use crate::support::pipeline::Vendor;
use crate::support::pipeline::{
    StatuspageSite, Workers, add_provider, config, events, kinds, more_polls, polls_done,
    wait_until,
};

const SUMMARY: &str = "api/v2/summary.json";

/// A new update on top of the incident, as the vendor's next post (constructed by the test:
/// no fixture holds an `identified` or `postmortem` GitHub update).
fn post(incident: &mut Value, id: &str, status: &str, body: &str, at: DateTime<Utc>) {
    let update = json!({
        "id": id, "status": status, "body": body,
        "incident_id": incident["id"], "created_at": at, "updated_at": at, "display_at": at,
        "affected_components": null, "deliver_notifications": true,
        "custom_tweet": null, "tweet_id": null
    });
    incident["incident_updates"]
        .as_array_mut()
        .unwrap()
        .insert(0, update);
    incident["status"] = json!(status);
    incident["updated_at"] = json!(at);
    if status == "resolved" {
        incident["resolved_at"] = json!(at);
    }
}

async fn one_more_event(
    db: &TestDb,
    provider: vw_domain::ProviderId,
    expected: usize,
) -> DateTime<Utc> {
    wait_until(&format!("event #{expected}"), 30, || async {
        events(db, provider).await.len() >= expected
    })
    .await;
    Utc::now()
}

#[tokio::test]
async fn an_incident_walked_through_its_life_makes_one_event_per_change() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    // The fixture's open incident, cut back to its first (oldest) update.
    let mut incident = site.summary["incidents"][0].clone();
    let first = incident["incident_updates"]
        .as_array()
        .unwrap()
        .last()
        .cloned()
        .unwrap();
    incident["incident_updates"] = json!([first]);
    incident["status"] = json!("investigating");
    site.publish(&vendor);

    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let workers = Workers::start(&db, config(std::time::Duration::from_secs(3600)));

    // The baseline: the page as it is, nothing announced.
    wait_until("the baseline poll", 30, || async {
        polls_done(&db, provider).await.is_some()
    })
    .await;
    let components: i64 =
        sqlx::query_scalar("SELECT count(*) FROM components WHERE provider_id = $1")
            .bind(provider.0)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let fixture_components = site.summary["components"].as_array().unwrap().len() as i64;
    assert_eq!(components, fixture_components);
    assert!(
        kinds(&db, provider).await.is_empty(),
        "a baseline announces nothing"
    );

    // Opened.
    site.incidents = vec![incident.clone()];
    let changed = Utc::now();
    site.publish(&vendor);
    let seen = one_more_event(&db, provider, 1).await;
    let opened = &events(&db, provider).await[0];
    assert_eq!(opened.kind, "incident_opened");
    assert!(
        opened.detected_at >= changed && opened.detected_at <= seen,
        "detected between publish and sight"
    );

    // Identified, with a component flipping at the same time.
    post(
        &mut incident,
        "lc-identified",
        "identified",
        "We have identified the cause.",
        Utc::now(),
    );
    site.incidents = vec![incident.clone()];
    site.summary["components"][0]["status"] = json!("degraded_performance");
    site.publish(&vendor);
    one_more_event(&db, provider, 3).await;

    // Resolved: the summary no longer lists it; incidents.json does.
    post(
        &mut incident,
        "lc-resolved",
        "resolved",
        "This incident has been resolved.",
        Utc::now(),
    );
    site.incidents = vec![incident.clone()];
    site.summary["components"][0]["status"] = json!("operational");
    site.publish(&vendor);
    one_more_event(&db, provider, 5).await;

    // Postmortem.
    post(
        &mut incident,
        "lc-postmortem",
        "postmortem",
        "## Root cause\n\nA **bad** deploy.",
        Utc::now(),
    );
    site.incidents = vec![incident.clone()];
    site.publish(&vendor);
    one_more_event(&db, provider, 6).await;

    // More polls of an unchanged page: 304s, and no event.
    more_polls(&vendor, SUMMARY, 3).await;
    assert!(
        vendor.answers(SUMMARY).ends_with(&[304, 304, 304]),
        "{:?}",
        vendor.answers(SUMMARY)
    );
    workers.stop().await;

    let all = events(&db, provider).await;
    let mut described: Vec<String> = all
        .iter()
        .map(|e| match e.kind.as_str() {
            "component_status_changed" => format!("component {}", e.body["to"].as_str().unwrap()),
            kind => format!("{kind} {}", e.body["update_id"].as_str().unwrap_or("-")),
        })
        .collect();
    // Within one poll, events are ordered incidents first, then components.
    described[1..3].sort();
    described[3..5].sort();
    let first_update = first["id"].as_str().unwrap();
    assert_eq!(
        described,
        [
            format!("incident_opened {first_update}"),
            "component degraded_performance".into(),
            "incident_updated lc-identified".into(),
            "component operational".into(),
            "incident_resolved lc-resolved".into(),
            "postmortem_published lc-postmortem".into(),
        ]
    );
    let incident_id = all[0].incident_id.expect("events point at the incident");
    assert!(
        all.iter()
            .filter(|e| e.kind.starts_with("incident") || e.kind.starts_with("postmortem"))
            .all(|e| e.incident_id == Some(incident_id))
    );

    // The stored incident: our detection time, the vendor's times, the whole timeline.
    let (status, detected_at, backfilled, resolved_at): (
        String,
        DateTime<Utc>,
        bool,
        Option<DateTime<Utc>>,
    ) = sqlx::query_as(
        "SELECT status, detected_at, backfilled, resolved_at FROM incidents WHERE id = $1",
    )
    .bind(incident_id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(status, "postmortem");
    assert_eq!(
        detected_at, all[0].detected_at,
        "detected_at is when our poll first saw it"
    );
    assert!(!backfilled);
    assert!(resolved_at.is_some());
    let updates: Vec<(String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT vendor_id, detected_at FROM incident_updates WHERE incident_id = $1 ORDER BY posted_at",
    )
    .bind(incident_id)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let ids: Vec<&str> = updates.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            first_update,
            "lc-identified",
            "lc-resolved",
            "lc-postmortem"
        ]
    );
    for ((_, update_detected), event) in updates
        .iter()
        .zip(all.iter().filter(|e| !e.kind.starts_with("component")))
    {
        assert_eq!(
            *update_detected, event.detected_at,
            "each update was detected by the poll that announced it"
        );
    }

    // Where an alert lands: the incident's page shows the whole timeline.
    let page = incident_page(&db, incident_id).await;
    let statuses: Vec<String> = texts(&page, "ol.timeline .update-status");
    assert_eq!(
        statuses,
        ["Investigating", "Identified", "Resolved", "Postmortem"]
    );
    assert!(
        page.contains("<h2>Root cause</h2>") && page.contains("<strong>bad</strong>"),
        "Markdown rendered"
    );
    assert!(page.contains("Detected by vendorwatch"));
}

/// The incident's public page, served by the real web app on the test database.
async fn incident_page(db: &TestDb, incident: Uuid) -> String {
    let (status, body) =
        crate::support::app::get(&db.pool, &format!("/providers/github/incidents/{incident}"))
            .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    body
}

fn texts(html: &str, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    scraper::Html::parse_document(html)
        .select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

#[tokio::test]
async fn an_incident_first_seen_already_resolved_is_backfilled() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    site.publish(&vendor);
    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let workers = Workers::start(&db, config(std::time::Duration::from_secs(3600)));
    wait_until("the baseline poll", 30, || async {
        polls_done(&db, provider).await.is_some()
    })
    .await;

    // A postmortem-only entry: posted after the fact, already resolved when we first see it.
    let fixture: Value = serde_json::from_slice(
        &std::fs::read(format!(
            "{}/tests/fixtures/atlassian-statuspage/githubstatus-incident-gqx5l06jjxhp-critical-2023-06-29.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    site.incidents = vec![fixture["incident"].clone()];
    site.publish(&vendor);
    one_more_event(&db, provider, 1).await;
    workers.stop().await;

    let all = events(&db, provider).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].kind, "incident_resolved");
    assert_eq!(all[0].body["backfilled"], true);
    let (backfilled, started_at): (bool, Option<DateTime<Utc>>) = sqlx::query_as(
        "SELECT backfilled, started_at FROM incidents WHERE vendor_id = 'gqx5l06jjxhp'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(backfilled);
    assert_eq!(
        started_at.map(|t| t.to_rfc3339()),
        Some("2023-06-29T17:52:11.466+00:00".into())
    );
}
