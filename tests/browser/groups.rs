//! Notification groups in a real browser: sign up, open the groups, add a signed webhook,
//! see its secret once, send a test and see its result come back (the delivery job run as
//! the worker runs it, to a receiver on loopback); a channel's log with its attempts; an
//! alert e-mail's HTML part as the operators' sent-mail page renders it. Screenshots of
//! each go to `docs/screenshots/`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use axum::routing::post;
use chrono::Utc;
use fantoccini::Locator;
use vw_app::secrets::Secrets;
use vw_domain::{
    ChannelId, ComponentStatus, DeliveryId, EmailAddress, Event, Impact, IncidentChange,
    IncidentStatus, WorkspaceId,
};
use vw_jobs::Clock;
use vw_jobs::deliver::{DeliveryConfig, DeliveryContext};
use vw_notify::TargetRules;
use vw_store::deliveries::{AttemptRecord, State};

use crate::accounts::sign_up;
use crate::app::App;
use crate::driver::{ChromeDriver, Session};
use crate::support::seed::{self, Seed};

const KEY: [u8; 32] = [9; 32];

/// The app sending to loopback (as `VW_ALLOW_PRIVATE_TARGETS=true` does) with a known key,
/// ada its operator.
async fn app() -> App {
    App::start_with(None, |config| {
        config.secrets = Secrets::from_key(&KEY);
        config.target_rules = TargetRules::LOCAL;
        config.operators = vec![
            EmailAddress::parse("ada@example.com")
                .unwrap_or_else(|_| unreachable!("a valid address")),
        ];
    })
    .await
}

/// Runs the one delivery there is as a worker process would (same database and key).
async fn deliver_the_one(app: &App) -> anyhow::Result<()> {
    let mut config = DeliveryConfig::new(app.base.parse()?, Secrets::from_key(&KEY));
    config.allow_private_targets = true;
    let context = DeliveryContext::new(app.db.pool.clone(), config, Clock::system())?;
    let delivery = DeliveryId(id_of(app, "SELECT id FROM deliveries").await?);
    vw_jobs::deliver::attempt(&context, delivery).await?;
    Ok(())
}

