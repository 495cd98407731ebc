//! Pages that cannot be read: backoff, Retry-After, unreachable and recovered (once each),
//! bad documents that lose nothing already stored, and private targets refused.

use std::time::Duration;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};

use crate::support::TestDb;
use crate::support::pipeline::Vendor;
use crate::support::pipeline::{
    StatuspageSite, Workers, add_provider, config, kinds, more_polls, polls_done, wait_until,
};

const SUMMARY: &str = "api/v2/summary.json";

#[derive(Debug, sqlx::FromRow)]
struct State {
    failures: i32,
    last_error_kind: Option<String>,
    last_error: Option<String>,
    next_poll_at: DateTime<Utc>,
    unreachable: bool,
}

async fn state(db: &TestDb, provider: vw_domain::ProviderId) -> State {
    sqlx::query_as(
        "SELECT failures, last_error_kind, last_error, next_poll_at, unreachable
         FROM poll_state WHERE provider_id = $1",
    )
    .bind(provider.0)
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

fn broken(vendor: &Vendor, status: StatusCode, headers: Vec<(&'static str, String)>) {
    vendor.publish_with(SUMMARY, status, b"unavailable".to_vec(), headers);
}

#[tokio::test]
async fn a_failing_page_backs_off_and_honours_retry_after() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    StatuspageSite::from_fixture("github-summary-major-2026-07-24.json").publish(&vendor);
    broken(
        &vendor,
        StatusCode::SERVICE_UNAVAILABLE,
        vec![("retry-after", "4".into())],
    );
    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let workers = Workers::start(&db, config(Duration::from_secs(3600)));
    wait_until("a failed poll", 30, || async {
        state(&db, provider).await.failures == 1
    })
    .await;
    let failed_at = Utc::now();
    let after_one = state(&db, provider).await;
    assert_eq!(after_one.last_error_kind.as_deref(), Some("http_status"));
    assert!(after_one.last_error.unwrap().contains("503"));
    let wait = after_one.next_poll_at - failed_at;
    assert!(
        wait >= chrono::Duration::milliseconds(3500),
        "Retry-After: 4 honoured, got {wait}"
    );

    // Nothing is asked of the vendor before then.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(vendor.answers(SUMMARY), [503]);
    workers.stop().await;
}

#[tokio::test]
async fn an_unreadable_page_is_reported_unreachable_once_and_recovered_once() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    site.publish(&vendor);
    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let workers = Workers::start(&db, config(Duration::from_secs(2)));
    wait_until("the baseline poll", 30, || async {
        polls_done(&db, provider).await.is_some()
    })
    .await;

    broken(&vendor, StatusCode::INTERNAL_SERVER_ERROR, Vec::new());
    wait_until("the unreachable event", 60, || async {
        kinds(&db, provider).await == ["provider_unreachable"]
    })
    .await;
    assert!(state(&db, provider).await.unreachable);
    more_polls(&vendor, SUMMARY, 2).await;
    assert_eq!(
        kinds(&db, provider).await,
        ["provider_unreachable"],
        "said once"
    );

    site.publish(&vendor);
    wait_until("the recovered event", 60, || async {
        kinds(&db, provider).await.len() == 2
    })
    .await;
    more_polls(&vendor, SUMMARY, 2).await;
    workers.stop().await;
    assert_eq!(
        kinds(&db, provider).await,
        ["provider_unreachable", "provider_recovered"]
    );
    let recovered = state(&db, provider).await;
    assert!(!recovered.unreachable);
    assert_eq!((recovered.failures, recovered.last_error_kind), (0, None));
}

#[tokio::test]
async fn a_page_turned_to_html_loses_nothing_already_stored() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
    site.incidents = vec![site.summary["incidents"][0].clone()];
    site.publish(&vendor);
    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let workers = Workers::start(&db, config(Duration::from_secs(3600)));
    wait_until("the baseline poll", 30, || async {
        polls_done(&db, provider).await.is_some()
    })
    .await;
    let stored = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT (SELECT count(*) FROM incidents) + (SELECT count(*) FROM incident_updates)
                    + (SELECT count(*) FROM components)",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap()
    };
    let before = stored().await;
    assert!(before > 0);

    // The vendor serves an HTML error page where its JSON was.
    vendor.publish_with(
        SUMMARY,
        StatusCode::OK,
        b"<html><body>Oops</body></html>".to_vec(),
        Vec::new(),
    );
    wait_until("a failed poll", 30, || async {
        state(&db, provider).await.failures >= 1
    })
    .await;
    assert_eq!(stored().await, before, "nothing stored was lost");
    assert!(kinds(&db, provider).await.is_empty());

    // Back to JSON: the page is read again (detected anew) and nothing is announced twice.
    site.publish(&vendor);
    wait_until("a good poll again", 60, || async {
        state(&db, provider).await.failures == 0
    })
    .await;
    more_polls(&vendor, SUMMARY, 2).await;
    workers.stop().await;
    assert_eq!(stored().await, before);
    assert!(
        kinds(&db, provider).await.is_empty(),
        "{:?}",
        kinds(&db, provider).await
    );
}

#[tokio::test]
async fn private_targets_are_refused_unless_allowed() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    StatuspageSite::from_fixture("github-summary-major-2026-07-24.json").publish(&vendor);
    let provider = add_provider(&db, "github", &vendor.base, Some("statuspage")).await;
    let mut strict = config(Duration::from_secs(3600));
    strict.poll.fetch.allow_private_targets = false;
    let workers = Workers::start(&db, strict);
    wait_until("a refused poll", 30, || async {
        state(&db, provider).await.failures == 1
    })
    .await;
    workers.stop().await;
    assert_eq!(
        state(&db, provider).await.last_error_kind.as_deref(),
        Some("blocked")
    );
    assert!(
        vendor.answers(SUMMARY).is_empty(),
        "no request reached the vendor"
    );
}
