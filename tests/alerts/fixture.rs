//! A provider with components, watched by workspaces whose groups and channels each test
//! shapes, and events written as polls write them.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use vw_domain::{
    ChannelId, ComponentStatus, Event, GroupFilters, GroupId, GroupName, Impact, IncidentChange,
    IncidentId, IncidentStatus, MaintenanceChange, MonitorId, ProviderChange, ProviderId,
    WorkspaceId,
};

use crate::support::seed;

pub struct Watched {
    pub provider: ProviderId,
    pub workspace: WorkspaceId,
    pub monitor: MonitorId,
    /// The workspace's Default group and its owner's (confirmed) address.
    pub default_group: GroupId,
    pub owner_channel: ChannelId,
}

/// `slug`, with components api (group Core), web (group Core) and billing (no group), watched
/// by a new workspace owned by `owner`.
pub async fn watched(pool: &PgPool, slug: &str, owner: &str) -> Watched {
    let provider = seed::provider(pool, slug, slug).await;
    seed::components(
        pool,
        provider,
        &[
            ("api", "API", Some("Core"), ComponentStatus::Operational),
            ("web", "Website", Some("Core"), ComponentStatus::Operational),
            ("billing", "Billing", None, ComponentStatus::Operational),
        ],
    )
    .await;
    let (_, workspace) = seed::workspace(pool, owner, &format!("{slug} team")).await;
    let monitor = watch(pool, workspace, provider).await;
    let groups = vw_store::groups::list(pool, workspace).await.unwrap();
    let default_group = groups[0].id;
    let owner_channel = vw_store::channels::list(pool, workspace).await.unwrap()[0].id;
    Watched {
        provider,
        workspace,
        monitor,
        default_group,
        owner_channel,
    }
}

pub async fn watch(pool: &PgPool, workspace: WorkspaceId, provider: ProviderId) -> MonitorId {
    vw_app::monitors::add(pool, workspace, provider)
        .await
        .unwrap()
}

/// A group named `name` letting through `severities` × `events`, with one confirmed address.
pub async fn group(
    pool: &PgPool,
    workspace: WorkspaceId,
    name: &str,
    severities: &[&str],
    events: &[&str],
) -> (GroupId, ChannelId) {
    let filters = GroupFilters::parse(
        severities.iter().copied(),
        events.iter().copied(),
        false,
        false,
    )
    .unwrap();
    group_with(pool, workspace, name, filters).await
}

pub async fn group_with(
    pool: &PgPool,
    workspace: WorkspaceId,
    name: &str,
    filters: GroupFilters,
) -> (GroupId, ChannelId) {
    let settings = vw_app::groups::Settings {
        name: GroupName::parse(name).unwrap(),
        filters,
    };
    let group = vw_app::groups::create(pool, workspace, &settings)
        .await
        .unwrap();
    let address = format!(
        "{}@{}.example",
        name.to_lowercase().replace(' ', "-"),
        workspace
    );
    let channel = confirmed(pool, workspace, group, &address).await;
    (group, channel)
}

/// A recipient added and confirmed as its owner would (through the link).
pub async fn confirmed(
    pool: &PgPool,
    workspace: WorkspaceId,
    group: GroupId,
    address: &str,
) -> ChannelId {
    let channel = vw_app::channels::add_recipient(pool, workspace, group, address)
        .await
        .unwrap();
    assert!(vw_store::channels::verify(pool, channel).await.unwrap());
    channel
}

pub fn incident_change(impact: Impact, components: &[&str]) -> IncidentChange {
    IncidentChange {
        incident_id: "inc-1".into(),
        update_id: None,
        from: None,
        to: Some(IncidentStatus::Investigating),
        impact: Some(impact),
        components: components.iter().map(|c| (*c).to_owned()).collect(),
        edited: false,
        backfilled: false,
        reopened: false,
    }
}

pub fn maintenance_change(components: &[&str]) -> MaintenanceChange {
    MaintenanceChange {
        maintenance_id: "mnt-1".into(),
        update_id: None,
        from: None,
        to: None,
        scheduled_for: None,
        scheduled_until: None,
        components: components.iter().map(|c| (*c).to_owned()).collect(),
        backfilled: false,
        rescheduled: false,
    }
}

pub fn unreachable() -> Event {
    Event::ProviderUnreachable(ProviderChange {
        failing_since: Utc::now(),
        error: Some("timed out".into()),
    })
}

/// An incident of `provider` as a poll would have stored it.
pub async fn incident(pool: &PgPool, provider: ProviderId, vendor_id: &str) -> IncidentId {
    seed::incident(
        pool,
        provider,
        seed::Seed {
            vendor_id,
            title: "Elevated API errors",
            impact: Some(Impact::Major),
            status: Some(IncidentStatus::Investigating),
            started: Some(Utc::now()),
            resolved: None,
            components: &["api"],
            detected: Utc::now(),
            backfilled: false,
            updates: &[(
                "u1",
                Some(IncidentStatus::Investigating),
                "We are investigating elevated error rates.",
                Some(Utc::now()),
            )],
        },
    )
    .await
}

/// Writes `event` to the outbox, seen at `at`.
pub async fn event(
    pool: &PgPool,
    provider: ProviderId,
    incident: Option<IncidentId>,
    event: &Event,
    at: DateTime<Utc>,
) {
    seed::event(pool, provider, incident, event, at).await;
}

/// Fans out everything pending; returns the deliveries queued.
pub async fn fan_out(pool: &PgPool) -> usize {
    vw_jobs::deliver::fan_out(pool).await.unwrap()
}

/// The deliveries made for `channel`, by state.
pub async fn deliveries(pool: &PgPool, channel: ChannelId) -> Vec<String> {
    sqlx::query_scalar("SELECT state FROM deliveries WHERE channel_id = $1 ORDER BY created_at")
        .bind(channel.0)
        .fetch_all(pool)
        .await
        .unwrap()
}

/// A second workspace watching `provider` through the group "Core" of its components, with
/// the Default group; returns its workspace and its owner's channel.
pub async fn group_in_new_workspace(
    pool: &PgPool,
    provider: ProviderId,
    owner: &str,
) -> (WorkspaceId, ChannelId) {
    let (_, workspace) = seed::workspace(pool, owner, "Core team").await;
    let monitor = watch(pool, workspace, provider).await;
    vw_app::monitors::set_filter(
        pool,
        workspace,
        monitor,
        vw_domain::ComponentFilter::chosen(["Core".to_owned()], []),
    )
    .await
    .unwrap();
    let channel = vw_store::channels::list(pool, workspace).await.unwrap()[0].id;
    (workspace, channel)
}
