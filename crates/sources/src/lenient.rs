//! Lists read item by item: one item that does not read (a date like `2026-13-45T99:99:99Z`,
//! a missing field) is skipped and logged, and the rest of the document is still read. Before,
//! one such item refused the whole `incidents.json`.
//!
//! Each item is kept as its own JSON text and read on its own; only a failure is read a second
//! time, to say where in the item it failed.
//!
//! A list of which *every* item fails is another matter: that is a format we no longer read
//! (a renamed field, say), not one bad item, and reading it as empty would make everything on
//! the page seem to vanish (a vanished scheduled maintenance reads as cancelled). The lists a
//! document is made of ([`Lenient::require_read`]) then refuse the document, as before; lists
//! inside an item (an incident's updates) are only ever thinned ([`Lenient::keep_read`]).

use std::cell::Cell;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use vw_domain::Platform;

use crate::ParseError;

thread_local! {
    /// Items of a document's own lists skipped by the parse running on this thread.
    static SKIPPED: Cell<usize> = const { Cell::new(0) };
}

/// Runs one parse and tells whether it skipped an item of a document's own lists (the
/// snapshot is then `incomplete`). Parsers are synchronous, so the parse runs on this thread
/// from start to end and the count is its own.
pub(crate) fn counting_skips<T>(parse: impl FnOnce() -> T) -> (T, bool) {
    let before = SKIPPED.with(Cell::get);
    let parsed = parse();
    let skipped = SKIPPED.with(Cell::get) > before;
    (parsed, skipped)
}

/// A JSON array whose items are read one by one.
pub(crate) struct Lenient<T> {
    items: Vec<T>,
    skipped: Vec<Skipped>,
}

/// An item that did not read, and why.
struct Skipped {
    index: usize,
    /// The item's `id` (or status.io's `_id`), when it has a readable one.
    id: Option<String>,
    /// Where in the item it failed: a JSON path, `.` for the item itself.
    path: String,
    reason: String,
}

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient {
            items: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let raws = Vec::<Box<RawValue>>::deserialize(de)?;
        Ok(Lenient::from_raw(raws.iter().map(|raw| raw.get())))
    }
}

impl<T> Lenient<T> {
    /// Reads each item from its JSON text; an item may borrow from that text.
    pub fn from_raw<'a>(raws: impl IntoIterator<Item = &'a str>) -> Self
    where
        T: Deserialize<'a>,
    {
        let mut list = Lenient::default();
        for (index, raw) in raws.into_iter().enumerate() {
            match read_item(raw) {
                Ok(item) => list.items.push(item),
                Err((path, reason)) => list.skipped.push(Skipped {
                    index,
                    id: id_of(raw),
                    path,
                    reason,
                }),
            }
        }
        list
    }

    /// The items that read, after logging those that did not. For lists inside an item.
    pub fn keep_read(self, platform: Platform, list: &str) -> Vec<T> {
        for skipped in &self.skipped {
            tracing::warn!(
                %platform,
                list,
                index = skipped.index,
                id = skipped.id.as_deref().unwrap_or(""),
                path = %skipped.path,
                reason = %skipped.reason,
                "an unreadable item was skipped"
            );
        }
        self.items
    }

    /// As [`Lenient::keep_read`], but a list of which every item failed is refused with the
    /// first failure, `list` naming the list's place in the document.
    pub fn require_read(self, platform: Platform, list: &str) -> Result<Vec<T>, ParseError> {
        if self.items.is_empty()
            && let Some(first) = self.skipped.first()
        {
            let path = match first.path.as_str() {
                "." => String::new(),
                path => format!(".{path}"),
            };
            return Err(ParseError::Malformed {
                platform,
                location: format!("{list}[{}]{path}", first.index),
                message: format!(
                    "{} (no item of the {} read)",
                    first.reason,
                    self.skipped.len()
                ),
            });
        }
        SKIPPED.with(|count| count.set(count.get() + self.skipped.len()));
        Ok(self.keep_read(platform, list))
    }
}

fn read_item<'a, T: Deserialize<'a>>(raw: &'a str) -> Result<T, (String, String)> {
    serde_json::from_str(raw).map_err(|plain| {
        let de = &mut serde_json::Deserializer::from_str(raw);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Err(e) => (e.path().to_string(), e.into_inner().to_string()),
            Ok(_) => (".".to_owned(), plain.to_string()),
        }
    })
}

/// Just the `id` of an item, to name it in the log.
fn id_of(raw: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        #[serde(default, alias = "_id")]
        id: Option<Id>,
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(serde_json::Number),
    }
    match serde_json::from_str::<IdOnly>(raw).ok()?.id? {
        Id::Text(text) => Some(text),
        Id::Number(n) => Some(n.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: u32,
        at: chrono::DateTime<chrono::Utc>,
    }

    fn list(json: &str) -> Lenient<Item> {
        serde_json::from_str(json).unwrap_or_default()
    }

    #[test]
    fn a_bad_item_is_skipped_and_named() {
        let read = list(
            r#"[{"id":1,"at":"2026-01-01T00:00:00Z"},{"id":2,"at":"2026-13-45T99:99:99Z"},
                {"id":3,"at":"2026-01-02T00:00:00Z"}]"#,
        );
        assert_eq!(read.skipped.len(), 1);
        assert_eq!(read.skipped[0].id.as_deref(), Some("2"));
        assert_eq!(read.skipped[0].path, "at");
        let ids: Vec<u32> = read
            .require_read(Platform::Statuspage, "incidents")
            .map(|items| items.iter().map(|i| i.id).collect())
            .unwrap_or_default();
        assert_eq!(ids, [1, 3]);
    }

    #[test]
    fn a_list_of_only_bad_items_is_refused_where_it_failed() {
        let read = list(r#"[{"_id":"a","at":"yesterday"}]"#);
        assert_eq!(read.skipped[0].id.as_deref(), Some("a"));
        match read.require_read(Platform::Statusio, "result.incidents") {
            Err(ParseError::Malformed { location, .. }) => {
                assert_eq!(location, "result.incidents[0].at")
            }
            other => panic!("{:?}", other.map(|i| i.len())),
        }
        let empty = list("[]").require_read(Platform::Statusio, "result.incidents");
        assert!(matches!(empty.as_deref(), Ok([])));
    }
}
