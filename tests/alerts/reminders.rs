//! Reminders before a watched maintenance starts, on an injected clock (`remind(db, now)`),
//! never by waiting: 24 h and 1 h before by default (a group setting), exactly once per
//! (maintenance, offset, channel), following a window that moves, none for a cancelled
//! maintenance, late ones sent marked late only before the window starts (otherwise dropped
//! and logged); and started / completed maintenances alerting as opened / resolved.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgPool;
use vw_domain::{
    ChannelId, Event, GroupId, Maintenance, MaintenanceStatus, ProviderId, ReminderOffsets,
};

use crate::fixture::{self, event, fan_out, group, maintenance_change, watched};
use crate::support::{TestDb, seed};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// A scheduled maintenance of `provider` on `components`, starting at `start` for two
/// hours, as a poll at `seen` stores it.
async fn scheduled(
    pool: &PgPool,
    provider: ProviderId,
    id: &str,
    start: DateTime<Utc>,
    components: &[&str],
    seen: DateTime<Utc>,
) -> Maintenance {
    let m = Maintenance {
        id: id.into(),
        title: format!("Maintenance {id}"),
        status: Some(MaintenanceStatus::Scheduled),
        scheduled_for: Some(start),
        scheduled_until: Some(start + TimeDelta::hours(2)),
        url: None,
        components: components.iter().map(|c| (*c).to_owned()).collect(),
        updates: Vec::new(),
    };
    seed::maintenance_read(pool, provider, &m, seen).await;
    m
}

async fn remind(pool: &PgPool, now: DateTime<Utc>) -> usize {
    vw_jobs::deliver::remind(pool, now).await.unwrap()
}

