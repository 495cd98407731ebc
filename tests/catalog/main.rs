//! The provider catalog: the shipped one imported into a real database (twice: the second
//! time changes nothing), files that add, update, leave alone and reject, a detected platform
//! that a catalog cannot erase, `vendorwatch catalog import` run as the real binary, and the
//! shipped catalog's import at start-up (`at_start`).

#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod at_start;

use std::time::Duration;

use serde_json::{Value, json};
use support::TestDb;
use vendorwatch::catalog::{SHIPPED, SPREAD};
use vw_app::catalog::{self, Report};

pub(crate) async fn import(db: &TestDb, entries: &Value) -> Report {
    catalog::import(&db.pool, &entries.to_string(), SPREAD, &mut |_, _| {})
        .await
        .unwrap()
}

pub(crate) fn entry(slug: &str, name: &str, url: &str, platform: Option<&str>) -> Value {
    json!({"slug": slug, "name": name, "homepage": null, "status_url": url, "platform": platform})
}

/// (platform, base_url) of a provider.
async fn platform_of(db: &TestDb, slug: &str) -> (Option<String>, Option<String>) {
    sqlx::query_as("SELECT platform, base_url FROM providers WHERE slug = $1")
        .bind(slug)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

pub(crate) fn counts(report: &Report) -> (usize, usize, usize, usize, usize) {
    (
        report.entries,
        report.added,
        report.updated,
        report.unchanged,
        report.rejected.len(),
    )
}

#[test]
fn every_shipped_entry_says_where_it_comes_from() {
    let entries: Vec<Value> = serde_json::from_str(SHIPPED).unwrap();
    let unsourced: Vec<&Value> = entries
        .iter()
        .filter(|e| {
            !e["source"].as_str().is_some_and(|s| {
                s.split_once(':')
                    .is_some_and(|(repo, path)| repo.contains('/') && !path.is_empty())
            })
        })
        .collect();
    assert_eq!(unsourced, Vec::<&Value>::new());
    let by_platform = |platform: Option<&str>| {
        entries
            .iter()
            .filter(|e| e["platform"].as_str() == platform)
            .count()
    };
    // What scripts/build-catalog printed for these sources (SOURCES.md in ../shared).
    assert_eq!(
        [
            by_platform(Some("statuspage")),
            by_platform(None),
            by_platform(Some("instatus")),
            by_platform(Some("statusio")),
            by_platform(Some("betterstack")),
            by_platform(Some("incidentio")),
            by_platform(Some("cachet")),
        ],
        [1123, 635, 44, 40, 36, 25, 6]
    );
}

#[tokio::test]
async fn the_shipped_catalog_imports_whole_and_a_second_import_changes_nothing() {
    let db = TestDb::fresh().await;
    let first = catalog::import(&db.pool, SHIPPED, SPREAD, &mut |_, _| {})
        .await
        .unwrap();
    assert_eq!(first.rejected, vec![], "{first}");
    assert_eq!(counts(&first), (1909, 1909, 0, 0, 0));
    eprintln!("first import: {first}");

    let second = catalog::import(&db.pool, SHIPPED, SPREAD, &mut |_, _| {})
        .await
        .unwrap();
    assert_eq!(counts(&second), (1909, 0, 0, 1909, 0));
    eprintln!("second import: {second}");

    let (providers, catalogued, github): (i64, i64, String) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE in_catalog),
                (SELECT canonical_url FROM providers WHERE slug = 'github')
         FROM providers",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((providers, catalogued), (1909, 1909));
    assert_eq!(github, "https://githubstatus.com");
    assert_eq!(
        platform_of(&db, "github").await,
        (Some("statuspage".into()), None)
    );
}

