//! The HTML Statuspage puts in each feed entry: one `<p>` per update, newest first,
//!
//! ```text
//! <p><small>Jun <var data-var='date'>18</var>, <var data-var='time'>18:09</var> UTC</small><br>
//! <strong>Resolved</strong> - body</p>
//! ```
//!
//! with variants: no `<var>` (2016), `<p> <small>` (2026), other zones (`PST`).

use crate::text::html_to_text;

/// One update as the markup has it: nothing interpreted yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// The stamp as plain text: `Jun 18, 18:09 UTC`.
    pub stamp: String,
    pub label: String,
    /// The body as plain text.
    pub body: String,
}

/// The updates of an entry, newest first as the feed lists them; empty when the content is
/// not Statuspage's markup.
///
/// Each update starts at a `<small>`; everything up to the next one is its label and body.
/// A chunk that does not read as `stamp</small> <br> <strong>label</strong> - body` (a
/// `<small>` written inside a body) stays part of the body before it.
pub(crate) fn blocks(html: &str) -> Vec<Block> {
    let lower = html.to_ascii_lowercase();
    let starts: Vec<usize> = lower.match_indices("<small>").map(|(i, _)| i).collect();
    let mut raw: Vec<(String, String, String)> = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(html.len());
        let chunk = &html[start..end];
        match split_chunk(chunk) {
            Some((stamp, label, body)) => raw.push((stamp.into(), label.into(), body.into())),
            None => {
                if let Some(last) = raw.last_mut() {
                    last.2.push_str(chunk);
                }
            }
        }
    }
    raw.into_iter()
        .map(|(stamp, label, body)| Block {
            stamp: html_to_text(&stamp),
            label: html_to_text(&label),
            body: html_to_text(trim_paragraph_end(&body)),
        })
        .collect()
}

/// What comes before the first update, as plain text: where an upcoming maintenance has its
/// banner (`THIS IS A SCHEDULED EVENT Nov 4, 03:00 - 04:00 UTC`).
pub(crate) fn preamble(html: &str) -> String {
    let end = html
        .to_ascii_lowercase()
        .find("<small>")
        .unwrap_or(html.len());
    html_to_text(&html[..end])
}

/// `<small>stamp</small><br><strong>label</strong> - body…` into its three parts.
fn split_chunk(chunk: &str) -> Option<(&str, &str, &str)> {
    let after_open = strip_prefix_ci(chunk, "<small>")?;
    let stamp_end = find_ci(after_open, "</small>")?;
    let stamp = &after_open[..stamp_end];
    let mut rest = after_open[stamp_end + "</small>".len()..].trim_start();
    for br in ["<br>", "<br/>", "<br />"] {
        if let Some(r) = strip_prefix_ci(rest, br) {
            rest = r.trim_start();
            break;
        }
    }
    let rest = strip_prefix_ci(rest, "<strong>")?;
    let label_end = find_ci(rest, "</strong>")?;
    let label = &rest[..label_end];
    let body = rest[label_end + "</strong>".len()..].trim_start();
    let body = body
        .strip_prefix('-')
        .or_else(|| body.strip_prefix('\u{2013}'))
        .unwrap_or(body);
    Some((stamp, label, body))
}

/// Drops what closes this update's paragraph and opens the next: `</p> <p> `.
fn trim_paragraph_end(body: &str) -> &str {
    let body = body.trim_end();
    let body = strip_suffix_ci(body, "<p>").map_or(body, str::trim_end);
    strip_suffix_ci(body, "</p>").unwrap_or(body)
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let tail = text.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_variant_into_stamp_label_and_body() {
        let html = "<p> <small>Aug <var data-var='date'>21</var>, <var data-var='time'>00:37</var> UTC</small><br> \
                    <strong>Resolved</strong> - Fixed &amp; done. </p> <p> \
                    <small>Jun 30, 16:10 UTC</small><br><strong>Update</strong> - Line one<br />line <small>two</small></p>";
        let blocks = blocks(html);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].stamp, "Aug 21, 00:37 UTC");
        assert_eq!(blocks[0].label, "Resolved");
        assert_eq!(blocks[0].body, "Fixed & done.");
        assert_eq!(blocks[1].stamp, "Jun 30, 16:10 UTC");
        assert_eq!(blocks[1].body, "Line one\nline two");
    }

    #[test]
    fn other_html_has_no_blocks() {
        assert!(blocks("<p>Just <b>some</b> news</p>").is_empty());
        assert!(blocks("<small>unterminated").is_empty());
    }
}
