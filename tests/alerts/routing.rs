//! Which events reach which channels: fan-out through the monitor's component filter, the
//! group's scope and its severity × event filters, the pause switch, and the rules that keep
//! stale news out. Each rule is shown letting the right events through and holding the
//! others back.

use chrono::{Duration, Utc};
use vw_domain::{ComponentFilter, Event, GroupFilters, Impact, Severity};

use crate::fixture::{
    self, deliveries, event, fan_out, group, group_with, incident_change, maintenance_change,
    watched,
};
use crate::support::TestDb;

#[tokio::test]
async fn the_default_group_gets_major_and_minor_openings_and_resolutions_only() {
    let db = TestDb::fresh().await;
    let w = watched(&db.pool, "acme", "owner@acme.example").await;
    let now = Utc::now();
    let sent = [
        Event::IncidentOpened(incident_change(Impact::Critical, &["api"])),
        Event::IncidentOpened(incident_change(Impact::Minor, &["api"])),
        Event::IncidentResolved(incident_change(Impact::None, &[])),
    ];
    let held = [
        Event::IncidentUpdated(incident_change(Impact::Major, &["api"])),
        Event::MaintenanceStarted(maintenance_change(&["api"])),
        Event::PostmortemPublished(incident_change(Impact::Major, &["api"])),
        fixture::unreachable(),
    ];
    for (n, e) in sent.iter().chain(&held).enumerate() {
        event(
            &db.pool,
            w.provider,
            None,
            e,
            now + Duration::seconds(n as i64),
        )
        .await;
    }
    assert_eq!(fan_out(&db.pool).await, sent.len());
    assert_eq!(
        deliveries(&db.pool, w.owner_channel).await.len(),
        sent.len()
    );
    // Fanned out once: a second pass finds nothing.
    assert_eq!(fan_out(&db.pool).await, 0);
}

#[tokio::test]
async fn severity_by_event_filters_pass_exactly_their_cells() {
    let db = TestDb::fresh().await;
    let w = watched(&db.pool, "acme", "owner@acme.example").await;
    let (_, majors_opened) = group(&db.pool, w.workspace, "Pager", &["major"], &["opened"]).await;
    let (_, maint) = group(
        &db.pool,
        w.workspace,
        "Maintenance",
        &["maintenance"],
        &["opened", "updated", "resolved"],
    )
    .await;
    let (_, minor_updates) =
        group(&db.pool, w.workspace, "Chatter", &["minor"], &["updated"]).await;
    let now = Utc::now();
    let events = [
        Event::IncidentOpened(incident_change(Impact::Major, &[])), // pager
        Event::IncidentOpened(incident_change(Impact::Minor, &[])), // none of the three
        Event::IncidentUpdated(incident_change(Impact::Minor, &[])), // chatter
        Event::IncidentUpdated(incident_change(Impact::Critical, &[])), // none
        Event::MaintenanceScheduled(maintenance_change(&[])),       // maintenance (updated)
        Event::MaintenanceCompleted(maintenance_change(&[])),       // maintenance (resolved)
    ];
    for (n, e) in events.iter().enumerate() {
        event(
            &db.pool,
            w.provider,
            None,
            e,
            now + Duration::seconds(n as i64),
        )
        .await;
    }
    fan_out(&db.pool).await;
    assert_eq!(deliveries(&db.pool, majors_opened).await.len(), 1);
    assert_eq!(deliveries(&db.pool, maint).await.len(), 2);
    assert_eq!(deliveries(&db.pool, minor_updates).await.len(), 1);
}

#[tokio::test]
async fn postmortems_and_page_health_reach_only_the_groups_that_opted_in() {
    let db = TestDb::fresh().await;
    let w = watched(&db.pool, "acme", "owner@acme.example").await;
    let opted = GroupFilters {
        postmortems: true,
        page_health: true,
        ..GroupFilters::default()
    };
    let (_, opted_in) = group_with(&db.pool, w.workspace, "Everything", opted).await;
    let now = Utc::now();
    event(
        &db.pool,
        w.provider,
        None,
        &Event::PostmortemPublished(incident_change(Impact::Major, &["api"])),
        now,
    )
    .await;
    event(&db.pool, w.provider, None, &fixture::unreachable(), now).await;
    fan_out(&db.pool).await;
    assert_eq!(deliveries(&db.pool, opted_in).await.len(), 2);
    assert!(deliveries(&db.pool, w.owner_channel).await.is_empty());
}

