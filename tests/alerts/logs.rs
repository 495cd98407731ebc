//! What a worker logs at its most verbose (`RUST_LOG=trace`, every crate) while it delivers
//! to every kind of channel, failures and a broken integration included: never an
//! integration's URL, a webhook secret, the server's key or a link token.

use std::process::Stdio;
use std::time::Duration;

use vw_app::secrets::{LinkPurpose, Secrets};
use vw_notify::{ChannelKind, TargetRules};

use crate::fixture;
use crate::peers::{Receiver, smtp_server};
use crate::support::TestDb;
use crate::support::pipeline::wait_until;

const KEY: &str = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b";

#[tokio::test]
async fn no_secret_reaches_the_logs_even_at_trace_level() {
    let db = TestDb::fresh().await;
    vw_jobs::migrate(&db.pool).await.unwrap();
    let receiver = Receiver::start().await;
    let (smtp, inbox) = smtp_server();
    let secrets = Secrets::from_hex(KEY).unwrap();
    let w = fixture::watched(&db.pool, "acme", "owner@acme.example").await;
    sqlx::query("UPDATE poll_state SET next_poll_at = now() + interval '1 day'")
        .execute(&db.pool)
        .await
        .unwrap();

    let mut secret_words = vec![KEY.to_owned()];
    let mut channels = Vec::new();
    for (kind, path, secret) in [
        (
            ChannelKind::Slack,
            "services/T0SLACK/B0SLACK/",
            "slackTokenXq7Z9",
        ),
        (
            ChannelKind::Discord,
            "api/webhooks/1234/",
            "discordTokenWp3K",
        ),
        (ChannelKind::Teams, "workflows/run?sig=", "teamsSigRr5M2"),
        (ChannelKind::Webhook, "in/", "webhookPathTq8N"),
    ] {
        let added = vw_app::channels::add_integration(
            &db.pool,
            &secrets,
            TargetRules::LOCAL,
            w.workspace,
            w.default_group,
            kind,
            &receiver.url(&format!("{path}{secret}")),
        )
        .await
        .unwrap();
        secret_words.push(secret.to_owned());
        if let Some(whsec) = added.webhook_secret {
            secret_words.push(whsec.trim_start_matches("whsec_").to_owned());
        }
        channels.push(added.channel);
    }
    let recipient =
        fixture::confirmed(&db.pool, w.workspace, w.default_group, "r@acme.example").await;
    secret_words.push(secrets.link_token(LinkPurpose::Unsubscribe, recipient));
    secret_words.push(secrets.link_token(LinkPurpose::Unsubscribe, w.owner_channel));

    // Failures are logged too: a 500, a 429, then a revoked one.
    receiver.answer(500, &[], "internal");
    receiver.answer(429, &[("retry-after", "1")], "slow");
    receiver.answer(404, &[], "no_service");
    let log = std::env::temp_dir().join(format!("vw-trace-{}.log", uuid::Uuid::new_v4()));
    let mut worker = tokio::process::Command::new(env!("CARGO_BIN_EXE_vendorwatch"))
        .arg("worker")
        .env("DATABASE_URL", &db.url)
        .env("VW_SECRET_KEY", KEY)
        .env("VW_SMTP_URL", &smtp)
        .env("VW_BASE_URL", "http://127.0.0.1:3000")
        .env("VW_ALLOW_PRIVATE_TARGETS", "true")
        .env("VW_IMPORT_SHIPPED_CATALOG", "false")
        .env("VW_POLL_INTERVAL", "24h")
        .env("VW_IDLE_POLL_INTERVAL", "24h")
        .env("RUST_LOG", "trace")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let incident = fixture::incident(&db.pool, w.provider, "inc-1").await;
    fixture::event(
        &db.pool,
        w.provider,
        Some(incident),
        &vw_domain::Event::IncidentOpened(fixture::incident_change(vw_domain::Impact::Major, &[])),
        chrono::Utc::now(),
    )
    .await;
    for channel in &channels {
        vw_app::channels::send_test(&db.pool, w.workspace, *channel)
            .await
            .unwrap();
    }
    // Four integrations × (the alert and a test), one retried twice, and two e-mails.
    receiver.wait_for(9, 60).await;
    wait_until("both e-mails", 30, || async { inbox.raw().len() >= 2 }).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    worker.start_kill().unwrap();
    worker.wait().await.unwrap();

    let written = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    assert!(
        written.lines().count() > 100 && written.contains("delivery attempted"),
        "the worker logged at trace level ({} lines)",
        written.lines().count()
    );
    assert!(written.contains("broken"), "the revoked answer is logged");
    for secret in &secret_words {
        assert!(!written.contains(secret.as_str()), "{secret} is in the log");
    }
}
