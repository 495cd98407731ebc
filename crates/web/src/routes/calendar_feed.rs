//! The iCalendar feed a workspace subscribes to (`GET /calendar/{token}.ics`), as
//! `shared/CHANNELS.md` ("iCalendar maintenance feed") has it: public (calendar apps send no
//! credentials; the token is the secret), one VEVENT per maintenance, ETag and
//! Last-Modified with 304s, HEAD allowed.
//!
//! Outside the session middleware: a feed sets no cookie and reads no session. Its path is
//! never logged (the request span names the route pattern only).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use vw_domain::CalendarStatus;
use vw_store::calendar::Entry;

use crate::ical::Writer;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/calendar/{file}", get(feed))
}

/// The calendar's name in apps, and the products' identifier.
const PRODID: &str = "-//vendorwatch//maintenance feed//EN";

async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return not_found();
    };
    let now = Utc::now();
    let found = match vw_app::calendar_feed::state(&state.db, token, now).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(error) => return WebError::from(error).into_response(),
    };
    let etag = format!("\"{}\"", found.fingerprint);
    let validators = [
        (header::ETAG, etag.clone()),
        (header::LAST_MODIFIED, http_date(found.changed_at)),
        // Apps may keep it, and ask again with the validators.
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
    ];
    if not_modified(&headers, &etag, found.changed_at) {
        return with_headers(StatusCode::NOT_MODIFIED.into_response(), &validators);
    }
    let body = if method == Method::HEAD {
        String::new()
    } else {
        match vw_app::calendar_feed::entries(&state.db, found.workspace, now).await {
            Ok(entries) => render(&found.workspace_name, &entries, &state.config.base_url),
            Err(error) => return WebError::from(error).into_response(),
        }
    };
    let mut response = (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response();
    if method == Method::HEAD {
        response.headers_mut().remove(header::CONTENT_LENGTH);
    }
    with_headers(response, &validators)
}

/// A calendar app's error is a short text: it shows no page.
fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such calendar\n").into_response()
}

fn with_headers(mut response: Response, headers: &[(header::HeaderName, String)]) -> Response {
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(value) {
            response.headers_mut().insert(name.clone(), value);
        }
    }
    response
}

/// RFC 9110 13.1.2-3: If-None-Match decides when present (weak comparison, `*` matches);
/// otherwise If-Modified-Since, to the second.
fn not_modified(headers: &HeaderMap, etag: &str, changed_at: DateTime<Utc>) -> bool {
    let matches: Vec<&str> = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !matches.is_empty() {
        return matches
            .iter()
            .flat_map(|v| v.split(','))
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == "*" || tag == etag);
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
        .is_some_and(|since| changed_at.timestamp() <= since.timestamp())
}

/// An HTTP date (IMF-fixdate).
fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The feed's bytes: the calendar and one VEVENT per maintenance.
pub fn render(workspace_name: &str, entries: &[Entry], base_url: &str) -> String {
    let host = host_of(base_url);
    let mut w = Writer::with_capacity(600 + entries.len() * 700);
    w.raw("BEGIN", "VCALENDAR");
    w.raw("VERSION", "2.0");
    w.raw("PRODID", PRODID);
    w.raw("CALSCALE", "GREGORIAN");
    w.raw("METHOD", "PUBLISH");
    let name = format!("Vendor maintenance · {workspace_name}");
    w.text("X-WR-CALNAME", &name);
    w.text("NAME", &name);
    w.raw("REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
    w.raw("X-PUBLISHED-TTL", "PT1H");
    for entry in entries {
        event(&mut w, entry, base_url, &host);
    }
    w.raw("END", "VCALENDAR");
    w.finish()
}

fn event(w: &mut Writer, entry: &Entry, base_url: &str, host: &str) {
    let status = CalendarStatus::of(entry.status, entry.cancelled);
    w.raw("BEGIN", "VEVENT");
    w.raw("UID", &uid(&entry.provider_slug, &entry.vendor_id, host));
    w.utc("DTSTAMP", entry.revised_at);
    w.utc("DTSTART", entry.starts_at);
    if let Some(end) = entry.ends_at.filter(|end| *end > entry.starts_at) {
        w.utc("DTEND", end);
    }
    w.text(
        "SUMMARY",
        &format!("{}: {}", entry.provider_name, entry.title),
    );
    let mut description = format!("Status: {}", status.label());
    if entry.ends_at.is_none() {
        description.push_str("\nEnd: not given by the vendor");
    }
    if !entry.components.is_empty() {
        description.push_str("\nComponents: ");
        description.push_str(&entry.components.join(", "));
    }
    if let Some(url) = super::display::web_link(entry.url.as_deref()) {
        description.push_str("\nVendor's page: ");
        description.push_str(&url);
    }
    w.text("DESCRIPTION", &description);
    w.raw(
        "URL",
        &format!(
            "{base_url}/providers/{}/maintenances/{}",
            entry.provider_slug, entry.id
        ),
    );
    w.utc("LAST-MODIFIED", entry.revised_at);
    w.raw("SEQUENCE", &entry.sequence.to_string());
    w.raw(
        "STATUS",
        if status == CalendarStatus::Cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        },
    );
    w.raw("TRANSP", "TRANSPARENT");
    w.raw("END", "VEVENT");
}

/// `maint-{vendor}-{vendor_id}@{our host}`: the provider's slug and the vendor's id of the
/// maintenance, which never change and are unique together, so the UID is stable across
/// updates and never reused. Anything in the vendor's id but letters, digits, `.`, `_` and
/// `-` is percent-encoded, so the UID needs no TEXT escaping.
pub fn uid(slug: &str, vendor_id: &str, host: &str) -> String {
    let mut out = format!("maint-{slug}-");
    for b in vendor_id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push('@');
    out.push_str(host);
    out
}

/// The host of the site's public URL.
fn host_of(base_url: &str) -> String {
    base_url
        .parse::<axum::http::Uri>()
        .ok()
        .and_then(|uri| uri.host().map(str::to_owned))
        .unwrap_or_else(|| "vendorwatch".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_encode_whatever_a_vendor_puts_in_an_id() {
        assert_eq!(
            uid("github", "k2x9; a,b@c\\d", "vw.example"),
            "maint-github-k2x9%3B%20a%2Cb%40c%5Cd@vw.example"
        );
        assert_eq!(host_of("https://vw.example:8443"), "vw.example");
    }

    #[test]
    fn if_none_match_decides_before_if_modified_since() {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Mon, 21 Sep 2026 14:13:20 GMT"),
        );
        assert!(not_modified(&headers, "\"a\"", at));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"b\""));
        assert!(!not_modified(&headers, "\"a\"", at));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"b\", W/\"a\""),
        );
        assert!(not_modified(&headers, "\"a\"", at));
        assert_eq!(http_date(at), "Mon, 21 Sep 2026 14:13:20 GMT");
    }
}
