//! What the fault tests run the service against: Statuspage sites on loopback (GitHub's real
//! summary), each watched by a workspace of its own whose one channel is a signed webhook to
//! the test's receiver (a path per site). A change is a new incident opened on a site; what
//! came of the changes is counted in the rows (events, deliveries) and at the receiver, by
//! webhook id.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;
use vw_app::secrets::Secrets;
use vw_domain::{Platform, ProviderId};
use vw_notify::{ChannelKind, TargetRules};

use crate::peers::Receiver;
use crate::process::KEY;
use crate::support::pipeline::{StatuspageSite, Vendor};
use crate::support::seed;

pub struct Site {
    pub vendor: Vendor,
    pub page: StatuspageSite,
}

pub struct Scene {
    pub db: PgPool,
    pub sites: Vec<Site>,
    pub receiver: Receiver,
    /// The incident a change opens, with its ids made unique per change.
    template: Value,
    /// Every incident opened so far: its vendor id.
    pub opened: Vec<String>,
}

impl Scene {
    /// `sites` sites with no incident, due for their first (baseline) poll.
    pub async fn new(db: &PgPool, sites: usize) -> Scene {
        let receiver = Receiver::start().await;
        let secrets = Secrets::from_hex(KEY).unwrap();
        let mut all = Vec::new();
        let mut template = Value::Null;
        for i in 0..sites {
            let vendor = Vendor::start().await;
            let mut page = StatuspageSite::from_fixture("github-summary-major-2026-07-24.json");
            // A page of its own: sites sharing GitHub's page id would be one page, polled once.
            page.summary["page"]["id"] = json!(format!("faultpage{i}"));
            template = page.summary["incidents"][0].clone();
            page.publish(&vendor);
            let slug = format!("site-{i}");
            let provider: ProviderId =
                seed::provider_at(db, &slug, &slug, &vendor.base, Some(Platform::Statuspage)).await;
            let (_, workspace) = seed::workspace(
                db,
                &format!("owner@{slug}.example"),
                &format!("{slug} team"),
            )
            .await;
            vw_app::monitors::add(db, workspace, provider)
                .await
                .unwrap();
            let group = vw_store::groups::list(db, workspace).await.unwrap()[0].id;
            // Only the webhook: the owner's address would go to the log, uncounted.
            let email = vw_store::channels::list(db, workspace).await.unwrap()[0].id;
            vw_store::channels::delete(db, workspace, email)
                .await
                .unwrap();
            vw_app::channels::add_integration(
                db,
                &secrets,
                TargetRules::LOCAL,
                workspace,
                group,
                ChannelKind::Webhook,
                &receiver.url(&slug),
            )
            .await
            .unwrap();
            all.push(Site { vendor, page });
        }
        Scene {
            db: db.clone(),
            sites: all,
            receiver,
            template,
            opened: Vec::new(),
        }
    }

    /// Whether every site has been read once (its silent baseline).
    pub async fn baselines_done(&self) -> bool {
        let read: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM poll_state WHERE last_checked_at IS NOT NULL AND snapshot IS NOT NULL",
        )
        .fetch_one(&self.db)
        .await
        .unwrap();
        read == i64::try_from(self.sites.len()).unwrap()
    }

    /// Opens a new incident (critical, investigating: every group hears of it) on site
    /// `site`; returns its vendor id.
    pub fn open_incident(&mut self, site: usize) -> String {
        let n = self.opened.len();
        let id = format!("fault{n}");
        let mut incident = self.template.clone();
        incident["id"] = json!(id);
        incident["name"] = json!(format!("Fault trial {n}"));
        if let Some(updates) = incident["incident_updates"].as_array_mut() {
            for (j, update) in updates.iter_mut().enumerate() {
                update["id"] = json!(format!("{id}u{j}"));
                update["incident_id"] = json!(id);
            }
        }
        let site = &mut self.sites[site];
        incident["page_id"] = site.page.summary["page"]["id"].clone();
        site.page.incidents.push(incident);
        site.page.publish(&site.vendor);
        self.opened.push(id.clone());
        id
    }

    /// What came of the changes so far.
    pub async fn tally(&self) -> Tally {
        let events: Vec<(String, i64)> = sqlx::query_as(
            "SELECT i.vendor_id, count(e.id) FROM incidents i
             LEFT JOIN events e ON e.incident_id = i.id AND e.kind = 'incident_opened'
             GROUP BY i.vendor_id",
        )
        .fetch_all(&self.db)
        .await
        .unwrap();
        let deliveries: Vec<(Uuid, Uuid, String)> = sqlx::query_as(
            "SELECT d.id, d.event_id, d.state FROM deliveries d
                 JOIN channels c ON c.id = d.channel_id
                 WHERE d.event_id IS NOT NULL AND c.kind = 'webhook'",
        )
        .fetch_all(&self.db)
        .await
        .unwrap();
        let opened_events: Vec<(Uuid, String)> = sqlx::query_as(
            "SELECT e.id, i.vendor_id FROM events e JOIN incidents i ON i.id = e.incident_id
             WHERE e.kind = 'incident_opened'",
        )
        .fetch_all(&self.db)
        .await
        .unwrap();
        let mut received: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for request in self.receiver.requests() {
            let event = request.json()["data"]["event_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            *received
                .entry(event)
                .or_default()
                .entry(request.header("webhook-id"))
                .or_default() += 1;
        }
        Tally {
            events_per_incident: events.into_iter().collect(),
            event_of: opened_events
                .into_iter()
                .map(|(event, incident)| (event.to_string(), incident))
                .collect(),
            deliveries: deliveries
                .into_iter()
                .map(|(id, event, state)| (id.to_string(), event.to_string(), state))
                .collect(),
            received,
        }
    }
}

