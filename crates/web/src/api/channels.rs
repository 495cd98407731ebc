//! A group's channels (e-mail recipients and integrations): listed, added, removed, sent a
//! test, and their deliveries' log. Secrets are write-only: an integration's URL is shown
//! masked, and a webhook's signing secret only in the answer that created it.

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vw_domain::{ChannelId, DeliveryId, GroupId};
use vw_notify::ChannelKind;
use vw_store::channels::{Channel, Kind};
use vw_store::deliveries::LogLine;

use super::caller::Caller;
use super::conditional::tagged;
use super::groups::group_id;
use super::monitors::created;
use super::paging::{Page, PageParams, TimeKey, page};
use super::problem::{ApiError, Problem};
use super::request::{ApiJson, ApiQuery};
use crate::AppState;

/// A recipient or an integration.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelJson {
    #[schema(value_type = String, format = Uuid)]
    id: ChannelId,
    #[schema(value_type = String, format = Uuid)]
    group: GroupId,
    /// `email`, `slack`, `discord`, `teams` or `webhook`.
    #[schema(example = "webhook")]
    kind: &'static str,
    /// A recipient's address.
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    /// An integration's URL, masked: the URL itself is a credential and is never shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<String>,
    /// `unconfirmed` (a recipient who has not opened the confirmation link), `active`,
    /// `failing` (its newest delivery did not get through) or `broken` (the receiver said it
    /// is gone).
    #[schema(example = "active")]
    state: &'static str,
    broken_reason: Option<String>,
    created_at: DateTime<Utc>,
}

impl ChannelJson {
    pub fn of(channel: &Channel) -> Self {
        let email = channel.kind == Kind::Email;
        ChannelJson {
            id: channel.id,
            group: channel.group_id,
            kind: channel.kind.as_str(),
            address: email.then(|| channel.masked.clone()),
            target: (!email).then(|| channel.masked.clone()),
            state: if channel.broken_at.is_some() {
                "broken"
            } else if email && channel.verified_at.is_none() {
                "unconfirmed"
            } else if channel.is_failing() {
                "failing"
            } else {
                "active"
            },
            broken_reason: channel.broken_reason.clone(),
            created_at: channel.created_at,
        }
    }
}

/// A channel just added: for a webhook, with its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedChannel {
    #[serde(flatten)]
    channel: ChannelJson,
    /// A webhook's signing secret (`whsec_…`, Standard Webhooks): only in this answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

fn channel_id(raw: &str) -> Result<ChannelId, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

async fn channel(state: &AppState, caller: Caller, id: ChannelId) -> Result<Channel, ApiError> {
    Ok(vw_store::channels::get(&state.db, caller.workspace, id).await?)
}

/// A group's channels, recipients first.
#[utoipa::path(get, path = "/api/v1/groups/{id}/channels", tag = "channels",
    params(("id" = String, Path, format = Uuid, description = "The group's id")),
    responses(
        (status = 200, description = "The group's channels", body = Vec<ChannelJson>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<Vec<ChannelJson>>, ApiError> {
    let group = vw_store::groups::get(&state.db, caller.workspace, group_id(&id)?).await?;
    let channels = vw_store::channels::list(&state.db, caller.workspace).await?;
    Ok(axum::Json(
        channels
            .iter()
            .filter(|c| c.group_id == group.id)
            .map(ChannelJson::of)
            .collect(),
    ))
}

/// A channel to add: a recipient by `address`, an integration by `url`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 2, max_properties = 2)]
pub struct NewChannel {
    kind: KindWord,
    /// For `email`: the address, which must be confirmed (a link is sent to it) before any
    /// alert reaches it.
    #[schema(min_length = 3, max_length = 254)]
    address: Option<String>,
    /// For the others: the integration's URL (a Slack or Discord webhook, a Teams workflow,
    /// any https endpoint for `webhook`).
    #[schema(min_length = 1, max_length = 2048)]
    url: Option<String>,
}

/// A kind of channel.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KindWord {
    Email,
    Slack,
    Discord,
    Teams,
    Webhook,
}

impl KindWord {
    fn kind(self) -> ChannelKind {
        match self {
            KindWord::Email => ChannelKind::Email,
            KindWord::Slack => ChannelKind::Slack,
            KindWord::Discord => ChannelKind::Discord,
            KindWord::Teams => ChannelKind::Teams,
            KindWord::Webhook => ChannelKind::Webhook,
        }
    }
}

/// Add a recipient or an integration to a group.
#[utoipa::path(post, path = "/api/v1/groups/{id}/channels", tag = "channels",
    params(
        ("id" = String, Path, format = Uuid, description = "The group's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer", pattern = "^[!-~]{1,255}$"),
    ),
    request_body = NewChannel,
    responses(
        (status = 201, description = "Added; a webhook's `secret` is in this answer only", body = CreatedChannel, headers(("Location" = String))),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(new): ApiJson<NewChannel>,
) -> Result<Response, ApiError> {
    let group = group_id(&id)?;
    let kind = new.kind.kind();
    let refused = |field: &'static str| {
        move |e: vw_app::AppError| match e {
            vw_app::AppError::Invalid(why) => ApiError::invalid(field, why),
            other => other.into(),
        }
    };
    let (id, secret) = match (kind, new.address, new.url) {
        (ChannelKind::Email, Some(address), None) => (
            vw_app::channels::add_recipient(&state.db, caller.workspace, group, &address)
                .await
                .map_err(refused("address"))?,
            None,
        ),
        (ChannelKind::Email, _, _) => {
            return Err(ApiError::invalid(
                "address",
                "A recipient is added by its `address` alone.",
            ));
        }
        (kind, None, Some(url)) => {
            let added = vw_app::channels::add_integration(
                &state.db,
                &state.config.secrets,
                state.config.target_rules,
                caller.workspace,
                group,
                kind,
                &url,
            )
            .await
            .map_err(refused("url"))?;
            (added.channel, added.webhook_secret)
        }
        (_, _, _) => {
            return Err(ApiError::invalid(
                "url",
                "An integration is added by its `url` alone.",
            ));
        }
    };
    let channel = ChannelJson::of(&channel(&state, caller, id).await?);
    Ok(created(
        StatusCode::CREATED,
        &format!("/api/v1/channels/{id}"),
        CreatedChannel { channel, secret },
    ))
}

