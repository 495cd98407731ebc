//! Target URLs and webhook secrets are credentials: no `Debug`, `Display` or log line shows
//! them, whatever an attempt comes to. One test in its own binary, because it installs the
//! global subscriber (which also bridges `log` records from reqwest).

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use vw_notify::discord::DiscordWebhook;
use vw_notify::email::Mailer;
use vw_notify::slack::SlackWebhook;
use vw_notify::teams::TeamsWorkflow;
use vw_notify::webhook::{WebhookEndpoint, WebhookSecret};
use vw_notify::{IncidentEvent, Notifier, Target, TargetRules};
use vw_outbound::{Client, Policy};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const SLACK_TOKEN: &str = "SlackTokenXyZ123secret";
const DISCORD_TOKEN: &str = "DiscordTokenAbC456secret_-";
const TEAMS_SIG: &str = "TeamsSigDeF789secret";
const SMTP_PASSWORD: &str = "SmtpPassw0rdSecret";

#[tokio::test]
async fn no_debug_display_or_log_line_shows_a_credential() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();

    let server = MockServer::start().await;
    // Every kind of answer: success, revoked, server error, redirect.
    Mock::given(path(format!("/ok/{SLACK_TOKEN}")))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    Mock::given(path(format!("/gone/{SLACK_TOKEN}")))
        .respond_with(
            ResponseTemplate::new(404).set_body_string(format!("no_service {SLACK_TOKEN}")),
        )
        .mount(&server)
        .await;
    Mock::given(path(format!("/down/{SLACK_TOKEN}")))
        .respond_with(ResponseTemplate::new(500).set_body_string(format!("echo {}", server.uri())))
        .mount(&server)
        .await;
    Mock::given(path(format!("/moved/{SLACK_TOKEN}")))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "Location",
            format!("{}/ok/{SLACK_TOKEN}", server.uri()).as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(path(format!("/discord/{DISCORD_TOKEN}")))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string(r#"{"code":50027,"message":"Invalid Webhook Token"}"#),
        )
        .mount(&server)
        .await;
    Mock::given(path("/teams"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    Mock::given(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;

    let secret = WebhookSecret::generate().unwrap();
    let exposed_secret = secret.expose();
    let key = exposed_secret.trim_start_matches("whsec_").to_owned();
    let base = server.uri();
    let local = TargetRules::LOCAL;
    let mut targets = Vec::new();
    for route in ["ok", "gone", "down", "moved"] {
        targets.push(Target::Slack(
            SlackWebhook::parse(&format!("{base}/{route}/{SLACK_TOKEN}"), local).unwrap(),
        ));
    }
    targets.push(Target::Discord(
        DiscordWebhook::parse(&format!("{base}/discord/{DISCORD_TOKEN}"), local).unwrap(),
    ));
    targets.push(Target::Teams(
        TeamsWorkflow::parse(&format!("{base}/teams?sig={TEAMS_SIG}"), local).unwrap(),
    ));
    targets.push(Target::Webhook(
        WebhookEndpoint::parse(&format!("{base}/hook"), local, secret.clone()).unwrap(),
    ));
    targets.push(Target::Email(common::recipient()));

    let http = Client::new(Policy {
        allow_private_targets: true,
        ..Policy::deliveries()
    })
    .unwrap();
    let refused_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp = Mailer::from_url(&format!(
        "smtp://alerts:{SMTP_PASSWORD}@127.0.0.1:{refused_port}"
    ))
    .unwrap();
    let alert = common::incident(IncidentEvent::Opened);
    let mut shown = String::new();
    for mailer in [Mailer::log_only(), smtp] {
        tracing::info!(?mailer, "mailer configured");
        shown.push_str(&format!("{mailer:?}\n"));
        let notifier = Notifier::new(http.clone(), mailer, common::settings());
        for target in &targets {
            // What a careless caller might log.
            tracing::info!(?target, "delivering");
            let attempt = notifier.deliver(&alert, target).await;
            tracing::info!(?attempt, outcome = ?attempt.outcome, "delivered");
            shown.push_str(&format!("{target:?}\n{attempt:?}\n"));
            if let Target::Slack(hook) = target {
                shown.push_str(&format!("{hook}\n"));
            }
        }
    }
    shown.push_str(&format!("{secret} {secret:?}\n"));

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The logs did see the attempts: kinds, hosts and outcomes.
    assert!(
        logs.contains("channel=\"slack\"") && logs.contains("host=\"127.0.0.1\""),
        "{logs}"
    );
    assert!(logs.contains("outcome=\"broken\"") && logs.contains("channel=\"email\""));
    assert!(
        logs.contains("ops@acme.example"),
        "log-only mail names its recipient"
    );
    for (what, text) in [("logs", &logs), ("debug/display", &shown)] {
        for secret in [
            SLACK_TOKEN,
            DISCORD_TOKEN,
            TEAMS_SIG,
            SMTP_PASSWORD,
            &key,
            common::UNSUBSCRIBE_TOKEN,
        ] {
            assert!(!text.contains(secret), "{what} show {secret}:\n{text}");
        }
    }
}
