//! Signed webhooks through the real workers to a real receiver that checks every signature
//! with an independent implementation (the `standardwebhooks` crate): retries keep their id,
//! 429 is waited out, a revoked endpoint breaks the integration and the admins are told.

use std::time::Duration;

use vw_notify::ChannelKind;

use crate::peers::header;
use crate::stack::Stack;

fn verify(secret: &str, request: &crate::peers::Received) {
    let verifier = standardwebhooks::Webhook::new(secret).unwrap();
    verifier
        .verify(&request.body, &request.headers)
        .unwrap_or_else(|e| panic!("signature refused: {e:?}"));
}

#[tokio::test]
async fn a_webhook_arrives_signed_and_a_failed_attempt_is_retried_with_the_same_id() {
    let stack = Stack::start().await;
    let (hook, secret) = stack
        .integration(stack.w.default_group, ChannelKind::Webhook, "hooks/acme")
        .await;
    let secret = secret.unwrap();
    assert!(secret.starts_with("whsec_"));
    stack.receiver.answer(503, &[], "busy");
    stack.incident_opened("inc-1").await;

    let got = stack.receiver.wait_for(2, 30).await;
    assert_eq!(stack.settled(hook, 1, 10).await, ["delivered"]);
    let (first, second) = (&got[0], &got[1]);
    for request in [first, second] {
        verify(&secret, request);
        assert_eq!(request.header("content-type"), "application/json");
    }
    assert_eq!(first.header("webhook-id"), second.header("webhook-id"));
    assert!(first.header("webhook-id").starts_with("msg_"));
    // The schedule's second attempt is due 5 s after the first (±10 %).
    let gap = second.at - first.at;
    assert!(gap >= Duration::from_millis(4000), "{gap:?}");
    let body = second.json();
    assert_eq!(body["type"], "incident.opened");
    assert_eq!(body["data"]["incident"]["title"], "Elevated API errors");
    let page = body["data"]["url"].as_str().unwrap_or_default();
    assert!(
        page.starts_with("http://127.0.0.1:3000/providers/acme/incidents/"),
        "{body}"
    );
    assert_eq!(
        stack.attempts(hook).await,
        [
            (1, "retry".to_owned(), Some(503)),
            (2, "delivered".to_owned(), Some(200))
        ]
    );
    stack.stop().await;
}

#[tokio::test]
async fn a_429_is_waited_out_for_as_long_as_retry_after_says() {
    let stack = Stack::start().await;
    let (hook, _) = stack
        .integration(stack.w.default_group, ChannelKind::Webhook, "hooks/slow")
        .await;
    stack
        .receiver
        .answer(429, &[("retry-after", "7")], "slow down");
    stack.incident_opened("inc-1").await;
    let got = stack.receiver.wait_for(2, 40).await;
    assert!(got[1].at - got[0].at >= Duration::from_secs(7));
    assert_eq!(stack.settled(hook, 1, 10).await, ["delivered"]);
    stack.stop().await;
}

#[tokio::test]
async fn a_revoked_webhook_breaks_the_integration_and_tells_the_admins_once() {
    let stack = Stack::start().await;
    let (hook, _) = stack
        .integration(stack.w.default_group, ChannelKind::Webhook, "hooks/gone")
        .await;
    stack.receiver.answer(410, &[], "gone");
    stack.incident_opened("inc-1").await;
    assert_eq!(stack.settled(hook, 1, 30).await, ["failed"]);
    let channel = vw_store::channels::get(&stack.db.pool, stack.w.workspace, hook)
        .await
        .unwrap();
    assert!(channel.broken_at.is_some() && channel.is_failing());

    // The owner hears of it by e-mail (besides the alert itself).
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let notice = loop {
        let found = stack
            .inbox
            .to("owner@acme.example")
            .into_iter()
            .find(|raw| header(raw, "Subject").contains("have stopped"));
        if let Some(found) = found {
            break found;
        }
        assert!(std::time::Instant::now() < deadline, "no notice arrived");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let text = String::from_utf8_lossy(&notice).to_string();
    assert!(text.contains("127.0.0.1"), "the masked target is named");
    assert!(!text.contains("hooks/gone"), "never the URL's path");

    // Nothing more goes to it.
    stack.incident_opened("inc-2").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(stack.receiver.requests_to("/hooks/gone").len(), 1);
    assert_eq!(stack.states(hook).await, ["failed"]);
    stack.stop().await;
}

#[tokio::test]
async fn a_permanent_refusal_is_not_retried() {
    let stack = Stack::start().await;
    let (hook, _) = stack
        .integration(stack.w.default_group, ChannelKind::Webhook, "hooks/strict")
        .await;
    stack
        .receiver
        .answer(400, &[], "{\"error\":\"bad payload\"}");
    stack.incident_opened("inc-1").await;
    assert_eq!(stack.settled(hook, 1, 30).await, ["failed"]);
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(stack.receiver.requests().len(), 1);
    assert_eq!(
        stack.attempts(hook).await,
        [(1, "permanent".to_owned(), Some(400))]
    );
    stack.stop().await;
}

#[tokio::test]
async fn a_burst_of_a_thousand_events_to_one_webhook_arrives_exactly_once_each() {
    let stack = Stack::start().await;
    let (hook, secret) = stack
        .integration(stack.w.default_group, ChannelKind::Webhook, "hooks/burst")
        .await;
    // The owner's address would get a thousand e-mails too: this test is about the webhook.
    vw_store::channels::delete(&stack.db.pool, stack.w.workspace, stack.w.owner_channel)
        .await
        .unwrap();
    let incident = crate::fixture::incident(&stack.db.pool, stack.w.provider, "inc-1").await;
    let now = chrono::Utc::now();
    for n in 0..1000 {
        crate::fixture::event(
            &stack.db.pool,
            stack.w.provider,
            Some(incident),
            &vw_domain::Event::IncidentOpened(crate::fixture::incident_change(
                vw_domain::Impact::Major,
                &[],
            )),
            now + chrono::Duration::milliseconds(n),
        )
        .await;
    }
    let got = stack.receiver.wait_for(1000, 180).await;
    stack.settled(hook, 1000, 60).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got_after = stack.receiver.requests();
    assert_eq!(got_after.len(), 1000, "no more than one each");
    let ids: std::collections::HashSet<String> =
        got.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(ids.len(), 1000);
    verify(secret.as_deref().unwrap(), &got[999]);
    stack.stop().await;
}