#[tokio::test]
async fn new_providers_are_due_spread_over_the_interval_not_all_at_once() {
    let db = TestDb::fresh().await;
    catalog::import(&db.pool, SHIPPED, SPREAD, &mut |_, _| {})
        .await
        .unwrap();
    let (rows, first, last, distinct_minutes): (i64, f64, f64, i64) = sqlx::query_as(
        "SELECT count(*),
                extract(epoch FROM min(next_poll_at) - now())::float8,
                extract(epoch FROM max(next_poll_at) - now())::float8,
                count(DISTINCT date_trunc('minute', next_poll_at))
         FROM poll_state JOIN providers ON providers.id = poll_state.provider_id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(rows, 1909, "one poll_state row per provider");
    let spread = SPREAD.as_secs_f64();
    assert!(
        first > -60.0 && first < spread * 0.05,
        "first due in {first} s"
    );
    assert!(
        last > spread * 0.95 && last <= spread,
        "last due in {last} s"
    );
    // 1,909 uniform draws over 30 minutes leave no minute empty in practice.
    assert!(
        distinct_minutes >= 29,
        "{distinct_minutes} distinct minutes"
    );
}

#[tokio::test]
async fn a_file_is_reported_entry_by_entry() {
    let db = TestDb::fresh().await;
    let seed = json!([
        entry(
            "acme",
            "Acme",
            "https://status.acme.test",
            Some("statuspage")
        ),
        entry("beta", "Beta", "https://status.beta.test", None),
        entry("gamma", "Gamma", "https://gamma-status.test/eu/", None),
    ]);
    assert_eq!(counts(&import(&db, &seed).await), (3, 3, 0, 0, 0));

    let file = json!([
        entry(
            "acme",
            "Acme",
            "https://status.acme.test/",
            Some("statuspage")
        ),
        entry(
            "beta",
            "Beta Cloud",
            "https://status.beta.test",
            Some("incidentio")
        ),
        entry("delta", "Delta", "status.delta.test", Some("instatus")),
        entry("Bad Slug", "Bad", "https://bad.test", None),
        entry("epsilon", "Epsilon", "ftp://epsilon.test", None),
        entry(
            "zeta",
            "Zeta",
            "https://status.zeta.test",
            Some("incident_io")
        ),
        entry("eta", "Eta", "http://www.Gamma-Status.test/eu#now", None),
        entry("delta", "Delta again", "https://other-delta.test", None),
        json!(42),
        json!({"slug": "theta", "name": "Theta"}),
    ]);
    let report = import(&db, &file).await;
    assert_eq!(counts(&report), (10, 1, 1, 1, 7), "{report}");

    let rejected: Vec<(usize, Option<&str>, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.entry, r.slug.as_deref(), r.reason.as_str()))
        .collect();
    assert_eq!(
        rejected,
        vec![
            (
                4,
                Some("Bad Slug"),
                "\"Bad Slug\" is not a slug: use lower-case letters and digits in words \
                 joined by single hyphens, at most 80 characters"
            ),
            (
                5,
                Some("epsilon"),
                "status_url \"ftp://epsilon.test\": Use an http or https address."
            ),
            (
                6,
                Some("zeta"),
                "unknown platform \"incident_io\" (use one of statuspage, incidentio, \
                 instatus, betterstack, statusio, checkly, cachet, slack, heroku, aws, azure, \
                 gcp, atom, rss, or null to detect it)"
            ),
            (
                7,
                Some("eta"),
                "http://www.gamma-status.test/eu is already the status page of provider \
                 \"gamma\""
            ),
            (8, Some("delta"), "slug already used by entry 3 of the file"),
            (9, None, "not an object"),
            (10, Some("theta"), "status_url is missing"),
        ]
    );

    // Rejections do not stop the import: what came after them was written.
    let rows: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT slug, name, status_url, platform FROM providers ORDER BY slug")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let row = |slug: &str, name: &str, url: &str, platform: Option<&str>| {
        (
            slug.to_owned(),
            name.to_owned(),
            url.to_owned(),
            platform.map(str::to_owned),
        )
    };
    assert_eq!(
        rows,
        vec![
            row(
                "acme",
                "Acme",
                "https://status.acme.test",
                Some("statuspage")
            ),
            row(
                "beta",
                "Beta Cloud",
                "https://status.beta.test",
                Some("incidentio")
            ),
            row(
                "delta",
                "Delta",
                "https://status.delta.test",
                Some("instatus")
            ),
            row("gamma", "Gamma", "https://gamma-status.test/eu", None),
        ]
    );
    let poll_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM poll_state")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(poll_rows, 4);

    // The same file again: what was written is now unchanged, the rest still rejected.
    assert_eq!(counts(&import(&db, &file).await), (10, 0, 0, 3, 7));
}

