//! E-mail through the real `Mailer` to a real SMTP server run by the test (mailin-embedded on
//! 127.0.0.1), read back with mail-parser: headers, threading, both parts, and what SMTP
//! failures become.

#![allow(clippy::unwrap_used)]

mod common;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use mail_parser::MessageParser;
use mailin_embedded::response::{INTERNAL_ERROR, NO_MAILBOX, OK};
use mailin_embedded::{Handler, Response, Server};
use url::Url;
use vw_domain::EmailAddress;
use vw_notify::email::{self, BrokenIntegration, Mailer};
use vw_notify::{ChannelKind, IncidentEvent, MaintenanceEvent, Outcome};

/// Keeps every message the server accepts; can refuse recipients or the data instead.
#[derive(Clone)]
struct Recorder {
    current: Vec<u8>,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    refuse_rcpt: Option<Response>,
    refuse_data: Option<Response>,
}

impl Handler for Recorder {
    fn rcpt(&mut self, _to: &str) -> Response {
        self.refuse_rcpt.clone().unwrap_or(OK)
    }

    fn data_start(&mut self, _: &str, _: &str, _: bool, _: &[String]) -> Response {
        self.current.clear();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(refusal) = self.refuse_data.clone() {
            return refusal;
        }
        self.received
            .lock()
            .unwrap()
            .push(std::mem::take(&mut self.current));
        OK
    }
}

/// Starts a server on a free loopback port; returns its smtp:// URL and what it received.
fn smtp_server(refuse_rcpt: Option<Response>) -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
    smtp_server_refusing(refuse_rcpt, None)
}

fn smtp_server_refusing(
    refuse_rcpt: Option<Response>,
    refuse_data: Option<Response>,
) -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = Server::new(Recorder {
        current: Vec::new(),
        received: received.clone(),
        refuse_rcpt,
        refuse_data,
    });
    server
        .with_name("smtp.test")
        .with_tcp_listener(listener)
        .with_num_threads(2);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://127.0.0.1:{port}"), received)
}

fn header(raw: &[u8], name: &str) -> String {
    let message = MessageParser::default().parse(raw).unwrap();
    // Long headers are folded (CRLF + space): unfold them, as readers do.
    let value = message.header_raw(name).unwrap_or_default();
    value.replace("\r\n ", " ").trim().to_owned()
}

