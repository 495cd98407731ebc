//! The public provider directory (`/providers`): search by name, with each provider's current
//! state, as HTML or JSON.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use vw_domain::ComponentStatus;
use vw_store::directory::{self, ProviderSummary};

use super::display::{When, provider_state};
use crate::auth::Visitor;
use crate::layout::Layout;
use crate::negotiate::Format;
use crate::{AppState, WebError};

const PER_PAGE: usize = 50;
/// Deeper than any real directory; keeps the offset small.
const LAST_PAGE: i64 = 10_000;
/// Longer than any provider's name (the schema allows 200).
const MAX_QUERY: usize = 200;

/// What the search form sends. Read by hand so that no query string, however odd (a repeated
/// field, a page that is no number), gets anything but results, except for a search holding
/// a control character (after trimming): no name has one, and PostgreSQL refuses NUL in text.
struct DirectoryQuery {
    q: String,
    /// 1-based.
    page: i64,
}

impl DirectoryQuery {
    fn parse(raw: Option<&str>) -> Result<Self, WebError> {
        let (mut q, mut page) = (None, None);
        for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            match key.as_ref() {
                "q" if q.is_none() => q = Some(value.trim().chars().take(MAX_QUERY).collect()),
                "page" if page.is_none() => page = Some(value.parse::<i64>().ok()),
                _ => {}
            }
        }
        let q: String = q.unwrap_or_default();
        if q.chars().any(char::is_control) {
            return Err(WebError::BadRequest(
                "A search cannot hold control characters.".into(),
            ));
        }
        Ok(DirectoryQuery {
            q,
            page: page
                .flatten()
                .filter(|p| (1..=LAST_PAGE).contains(p))
                .unwrap_or(1),
        })
    }
}

/// One page of results.
struct Found {
    query: String,
    page: i64,
    providers: Vec<ProviderSummary>,
    more: bool,
}

async fn find(state: &AppState, params: DirectoryQuery) -> Result<Found, WebError> {
    let DirectoryQuery { q: query, page } = params;
    let per_page = PER_PAGE as i64;
    // One more than a page tells whether there is a next one.
    let mut providers =
        directory::search(&state.db, &query, per_page + 1, (page - 1) * per_page).await?;
    let more = providers.len() > PER_PAGE;
    providers.truncate(PER_PAGE);
    Ok(Found {
        query,
        page,
        providers,
        more,
    })
}

pub async fn index(
    State(state): State<AppState>,
    visitor: Visitor,
    format: Format,
    RawQuery(raw): RawQuery,
) -> Response {
    let found = match DirectoryQuery::parse(raw.as_deref()) {
        Ok(params) => find(&state, params).await,
        Err(error) => Err(error),
    };
    format.respond(
        found,
        |found| DirectoryPage::new(visitor.layout(), found).into_response(),
        |found| Json(DirectoryJson::new(found)).into_response(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "providers/index.html")]
struct DirectoryPage {
    layout: Layout,
    query: String,
    entries: Vec<DirectoryLine>,
    previous_page: Option<String>,
    next_page: Option<String>,
}

struct DirectoryLine {
    href: String,
    name: String,
    state: String,
    state_class: &'static str,
    open_incidents: i64,
    last_checked: Option<When>,
}

impl DirectoryPage {
    fn new(layout: Layout, found: Found) -> Self {
        let link = |n: i64| {
            let mut url = form_urlencoded::Serializer::new(String::new());
            if !found.query.is_empty() {
                url.append_pair("q", &found.query);
            }
            url.append_pair("page", &n.to_string());
            format!("/providers?{}", url.finish())
        };
        DirectoryPage {
            layout,
            previous_page: (found.page > 1).then(|| link(found.page - 1)),
            next_page: found.more.then(|| link(found.page + 1)),
            entries: found
                .providers
                .iter()
                .map(|p| {
                    let checked = p.last_checked_at.is_some();
                    let (state, state_class) =
                        provider_state(p.unreachable_since.is_some(), checked, p.status);
                    DirectoryLine {
                        href: format!("/providers/{}", p.slug),
                        name: p.name.clone(),
                        state,
                        state_class,
                        open_incidents: p.open_incidents,
                        last_checked: When::of(p.last_checked_at),
                    }
                })
                .collect(),
            query: found.query,
        }
    }
}

#[derive(Serialize)]
struct DirectoryJson {
    query: String,
    page: i64,
    next_page: Option<i64>,
    providers: Vec<DirectoryEntryJson>,
}

#[derive(Serialize)]
struct DirectoryEntryJson {
    slug: String,
    name: String,
    /// The worst status among its components.
    status: Option<ComponentStatus>,
    open_incidents: i64,
    last_checked_at: Option<DateTime<Utc>>,
    unreachable_since: Option<DateTime<Utc>>,
}

impl DirectoryJson {
    fn new(found: Found) -> Self {
        DirectoryJson {
            query: found.query,
            page: found.page,
            next_page: found.more.then_some(found.page + 1),
            providers: found
                .providers
                .into_iter()
                .map(|p| DirectoryEntryJson {
                    slug: p.slug,
                    name: p.name,
                    status: p.status,
                    open_incidents: p.open_incidents,
                    last_checked_at: p.last_checked_at,
                    unreachable_since: p.unreachable_since,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::DirectoryQuery;

    #[test]
    fn any_query_string_reads_as_a_search() {
        let read = |raw| {
            let q = DirectoryQuery::parse(raw).unwrap();
            (q.q, q.page)
        };
        assert_eq!(read(None), (String::new(), 1));
        assert_eq!(read(Some("q=+Git%20Hub+&page=3")), ("Git Hub".into(), 3));
        assert_eq!(read(Some("q=a&q=b&page=x&page=2")), ("a".into(), 1));
        assert_eq!(read(Some("page=0")), (String::new(), 1));
        assert_eq!(read(Some("page=99999999999999999999")), (String::new(), 1));
        assert_eq!(read(Some("%ZZ=1&q")), (String::new(), 1));
        assert_eq!(read(Some("q=%09git%0A")), ("git".into(), 1));
        assert_eq!(read(Some("q=a&q=%00")), ("a".into(), 1));
        assert_eq!(read(Some(&format!("q={}", "x".repeat(500)))).0.len(), 200);
    }

    #[test]
    fn a_search_with_a_control_character_is_refused() {
        for raw in ["q=%00", "q=git%00hub", "q=a%0Ab", "q=%7F", "page=2&q=%1B"] {
            assert!(DirectoryQuery::parse(Some(raw)).is_err(), "{raw}");
        }
    }
}
