//! The UTC offset each entry's own date was written with (`<pubDate>…-0700</pubDate>`,
//! `<published>…-08:00</published>`). feed-rs gives the dates in UTC only, and the offset is
//! what tells whether a page's zone labels mean what they say (see `entry`).
//!
//! A scan of the raw XML, entry by entry in document order, which is also feed-rs' order. When
//! the scan does not find as many entries as feed-rs did (markup it does not follow), it gives
//! nothing rather than offsets that may belong to other entries.

use chrono::{DateTime, FixedOffset};

/// One offset (or `None`) per entry, or `None` for the whole feed.
pub(crate) fn scan(xml: &str, entries: usize) -> Option<Vec<Option<FixedOffset>>> {
    let starts = element_starts(xml, &["item", "entry"]);
    if starts.len() != entries {
        return None;
    }
    let offsets = starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(xml.len());
            own_date(&xml[start..end])
        })
        .collect();
    Some(offsets)
}

/// Where each `<name …>` opens (not `<names>` or `<name-x>`).
fn element_starts(xml: &str, names: &[&str]) -> Vec<usize> {
    let mut starts = Vec::new();
    for (at, _) in xml.match_indices('<') {
        let rest = &xml[at + 1..];
        let opens = names.iter().any(|name| {
            rest.strip_prefix(name).is_some_and(|after| {
                after.starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace())
            })
        });
        if opens {
            starts.push(at);
        }
    }
    starts
}

/// The offset of the entry's `pubDate` (RSS) or `published` (Atom).
fn own_date(entry: &str) -> Option<FixedOffset> {
    for (tag, parse) in [
        ("pubDate", DateTime::parse_from_rfc2822 as fn(&str) -> _),
        ("published", DateTime::parse_from_rfc3339),
    ] {
        if let Some(text) = element_text(entry, tag) {
            return parse(text.trim()).ok().map(|t| *t.offset());
        }
    }
    None
}

fn element_text<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(&xml[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_entrys_own_offset_in_order() {
        let rss = "<rss><channel><pubDate>Thu, 09 Jan 2014 16:00:23 -0800</pubDate>\
            <item><title>a</title><pubDate>Mon, 28 Oct 2013 14:48:00 -0700</pubDate></item>\
            <items/><item><pubDate>not a date</pubDate></item>\
            <item><pubDate>Wed, 01 Jan 2014 09:09:00 -0800</pubDate></item></channel></rss>";
        let hours = |h: i32| FixedOffset::east_opt(h * 3600);
        assert_eq!(scan(rss, 3), Some(vec![hours(-7), None, hours(-8)]));
        assert_eq!(scan(rss, 2), None);
        let atom = "<feed><entry><published>2019-11-01T18:00:00-07:00</published></entry></feed>";
        assert_eq!(scan(atom, 1), Some(vec![hours(-7)]));
    }
}