#[tokio::test]
async fn a_detected_platform_outlives_reimports_until_the_page_moves() {
    let db = TestDb::fresh().await;
    let listed = |platform: Option<&str>| {
        json!([entry("acme", "Acme", "https://status.acme.test", platform)])
    };
    assert_eq!(counts(&import(&db, &listed(None)).await), (1, 1, 0, 0, 0));

    // What the poller stores when it detects the page, and a snapshot it read there.
    sqlx::raw_sql(
        "UPDATE providers SET platform = 'statuspage', base_url = 'https://status.acme.test/'
         WHERE slug = 'acme';
         UPDATE poll_state SET snapshot = '{}', failures = 2, lease_id = gen_random_uuid();",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let detected = (
        Some("statuspage".to_owned()),
        Some("https://status.acme.test/".to_owned()),
    );

    // A catalog that does not know the platform, or that names another one, leaves it.
    assert_eq!(counts(&import(&db, &listed(None)).await), (1, 0, 0, 1, 0));
    assert_eq!(platform_of(&db, "acme").await, detected);
    assert_eq!(
        counts(&import(&db, &listed(Some("instatus"))).await),
        (1, 0, 0, 1, 0)
    );
    assert_eq!(platform_of(&db, "acme").await, detected);

    // Another page for the same slug starts afresh: detection, snapshot, lease, failures.
    let moved = json!([entry("acme", "Acme", "https://acme.instatus.test", None)]);
    assert_eq!(counts(&import(&db, &moved).await), (1, 0, 1, 0, 0));
    assert_eq!(platform_of(&db, "acme").await, (None, None));
    let (snapshot, failures, leased): (Option<Value>, i32, bool) =
        sqlx::query_as("SELECT snapshot, failures, lease_id IS NOT NULL FROM poll_state")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!((snapshot, failures, leased), (None, 0, false));

    // Before detection, the catalog's platform is taken, and a null does not erase it.
    let listed_moved = |platform: Option<&str>| {
        json!([entry(
            "acme",
            "Acme",
            "https://acme.instatus.test",
            platform
        )])
    };
    assert_eq!(
        counts(&import(&db, &listed_moved(Some("instatus"))).await),
        (1, 0, 1, 0, 0)
    );
    assert_eq!(
        counts(&import(&db, &listed_moved(None)).await),
        (1, 0, 0, 1, 0)
    );
    assert_eq!(
        platform_of(&db, "acme").await,
        (Some("instatus".to_owned()), None)
    );
}

#[tokio::test]
async fn the_binary_imports_a_file_and_the_shipped_catalog_and_prints_the_report() {
    let db = TestDb::fresh().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.json");
    let entries = json!([
        entry(
            "zz-one",
            "One",
            "https://status.one.test",
            Some("statuspage")
        ),
        entry("zz-two", "Two", "https://status.two.test", None),
        entry("zz two", "Bad", "https://status.three.test", None),
    ]);
    std::fs::write(&file, entries.to_string()).unwrap();

    let run = |args: Vec<&str>| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_vendorwatch"));
        command
            .args(["catalog", "import"])
            .args(args)
            .env("DATABASE_URL", &db.url)
            .env("RUST_LOG", "warn");
        async move {
            tokio::time::timeout(Duration::from_secs(120), command.output())
                .await
                .unwrap()
                .unwrap()
        }
    };

    let output = run(vec![file.to_str().unwrap()]).await;
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let shown = file.display().to_string();
    assert!(
        stdout.contains(&format!(
            "{shown}: 3 entries: 2 added, 0 updated, 0 unchanged, 0 kept, 1 rejected"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("  rejected entry 3 (zz two): \"zz two\" is not a slug"),
        "{stdout}"
    );
    // Not a terminal: no progress counter.
    assert!(!stderr.contains("importing"), "{stderr}");

    let output = run(vec![]).await;
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "the shipped catalog: 1909 entries: 1909 added, 0 updated, 0 unchanged, 0 kept, 0 rejected"
        ),
        "{stdout}"
    );

    let missing = run(vec!["/nonexistent/catalog.json"]).await;
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/catalog.json"),
        "{missing:?}"
    );
}
