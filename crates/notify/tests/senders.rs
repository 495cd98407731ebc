//! Every HTTP channel against a real local receiver (wiremock): what each answer becomes,
//! the pace it asks for, what the request carries, and that redirects are not followed.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use chrono::Utc;
use vw_notify::discord::{self, DiscordWebhook};
use vw_notify::slack::{self, SlackWebhook};
use vw_notify::teams::{self, TeamsWorkflow};
use vw_notify::webhook::{self, WebhookEndpoint, WebhookSecret};
use vw_notify::{Attempt, IncidentEvent, Outcome, TargetRules};
use vw_outbound::{Client, Policy};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Channel {
    Slack,
    Discord,
    Teams,
    Webhook,
}

const ALL: [Channel; 4] = [
    Channel::Slack,
    Channel::Discord,
    Channel::Teams,
    Channel::Webhook,
];
const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

fn client() -> Client {
    Client::new(Policy {
        allow_private_targets: true,
        ..Policy::deliveries()
    })
    .unwrap()
}

/// Sends the typical alert on `channel` to `{server}/hook/TOKEN`.
async fn send_with(client: &Client, channel: Channel, base: &str) -> Attempt {
    let url = format!("{base}/hook/TOKEN");
    let alert = common::incident(IncidentEvent::Opened);
    match channel {
        Channel::Slack => {
            let hook = SlackWebhook::parse(&url, TargetRules::LOCAL).unwrap();
            slack::send(client, &hook, &slack::render(&alert)).await
        }
        Channel::Discord => {
            let hook = DiscordWebhook::parse(&url, TargetRules::LOCAL).unwrap();
            discord::send(client, &hook, &discord::render(&alert)).await
        }
        Channel::Teams => {
            let flow = TeamsWorkflow::parse(&url, TargetRules::LOCAL).unwrap();
            teams::send(client, &flow, &teams::render(&alert)).await
        }
        Channel::Webhook => {
            let secret = WebhookSecret::parse(SECRET).unwrap();
            let endpoint = WebhookEndpoint::parse(&url, TargetRules::LOCAL, secret).unwrap();
            webhook::send(client, &endpoint, &webhook::render(&alert)).await
        }
    }
}

/// Answers the next POST with `answer` and sends one alert on `channel`.
async fn answered(channel: Channel, answer: ResponseTemplate) -> Attempt {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook/TOKEN"))
        .respond_with(answer)
        .mount(&server)
        .await;
    send_with(&client(), channel, &server.uri()).await
}

fn assert_no_secret(attempt: &Attempt) {
    assert!(
        !attempt.outcome.detail().contains("TOKEN"),
        "{:?}",
        attempt.outcome
    );
    assert!(
        !attempt.outcome.detail().contains("127.0.0.1"),
        "{:?}",
        attempt.outcome
    );
}