/// (offset in minutes, state, late, last error) of the channel's reminders, oldest first.
async fn reminders(pool: &PgPool, channel: ChannelId) -> Vec<(i32, String, bool, Option<String>)> {
    sqlx::query_as(
        "SELECT reminder_offset, state, late, last_error FROM deliveries
         WHERE channel_id = $1 AND maintenance_id IS NOT NULL ORDER BY created_at, reminder_offset DESC",
    )
    .bind(channel.0)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// A fresh database with acme watched, and the group "Ops" (maintenance, opened) with one
/// confirmed address.
async fn ops() -> (TestDb, fixture::Watched, GroupId, ChannelId) {
    let db = TestDb::fresh().await;
    let w = watched(&db.pool, "acme", "owner@acme.example").await;
    let (group_id, channel) =
        group(&db.pool, w.workspace, "Ops", &["maintenance"], &["opened"]).await;
    (db, w, group_id, channel)
}

/// When the maintenances of these tests were first seen.
const SEEN: &str = "2027-05-20T00:00:00Z";

fn pending(offset: i32, late: bool) -> (i32, String, bool, Option<String>) {
    (offset, "pending".to_owned(), late, None)
}

#[tokio::test]
async fn reminders_come_24_and_1_hour_before_once_each_to_groups_with_maintenance_on() {
    let (db, w, _, maint) = ops().await;
    let pool = &db.pool;
    let start = at("2027-06-01T12:00:00Z");
    scheduled(pool, w.provider, "m1", start, &["api"], at(SEEN)).await;
    let hours = TimeDelta::hours;

    assert_eq!(remind(pool, start - hours(25)).await, 0);
    assert_eq!(remind(pool, start - hours(24)).await, 1);
    assert_eq!(reminders(pool, maint).await, [pending(1440, false)]);
    // Every tick after finds it made: exactly once, also with clocks in several workers.
    assert_eq!(
        remind(pool, start - hours(24) + TimeDelta::seconds(1)).await,
        0
    );
    let ticks: Vec<_> = (0..4)
        .map(|n| {
            let pool = pool.clone();
            tokio::spawn(
                async move { remind(&pool, start - hours(1) + TimeDelta::seconds(n)).await },
            )
        })
        .collect();
    let mut made = 0;
    for tick in ticks {
        made += tick.await.unwrap();
    }
    assert_eq!(made, 1);
    assert_eq!(
        reminders(pool, maint).await,
        [pending(1440, false), pending(60, false)]
    );
    assert_eq!(remind(pool, start - TimeDelta::minutes(1)).await, 0);
    // The Default group lets no maintenance through: nothing for it.
    assert!(reminders(pool, w.owner_channel).await.is_empty());

    // Offsets are the group's: one at 15 minutes only.
    let (quarter_group, quarter) =
        group(pool, w.workspace, "Desk", &["maintenance"], &["opened"]).await;
    vw_app::groups::set_reminders(
        pool,
        w.workspace,
        quarter_group,
        &ReminderOffsets::parse([15]).unwrap(),
    )
    .await
    .unwrap();
    let later = at("2027-06-03T12:00:00Z");
    scheduled(pool, w.provider, "m2", later, &[], at(SEEN)).await;
    remind(pool, later - TimeDelta::minutes(16)).await;
    let sent = |all: Vec<(i32, String, bool, Option<String>)>| {
        all.into_iter()
            .filter(|r| r.1 == "pending")
            .collect::<Vec<_>>()
    };
    assert!(sent(reminders(pool, quarter).await).is_empty());
    remind(pool, later - TimeDelta::minutes(15)).await;
    assert_eq!(sent(reminders(pool, quarter).await), [pending(15, false)]);

    // A maintenance on a component the monitor does not watch reminds nobody.
    vw_app::monitors::set_filter(
        pool,
        w.workspace,
        w.monitor,
        vw_domain::ComponentFilter::chosen([], ["billing".to_owned()]),
    )
    .await
    .unwrap();
    let third = at("2027-06-05T12:00:00Z");
    scheduled(pool, w.provider, "m3", third, &["api"], at(SEEN)).await;
    let before = reminders(pool, maint).await.len();
    remind(pool, third - hours(1)).await;
    assert_eq!(reminders(pool, maint).await.len(), before);
}

#[tokio::test]
async fn a_moved_window_is_reminded_at_its_new_time_and_a_cancelled_one_not_at_all() {
    let (db, w, _, maint) = ops().await;
    let pool = &db.pool;
    let hours = TimeDelta::hours;
    let start = at("2027-06-01T12:00:00Z");
    let mut m = scheduled(pool, w.provider, "m1", start, &[], at(SEEN)).await;
    remind(pool, start - hours(24)).await;
    assert_eq!(reminders(pool, maint).await, [pending(1440, false)]);

    // The vendor moves it two days on before the reminder was sent: it waits for the new time.
    let moved = start + hours(48);
    m.scheduled_for = Some(moved);
    m.scheduled_until = Some(moved + hours(2));
    seed::maintenance_read(pool, w.provider, &m, start - hours(23)).await;
    assert_eq!(remind(pool, start - hours(23)).await, 1, "one rescheduled");
    let (due, reminder_for): (DateTime<Utc>, DateTime<Utc>) = sqlx::query_as(
        "SELECT next_attempt_at, reminder_for FROM deliveries WHERE channel_id = $1",
    )
    .bind(maint.0)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((due, reminder_for), (moved - hours(24), moved));
    // The old window's hour-before passes without a reminder; the new one's brings it.
    assert_eq!(remind(pool, start - hours(1)).await, 0);
    assert_eq!(remind(pool, moved - hours(1)).await, 1);
    assert_eq!(
        reminders(pool, maint).await,
        [pending(1440, false), pending(60, false)]
    );

    // Cancelled before its reminders: none, ever.
    let other = at("2027-06-10T12:00:00Z");
    scheduled(pool, w.provider, "m2", other, &[], at(SEEN)).await;
    seed::maintenance_gone(pool, w.provider, "m2", other - hours(30)).await;
    remind(pool, other - hours(24)).await;
    remind(pool, other - hours(1)).await;
    assert_eq!(reminders(pool, maint).await.len(), 2);

    // Cancelled after its 24 h reminder was made but before it went: dropped, said why.
    let third = at("2027-06-12T12:00:00Z");
    scheduled(pool, w.provider, "m3", third, &[], at(SEEN)).await;
    remind(pool, third - hours(24)).await;
    seed::maintenance_gone(pool, w.provider, "m3", third - hours(23)).await;
    remind(pool, third - hours(23)).await;
    let last = reminders(pool, maint).await.pop().unwrap();
    assert_eq!((last.0, last.1.as_str()), (1440, "discarded"));
    assert!(last.3.unwrap().contains("cancelled"));
}

#[tokio::test]
async fn a_late_reminder_goes_out_marked_late_only_while_the_window_has_not_started() {
    let (db, w, _, maint) = ops().await;
    let pool = &db.pool;
    let start = at("2027-06-01T12:00:00Z");
    // The workers were down from two days before until 30 minutes before the start: the
    // hour-before reminder goes, late; the day-before one is dropped in its favour.
    scheduled(pool, w.provider, "m1", start, &[], at(SEEN)).await;
    remind(pool, start - TimeDelta::minutes(30)).await;
    let got = reminders(pool, maint).await;
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].0, got[0].1.as_str()), (1440, "discarded"));
    assert!(got[0].3.as_deref().unwrap().contains("nearer"));
    assert_eq!(got[1], pending(60, true));

    // Down until after the start: nothing goes, both dropped and said why.
    let second = at("2027-06-02T12:00:00Z");
    scheduled(pool, w.provider, "m2", second, &[], at(SEEN)).await;
    assert_eq!(remind(pool, second + TimeDelta::minutes(10)).await, 0);
    let got = reminders(pool, maint).await;
    let dropped: Vec<_> = got[2..]
        .iter()
        .map(|r| (r.1.as_str(), r.3.as_deref().unwrap()))
        .collect();
    assert_eq!(
        dropped,
        [(
            "discarded",
            "dropped: the window had started when it came due"
        ); 2]
    );

    // A minute behind is no lateness (the clock ticks every second; queues take a moment).
    let third = at("2027-06-03T12:00:00Z");
    scheduled(pool, w.provider, "m3", third, &[], at(SEEN)).await;
    remind(pool, third - TimeDelta::hours(24) + TimeDelta::minutes(1)).await;
    assert_eq!(
        reminders(pool, maint).await.pop().unwrap(),
        pending(1440, false)
    );
}

