//! The maintenance calendar's views: a month of days in the user's time zone with the
//! maintenances on each, and a list of what is coming and what just happened; and the user's
//! time zone they are shown in.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use vw_domain::calendar::{Day, month_grid};
use vw_domain::{Month, TimeZoneName, UserId, WorkspaceId};
use vw_store::PgPool;
use vw_store::calendar::{self, Entry, Window};

use crate::AppError;

/// How far back the list's "recent" part and the feed reach.
pub const RECENT_DAYS: i64 = 90;

/// The most maintenances one view reads: far more than any month of real vendors.
const VIEW_LIMIT: i64 = 2_000;

/// Far enough ahead to be "everything ahead" (PostgreSQL cannot take chrono's maximum).
pub fn far_future() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
        .and_utc()
}

/// A month as the grid shows it.
#[derive(Debug, Clone)]
pub struct MonthView {
    /// Weeks, Monday first, each day with the maintenances it covers (indexes into
    /// `entries`).
    pub weeks: Vec<Vec<(Day, Vec<usize>)>>,
    pub entries: Vec<Entry>,
}

/// `month` in `zone`, as the workspace's calendar shows it; `today` is `now`'s date there.
pub async fn month(
    db: &PgPool,
    workspace: WorkspaceId,
    zone: TimeZoneName,
    month: Month,
    now: DateTime<Utc>,
) -> Result<MonthView, AppError> {
    let grid = month_grid(month, zone, zone.date_of(now));
    let (Some(first), Some(last)) = (
        grid.first().and_then(|w| w.first()),
        grid.last().and_then(|w| w.last()),
    ) else {
        return Ok(MonthView {
            weeks: Vec::new(),
            entries: Vec::new(),
        });
    };
    let window = Window {
        ends_after: first.start,
        starts_before: last.end,
        cancelled_ending_after: None,
    };
    let entries = calendar::entries(db, workspace, window, VIEW_LIMIT).await?;
    let weeks = grid
        .into_iter()
        .map(|week| {
            week.into_iter()
                .map(|day| {
                    let on: Vec<usize> = entries
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| day.covers(e.starts_at, e.ends_at))
                        .map(|(i, _)| i)
                        .collect();
                    (day, on)
                })
                .collect()
        })
        .collect();
    Ok(MonthView { weeks, entries })
}

/// The list view: what has not ended yet, soonest first; then what ended in the last
/// [`RECENT_DAYS`], latest first.
#[derive(Debug, Clone)]
pub struct ListView {
    pub upcoming: Vec<Entry>,
    pub recent: Vec<Entry>,
}

pub async fn list(
    db: &PgPool,
    workspace: WorkspaceId,
    now: DateTime<Utc>,
) -> Result<ListView, AppError> {
    let window = Window {
        ends_after: now - TimeDelta::days(RECENT_DAYS),
        starts_before: far_future(),
        cancelled_ending_after: None,
    };
    let all = calendar::entries(db, workspace, window, VIEW_LIMIT).await?;
    let (upcoming, mut recent): (Vec<Entry>, Vec<Entry>) = all
        .into_iter()
        .partition(|e| e.ends_at.unwrap_or(e.starts_at) >= now);
    recent.reverse();
    Ok(ListView { upcoming, recent })
}

/// The longest window one read of the calendar may span.
pub const LONGEST_WINDOW_DAYS: i64 = 400;

/// The workspace's maintenances whose window meets `[from, to)`, by start, cancelled ones
/// included (their status says so): the calendar as the API reads it.
pub async fn between(
    db: &PgPool,
    workspace: WorkspaceId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Entry>, AppError> {
    if to <= from {
        return Err(AppError::Invalid(
            "The window must end after it starts.".into(),
        ));
    }
    if to - from > TimeDelta::days(LONGEST_WINDOW_DAYS) {
        return Err(AppError::Invalid(format!(
            "A window spans at most {LONGEST_WINDOW_DAYS} days."
        )));
    }
    let window = Window {
        ends_after: from,
        starts_before: to,
        cancelled_ending_after: None,
    };
    Ok(calendar::entries(db, workspace, window, VIEW_LIMIT).await?)
}

/// Sets the user's time zone. `from_browser`: the page's script reporting the browser's
/// zone, which is kept only while the user has none (the first page after signing in).
pub async fn set_time_zone(
    db: &PgPool,
    user: UserId,
    zone: &str,
    from_browser: bool,
) -> Result<TimeZoneName, AppError> {
    let zone = TimeZoneName::parse(zone).map_err(|e| AppError::Invalid(e.to_string()))?;
    if vw_store::users::set_time_zone(db, user, zone, from_browser).await? {
        tracing::info!(%user, zone = zone.name(), from_browser, "time zone set");
    }
    Ok(zone)
}

/// The zone a stored name stands for; UTC when none is set (or one is no longer known).
pub fn zone_of(stored: Option<&str>) -> TimeZoneName {
    stored
        .and_then(|name| TimeZoneName::parse(name).ok())
        .unwrap_or_default()
}