#[tokio::test]
async fn success_answers_are_delivered() {
    let answers = [
        (
            Channel::Slack,
            ResponseTemplate::new(200).set_body_string("ok"),
        ),
        (
            Channel::Discord,
            ResponseTemplate::new(200)
                .set_body_string(r#"{"id":"1234567890123","channel_id":"9"}"#),
        ),
        (Channel::Teams, ResponseTemplate::new(202)),
        (Channel::Webhook, ResponseTemplate::new(204)),
    ];
    for (channel, answer) in answers {
        let attempt = answered(channel, answer).await;
        assert!(
            matches!(
                attempt.outcome,
                Outcome::Delivered {
                    status: Some(200..=299),
                    ..
                }
            ),
            "{channel:?}: {:?}",
            attempt.outcome
        );
        assert!(attempt.duration > Duration::ZERO);
        match channel {
            Channel::Discord => {
                assert_eq!(attempt.message_id.as_deref(), Some("1234567890123"));
                assert_eq!(attempt.outcome.detail(), "message 1234567890123");
            }
            Channel::Teams => assert!(attempt.outcome.detail().contains("run history")),
            Channel::Slack => assert_eq!(attempt.outcome.detail(), "ok"),
            Channel::Webhook => assert_eq!(attempt.message_id, None),
        }
    }
}

#[tokio::test]
async fn rate_limited_answers_retry_after_the_delay_they_ask_for() {
    let date = httpdate(Utc::now() + chrono::Duration::seconds(120));
    for channel in ALL {
        let attempt = answered(
            channel,
            ResponseTemplate::new(429).insert_header("Retry-After", "7"),
        )
        .await;
        assert!(
            matches!(attempt.outcome, Outcome::Retry { after: Some(d), status: Some(429), .. } if d == Duration::from_secs(7)),
            "{channel:?}: {:?}",
            attempt.outcome
        );
        assert!(attempt.next_allowed_after >= Some(Duration::from_secs(7)));

        let attempt = answered(
            channel,
            ResponseTemplate::new(429).insert_header("Retry-After", date.as_str()),
        )
        .await;
        match attempt.outcome {
            Outcome::Retry { after: Some(d), .. } => {
                assert!((115..=120).contains(&d.as_secs()), "{channel:?}: {d:?}");
            }
            other => panic!("{channel:?}: {other:?}"),
        }
    }
}

fn httpdate(at: chrono::DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[tokio::test]
async fn server_errors_and_timeouts_retry() {
    for channel in ALL {
        let attempt = answered(
            channel,
            ResponseTemplate::new(500).set_body_string("rollup_error"),
        )
        .await;
        assert!(
            matches!(&attempt.outcome, Outcome::Retry { after: None, status: Some(500), detail } if detail == "rollup_error"),
            "{channel:?}: {:?}",
            attempt.outcome
        );
        let attempt = answered(
            channel,
            ResponseTemplate::new(503).insert_header("Retry-After", "30"),
        )
        .await;
        assert!(
            matches!(attempt.outcome, Outcome::Retry { after: Some(d), .. } if d == Duration::from_secs(30))
        );
    }

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let impatient = Client::new(Policy {
        allow_private_targets: true,
        timeout: Duration::from_millis(300),
        ..Policy::deliveries()
    })
    .unwrap();
    for channel in ALL {
        let attempt = send_with(&impatient, channel, &server.uri()).await;
        assert!(
            matches!(attempt.outcome, Outcome::Retry { status: None, .. }),
            "{channel:?}: {:?}",
            attempt.outcome
        );
        assert_eq!(attempt.outcome.detail(), "timed out waiting for an answer");
    }
}

#[tokio::test]
async fn a_refused_connection_retries_without_naming_the_url() {
    // Bind and drop a listener: nothing listens on its port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for channel in ALL {
        let attempt = send_with(&client(), channel, &format!("http://127.0.0.1:{port}")).await;
        assert!(
            matches!(attempt.outcome, Outcome::Retry { status: None, .. }),
            "{channel:?}: {:?}",
            attempt.outcome
        );
        assert!(
            attempt.outcome.detail().starts_with("unreachable"),
            "{:?}",
            attempt.outcome
        );
        assert!(!attempt.outcome.detail().contains("TOKEN"));
    }
}

#[tokio::test]
async fn bad_requests_are_permanent_with_the_reason_from_the_body() {
    let cases = [
        (Channel::Slack, ResponseTemplate::new(400).set_body_string("invalid_blocks"), "invalid_blocks"),
        (Channel::Slack, ResponseTemplate::new(403).set_body_string("action_prohibited"), "action_prohibited"),
        (
            Channel::Discord,
            ResponseTemplate::new(400).set_body_string(
                r#"{"code":50035,"message":"Invalid Form Body","errors":{"embeds":{"0":{"description":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 4096 or fewer in length."}]}}}}}"#,
            ),
            "Invalid Form Body (50035): embeds.0.description: Must be 4096 or fewer in length.",
        ),
        (
            Channel::Teams,
            ResponseTemplate::new(400)
                .set_body_string(r#"{"error":{"code":"InvalidRequestContent","message":"The card is not valid."}}"#),
            "The card is not valid.",
        ),
        (Channel::Webhook, ResponseTemplate::new(422).set_body_string("unknown event type\r\n"), "unknown event type"),
    ];
    for (channel, answer, reason) in cases {
        let attempt = answered(channel, answer).await;
        match &attempt.outcome {
            Outcome::Permanent { detail, .. } => assert_eq!(detail, reason, "{channel:?}"),
            other => panic!("{channel:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn gone_and_revoked_targets_are_broken() {
    let mut cases: Vec<(Channel, ResponseTemplate)> = Vec::new();
    for channel in ALL {
        cases.push((channel, ResponseTemplate::new(404)));
        cases.push((channel, ResponseTemplate::new(410)));
    }
    for said in ["channel_not_found", "no_service", "invalid_token"] {
        let status = if said == "invalid_token" { 403 } else { 404 };
        cases.push((
            Channel::Slack,
            ResponseTemplate::new(status).set_body_string(said),
        ));
    }
    cases.push((
        Channel::Slack,
        ResponseTemplate::new(410).set_body_string("channel_is_archived"),
    ));
    cases.push((
        Channel::Discord,
        ResponseTemplate::new(404).set_body_string(r#"{"message":"Unknown Webhook","code":10015}"#),
    ));
    cases.push((
        Channel::Discord,
        ResponseTemplate::new(401)
            .set_body_string(r#"{"message":"Invalid Webhook Token","code":50027}"#),
    ));
    cases.push((Channel::Discord, ResponseTemplate::new(401)));
    cases.push((Channel::Teams, ResponseTemplate::new(401)));
    cases.push((Channel::Teams, ResponseTemplate::new(403)));
    for (channel, answer) in cases {
        let attempt = answered(channel, answer).await;
        assert!(
            matches!(attempt.outcome, Outcome::Broken { .. }),
            "{channel:?}: {:?}",
            attempt.outcome
        );
        assert_no_secret(&attempt);
    }
    // A generic webhook's 401 is the receiver's own business: permanent, not broken.
    let attempt = answered(Channel::Webhook, ResponseTemplate::new(401)).await;
    assert!(matches!(attempt.outcome, Outcome::Permanent { .. }));
}

#[tokio::test]
async fn redirects_are_not_followed() {
    for channel in ALL {
        let server = MockServer::start().await;
        let elsewhere = format!("{}/elsewhere/SECRETPATH", server.uri());
        Mock::given(path("/hook/TOKEN"))
            .respond_with(ResponseTemplate::new(307).insert_header("Location", elsewhere.as_str()))
            .mount(&server)
            .await;
        Mock::given(path("/elsewhere/SECRETPATH"))
            .respond_with(ResponseTemplate::new(200))
            .expect(0)
            .mount(&server)
            .await;
        let attempt = send_with(&client(), channel, &server.uri()).await;
        assert!(
            matches!(
                attempt.outcome,
                Outcome::Permanent {
                    status: Some(307),
                    ..
                }
            ),
            "{channel:?}: {:?}",
            attempt.outcome
        );
        assert!(!attempt.outcome.detail().contains("SECRETPATH"));
        server.verify().await;
    }
}

#[tokio::test]
async fn requests_carry_json_and_the_rendered_body() {
    let alert = common::incident(IncidentEvent::Opened);
    let expected = [
        (Channel::Slack, slack::render(&alert).body()),
        (Channel::Discord, discord::render(&alert).body()),
        (Channel::Teams, teams::render(&alert).body()),
        (Channel::Webhook, webhook::render(&alert).body()),
    ];
    for (channel, body) in expected {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        send_with(&client(), channel, &server.uri()).await;
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert_eq!(
            request.headers.get("content-type").unwrap(),
            "application/json"
        );
        assert!(
            request
                .headers
                .get("user-agent")
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("vendorwatch/")
        );
        assert_eq!(request.body, body, "{channel:?}");
        let wait = request
            .url
            .query_pairs()
            .any(|(k, v)| k == "wait" && v == "true");
        assert_eq!(wait, channel == Channel::Discord, "{channel:?}");
    }
}

#[tokio::test]
async fn discord_paces_from_its_rate_limit_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(query_param("wait", "true"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"id":"1"}"#)
                .insert_header("X-RateLimit-Limit", "5")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Reset-After", "2.5")
                .insert_header("X-RateLimit-Bucket", "abcd"),
        )
        .mount(&server)
        .await;
    let attempt = send_with(&client(), Channel::Discord, &server.uri()).await;
    assert!(matches!(attempt.outcome, Outcome::Delivered { .. }));
    assert_eq!(
        attempt.next_allowed_after,
        Some(Duration::from_millis(2500))
    );

    // Remaining requests in the bucket: no wait.
    let attempt = answered(
        Channel::Discord,
        ResponseTemplate::new(200)
            .insert_header("X-RateLimit-Remaining", "4")
            .insert_header("X-RateLimit-Reset-After", "2.5"),
    )
    .await;
    assert_eq!(attempt.next_allowed_after, None);

    // A 429 that only says so in its body.
    let attempt = answered(
        Channel::Discord,
        ResponseTemplate::new(429).set_body_string(
            r#"{"message":"You are being rate limited.","retry_after":1.25,"global":false}"#,
        ),
    )
    .await;
    assert!(
        matches!(attempt.outcome, Outcome::Retry { after: Some(d), .. } if d == Duration::from_millis(1250)),
        "{:?}",
        attempt.outcome
    );
}

#[tokio::test]
async fn slack_and_teams_are_paced_at_one_a_second() {
    for channel in [Channel::Slack, Channel::Teams] {
        let attempt = answered(channel, ResponseTemplate::new(200)).await;
        assert_eq!(
            attempt.next_allowed_after,
            Some(Duration::from_secs(1)),
            "{channel:?}"
        );
    }
    let attempt = answered(Channel::Webhook, ResponseTemplate::new(200)).await;
    assert_eq!(attempt.next_allowed_after, None);
}

#[tokio::test]
async fn webhooks_are_signed_at_send_time_with_a_stable_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client();
    send_with(&client, Channel::Webhook, &server.uri()).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    send_with(&client, Channel::Webhook, &server.uri()).await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let header = |i: usize, name: &str| {
        requests[i]
            .headers
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };

    // One event, one id, whatever the attempt.
    assert_eq!(header(0, "webhook-id"), header(1, "webhook-id"));
    assert_eq!(
        header(0, "webhook-id"),
        webhook::message_id(common::EVENT_ID)
    );
    // Fresh timestamps: now, not the time of the event (2026-07-29) or of the first attempt.
    let now = Utc::now().timestamp();
    let (first, second): (i64, i64) = (
        header(0, "webhook-timestamp").parse().unwrap(),
        header(1, "webhook-timestamp").parse().unwrap(),
    );
    assert!(
        (now - first).abs() <= 5 && second > first,
        "{first} {second} {now}"
    );
    assert_ne!(
        header(0, "webhook-signature"),
        header(1, "webhook-signature")
    );

    // The independent verifier of the Standard Webhooks project accepts both.
    let verifier = standardwebhooks::Webhook::new(SECRET).unwrap();
    for request in &requests {
        verifier.verify(&request.body, &request.headers).unwrap();
    }
    // And refuses a body changed by one byte.
    let mut tampered = requests[0].body.clone();
    tampered[10] ^= 1;
    assert!(verifier.verify(&tampered, &requests[0].headers).is_err());
}

#[tokio::test]
async fn rotation_sends_two_signatures_each_verifiable_alone() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let new = WebhookSecret::generate().unwrap();
    let old = WebhookSecret::parse(SECRET).unwrap();
    let endpoint = WebhookEndpoint::parse(
        &format!("{}/hook", server.uri()),
        TargetRules::LOCAL,
        new.clone(),
    )
    .unwrap()
    .with_previous_secret(old);
    let message = webhook::render(&common::unreachable());
    let attempt = webhook::send(&client(), &endpoint, &message).await;
    assert!(matches!(attempt.outcome, Outcome::Delivered { .. }));
    let request = &server.received_requests().await.unwrap()[0];
    let signature = request
        .headers
        .get("webhook-signature")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(signature.split(' ').count(), 2);
    for secret in [new.expose(), SECRET.to_owned()] {
        standardwebhooks::Webhook::new(&secret)
            .unwrap()
            .verify(&request.body, &request.headers)
            .unwrap();
    }
    let stranger = WebhookSecret::generate().unwrap().expose();
    assert!(
        standardwebhooks::Webhook::new(&stranger)
            .unwrap()
            .verify(&request.body, &request.headers)
            .is_err()
    );
}
