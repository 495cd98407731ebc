//! Monitors as a person adds and narrows them in a real browser: sign up, find a vendor by
//! typing, add it, narrow it to one group, and watch the dashboard follow the vendor's state
//! by itself; and the sixth monitor of the free plan refused. Screenshots of each.

use std::time::Duration;

use anyhow::{Context, bail};
use chrono::TimeDelta;
use serde_json::json;

use crate::accounts::sign_up;
use crate::app::App;
use crate::driver::{ChromeDriver, Session};
use crate::support::pipeline::{StatuspageSite, Vendor, pipeline};
use crate::support::seed;

const TWILIO: &str = "twilio-summary-incident-groups-2020-06-16.json";

/// Waits until the elements of `selector` read `expected`, without reloading the page.
async fn wait_for_texts(
    browser: &Session,
    selector: &str,
    expected: &[&str],
) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        // The page script may replace the elements between finding and reading them.
        let texts = browser.texts(selector).await.unwrap_or_default();
        if texts == expected {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            bail!("{selector} reads {texts:?}, expected {expected:?}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_vendor_found_by_typing_is_added_narrowed_and_followed_by_the_dashboard()
-> anyhow::Result<()> {
    let app = App::start_with(None, |config| {
        config.dashboard_refresh = Duration::from_secs(1)
    })
    .await;
    let vendor = Vendor::start().await;
    let mut site = StatuspageSite::from_fixture(TWILIO);
    site.publish(&vendor);
    seed::provider_at(
        &app.db.pool,
        "twilio",
        "Twilio",
        &vendor.base,
        Some(vw_domain::Platform::Statuspage),
    )
    .await;
    let polls = pipeline(&app.db);
    polls.poll_due().await?;

    let driver = ChromeDriver::start().await?;
    let ada = driver.session(&app.base).await?;
    sign_up(&ada, "ada@example.com", "Acme").await?;
    ada.screenshot("dashboard-empty").await?;

    // Typing finds it (no submit: the page fetches the results as the visitor types).
    ada.fill("#provider-search input[name=q]", "twili").await?;
    wait_for_texts(&ada, "#search-results .result-name", &["Twilio"]).await?;
    ada.click("#search-results button[type=submit]").await?;
    ada.wait_for_path(&format!("/monitors/{}", monitor_id(&app).await?))
        .await?;

    // One group: its box selects its members.
    let authy = "input[name=group][value='AUTHY']";
    ada.click(authy).await?;
    let checked = ada
        .client
        .execute(
            "return [...document.querySelector(\"input[name=group][value='AUTHY']\")
                .closest('fieldset').querySelectorAll('input[name=component]')]
                .every(b => b.checked)",
            vec![],
        )
        .await?;
    assert_eq!(
        checked,
        json!(true),
        "the group's members are ticked with it"
    );
    ada.screenshot("monitor-component-filter").await?;
    ada.click("#component-filter button[type=submit]").await?;
    ada.wait_for_path(&format!("/monitors/{}", monitor_id(&app).await?))
        .await?;

    ada.goto("/dashboard").await?;
    wait_for_texts(&ada, ".monitor-row .monitor-head .pill", &["Operational"]).await?;
    assert_eq!(ada.texts(".monitor-head .badge").await?, ["filtered"]);

    // The vendor's Authy 2FA breaks: the dashboard shows it without a reload.
    let marker = ada
        .client
        .execute("window.notReloaded = true; return true", vec![])
        .await?;
    assert_eq!(marker, json!(true));
    let components = site.summary["components"]
        .as_array_mut()
        .context("components")?;
    for component in components.iter_mut() {
        if component["name"] == "Authy 2FA" {
            component["status"] = json!("major_outage");
        }
    }
    site.publish(&vendor);
    polls.clock().advance(TimeDelta::minutes(10));
    polls.poll_due().await?;
    wait_for_texts(&ada, ".monitor-row .monitor-head .pill", &["Major Outage"]).await?;
    let same_page = ada
        .client
        .execute("return window.notReloaded === true", vec![])
        .await?;
    assert_eq!(same_page, json!(true), "refreshed in place, not reloaded");
    ada.screenshot("dashboard-followed").await?;
    ada.close().await?;
    Ok(())
}

/// The monitor, once the browser's request has written it (the click does not wait for it).
async fn monitor_id(app: &App) -> anyhow::Result<uuid::Uuid> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let found = sqlx::query_scalar("SELECT id FROM monitors LIMIT 1")
            .fetch_optional(&app.db.pool)
            .await?;
        match found {
            Some(id) => return Ok(id),
            None if tokio::time::Instant::now() > deadline => bail!("no monitor was added"),
            None => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

#[tokio::test]
async fn the_sixth_monitor_on_the_free_plan_is_refused_with_the_way_up() -> anyhow::Result<()> {
    let app = App::start().await;
    for n in 1..=6 {
        seed::provider(&app.db.pool, &format!("vendor-{n}"), &format!("Vendor {n}")).await;
    }
    let driver = ChromeDriver::start().await?;
    let ada = driver.session(&app.base).await?;
    sign_up(&ada, "ada@example.com", "Acme").await?;
    let workspace = vw_app::workspaces::find(&app.db.pool, "ada@example.com").await?;
    for n in 1..=5 {
        let provider =
            vw_store::directory::provider_by_slug(&app.db.pool, &format!("vendor-{n}")).await?;
        vw_app::monitors::add(&app.db.pool, workspace, provider.id).await?;
        trouble(&app, n, provider.id).await;
    }
    ada.goto("/dashboard").await?;
    ada.screenshot("dashboard-in-trouble").await?;
    ada.goto("/dashboard?q=Vendor+6").await?;
    ada.click("#search-results button[type=submit]").await?;
    ada.wait_for_path("/dashboard").await?;
    let flash = ada.text(".flash p").await?;
    assert!(flash.contains("Free plan allows 5 monitors"), "{flash}");
    assert!(flash.contains("Team: 50"), "{flash}");
    assert_eq!(ada.text("#quota").await?, "Free plan · 5 of 5 monitors");
    ada.screenshot("quota-refusal").await?;
    ada.close().await?;
    Ok(())
}

/// A little of everything for the dashboard's screenshot: an outage with its incident, a
/// degraded page, a maintenance ahead, a page that cannot be read, one that is fine.
async fn trouble(app: &App, n: usize, provider: vw_domain::ProviderId) {
    use vw_domain::ComponentStatus::{DegradedPerformance, MajorOutage, Operational};
    let now = chrono::Utc::now();
    let status = match n {
        1 => MajorOutage,
        2 => DegradedPerformance,
        _ => Operational,
    };
    seed::components(&app.db.pool, provider, &[("api", "API", None, status)]).await;
    seed::poll_state(
        &app.db.pool,
        provider,
        now - TimeDelta::minutes(1),
        (n == 4).then(|| now - TimeDelta::hours(2)),
    )
    .await;
    if n <= 2 {
        seed::incident(
            &app.db.pool,
            provider,
            seed::Seed {
                vendor_id: "inc",
                title: if n == 1 {
                    "API requests failing"
                } else {
                    "Elevated latency"
                },
                impact: Some(if n == 1 {
                    vw_domain::Impact::Critical
                } else {
                    vw_domain::Impact::Minor
                }),
                status: Some(vw_domain::IncidentStatus::Identified),
                started: Some(now - TimeDelta::minutes(47)),
                resolved: None,
                components: &["api"],
                detected: now - TimeDelta::minutes(46),
                backfilled: false,
                updates: &[],
            },
        )
        .await;
    }
    if n == 3 {
        seed::maintenance(
            &app.db.pool,
            provider,
            "Database upgrade",
            vw_domain::MaintenanceStatus::Scheduled,
            (
                now + TimeDelta::days(2),
                now + TimeDelta::days(2) + TimeDelta::hours(2),
            ),
            false,
        )
        .await;
    }
}