#[tokio::test]
async fn a_reminder_is_delivered_like_any_alert_and_not_after_the_start() {
    let (db, w, ops, maint) = ops().await;
    let pool = &db.pool;
    let clock = vw_jobs::Clock::adjustable();
    let start = clock.now() + TimeDelta::days(3);
    scheduled(pool, w.provider, "m1", start, &["api"], clock.now()).await;
    let config = vw_jobs::deliver::DeliveryConfig::new(
        url::Url::parse("https://vw.example").unwrap(),
        vw_app::secrets::Secrets::random(),
    );
    let context =
        vw_jobs::deliver::DeliveryContext::new(pool.clone(), config, clock.clone()).unwrap();
    clock.advance(TimeDelta::days(2));
    assert_eq!(remind(pool, clock.now()).await, 1);
    let delivery: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM deliveries WHERE channel_id = $1")
            .bind(maint.0)
            .fetch_one(pool)
            .await
            .unwrap();
    let job = vw_store::queue::Deliver::one(vw_domain::DeliveryId(delivery));
    vw_jobs::deliver::run(&context, &job).await.unwrap();
    let kept = vw_store::logged_mail::list(pool, 10).await.unwrap();
    assert_eq!(kept.len(), 1, "kept without SMTP");
    assert!(
        kept[0].subject.contains("Maintenance m1"),
        "{}",
        kept[0].subject
    );
    assert!(
        kept[0].body.contains("Maintenance in 24 h"),
        "{}",
        kept[0].body
    );
    assert!(kept[0].body.contains("/providers/acme/maintenances/"));
    // Run again (a job delivered twice): nothing more is sent.
    vw_jobs::deliver::run(&context, &job).await.unwrap();
    assert_eq!(
        vw_store::logged_mail::list(pool, 10).await.unwrap().len(),
        1
    );
    let log = vw_store::deliveries::log(pool, w.workspace, ops, Some(maint), None, 10)
        .await
        .unwrap();
    assert_eq!(log[0].event_kind.as_deref(), Some("maintenance_reminder"));
    assert_eq!(log[0].subject.as_deref(), Some("Maintenance m1"));

    // The hour-before one, made, then the workers stall past the start: refused on attempt.
    clock.advance(TimeDelta::hours(23));
    assert_eq!(remind(pool, clock.now()).await, 1);
    let second: uuid::Uuid = sqlx::query_scalar(
        "SELECT id FROM deliveries WHERE channel_id = $1 AND reminder_offset = 60",
    )
    .bind(maint.0)
    .fetch_one(pool)
    .await
    .unwrap();
    clock.advance(TimeDelta::hours(2));
    let job = vw_store::queue::Deliver::one(vw_domain::DeliveryId(second));
    vw_jobs::deliver::run(&context, &job).await.unwrap();
    assert_eq!(
        vw_store::logged_mail::list(pool, 10).await.unwrap().len(),
        1,
        "none after the start"
    );
    let (state, error): (String, Option<String>) =
        sqlx::query_as("SELECT state, last_error FROM deliveries WHERE id = $1")
            .bind(second)
            .fetch_one(pool)
            .await
            .unwrap();
    assert_ne!(state, "delivered");
    assert!(error.unwrap_or_default().contains("began"), "{state}");
}

#[tokio::test]
async fn started_and_completed_maintenances_alert_as_opened_and_resolved() {
    let db = TestDb::fresh().await;
    let pool = &db.pool;
    let w = watched(pool, "acme", "owner@acme.example").await;
    let (_, ends) = group(
        pool,
        w.workspace,
        "Ends",
        &["maintenance"],
        &["opened", "resolved"],
    )
    .await;
    let (_, updates) = group(pool, w.workspace, "Updates", &["maintenance"], &["updated"]).await;
    let now = Utc::now();
    for (n, e) in [
        Event::MaintenanceScheduled(maintenance_change(&[])),
        Event::MaintenanceStarted(maintenance_change(&["api"])),
        Event::MaintenanceCompleted(maintenance_change(&["api"])),
    ]
    .iter()
    .enumerate()
    {
        event(
            pool,
            w.provider,
            None,
            e,
            now + TimeDelta::seconds(n as i64),
        )
        .await;
    }
    fan_out(pool).await;
    let kinds = |channel: ChannelId| async move {
        sqlx::query_scalar::<_, String>(
            "SELECT e.kind FROM deliveries d JOIN events e ON e.id = d.event_id
             WHERE d.channel_id = $1 ORDER BY e.detected_at",
        )
        .bind(channel.0)
        .fetch_all(pool)
        .await
        .unwrap()
    };
    assert_eq!(
        kinds(ends).await,
        ["maintenance_started", "maintenance_completed"]
    );
    assert_eq!(kinds(updates).await, ["maintenance_scheduled"]);
    assert!(kinds(w.owner_channel).await.is_empty());
}