/// What came of the changes, in the rows and at the receiver.
#[derive(Debug)]
pub struct Tally {
    /// incident (vendor id) → its `incident_opened` events.
    pub events_per_incident: BTreeMap<String, i64>,
    /// event id → its incident's vendor id.
    pub event_of: BTreeMap<String, String>,
    /// The webhooks' deliveries: (delivery id, event id, state).
    pub deliveries: Vec<(String, String, String)>,
    /// event id (from the payload) → webhook id → requests received with it.
    pub received: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Tally {
    /// Whether every incident opened so far went all the way: one event, its delivery
    /// delivered, and at the receiver.
    pub fn settled(&self, opened: &[String]) -> bool {
        opened.iter().all(|incident| {
            self.events_per_incident.get(incident) == Some(&1)
                && self.event_of.iter().any(|(event, of)| {
                    of == incident
                        && self.received.contains_key(event)
                        && self
                            .deliveries
                            .iter()
                            .any(|(_, e, state)| e == event && state == "delivered")
                })
        })
    }

    /// Asserts that of the incidents `opened`: none was lost or doubled as an event, and each
    /// event reached the receiver under exactly one webhook id, nothing else arriving. Returns
    /// how many requests repeated a webhook id (the call a kill interrupted, sent again: the
    /// receiver drops them by id).
    pub fn assert_exact(&self, opened: &[String]) -> usize {
        let opened_set: BTreeSet<&String> = opened.iter().collect();
        for incident in opened {
            assert_eq!(
                self.events_per_incident.get(incident),
                Some(&1),
                "incident {incident}: exactly one 'opened' event (0 lost, 0 doubled)"
            );
        }
        assert_eq!(
            self.event_of.len(),
            opened.len(),
            "no event but the changes' own"
        );
        for (event, incident) in &self.event_of {
            assert!(opened_set.contains(incident));
            let rows: Vec<&String> = self
                .deliveries
                .iter()
                .filter(|(_, e, _)| e == event)
                .map(|(_, _, state)| state)
                .collect();
            assert_eq!(
                rows,
                ["delivered"],
                "incident {incident}: one delivery, delivered"
            );
            let ids = self.received.get(event).map_or(0, BTreeMap::len);
            assert_eq!(
                ids,
                1,
                "incident {incident}: one webhook id at the receiver (0 lost, 0 doubled): {:?}",
                self.received.get(event)
            );
        }
        let strays: Vec<&String> = self
            .received
            .keys()
            .filter(|event| !self.event_of.contains_key(*event))
            .collect();
        assert!(strays.is_empty(), "requests for no known event: {strays:?}");
        self.received
            .values()
            .flat_map(BTreeMap::values)
            .map(|n| n - 1)
            .sum()
    }

    /// Where incident `incident` was when this was counted: its phase of the pipeline.
    pub fn phase(&self, incident: &str) -> &'static str {
        let Some((event, _)) = self.event_of.iter().find(|(_, of)| *of == incident) else {
            return "polling";
        };
        let states: Vec<&str> = self
            .deliveries
            .iter()
            .filter(|(_, e, _)| e == event)
            .map(|(_, _, s)| s.as_str())
            .collect();
        match states.as_slice() {
            [] => "fan-out",
            ["delivered"] if self.received.contains_key(event) => "done",
            _ => "delivery",
        }
    }
}