#[tokio::test]
async fn an_incident_thread_arrives_with_every_header_and_both_parts() {
    let (url, received) = smtp_server(None);
    let mailer = Mailer::from_url(&url).unwrap();
    let settings = common::settings();
    let recipient = common::recipient();

    let opened = common::incident(IncidentEvent::Opened);
    let mut resolved = common::incident(IncidentEvent::Resolved);
    resolved.event_id = uuid::Uuid::from_u128(0xe2);
    for alert in [&opened, &resolved] {
        let message = email::render(alert, &settings, &recipient).unwrap();
        let attempt = mailer.send(&message).await;
        assert!(
            matches!(
                attempt.outcome,
                Outcome::Delivered {
                    status: Some(250),
                    ..
                }
            ),
            "{:?}",
            attempt.outcome
        );
        assert!(attempt.message_id.is_some() && attempt.logged_mail.is_none());
    }

    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    let root = format!("<incident-{}@vendorwatch.example>", common::INCIDENT_ID);
    let parser = MessageParser::default();
    let first = parser.parse(&received[0]).unwrap();
    let second = parser.parse(&received[1]).unwrap();

    // Threading: the first is the root; the resolution replies to it under the same subject.
    assert_eq!(header(&received[0], "Message-ID"), root);
    assert_eq!(header(&received[0], "In-Reply-To"), "");
    assert_eq!(
        header(&received[1], "Message-ID"),
        "<event-00000000-0000-0000-0000-0000000000e2@vendorwatch.example>"
    );
    assert_eq!(header(&received[1], "In-Reply-To"), root);
    assert_eq!(header(&received[1], "References"), root);
    assert_eq!(first.subject(), Some("GitHub: Actions degraded"));
    assert_eq!(first.subject(), second.subject());

    for raw in &received {
        let message = parser.parse(raw).unwrap();
        assert_eq!(
            message.from().unwrap().first().unwrap().address(),
            Some("alerts@vendorwatch.example")
        );
        assert_eq!(
            message.to().unwrap().first().unwrap().address(),
            Some("ops@acme.example")
        );
        assert!(message.date().is_some());
        assert_eq!(header(raw, "Auto-Submitted"), "auto-generated");
        assert_eq!(header(raw, "MIME-Version"), "1.0");
        assert_eq!(
            header(raw, "List-Id"),
            format!(
                "\"vendorwatch alerts for Acme\" <{}.alerts.vendorwatch.example>",
                common::GROUP_ID
            )
        );
        assert_eq!(
            header(raw, "List-Unsubscribe"),
            format!(
                "<https://vendorwatch.example/u/{}>",
                common::UNSUBSCRIBE_TOKEN
            )
        );
        assert_eq!(
            header(raw, "List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click"
        );

        // multipart/alternative, text/plain first, text/html last, both UTF-8.
        let text = String::from_utf8_lossy(raw).to_ascii_lowercase();
        assert!(text.contains("content-type: multipart/alternative"));
        let plain = text
            .find("content-type: text/plain; charset=utf-8")
            .unwrap();
        let html = text.find("content-type: text/html; charset=utf-8").unwrap();
        assert!(plain < html);

        let body = message.body_text(0).unwrap();
        assert!(body.contains("GitHub – Actions degraded"));
        assert!(body.contains(&format!(
            "https://vendorwatch.example/incidents/{}",
            common::INCIDENT_ID
        )));
        assert!(body.contains(&format!(
            "Unsubscribe: https://vendorwatch.example/u/{}",
            common::UNSUBSCRIBE_TOKEN
        )));
        let html = message.body_html(0).unwrap();
        assert!(html.contains(&format!(
            "href=\"https://vendorwatch.example/u/{}\"",
            common::UNSUBSCRIBE_TOKEN
        )));
    }
    // The status lives in the body, not the subject.
    assert!(
        first
            .body_text(0)
            .unwrap()
            .contains("Status: Investigating")
    );
    assert!(second.body_text(0).unwrap().contains("Status: Resolved"));
    assert!(second.body_text(0).unwrap().starts_with("Resolved: "));
}

#[tokio::test]
async fn hostile_titles_cannot_add_headers() {
    let (url, received) = smtp_server(None);
    let mailer = Mailer::from_url(&url).unwrap();
    let mut alert = common::incident(IncidentEvent::Opened);
    if let vw_notify::About::Incident { incident, .. } = &mut alert.about {
        incident.title =
            "Down\r\nBcc: victim@evil.example\r\n\r\n<script>x</script>\u{202E}".into();
    }
    let message = email::render(&alert, &common::settings(), &common::recipient()).unwrap();
    mailer.send(&message).await;
    let raw = received.lock().unwrap()[0].clone();
    let parsed = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(header(&raw, "Bcc"), "");
    assert_eq!(
        parsed.subject(),
        Some("GitHub: Down Bcc: victim@evil.example <script>x</script>")
    );
    let html = parsed.body_html(0).unwrap();
    assert!(
        !html.contains("<script>") && html.contains("&#60;script&#62;"),
        "{html}"
    );
}

#[tokio::test]
async fn maintenance_threads_by_the_maintenance() {
    let (url, received) = smtp_server(None);
    let mailer = Mailer::from_url(&url).unwrap();
    for alert in [
        common::maintenance(MaintenanceEvent::Scheduled),
        common::reminder(),
    ] {
        mailer
            .send(&email::render(&alert, &common::settings(), &common::recipient()).unwrap())
            .await;
    }
    let received = received.lock().unwrap().clone();
    let root = format!(
        "<maintenance-{}@vendorwatch.example>",
        common::MAINTENANCE_ID
    );
    assert_eq!(header(&received[0], "Message-ID"), root);
    assert_eq!(header(&received[1], "In-Reply-To"), root);
    assert_eq!(
        header(&received[0], "Subject"),
        header(&received[1], "Subject")
    );
}

#[tokio::test]
async fn verification_and_broken_notices_arrive() {
    let (url, received) = smtp_server(None);
    let mailer = Mailer::from_url(&url).unwrap();
    let to = EmailAddress::parse("new@acme.example").unwrap();
    let confirm = Url::parse("https://vendorwatch.example/verify/VERIFYTOKEN123").unwrap();
    let verification = email::verification(&common::settings(), &to, "Acme <b>", &confirm).unwrap();
    assert!(matches!(
        mailer.send(&verification).await.outcome,
        Outcome::Delivered { .. }
    ));
    let broken = BrokenIntegration {
        workspace: "Acme".into(),
        channel: ChannelKind::Slack,
        masked_target: "https://hooks.slack.com/services/T01…/B02…/••••".into(),
        detail: "no_service".into(),
        at: common::at(12, 0),
        settings_url: Url::parse("https://vendorwatch.example/settings/integrations/7").unwrap(),
    };
    let notice = email::integration_broken(&common::settings(), &to, &broken).unwrap();
    assert!(matches!(
        mailer.send(&notice).await.outcome,
        Outcome::Delivered { .. }
    ));

    let received = received.lock().unwrap().clone();
    let parser = MessageParser::default();
    let verification = parser.parse(&received[0]).unwrap();
    assert_eq!(
        verification.subject(),
        Some("Confirm your e-mail address for vendorwatch alerts")
    );
    assert!(
        verification
            .body_text(0)
            .unwrap()
            .contains(confirm.as_str())
    );
    assert!(
        verification
            .body_html(0)
            .unwrap()
            .contains("Acme &#60;b&#62;")
    );
    // Not on a list yet: nothing to unsubscribe from.
    assert_eq!(header(&received[0], "List-Unsubscribe"), "");
    assert_eq!(header(&received[0], "Auto-Submitted"), "auto-generated");

    let notice = parser.parse(&received[1]).unwrap();
    assert_eq!(
        notice.subject(),
        Some("Alerts to a Slack integration of Acme have stopped")
    );
    let text = notice.body_text(0).unwrap();
    assert!(text.contains("no_service") && text.contains("T01…/B02…/••••"));
    assert!(text.contains("https://vendorwatch.example/settings/integrations/7"));
}

#[tokio::test]
async fn the_test_message_is_a_plain_alert_about_nothing() {
    let (url, received) = smtp_server(None);
    let mailer = Mailer::from_url(&url).unwrap();
    let message = email::render(
        &common::test_ping(),
        &common::settings(),
        &common::recipient(),
    )
    .unwrap();
    mailer.send(&message).await;
    let raw = received.lock().unwrap()[0].clone();
    let parsed = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(parsed.subject(), Some("vendorwatch test message"));
    assert!(
        parsed
            .body_text(0)
            .unwrap()
            .contains("This is a test message from vendorwatch for the workspace Acme")
    );
    assert_eq!(header(&raw, "In-Reply-To"), "");
}

#[tokio::test]
async fn smtp_refusals_are_permanent_or_transient_by_their_code() {
    let message = email::render(
        &common::incident(IncidentEvent::Opened),
        &common::settings(),
        &common::recipient(),
    )
    .unwrap();

    let (url, received) = smtp_server(Some(NO_MAILBOX));
    let attempt = Mailer::from_url(&url).unwrap().send(&message).await;
    assert!(
        matches!(
            attempt.outcome,
            Outcome::Permanent {
                status: Some(550),
                ..
            }
        ),
        "{:?}",
        attempt.outcome
    );
    assert!(attempt.outcome.detail().contains("Mailbox unavailable"));
    assert!(received.lock().unwrap().is_empty());

    let (url, _) = smtp_server(Some(INTERNAL_ERROR));
    let attempt = Mailer::from_url(&url).unwrap().send(&message).await;
    assert!(
        matches!(
            attempt.outcome,
            Outcome::Retry {
                status: Some(451),
                ..
            }
        ),
        "{:?}",
        attempt.outcome
    );
}

#[tokio::test]
async fn a_server_that_stalls_is_given_up_on_and_retried() {
    // mailin-embedded answers a refusal at the end of DATA only after minutes: a stalled
    // server, as far as the client can tell.
    let (url, _) = smtp_server_refusing(None, Some(INTERNAL_ERROR));
    let mailer = Mailer::from_url(&url)
        .unwrap()
        .with_timeout(std::time::Duration::from_millis(500));
    let message = email::render(
        &common::incident(IncidentEvent::Opened),
        &common::settings(),
        &common::recipient(),
    )
    .unwrap();
    let attempt = mailer.send(&message).await;
    assert!(
        matches!(attempt.outcome, Outcome::Retry { .. }),
        "{:?}",
        attempt.outcome
    );
    assert!(attempt.duration < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn a_refused_connection_is_retried() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = Mailer::from_url(&format!("smtp://user:PASSWORD@127.0.0.1:{port}")).unwrap();
    let message = email::render(
        &common::incident(IncidentEvent::Opened),
        &common::settings(),
        &common::recipient(),
    )
    .unwrap();
    let attempt = mailer.send(&message).await;
    assert!(
        matches!(attempt.outcome, Outcome::Retry { status: None, .. }),
        "{:?}",
        attempt.outcome
    );
    assert!(!attempt.outcome.detail().contains("PASSWORD"));
    assert!(!format!("{mailer:?}").contains("PASSWORD"));
}

#[tokio::test]
async fn without_smtp_the_message_is_kept_not_dropped() {
    let mailer = Mailer::log_only();
    assert!(mailer.is_log_only());
    let message = email::render(
        &common::incident(IncidentEvent::Opened),
        &common::settings(),
        &common::recipient(),
    )
    .unwrap();
    let attempt = mailer.send(&message).await;
    assert!(matches!(
        attempt.outcome,
        Outcome::Delivered { status: None, .. }
    ));
    let kept = attempt.logged_mail.unwrap();
    assert_eq!(kept.to, vec!["ops@acme.example".to_owned()]);
    assert_eq!(kept.subject, "GitHub: Actions degraded");
    assert_eq!(kept.raw, message.formatted());
    assert!(!format!("{kept:?}").contains(common::UNSUBSCRIBE_TOKEN));
}

#[test]
fn bad_smtp_urls_are_refused_without_repeating_them() {
    let error = Mailer::from_url("imap://user:PASSWORD@mail.example")
        .err()
        .unwrap()
        .to_string();
    assert!(error.starts_with("cannot use the SMTP settings"), "{error}");
    assert!(!error.contains("PASSWORD"));
}
