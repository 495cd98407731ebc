//! Which platform a document belongs to, from its content alone.

use std::borrow::Cow;

use serde_json::{Map, Value};
use vw_domain::Platform;

/// The platform whose parser reads `body`, or `None` when it is none of ours (HTML pages,
/// unknown JSON, an empty list that every array-serving platform could have sent).
///
/// Feeds: a Statuspage history feed is `Statuspage` and an incident.io one `Incidentio` (their
/// parsers read their feeds with their markup); the Azure status feed is `Azure`; any other
/// feed is `Atom` or `Rss`.
pub fn platform_of(body: &[u8]) -> Option<Platform> {
    let text = decode(body);
    let text = text.trim_start();
    match text.as_bytes().first()? {
        b'{' | b'[' => json_platform(&serde_json::from_str(text).ok()?),
        b'<' => markup_platform(text),
        _ => None,
    }
}

/// Text for sniffing: a byte-order mark picks the encoding (AWS serves UTF-16), else UTF-8,
/// with invalid bytes replaced since only markers are looked for.
fn decode(body: &[u8]) -> Cow<'_, str> {
    match encoding_rs::Encoding::for_bom(body) {
        Some((encoding, bom_len)) => encoding.decode_without_bom_handling(&body[bom_len..]).0,
        None => String::from_utf8_lossy(body),
    }
}