#[tokio::test]
async fn the_monitor_component_filter_decides_what_touches_it() {
    let db = TestDb::fresh().await;
    let w = watched(&db.pool, "acme", "owner@acme.example").await;
    // Watches the component "billing" alone, and the group "Core" (api and web) on a second
    // workspace's monitor.
    vw_app::monitors::set_filter(
        &db.pool,
        w.workspace,
        w.monitor,
        ComponentFilter::chosen([], ["billing".to_owned()]),
    )
    .await
    .unwrap();
    let (_, other) = fixture::group_in_new_workspace(&db.pool, w.provider, "core@b.example").await;
    let at = |n: i64| Utc::now() + Duration::seconds(n);
    let opened =
        |components: &[&str]| Event::IncidentOpened(incident_change(Impact::Major, components));
    event(&db.pool, w.provider, None, &opened(&["api"]), at(1)).await;
    event(&db.pool, w.provider, None, &opened(&["billing"]), at(2)).await;
    event(&db.pool, w.provider, None, &opened(&["web", "api"]), at(3)).await;
    event(&db.pool, w.provider, None, &opened(&[]), at(4)).await;
    fan_out(&db.pool).await;
    // billing, and the incident naming no component (it touches all).
    assert_eq!(deliveries(&db.pool, w.owner_channel).await.len(), 2);
    // api, web+api, and the one naming none.
    assert_eq!(deliveries(&db.pool, other).await.len(), 3);
}

#[tokio::test]
async fn a_group_scoped_to_some_monitors_hears_of_those_only() {
    let db = TestDb::fresh().await;
    let w = watched(&db.pool, "acme", "owner@acme.example").await;
    let other_provider = crate::support::seed::provider(&db.pool, "globex", "Globex").await;
    let other_monitor = fixture::watch(&db.pool, w.workspace, other_provider).await;
    let (scoped_group, scoped) = group(
        &db.pool,
        w.workspace,
        "Globex only",
        &["major"],
        &["opened"],
    )
    .await;
    vw_app::groups::set_scope(&db.pool, w.workspace, scoped_group, Some(&[other_monitor]))
        .await
        .unwrap();
    let now = Utc::now();
    let opened = Event::IncidentOpened(incident_change(Impact::Major, &[]));
    event(&db.pool, w.provider, None, &opened, now).await;
    event(&db.pool, other_provider, None, &opened, now).await;
    fan_out(&db.pool).await;
    assert_eq!(deliveries(&db.pool, scoped).await.len(), 1, "globex's only");
    assert_eq!(
        deliveries(&db.pool, w.owner_channel).await.len(),
        2,
        "all monitors"
    );
    let sent_about: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT e.provider_id FROM deliveries d JOIN events e ON e.id = d.event_id
         WHERE d.channel_id = $1",
    )
    .bind(scoped.0)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(sent_about, [other_provider.0]);

    // Another workspace's monitor cannot be put in the scope.
    let stranger = fixture::watched(&db.pool, "initech", "x@initech.example").await;
    let refused = vw_app::groups::set_scope(
        &db.pool,
        w.workspace,
        scoped_group,
        Some(&[stranger.monitor]),
    )
    .await;
    assert!(matches!(refused, Err(vw_app::AppError::NotFound)));
}

#[tokio::test]
async fn news_from_before_the_monitor_and_backfilled_incidents_alert_nobody() {
    let db = TestDb::fresh().await;
    let w = watched(&db.pool, "acme", "owner@acme.example").await;
    let (_, all) = group(
        &db.pool,
        w.workspace,
        "All",
        &["major", "minor", "maintenance"],
        &["opened", "updated", "resolved"],
    )
    .await;
    // Opened an hour before the monitor was added (still open when it was): no "opened".
    let earlier = Utc::now() - Duration::hours(1);
    event(
        &db.pool,
        w.provider,
        None,
        &Event::IncidentOpened(incident_change(Impact::Major, &[])),
        earlier,
    )
    .await;
    // First seen already resolved.
    let mut past = incident_change(Impact::Major, &[]);
    past.backfilled = true;
    event(
        &db.pool,
        w.provider,
        None,
        &Event::IncidentResolved(past),
        Utc::now(),
    )
    .await;
    fan_out(&db.pool).await;
    assert!(deliveries(&db.pool, all).await.is_empty());
    assert!(deliveries(&db.pool, w.owner_channel).await.is_empty());

    // That incident's later update and resolution go through the filters as usual.
    let later = Utc::now() + Duration::seconds(1);
    event(
        &db.pool,
        w.provider,
        None,
        &Event::IncidentUpdated(incident_change(Impact::Major, &[])),
        later,
    )
    .await;
    event(
        &db.pool,
        w.provider,
        None,
        &Event::IncidentResolved(incident_change(Impact::Major, &[])),
        later + Duration::seconds(1),
    )
    .await;
    fan_out(&db.pool).await;
    assert_eq!(deliveries(&db.pool, all).await.len(), 2);
    assert_eq!(
        deliveries(&db.pool, w.owner_channel).await.len(),
        1,
        "resolved only"
    );
}