/// A receiver answering 200 to every POST on `/hook`; counts them.
async fn receiver() -> anyhow::Result<(String, Arc<AtomicUsize>)> {
    let received = Arc::new(AtomicUsize::new(0));
    let count = received.clone();
    let router = axum::Router::new().route(
        "/hook",
        post(move || {
            count.fetch_add(1, Ordering::SeqCst);
            async { "ok" }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok((url, received))
}

fn keep(shot: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir)?;
    let to = dir.join(name);
    std::fs::copy(shot, &to)?;
    Ok(to)
}

async fn workspace(app: &App) -> anyhow::Result<WorkspaceId> {
    Ok(WorkspaceId(
        sqlx::query_scalar("SELECT id FROM workspaces LIMIT 1")
            .fetch_one(&app.db.pool)
            .await?,
    ))
}

/// The id `sql` finds, once the browser's request has written it.
async fn id_of(app: &App, sql: &'static str) -> anyhow::Result<uuid::Uuid> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let found: Option<uuid::Uuid> =
            sqlx::query_scalar(sql).fetch_optional(&app.db.pool).await?;
        match found {
            Some(id) => return Ok(id),
            None if tokio::time::Instant::now() > deadline => bail!("nothing found by {sql}"),
            None => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Waits until `selector` reads `expected`, reloading the page between looks.
async fn reload_until(browser: &Session, selector: &str, expected: &str) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let texts = browser.texts(selector).await?;
        if texts.iter().any(|t| t.contains(expected)) {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            bail!("{selector} reads {texts:?}, expected {expected:?}");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        browser.client.refresh().await?;
    }
}

/// A delivery to `channel` that a worker tried once per `(status, detail, outcome)`.
async fn tried(
    app: &App,
    channel: uuid::Uuid,
    attempts: &[(Option<i32>, &str, &'static str, i32)],
    last: State,
) -> anyhow::Result<DeliveryId> {
    let pool = &app.db.pool;
    let delivery =
        vw_store::deliveries::insert_test(pool, workspace(app).await?, ChannelId(channel)).await?;
    let mut conn = pool.acquire().await?;
    for (i, (status, detail, outcome, duration_ms)) in attempts.iter().enumerate() {
        let number = vw_store::deliveries::start_attempt(&mut conn, delivery, Utc::now()).await?;
        let state = if i + 1 == attempts.len() {
            last
        } else {
            State::Pending
        };
        let record = AttemptRecord {
            attempt: number,
            at: Utc::now(),
            outcome,
            status: *status,
            detail,
            duration_ms: *duration_ms,
        };
        vw_store::deliveries::finish_attempt(&mut *conn, delivery, &record, state, None).await?;
    }
    Ok(delivery)
}

#[tokio::test]
async fn a_webhook_is_added_its_secret_seen_once_and_a_test_result_comes_back() -> anyhow::Result<()>
{
    let app = app().await;
    let (hook_url, received) = receiver().await?;
    let driver = ChromeDriver::start().await?;
    let ada = driver.session(&app.base).await?;
    sign_up(&ada, "ada@example.com", "Acme").await?;

    ada.click_link("Groups").await?;
    ada.wait_for_path("/groups").await?;
    ada.fill("#new-group input[name=name]", "On-call").await?;
    ada.click("#new-group button[type=submit]").await?;
    let group = id_of(
        &app,
        "SELECT id FROM notification_groups WHERE name = 'On-call'",
    )
    .await?;
    let group_path = format!("/groups/{group}");
    ada.wait_for_path(&group_path).await?;

    ada.client
        .find(Locator::Css("#add-integration select[name=kind]"))
        .await?
        .select_by_value("webhook")
        .await?;
    ada.fill("#add-integration input[name=url]", &hook_url)
        .await?;
    ada.click("#add-integration button[type=submit]").await?;
    ada.wait_for_path(&format!("{group_path}/integrations"))
        .await?;
    let secret = ada
        .client
        .find(Locator::Css("#webhook-secret input.secret"))
        .await?
        .prop("value")
        .await?
        .context("no secret shown")?;
    assert!(secret.starts_with("whsec_"), "{secret}");
    ada.screenshot("webhook-secret-once").await?;

    ada.goto(&group_path).await?;
    let source = ada.client.source().await?;
    assert!(!source.contains(&secret), "the secret is shown once only");
    assert!(!source.contains("whsec_"));

    ada.click("form[action$='/test'] button").await?;
    ada.wait_for_path(&group_path).await?;
    assert!(ada.text(".flash").await?.contains("Test message queued"));
    assert_eq!(ada.texts(".latest .pill").await?, ["Pending"]);
    assert_eq!(
        received.load(Ordering::SeqCst),
        0,
        "the web sent nothing itself"
    );

    // The worker picks the job up.
    deliver_the_one(&app).await?;
    assert_eq!(received.load(Ordering::SeqCst), 1);
    reload_until(&ada, ".latest .pill", "Delivered").await?;

    ada.goto("/groups").await?;
    let shot = ada.screenshot("groups").await?;
    keep(&shot, "groups.png")?;

    // A few more deliveries, one of them failed after retries, for the channel's log.
    let channel = id_of(&app, "SELECT id FROM channels WHERE kind = 'webhook'").await?;
    tried(
        &app,
        channel,
        &[
            (Some(503), "HTTP 503: upstream unavailable", "retry", 212),
            (None, "timed out after 10 s", "retry", 10_000),
            (Some(200), "", "delivered", 143),
        ],
        State::Delivered,
    )
    .await?;
    tried(
        &app,
        channel,
        &[
            (Some(500), "HTTP 500: internal error", "retry", 98),
            (
                Some(429),
                "HTTP 429: rate limited, Retry-After 30 s",
                "retry",
                41,
            ),
            (
                Some(400),
                "HTTP 400: {\"error\":\"bad payload\"}",
                "permanent",
                57,
            ),
        ],
        State::Failed,
    )
    .await?;
    ada.goto(&format!("{group_path}/channels/{channel}"))
        .await?;
    let attempts = ada.texts("#channel-log .attempt").await?;
    assert_eq!(attempts.len(), 7, "{attempts:?}");
    assert_eq!(
        ada.texts("#channel-log .delivery-head .pill").await?,
        ["Failed", "Delivered", "Delivered"]
    );
    let shot = ada.screenshot("channel-delivery-log").await?;
    keep(&shot, "channel-delivery-log.png")?;
    ada.goto("/dashboard").await?;
    assert!(
        ada.text("#failing-channels")
            .await?
            .contains("see its group")
    );
    ada.close().await?;
    Ok(())
}

#[tokio::test]
async fn an_alert_email_is_rendered_on_the_operators_sent_mail_page() -> anyhow::Result<()> {
    let app = app().await;
    let github = seed::provider(&app.db.pool, "github", "GitHub").await;
    seed::components(
        &app.db.pool,
        github,
        &[
            ("actions", "Actions", None, ComponentStatus::MajorOutage),
            ("api", "API Requests", None, ComponentStatus::Operational),
        ],
    )
    .await;
    let driver = ChromeDriver::start().await?;
    let ada = driver.session(&app.base).await?;
    sign_up(&ada, "ada@example.com", "Acme").await?;
    let acme = workspace(&app).await?;
    vw_app::monitors::add(&app.db.pool, acme, github).await?;
    let now = Utc::now();
    let incident = seed::incident(
        &app.db.pool,
        github,
        Seed {
            vendor_id: "inc-1",
            title: "Actions workflows delayed",
            impact: Some(Impact::Major),
            status: Some(IncidentStatus::Investigating),
            started: Some(now),
            resolved: None,
            components: &["actions"],
            detected: now,
            backfilled: false,
            updates: &[(
                "u1",
                Some(IncidentStatus::Investigating),
                "We are investigating delays in Actions workflow runs on hosted runners.",
                Some(now),
            )],
        },
    )
    .await;
    let change = IncidentChange {
        incident_id: "inc-1".into(),
        update_id: None,
        from: None,
        to: Some(IncidentStatus::Investigating),
        impact: Some(Impact::Major),
        components: vec!["actions".into()],
        edited: false,
        backfilled: false,
        reopened: false,
    };
    seed::event(
        &app.db.pool,
        github,
        Some(incident),
        &Event::IncidentOpened(change),
        now,
    )
    .await;
    assert_eq!(vw_jobs::deliver::fan_out(&app.db.pool).await?, 1);
    deliver_the_one(&app).await?;

    ada.goto("/operator/mail").await?;
    let subjects = ada.texts("#mails td:nth-child(3)").await?;
    assert!(
        subjects
            .iter()
            .any(|s| s.contains("Actions workflows delayed")),
        "{subjects:?}"
    );
    ada.click("#mails td:nth-child(3) a").await?;
    let frame = ada.client.find(Locator::Css("iframe.mail-frame")).await?;
    assert_eq!(frame.attr("sandbox").await?.as_deref(), Some(""));
    let shot = ada.screenshot("email-rendered").await?;
    keep(&shot, "email-rendered.png")?;
    ada.close().await?;
    Ok(())
}
