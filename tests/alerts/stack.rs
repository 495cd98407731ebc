//! The whole alert path on a test database: the real worker pool (fan-out clock, delivery
//! and notice workers) sending to the test's own SMTP server and HTTP receiver, with links to
//! a site on loopback and the server key shared with the test (which adds integrations).

use std::time::Duration;

use chrono::Utc;
use vw_app::secrets::Secrets;
use vw_domain::{ChannelId, Event, GroupId, Impact, IncidentId};
use vw_notify::{ChannelKind, TargetRules};

use crate::fixture::{self, Watched, incident_change};
use crate::peers::{Inbox, Receiver, smtp_server};
use crate::support::TestDb;
use crate::support::pipeline::{Workers, config};

pub struct Stack {
    pub db: TestDb,
    pub w: Watched,
    pub receiver: Receiver,
    pub inbox: Inbox,
    pub secrets: Secrets,
    workers: Option<Workers>,
}

pub const BASE_URL: &str = "http://127.0.0.1:3000";

impl Stack {
    pub async fn start() -> Stack {
        let db = TestDb::fresh().await;
        let w = fixture::watched(&db.pool, "acme", "owner@acme.example").await;
        let receiver = Receiver::start().await;
        let (smtp, inbox) = smtp_server();
        let secrets = Secrets::random();
        let mut config = config(Duration::from_secs(3600));
        let mut deliveries = vw_jobs::deliver::DeliveryConfig::new(
            url::Url::parse(BASE_URL).unwrap(),
            secrets.clone(),
        );
        deliveries.allow_private_targets = true;
        deliveries.smtp_url = Some(smtp);
        deliveries.mail_from = "vendorwatch <alerts@vendorwatch.test>".into();
        config.deliveries = deliveries;
        // No vendor to poll: the tests write events as polls would.
        config.poll.interval = Duration::from_secs(24 * 3600);
        config.poll.idle_interval = Duration::from_secs(24 * 3600);
        sqlx::query("UPDATE poll_state SET next_poll_at = now() + interval '1 day'")
            .execute(&db.pool)
            .await
            .unwrap();
        let workers = Workers::start(&db, config);
        Stack {
            db,
            w,
            receiver,
            inbox,
            secrets,
            workers: Some(workers),
        }
    }

    pub async fn stop(mut self) {
        if let Some(workers) = self.workers.take() {
            workers.stop().await;
        }
    }

    /// An integration of `kind` in `group` sending to `path` on the receiver; returns it
    /// and, for a webhook, its secret.
    pub async fn integration(
        &self,
        group: GroupId,
        kind: ChannelKind,
        path: &str,
    ) -> (ChannelId, Option<String>) {
        let added = vw_app::channels::add_integration(
            &self.db.pool,
            &self.secrets,
            TargetRules::LOCAL,
            self.w.workspace,
            group,
            kind,
            &self.receiver.url(path),
        )
        .await
        .unwrap();
        (added.channel, added.webhook_secret)
    }

    /// A stored incident and its "opened" event, as a poll writes them.
    pub async fn incident_opened(&self, vendor_id: &str) -> IncidentId {
        let incident = fixture::incident(&self.db.pool, self.w.provider, vendor_id).await;
        self.event(
            Some(incident),
            &Event::IncidentOpened(incident_change(Impact::Major, &["api"])),
        )
        .await;
        incident
    }

    pub async fn event(&self, incident: Option<IncidentId>, event: &Event) {
        fixture::event(&self.db.pool, self.w.provider, incident, event, Utc::now()).await;
    }

    /// The state of every delivery to `channel`, oldest first.
    pub async fn states(&self, channel: ChannelId) -> Vec<String> {
        fixture::deliveries(&self.db.pool, channel).await
    }

    /// Waits until every delivery to `channel` is in a final state, and there are `n`.
    pub async fn settled(&self, channel: ChannelId, n: usize, seconds: u64) -> Vec<String> {
        let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            let states = self.states(channel).await;
            let done = states.len() >= n
                && states
                    .iter()
                    .all(|s| matches!(s.as_str(), "delivered" | "failed" | "gave_up"));
            if done {
                return states;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "waited {seconds} s for {n} settled deliveries to {channel}: {states:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Each attempt logged for `channel`'s deliveries: (attempt, outcome, status).
    pub async fn attempts(&self, channel: ChannelId) -> Vec<(i32, String, Option<i32>)> {
        sqlx::query_as(
            "SELECT a.attempt, a.outcome, a.status FROM delivery_attempts a
             JOIN deliveries d ON d.id = a.delivery_id
             WHERE d.channel_id = $1 ORDER BY d.created_at, a.attempt",
        )
        .bind(channel.0)
        .fetch_all(&self.db.pool)
        .await
        .unwrap()
    }
}
