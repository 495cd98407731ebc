//! E-mail recipients through the real workers and a real SMTP server: the confirmation
//! e-mail and its link, then alerts with both parts, one thread per incident and RFC 8058
//! one-click unsubscribe; an unconfirmed or unsubscribed address gets nothing.

use std::time::Duration;

use vw_app::secrets::LinkPurpose;
use vw_domain::{Event, Impact, IncidentStatus};

use crate::fixture::incident_change;
use crate::peers::{Inbox, MimeHeaders, header, parse};
use crate::stack::{BASE_URL, Stack};

async fn wait_for_mail(inbox: &Inbox, address: &str, n: usize) -> Vec<Vec<u8>> {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let got = inbox.to(address);
        if got.len() >= n {
            return got;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "waited for {n} e-mails to {address}, got {}",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The token of the first link under `BASE_URL/<path>/` in the message's text part.
fn link_token(raw: &[u8], path: &str) -> String {
    let message = parse(raw);
    let text = message.body_text(0).unwrap_or_default().to_string();
    let prefix = format!("{BASE_URL}/{path}/");
    let at = text
        .find(&prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in {text}"));
    text[at + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn a_recipient_confirms_then_gets_a_thread_per_incident_and_leaves_in_one_click() {
    let stack = Stack::start().await;
    let pool = &stack.db.pool;
    let address = "oncall@acme.example";
    let channel =
        vw_app::channels::add_recipient(pool, stack.w.workspace, stack.w.default_group, address)
            .await
            .unwrap();

    // The confirmation: a link, and nothing else until it is opened.
    let confirm = wait_for_mail(&stack.inbox, address, 1).await;
    assert!(header(&confirm[0], "Subject").contains("Confirm your e-mail address"));
    assert!(header(&confirm[0], "List-Unsubscribe").is_empty());
    let incident = stack.incident_opened("inc-1").await;
    wait_for_mail(&stack.inbox, "owner@acme.example", 1).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(stack.inbox.to(address).len(), 1, "unconfirmed: no alert");

    let token = link_token(&confirm[0], "verify");
    assert_eq!(
        stack.secrets.read_link_token(LinkPurpose::Verify, &token),
        Some(channel)
    );
    assert!(
        vw_app::channels::verify(pool, &stack.secrets, &token)
            .await
            .unwrap()
    );

    // Updated (the Default group skips it), then resolved: one alert, in the incident's thread.
    let mut update = incident_change(Impact::Major, &["api"]);
    update.to = Some(IncidentStatus::Identified);
    stack
        .event(Some(incident), &Event::IncidentUpdated(update))
        .await;
    let mut resolved = incident_change(Impact::Major, &["api"]);
    resolved.to = Some(IncidentStatus::Resolved);
    stack
        .event(Some(incident), &Event::IncidentResolved(resolved))
        .await;
    let mails = wait_for_mail(&stack.inbox, address, 2).await;
    let alert = &mails[1];
    let message = parse(alert);
    let owner_mails = wait_for_mail(&stack.inbox, "owner@acme.example", 2).await;
    let root = header(&owner_mails[0], "Message-ID");
    assert!(root.starts_with("<incident-"), "{root}");
    assert_eq!(header(alert, "In-Reply-To"), root);
    assert_eq!(header(alert, "References"), root);
    assert_eq!(
        header(alert, "Subject"),
        header(&owner_mails[0], "Subject"),
        "one subject for the thread"
    );
    assert!(header(alert, "Subject").contains("Elevated API errors"));
    assert_eq!(header(alert, "Auto-Submitted"), "auto-generated");
    assert_eq!(
        header(alert, "List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    let unsubscribe = header(alert, "List-Unsubscribe");
    assert!(
        unsubscribe.starts_with(&format!("<{BASE_URL}/u/")),
        "{unsubscribe}"
    );

    // Both parts, saying what happened and linking to our incident page.
    let text = message.body_text(0).unwrap_or_default().to_string();
    let html = message.body_html(0).unwrap_or_default().to_string();
    assert!(
        message
            .content_type()
            .is_some_and(|ct| ct.subtype() == Some("alternative"))
    );
    for part in [&text, &html] {
        assert!(part.contains("Elevated API errors"));
        assert!(part.contains("acme"));
        assert!(part.contains(&format!("{BASE_URL}/providers/acme/incidents/{incident}")));
        assert!(
            part.contains(&format!("{BASE_URL}/u/")),
            "a visible unsubscribe link"
        );
    }
    assert!(text.contains("We are investigating elevated error rates."));
    assert!(text.to_lowercase().contains("resolved"));

    // One click (the link's token alone, no session): gone, and nothing more arrives.
    let token = unsubscribe
        .trim_start_matches(&format!("<{BASE_URL}/u/"))
        .trim_end_matches('>')
        .to_owned();
    assert!(
        vw_app::channels::unsubscribe(pool, &stack.secrets, &token)
            .await
            .unwrap()
    );
    assert!(
        !vw_app::channels::unsubscribe(pool, &stack.secrets, &token)
            .await
            .unwrap()
    );
    stack.incident_opened("inc-2").await;
    wait_for_mail(&stack.inbox, "owner@acme.example", 3).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(stack.inbox.to(address).len(), 2);
    stack.stop().await;
}

#[tokio::test]
async fn without_smtp_mail_is_kept_for_the_operators_and_counted_as_not_sent() {
    let db = crate::support::TestDb::fresh().await;
    let w = crate::fixture::watched(&db.pool, "acme", "owner@acme.example").await;
    let mut config = crate::support::pipeline::config(Duration::from_secs(3600));
    config.deliveries.base_url = url::Url::parse(BASE_URL).unwrap();
    let workers = crate::support::pipeline::Workers::start(&db, config);
    let incident = crate::fixture::incident(&db.pool, w.provider, "inc-1").await;
    crate::fixture::event(
        &db.pool,
        w.provider,
        Some(incident),
        &Event::IncidentOpened(incident_change(Impact::Major, &[])),
        chrono::Utc::now(),
    )
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let kept = loop {
        let kept = vw_store::logged_mail::list(&db.pool, 10).await.unwrap();
        if !kept.is_empty() {
            break kept;
        }
        assert!(std::time::Instant::now() < deadline, "nothing kept");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(kept[0].recipient, "owner@acme.example");
    assert!(kept[0].subject.contains("Elevated API errors"));
    assert!(kept[0].body.contains("List-Unsubscribe"));
    let detail: String = sqlx::query_scalar("SELECT detail FROM delivery_attempts")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(detail.contains("no SMTP"), "{detail}");
    workers.stop().await;
}