#[tokio::test]
async fn paused_alerts_are_held_then_discarded_on_resume_and_paused_monitors_hear_nothing() {
    let db = TestDb::fresh().await;
    let w = watched(&db.pool, "acme", "owner@acme.example").await;
    vw_app::alerts::pause(&db.pool, w.workspace).await.unwrap();
    let opened = Event::IncidentOpened(incident_change(Impact::Major, &[]));
    event(&db.pool, w.provider, None, &opened, Utc::now()).await;
    assert_eq!(fan_out(&db.pool).await, 0, "held deliveries get no job");
    assert_eq!(deliveries(&db.pool, w.owner_channel).await, ["held"]);
    let pause = vw_app::alerts::pause_state(&db.pool, w.workspace)
        .await
        .unwrap();
    assert!(pause.since.is_some());
    assert_eq!(pause.held, 1);
    assert_eq!(
        vw_app::alerts::resume(&db.pool, w.workspace).await.unwrap(),
        1
    );
    assert_eq!(deliveries(&db.pool, w.owner_channel).await, ["discarded"]);

    // Resumed: the next event is sent.
    event(&db.pool, w.provider, None, &opened, Utc::now()).await;
    assert_eq!(fan_out(&db.pool).await, 1);

    // A paused monitor: nothing.
    vw_app::monitors::set_paused(&db.pool, w.workspace, w.monitor, true)
        .await
        .unwrap();
    event(&db.pool, w.provider, None, &opened, Utc::now()).await;
    assert_eq!(fan_out(&db.pool).await, 0);
}

#[tokio::test]
async fn unconfirmed_addresses_and_broken_integrations_are_skipped() {
    let db = TestDb::fresh().await;
    let w = watched(&db.pool, "acme", "owner@acme.example").await;
    let unconfirmed =
        vw_app::channels::add_recipient(&db.pool, w.workspace, w.default_group, "new@acme.example")
            .await
            .unwrap();
    let secrets = vw_app::secrets::Secrets::random();
    let hook = vw_app::channels::add_integration(
        &db.pool,
        &secrets,
        vw_notify::TargetRules::STRICT,
        w.workspace,
        w.default_group,
        vw_notify::ChannelKind::Webhook,
        "https://hooks.acme.example/vendorwatch",
    )
    .await
    .unwrap();
    vw_store::channels::mark_broken(&db.pool, hook.channel, "410 Gone")
        .await
        .unwrap();
    event(
        &db.pool,
        w.provider,
        None,
        &Event::IncidentOpened(incident_change(Impact::Major, &[])),
        Utc::now(),
    )
    .await;
    assert_eq!(
        fan_out(&db.pool).await,
        1,
        "the owner's confirmed address alone"
    );
    assert!(deliveries(&db.pool, unconfirmed).await.is_empty());
    assert!(deliveries(&db.pool, hook.channel).await.is_empty());
}

#[tokio::test]
async fn many_fan_outs_at_once_make_each_delivery_once() {
    let db = TestDb::fresh().await;
    let mut channels = Vec::new();
    let provider = crate::support::seed::provider(&db.pool, "acme", "Acme").await;
    for n in 0..20 {
        let (_, workspace) =
            crate::support::seed::workspace(&db.pool, &format!("o{n}@x.example"), "Team").await;
        fixture::watch(&db.pool, workspace, provider).await;
        channels.push(vw_store::channels::list(&db.pool, workspace).await.unwrap()[0].id);
    }
    let now = Utc::now();
    for n in 0..30 {
        let e = Event::IncidentOpened(incident_change(Impact::Major, &[]));
        event(
            &db.pool,
            provider,
            None,
            &e,
            now + Duration::milliseconds(n),
        )
        .await;
    }
    let runs: Vec<_> = (0..6)
        .map(|_| {
            let pool = db.pool.clone();
            tokio::spawn(async move { vw_jobs::deliver::fan_out(&pool).await.unwrap() })
        })
        .collect();
    let mut queued = 0;
    for run in runs {
        queued += run.await.unwrap();
    }
    assert_eq!(queued, 20 * 30);
    // Every delivery in exactly one job.
    let (rows, distinct, queued, queued_distinct): (i64, i64, i64, i64) = sqlx::query_as(
        "WITH queued AS (
             SELECT d.value AS delivery
             FROM apalis.jobs j,
                  jsonb_array_elements(convert_from(j.job, 'UTF8')::jsonb -> 'deliveries') d
             WHERE j.job_type = 'deliver')
         SELECT count(*), count(DISTINCT (event_id, channel_id)),
                (SELECT count(*) FROM queued), (SELECT count(DISTINCT delivery) FROM queued)
         FROM deliveries",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        (rows, distinct, queued, queued_distinct),
        (600, 600, 600, 600)
    );
    let severity: Option<String> = sqlx::query_scalar("SELECT max(severity) FROM events")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(severity.as_deref(), Some(Severity::Major.as_str()));
}