fn json_platform(value: &Value) -> Option<Platform> {
    match value {
        Value::Object(doc) => object_platform(doc),
        Value::Array(items) => {
            let first = items.first()?.as_object()?;
            let has = |key| first.contains_key(key);
            if has("arn") || has("event_log") {
                Some(Platform::Aws)
            } else if has("external_desc") || has("affected_products") {
                Some(Platform::Gcp)
            } else if has("notes") && has("services") {
                Some(Platform::Slack)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn object_platform(doc: &Map<String, Value>) -> Option<Platform> {
    let has = |key| doc.contains_key(key);
    let page = doc.get("page").and_then(Value::as_object);
    if doc
        .get("result")
        .is_some_and(|r| r.get("status_overall").is_some())
    {
        return Some(Platform::Statusio);
    }
    if doc
        .get("data")
        .and_then(|d| d.get("type"))
        .and_then(Value::as_str)
        == Some("status_page")
    {
        return Some(Platform::Betterstack);
    }
    // Instatus' summary has a page too, but with a status word and camelCase lists.
    if has("activeIncidents")
        || has("activeMaintenances")
        || page.is_some_and(|p| p.get("status").is_some_and(Value::is_string))
    {
        return Some(Platform::Instatus);
    }
    if let Some(page) = page {
        let statuspage_shaped = [
            "components",
            "incidents",
            "incident",
            "scheduled_maintenances",
            "status",
        ]
        .iter()
        .any(|key| doc.contains_key(*key));
        if !statuspage_shaped {
            return None;
        }
        // incident.io's compatible endpoints copy Statuspage's shape but not its 12-character
        // page ids: theirs are ULIDs.
        let id = page.get("id").and_then(Value::as_str).unwrap_or_default();
        return Some(if is_ulid(id) {
            Platform::Incidentio
        } else {
            Platform::Statuspage
        });
    }
    if has("active_incidents") && doc.get("status").is_some_and(Value::is_string) {
        return Some(Platform::Slack);
    }
    if doc
        .get("status")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .is_some_and(|s| s.get("system").is_some())
    {
        return Some(Platform::Heroku);
    }
    if has("current") && has("archive") {
        return Some(Platform::Aws);
    }
    if let Some(data) = doc.get("data").and_then(Value::as_array) {
        // Cachet 3 is JSON:API; Cachet 2 pages its lists in `meta.pagination` and words every
        // item's status (`status_name`, `human_status`), even where `meta` is not paged.
        let first = data.first();
        let json_api = first.is_some_and(|d| d.get("attributes").is_some());
        let worded = first
            .is_some_and(|d| d.get("status_name").is_some() || d.get("human_status").is_some());
        if doc
            .get("meta")
            .is_some_and(|m| m.get("pagination").is_some())
            || json_api
            || worded
        {
            return Some(Platform::Cachet);
        }
    }
    if instatus_components(doc) {
        return Some(Platform::Instatus);
    }
    let incidents = doc.get("incidents").and_then(Value::as_array)?;
    // Checkly's unresolved-incidents: nothing but the list, whose items carry camelCase updates.
    let checkly = match incidents.first() {
        Some(first) => {
            first.get("incidentUpdates").is_some() || first.get("lastUpdateStatus").is_some()
        }
        None => doc.len() == 1,
    };
    checkly.then_some(Platform::Checkly)
}

/// Instatus' `/v3/components.json`: nothing but the list, whose states are Instatus' words
/// in capitals (Statuspage's `components.json` has a `page` and lower-case states).
fn instatus_components(doc: &Map<String, Value>) -> bool {
    const WORDS: [&str; 6] = [
        "OPERATIONAL",
        "UNDERMAINTENANCE",
        "DEGRADEDPERFORMANCE",
        "PARTIALOUTAGE",
        "MINOROUTAGE",
        "MAJOROUTAGE",
    ];
    doc.len() == 1
        && doc
            .get("components")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .and_then(|c| c.get("status"))
            .and_then(Value::as_str)
            .is_some_and(|status| WORDS.contains(&status))
}

/// A ULID: 26 characters of Crockford base 32, upper case.
fn is_ulid(id: &str) -> bool {
    id.len() == 26
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
}

fn markup_platform(text: &str) -> Option<Platform> {
    let root = root_element(text)?;
    let is_rss = match root.to_ascii_lowercase().as_str() {
        "rss" | "rdf:rdf" => true,
        "feed" => false,
        _ => return None,
    };
    // Markers are looked for in the raw text: feed content is HTML escaped inside XML, and
    // either form may appear (escaped, or in CDATA).
    let contains_any = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    if contains_any(&["<b>Status:", "&lt;b&gt;Status:"])
        && contains_any(&["Affected components", "affected components"])
    {
        return Some(Platform::Incidentio);
    }
    if contains_any(&["<description>Statuspage</description>"])
        || statuspage_entry_ids(text)
        || older_statuspage_feed(text)
    {
        return Some(Platform::Statuspage);
    }
    if is_rss && contains_any(&["<title>Azure Status</title>", "azure.status.microsoft"]) {
        return Some(Platform::Azure);
    }
    Some(if is_rss {
        Platform::Rss
    } else {
        Platform::Atom
    })
}

/// Statuspage's Atom entries are `tag:<host>,2005:Incident/<numeric id>`. Instatus copies the
/// scheme but its ids are cuids (letters first), so the digit is what tells them apart.
fn statuspage_entry_ids(text: &str) -> bool {
    const TAG: &str = ",2005:Incident/";
    text.match_indices(TAG).any(|(at, _)| {
        text[at + TAG.len()..]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit())
    })
}

/// Feeds Statuspage wrote before it named itself in the channel (Parse's of 2014) have neither
/// marker above, and RSS has no Atom ids: they are known by the title Statuspage gives every
/// history feed ("Parse Status - Incident History") together with its update markup,
/// `<small>stamp</small><br><strong>Label</strong>`, escaped inside the XML or not.
fn older_statuspage_feed(text: &str) -> bool {
    let head = text.get(..text.len().min(2048)).unwrap_or(text);
    let titled = head.contains("Status - Incident History</title>");
    let marked = [
        "&lt;/small&gt;&lt;br&gt;&lt;strong&gt;",
        "&lt;/small&gt;&lt;br&gt; &lt;strong&gt;",
        "</small><br><strong>",
        "</small><br> <strong>",
    ]
    .iter()
    .any(|m| text.contains(m));
    titled && marked
}

/// The name of the first element, after the XML declaration, comments, processing
/// instructions and a doctype.
fn root_element(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<?") {
            rest = &after[after.find("?>")? + 2..];
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = &after[after.find('>')? + 1..];
        } else {
            let after = rest.strip_prefix('<')?;
            let end = after
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(after.len());
            return Some(&after[..end]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_root_element_past_prologue_and_comments() {
        let doc = "\u{feff}<?xml version=\"1.0\"?>\n<!-- hi --><!DOCTYPE rss><rss version=\"2.0\">";
        assert_eq!(
            root_element(doc.trim_start_matches('\u{feff}')),
            Some("rss")
        );
        assert_eq!(root_element("<feed xmlns=\"x\">"), Some("feed"));
        assert_eq!(root_element("<!DOCTYPE html><html>"), Some("html"));
    }

    #[test]
    fn tells_ulids_from_statuspage_ids() {
        assert!(is_ulid("01JMDK9XYNY6RXSED6SDWW50WY"));
        assert!(!is_ulid("kctbh9vrtdwd"));
        assert!(!is_ulid("01jmdk9xyny6rxsed6sdww50wy"));
    }

    #[test]
    fn unknown_or_ambiguous_documents_are_none() {
        assert_eq!(platform_of(b"[]"), None);
        assert_eq!(platform_of(b"{\"hello\": 1}"), None);
        assert_eq!(
            platform_of(b"<!DOCTYPE html><html><body>hi</body></html>"),
            None
        );
        assert_eq!(platform_of(b"not a document"), None);
        assert_eq!(platform_of(b""), None);
    }

    #[test]
    fn a_constructed_incidentio_feed_is_incidentio() {
        // Constructed from FORMATS.md §2.4 (no captured incident.io feed exists).
        let feed = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>OpenAI status</title>
            <item><title>Login errors</title><description>&lt;b&gt;Status: Resolved&lt;/b&gt;&lt;br/&gt;&lt;br/&gt;Fixed.&lt;br/&gt;&lt;br/&gt;&lt;b&gt;Affected components&lt;/b&gt;&lt;ul&gt;&lt;li&gt;Login (Operational)&lt;/li&gt;&lt;/ul&gt;</description></item>
            </channel></rss>"#;
        assert_eq!(platform_of(feed), Some(Platform::Incidentio));
        let plain = br#"<rss version="2.0"><channel><title>Blog</title></channel></rss>"#;
        assert_eq!(platform_of(plain), Some(Platform::Rss));
    }
}
