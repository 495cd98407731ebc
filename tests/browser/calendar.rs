//! The maintenance calendar in a real browser: the page script reports the browser's time
//! zone once after signing up, the month grid and the list then speak it; screenshots of
//! both for a person to look at (copied to docs/screenshots/).

use chrono::{Datelike, TimeDelta, Utc};
use vw_domain::{ComponentStatus, Maintenance, MaintenanceStatus, ProviderId};

use crate::accounts::sign_up;
use crate::app::App;
use crate::driver::{ChromeDriver, TIME_ZONE};
use crate::support::seed;

/// Maintenances across this month: every status, one spanning three days, one naming no
/// component, one on a component the monitor does not watch.
async fn maintenances(pool: &sqlx::PgPool, github: ProviderId, stripe: ProviderId) {
    let today = Utc::now().date_naive();
    let first = today.with_day(1).unwrap_or(today);
    let at = |day: i64, hour: u32| {
        (first + TimeDelta::days(day))
            .and_hms_opt(hour, 0, 0)
            .unwrap_or_default()
            .and_utc()
    };
    let plan = [
        (
            github,
            "db",
            "Database failover",
            MaintenanceStatus::Completed,
            (2, 14),
            3,
            vec!["api"],
            false,
        ),
        (
            github,
            "net",
            "Network upgrade in Frankfurt",
            MaintenanceStatus::Scheduled,
            (8, 22),
            50,
            vec![],
            false,
        ),
        (
            github,
            "act",
            "Actions runner images",
            MaintenanceStatus::Scheduled,
            (8, 15),
            2,
            vec!["runners"],
            false,
        ),
        (
            github,
            "pages",
            "Pages storage migration",
            MaintenanceStatus::InProgress,
            (14, 9),
            6,
            vec!["api"],
            false,
        ),
        (
            github,
            "verify",
            "Webhooks re-delivery",
            MaintenanceStatus::Verifying,
            (14, 16),
            2,
            vec![],
            false,
        ),
        (
            github,
            "dns",
            "DNS provider change",
            MaintenanceStatus::Scheduled,
            (20, 13),
            1,
            vec![],
            true,
        ),
        (
            stripe,
            "pay",
            "Payments API maintenance",
            MaintenanceStatus::Scheduled,
            (23, 3),
            4,
            vec![],
            false,
        ),
        (
            github,
            "git",
            "Git backend upgrade",
            MaintenanceStatus::Scheduled,
            (26, 18),
            3,
            vec!["api"],
            false,
        ),
    ];
    for (provider, id, title, status, (day, hour), hours, components, cancelled) in plan {
        let start = at(day, hour);
        let m = Maintenance {
            id: id.into(),
            title: title.into(),
            status: Some(status),
            scheduled_for: Some(start),
            scheduled_until: Some(start + TimeDelta::hours(hours)),
            url: Some(format!("https://status.example/{id}")),
            components: components.iter().map(|c| (*c).to_owned()).collect(),
            updates: Vec::new(),
        };
        seed::maintenance_read(pool, provider, &m, start - TimeDelta::days(3)).await;
        if cancelled {
            seed::maintenance_gone(pool, provider, id, start - TimeDelta::days(1)).await;
        }
    }
}

#[tokio::test]
async fn the_calendar_speaks_the_browsers_zone_in_the_month_and_the_list() -> anyhow::Result<()> {
    let app = App::start().await;
    let pool = &app.db.pool;
    let github = seed::provider(pool, "github", "GitHub").await;
    let stripe = seed::provider(pool, "stripe", "Stripe").await;
    use ComponentStatus::Operational;
    seed::components(
        pool,
        github,
        &[
            ("api", "API Requests", None, Operational),
            ("runners", "Hosted runners", Some("Actions"), Operational),
        ],
    )
    .await;
    maintenances(pool, github, stripe).await;
    let driver = ChromeDriver::start().await?;
    let ada = driver.session(&app.base).await?;
    sign_up(&ada, "ada@example.com", "Acme").await?;
    let workspace = vw_app::workspaces::find(pool, "ada@example.com").await?;
    for provider in [github, stripe] {
        let monitor = vw_app::monitors::add(pool, workspace, provider).await?;
        if provider == github {
            let only_api = vw_domain::ComponentFilter::chosen([], ["api".to_owned()]);
            vw_app::monitors::set_filter(pool, workspace, monitor, only_api).await?;
        }
    }

    // The dashboard after signing up sent the browser's zone; the calendar names it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        ada.goto("/calendar").await?;
        ada.wait_for_path("/calendar").await?;
        if ada.text("#zone-name").await? == TIME_ZONE {
            break;
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "the zone was never reported"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let titles = ada.texts("#month .chip-title").await?;
    assert!(titles.iter().any(|t| t == "Network upgrade in Frankfurt"));
    assert!(
        !titles.iter().any(|t| t == "Actions runner images"),
        "not watched"
    );
    // 22:00 UTC is 17:00 in New York, the same day.
    let starts = ada.texts("#month .chip-time").await?;
    assert!(
        starts.contains(&"17:00".to_owned()) || starts.contains(&"16:00".to_owned()),
        "{starts:?}"
    );
    let month = ada.screenshot("calendar-month").await?;
    eprintln!("month screenshot: {}", month.display());

    ada.click_link("List").await?;
    ada.wait_for_path("/calendar/list").await?;
    assert_eq!(ada.text("#zone-name").await?, TIME_ZONE);
    let list = ada.screenshot("calendar-list").await?;
    eprintln!("list screenshot: {}", list.display());
    ada.close().await
}
