//! Adding a provider by URL: detected once, and the same page is the same provider however its
//! URL is written.

use vw_sources::{FetchConfig, Fetcher};

use crate::support::TestDb;
use crate::support::pipeline::StatuspageSite;
use crate::support::pipeline::Vendor;

fn fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        allow_private_targets: true,
        ..FetchConfig::default()
    })
    .unwrap()
}

#[tokio::test]
async fn the_same_page_is_the_same_provider_however_its_url_is_written() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    StatuspageSite::from_fixture("github-summary-major-2026-07-24.json").publish(&vendor);
    let fetcher = fetcher();

    let by_endpoint = format!("{}api/v2/summary.json", vendor.base);
    let added = vw_jobs::providers::add_by_url(&db.pool, &fetcher, &by_endpoint)
        .await
        .unwrap();
    let (platform, base_url, due_now): (String, String, bool) = sqlx::query_as(
        "SELECT p.platform, p.base_url, s.next_poll_at <= now()
         FROM providers p JOIN poll_state s ON s.provider_id = p.id WHERE p.id = $1",
    )
    .bind(added.id.0)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        (platform.as_str(), base_url.as_str()),
        ("statuspage", vendor.base.as_str())
    );
    assert!(due_now, "a page added by URL is polled at once");
    assert!(added.slug.starts_with("127-0-0-1-"), "{}", added.slug);

    for again in [
        vendor.base.clone(),
        vendor.base.trim_end_matches('/').to_owned(),
        by_endpoint,
    ] {
        let same = vw_jobs::providers::add_by_url(&db.pool, &fetcher, &again)
            .await
            .unwrap();
        assert_eq!(same, added, "{again}");
    }
    let providers: i64 = sqlx::query_scalar("SELECT count(*) FROM providers")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(providers, 1);
}

#[tokio::test]
async fn urls_that_are_not_status_pages_are_refused_clearly() {
    let db = TestDb::fresh().await;
    let vendor = Vendor::start().await;
    vendor.publish(
        "index.html",
        b"<html><body>Just a blog</body></html>".to_vec(),
    );
    let fetcher = fetcher();

    let error = vw_jobs::providers::add_by_url(&db.pool, &fetcher, "ftp://example.com/")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("http"), "{error}");
    let error =
        vw_jobs::providers::add_by_url(&db.pool, &fetcher, &format!("{}index.html", vendor.base))
            .await
            .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("not a status page vendorwatch can read"),
        "{message}"
    );
    assert!(
        message.contains("api/v2/summary.json"),
        "lists what was tried: {message}"
    );
    let providers: i64 = sqlx::query_scalar("SELECT count(*) FROM providers")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(providers, 0);
}
