//! Cachet's times: `YYYY-MM-DD HH:MM:SS` without a zone, read as UTC (see the module comment
//! of `cachet`); RFC 3339 is taken as written, in case a server sends it.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};

/// For `deserialize_with`: null and the empty string are no time.
pub(super) fn naive_utc<'de, D: Deserializer<'de>>(
    de: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(raw) = Option::<String>::deserialize(de)? else {
        return Ok(None);
    };
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDateTime::parse_from_str(&raw, "%Y-%m-%d %H:%M:%S")
        .map(|t| t.and_utc())
        .or_else(|_| DateTime::parse_from_rfc3339(&raw).map(|t| t.with_timezone(&Utc)))
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("not a Cachet time: {raw:?}")))
}
