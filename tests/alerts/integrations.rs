//! "Send test" to every kind of integration, each a real HTTP receiver standing in for the
//! platform (private targets allowed), and the pace of sends to one Slack webhook.

use std::time::Duration;

use vw_notify::ChannelKind;

use crate::stack::Stack;

#[tokio::test]
async fn send_test_reaches_slack_discord_teams_and_a_webhook_in_their_own_shapes() {
    let stack = Stack::start().await;
    let group = stack.w.default_group;
    let mut channels = Vec::new();
    for (kind, path) in [
        (ChannelKind::Slack, "slack/services/T1/B1/x"),
        (ChannelKind::Discord, "discord/api/webhooks/1/x"),
        (ChannelKind::Teams, "teams/workflows/x"),
        (ChannelKind::Webhook, "webhook/in"),
    ] {
        let (channel, _) = stack.integration(group, kind, path).await;
        vw_app::channels::send_test(&stack.db.pool, stack.w.workspace, channel)
            .await
            .unwrap();
        channels.push(channel);
    }
    stack.receiver.wait_for(4, 30).await;
    for channel in &channels {
        assert_eq!(stack.settled(*channel, 1, 10).await, ["delivered"]);
    }
    let slack = &stack.receiver.requests_to("/slack")[0].json();
    assert!(slack["text"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(slack["blocks"].as_array().is_some_and(|b| !b.is_empty()));
    let discord = &stack.receiver.requests_to("/discord")[0];
    assert!(discord.path_and_query.contains("wait=true"));
    let discord = discord.json();
    assert_eq!(discord["allowed_mentions"]["parse"], serde_json::json!([]));
    assert!(discord["embeds"][0]["color"].is_number());
    let teams = &stack.receiver.requests_to("/teams")[0].json();
    assert_eq!(teams["type"], "message");
    assert_eq!(
        teams["attachments"][0]["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(teams["attachments"][0]["content"]["version"], "1.4");
    let webhook = &stack.receiver.requests_to("/webhook")[0].json();
    assert_eq!(webhook["type"], "test.ping");
    // The owner's address is a channel too, but nobody asked to test it.
    assert!(stack.states(stack.w.owner_channel).await.is_empty());
    stack.stop().await;
}

#[tokio::test]
async fn sends_to_one_slack_webhook_keep_to_one_a_second_and_a_429_holds_them_all() {
    let stack = Stack::start().await;
    let (slack, _) = stack
        .integration(stack.w.default_group, ChannelKind::Slack, "slack/paced")
        .await;
    vw_store::channels::delete(&stack.db.pool, stack.w.workspace, stack.w.owner_channel)
        .await
        .unwrap();
    for n in 0..5 {
        stack.incident_opened(&format!("inc-{n}")).await;
    }
    let got = stack.receiver.wait_for(5, 60).await;
    for pair in got.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(900), "sent {gap:?} apart");
    }
    stack.settled(slack, 5, 10).await;

    // Slack says slow down: the retry and every other delivery to it wait their turn.
    stack
        .receiver
        .answer(429, &[("retry-after", "4")], "rate_limited");
    for n in 5..8 {
        stack.incident_opened(&format!("inc-{n}")).await;
    }
    let got = stack.receiver.wait_for(5 + 4, 60).await;
    let limited = got[5].at;
    for later in &got[6..] {
        assert!(
            later.at - limited >= Duration::from_secs(4),
            "{:?}",
            later.at - limited
        );
    }
    assert_eq!(stack.settled(slack, 8, 30).await.len(), 8);
    stack.stop().await;
}