/// One channel.
#[utoipa::path(get, path = "/api/v1/channels/{id}", tag = "channels",
    params(("id" = String, Path, format = Uuid, description = "The channel's id")),
    responses(
        (status = 200, description = "The channel", body = ChannelJson),
        (status = 304, description = "Unchanged since the `ETag` in `If-None-Match`"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let found = channel(&state, caller, channel_id(&id)?).await?;
    tagged(&headers, &ChannelJson::of(&found))
}

/// Remove a recipient or an integration, with its deliveries.
#[utoipa::path(delete, path = "/api/v1/channels/{id}", tag = "channels",
    params(("id" = String, Path, format = Uuid, description = "The channel's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = channel_id(&id)?;
    channel(&state, caller, id).await?;
    vw_app::channels::remove(&state.db, caller.workspace, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A test message queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedTest {
    /// The delivery that carries it: its outcome appears in the channel's deliveries.
    #[schema(value_type = String, format = Uuid)]
    delivery: DeliveryId,
}

/// Send a test message to a channel (queued: the deliveries log tells how it went).
#[utoipa::path(post, path = "/api/v1/channels/{id}/test", tag = "channels",
    params(("id" = String, Path, format = Uuid, description = "The channel's id")),
    responses(
        (status = 202, description = "Queued", body = QueuedTest),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn send_test(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<(StatusCode, axum::Json<QueuedTest>), ApiError> {
    let delivery =
        vw_app::channels::send_test(&state.db, caller.workspace, channel_id(&id)?).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(QueuedTest { delivery })))
}

/// One delivery: an alert (or test) sent to one channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryJson {
    #[schema(value_type = String, format = Uuid)]
    id: DeliveryId,
    #[schema(value_type = String, format = Uuid)]
    channel: ChannelId,
    /// What was sent: the event's kind (`incident_opened`, …), or `null` for a test.
    event: Option<String>,
    /// The incident's or maintenance's title.
    subject: Option<String>,
    /// `pending`, `sending`, `delivered`, `failed`, `gave_up`, `held` or `discarded`.
    #[schema(example = "delivered")]
    state: &'static str,
    attempts: i32,
    /// The receiver's last HTTP status (or SMTP code).
    last_status: Option<i32>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    next_attempt_at: Option<DateTime<Utc>>,
}

impl DeliveryJson {
    fn of(line: LogLine) -> Self {
        DeliveryJson {
            id: line.id,
            channel: line.channel_id,
            event: line.event_kind,
            subject: line.subject,
            state: line.state.as_str(),
            attempts: line.attempts,
            last_status: line.last_status,
            last_error: line.last_error,
            created_at: line.created_at,
            finished_at: line.finished_at,
            next_attempt_at: line.next_attempt_at,
        }
    }
}

async fn deliveries(
    state: &AppState,
    caller: Caller,
    group: GroupId,
    channel: Option<ChannelId>,
    uri: &axum::http::Uri,
    params: &PageParams,
) -> Result<Page<DeliveryJson>, ApiError> {
    let limit = params.limit()?;
    let before = params.after::<TimeKey>()?.map(|k| (k.at, DeliveryId(k.id)));
    let lines = vw_store::deliveries::log(
        &state.db,
        caller.workspace,
        group,
        channel,
        before,
        limit + 1,
    )
    .await?;
    Ok(page(
        lines,
        limit,
        uri,
        |l| TimeKey {
            at: l.created_at,
            id: l.id.0,
        },
        DeliveryJson::of,
    ))
}

/// The deliveries to a group's channels, newest first.
#[utoipa::path(get, path = "/api/v1/groups/{id}/deliveries", tag = "deliveries",
    params(("id" = String, Path, format = Uuid, description = "The group's id"), PageParams),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<DeliveryJson>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn group_deliveries(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<axum::Json<Page<DeliveryJson>>, ApiError> {
    let group = vw_store::groups::get(&state.db, caller.workspace, group_id(&id)?).await?;
    Ok(axum::Json(
        deliveries(&state, caller, group.id, None, &uri, &params).await?,
    ))
}

/// The deliveries to one channel, newest first.
#[utoipa::path(get, path = "/api/v1/channels/{id}/deliveries", tag = "deliveries",
    params(("id" = String, Path, format = Uuid, description = "The channel's id"), PageParams),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<DeliveryJson>),
        (status = "4XX", description = "Refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn channel_deliveries(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<axum::Json<Page<DeliveryJson>>, ApiError> {
    let found = channel(&state, caller, channel_id(&id)?).await?;
    Ok(axum::Json(
        deliveries(
            &state,
            caller,
            found.group_id,
            Some(found.id),
            &uri,
            &params,
        )
        .await?,
    ))
}
