//! The public incident page as a visitor's browser shows it: times in the viewer's zone
//! beside the UTC ones, and the vendor's Markdown rendered without its scripts.

use chrono::{DateTime, SecondsFormat, Utc};
use fantoccini::Locator;
use serde_json::Value;

use crate::app::App;
use crate::driver::{ChromeDriver, TIME_ZONE};
use crate::seed::{self, Moments};

fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What a New York viewer should read beside each time (en-US, medium date, short time).
fn new_york(at: &Moments) -> Vec<(String, &'static str)> {
    vec![
        (iso(at.started), "Mar 8, 2026, 1:30 AM"),
        (iso(at.detected), "Mar 8, 2026, 1:32 AM"),
        (iso(at.first_update), "Mar 8, 2026, 1:40 AM"),
        // Past 02:00 EST the clocks read EDT, one hour further from UTC.
        (iso(at.second_update), "Mar 8, 2026, 3:30 AM"),
        (iso(at.resolved), "Mar 8, 2026, 4:10 AM"),
    ]
}

/// Every `<time data-local>` of the page: its `datetime`, and the class and text of what
/// follows it.
const LOCAL_TIMES: &str = "return [...document.querySelectorAll('time[data-local]')].map(t => [
    t.getAttribute('datetime'),
    t.nextElementSibling && t.nextElementSibling.className,
    t.nextElementSibling && t.nextElementSibling.textContent,
]);";

#[tokio::test]
async fn the_incident_page_shows_local_times_and_safe_markdown() -> anyhow::Result<()> {
    assert_eq!(TIME_ZONE, "America/New_York", "the expected times below");
    let app = App::start().await;
    let at = seed::moments()?;
    let path = seed::incident(&app.db.pool, &at).await?;
    let driver = ChromeDriver::start().await?;
    let visitor = driver.session(&app.base).await?;
    visitor.goto(&path).await?;
    visitor.wait_for_path(&path).await?;
    assert_eq!(visitor.text("main h1").await?, "Actions runs delayed");

    let Value::Array(times) = visitor.client.execute(LOCAL_TIMES, vec![]).await? else {
        anyhow::bail!("the script returned no list");
    };
    // started, resolved, detected, and one per update
    assert_eq!(times.len(), 6, "{times:?}");
    let expected = new_york(&at);
    for time in &times {
        let datetime = time[0].as_str().unwrap_or_default();
        let (_, local) = expected
            .iter()
            .find(|(iso, _)| iso == datetime)
            .unwrap_or_else(|| panic!("an unexpected time on the page: {time}"));
        assert_eq!(time[1], "local-time", "{time}");
        // ICU puts a narrow no-break space before AM/PM.
        let text = time[2]
            .as_str()
            .unwrap_or_default()
            .replace('\u{202f}', " ");
        assert_eq!(text, format!(" ({local} your time)"), "{time}");
    }
    assert_eq!(
        visitor.text("#started").await?.replace('\u{202f}', " "),
        "2026-03-08 06:30 UTC (Mar 8, 2026, 1:30 AM your time)",
        "the UTC time stays, the local one follows it"
    );

    let body = "#timeline .update-body";
    assert_eq!(visitor.texts(&format!("{body} h2")).await?, ["Root cause"]);
    assert_eq!(
        visitor.texts(&format!("{body} strong")).await?,
        ["bad deploy"]
    );
    let hostile = visitor
        .client
        .find_all(Locator::Css(
            "#timeline script, #timeline img, #timeline [onerror]",
        ))
        .await?;
    assert!(hostile.is_empty(), "markup the vendor must not inject");
    let ran = visitor
        .client
        .execute("return window.hostile === undefined", vec![])
        .await?;
    assert_eq!(ran, true, "the vendor's script never ran");
    assert!(
        !visitor.text("#timeline").await?.contains("hostile"),
        "the script's text is dropped too"
    );

    let shot = visitor.screenshot("incident").await?;
    eprintln!("incident screenshot: {}", shot.display());
    visitor.close().await
}
