//! The shipped catalog at start-up: imported when it is not the one last imported (a new
//! installation, an upgrade), once however many replicas start together, adding what is new
//! and updating what nobody changed, keeping what an operator changed, and leaving providers
//! and monitors where they were.

use serde_json::{Value, json};
use uuid::Uuid;

use super::{counts, entry, import};
use crate::support::{TestDb, seed};
use vendorwatch::catalog::{SHIPPED, SPREAD, import_shipped_at_start};
use vw_app::catalog::Report;

/// (entries, added, updated, unchanged, kept, rejected)
fn outcome(report: &Report) -> (usize, usize, usize, usize, Vec<&str>, usize) {
    let (entries, added, updated, unchanged, rejected) = counts(report);
    let kept = report.kept.iter().map(String::as_str).collect();
    (entries, added, updated, unchanged, kept, rejected)
}

/// How many providers and poll_state rows there are.
async fn rows(db: &TestDb) -> (i64, i64) {
    sqlx::query_as("SELECT (SELECT count(*) FROM providers), (SELECT count(*) FROM poll_state)")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// Every provider's (slug, id, name, homepage, platform), by slug.
async fn providers(db: &TestDb) -> Vec<(String, Uuid, String, Option<String>, Option<String>)> {
    sqlx::query_as("SELECT slug, id, name, homepage, platform FROM providers ORDER BY slug")
        .fetch_all(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn replicas_starting_together_import_the_shipped_catalog_once() {
    let db = TestDb::fresh().await;
    let (a, b) = tokio::join!(
        import_shipped_at_start(&db.pool),
        import_shipped_at_start(&db.pool)
    );
    let reports: Vec<Report> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(reports.len(), 1);
    assert_eq!(outcome(&reports[0]), (1909, 1909, 0, 0, vec![], 0));
    // The next start finds it imported already.
    assert!(import_shipped_at_start(&db.pool).await.unwrap().is_none());
    assert_eq!(rows(&db).await, (1909, 1909));
}

#[tokio::test]
async fn an_upgrade_adds_the_new_entries_and_keeps_what_an_operator_changed() {
    let db = TestDb::fresh().await;
    let shipped: Vec<Value> = serde_json::from_str(SHIPPED).unwrap();
    let by_slug = |slug: &str| shipped.iter().find(|e| e["slug"] == slug).unwrap().clone();

    // The catalog of the release before: the entries of providers-source.json only (the 219
    // extra ones come from two other repositories), and GitLab under an older name.
    let extra = |e: &Value| {
        let source = e["source"].as_str().unwrap();
        source.starts_with("api-search/providers:")
            || source.starts_with("bbsetup/public-bugbounty-data:")
    };
    let older: Vec<Value> = shipped
        .iter()
        .filter(|e| !extra(e))
        .map(|e| {
            let mut e = e.clone();
            if e["slug"] == "gitlab" {
                e["name"] = json!("GitLab.com");
            }
            e
        })
        .collect();
    let older = serde_json::to_string(&older).unwrap();
    let first = vw_app::catalog::import_shipped(&db.pool, &older, SPREAD)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome(&first), (1690, 1690, 0, 0, vec![], 0));

    // What the poller found since (GitLab's and Stripe's pages detected) is no local change.
    sqlx::raw_sql(
        "UPDATE providers SET base_url = 'https://status.gitlab.com/' WHERE slug = 'gitlab';
         UPDATE providers SET platform = 'statuspage', base_url = 'https://status.stripe.com/'
         WHERE slug = 'stripe';",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    // The operator's: GitHub renamed by a catalog file of their own, and 1Password's homepage
    // edited in place.
    let github = by_slug("github");
    let mine = json!([entry(
        "github",
        "GitHub (ours)",
        github["status_url"].as_str().unwrap(),
        Some("statuspage")
    )]);
    assert_eq!(counts(&import(&db, &mine).await), (1, 0, 1, 0, 0));
    sqlx::query("UPDATE providers SET homepage = 'https://1password.example' WHERE slug = $1")
        .bind("1password")
        .execute(&db.pool)
        .await
        .unwrap();

    // Monitors on a kept, an updated and an unchanged provider.
    let (_, workspace) = seed::workspace(&db.pool, "ops@example.com", "Ops").await;
    for slug in ["github", "gitlab", "stripe"] {
        let provider = vw_store::directory::provider_by_slug(&db.pool, slug)
            .await
            .unwrap();
        vw_app::monitors::add(&db.pool, workspace, provider.id)
            .await
            .unwrap();
    }
    let monitors = |db: &TestDb| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_as::<_, (Uuid, Uuid, Uuid, bool)>(
                "SELECT id, workspace_id, provider_id, paused FROM monitors ORDER BY id",
            )
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    let monitors_before = monitors(&db).await;
    let before = providers(&db).await;

    // The upgrade's first start.
    let report = import_shipped_at_start(&db.pool).await.unwrap().unwrap();
    assert_eq!(
        outcome(&report),
        (1909, 219, 1, 1687, vec!["1password", "github"], 0),
        "{report}"
    );
    let after = providers(&db).await;
    assert_eq!(rows(&db).await, (1909, 1909));
    // Nothing duplicated or re-created: every provider there before keeps its id.
    for old in &before {
        let new = after.iter().find(|p| p.0 == old.0).unwrap();
        assert_eq!(new.1, old.1, "{}", old.0);
    }
    let row = |slug: &str| after.iter().find(|p| p.0 == slug).unwrap().clone();
    // New: one of the 219.
    let added = row("2000charge");
    assert_eq!(
        (added.2.as_str(), added.4.as_deref()),
        ("2000Charge", Some("statuspage"))
    );
    // Updated: still as the previous catalog left it, apart from what the poller found.
    assert_eq!(row("gitlab").2, "GitLab");
    assert_eq!(row("gitlab").4.as_deref(), Some("statusio"));
    assert_eq!(row("stripe").4.as_deref(), Some("statuspage"));
    // Kept: the operator's changes.
    assert_eq!(row("github").2, "GitHub (ours)");
    assert_eq!(
        row("1password").3.as_deref(),
        Some("https://1password.example")
    );
    // Monitors untouched, on the same providers.
    assert_eq!(monitors(&db).await, monitors_before);

    // The next start: the same catalog, nothing to do.
    assert!(import_shipped_at_start(&db.pool).await.unwrap().is_none());

    // A later release changes a kept entry again: still the operator's.
    let mut later: Vec<Value> = shipped.clone();
    for e in &mut later {
        if e["slug"] == "github" || e["slug"] == "gitlab" {
            e["homepage"] = json!(format!("https://{}.example", e["slug"].as_str().unwrap()));
        }
    }
    let later = serde_json::to_string(&later).unwrap();
    let shipped_again = |text: String| {
        let pool = db.pool.clone();
        async move {
            vw_app::catalog::import_shipped(&pool, &text, SPREAD)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let report = shipped_again(later.clone()).await;
    assert_eq!(
        outcome(&report),
        (1909, 0, 1, 1906, vec!["1password", "github"], 0),
        "{report}"
    );
    // Once the operator gives it back the values the shipped catalog gave it, it follows the
    // shipped catalog again.
    sqlx::query("UPDATE providers SET name = 'GitHub', homepage = $1 WHERE slug = 'github'")
        .bind(github["homepage"].as_str())
        .execute(&db.pool)
        .await
        .unwrap();
    let report = shipped_again(SHIPPED.to_owned()).await;
    assert_eq!(
        outcome(&report),
        (1909, 0, 1, 1907, vec!["1password"], 0),
        "{report}"
    );
    let report = shipped_again(later).await;
    assert_eq!(
        outcome(&report),
        (1909, 0, 2, 1906, vec!["1password"], 0),
        "{report}"
    );
    let github = providers(&db)
        .await
        .into_iter()
        .find(|p| p.0 == "github")
        .unwrap();
    assert_eq!(
        (github.2.as_str(), github.3.as_deref()),
        ("GitHub", Some("https://github.example"))
    );
    assert_eq!(monitors(&db).await, monitors_before);
}
