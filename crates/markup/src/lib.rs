//! Vendors' update texts as HTML that is safe to put in our pages. The texts are Markdown,
//! HTML or plain text written by someone else, so rendered HTML always goes through ammonia,
//! which keeps formatting and links and drops scripts, event handlers and styles.
//!
//! Rendering a hostile text can cost seconds (50,000 nested `<div>`s, 20,000 nested `>`
//! quotes: the cost grows faster than the length), so a text is measured first, in one linear
//! pass, and one past any bound is shown as escaped plain text instead — complete, readable
//! and cheap. Callers render once, when a text is written, off the async threads; pages show
//! the stored result.
//!
//! Depends on no other vendorwatch crate.

use pulldown_cmark::{Event, Options, Parser, html};

/// Texts longer than this (bytes) are not rendered as Markdown.
pub const MAX_BYTES: usize = 64 * 1024;
/// Deepest nesting of quotes, lists or HTML elements rendered as such.
pub const MAX_DEPTH: usize = 16;
/// Most HTML tags, links and table cell separators rendered as such.
pub const MAX_TAGS: usize = 1_000;
pub const MAX_LINKS: usize = 200;
pub const MAX_CELLS: usize = 2_000;

/// The text as safe HTML: rendered Markdown when it is within the bounds, else escaped text
/// with its line breaks kept.
pub fn to_safe_html(text: &str) -> String {
    if within_bounds(text) {
        markdown(text)
    } else {
        plain(text)
    }
}

fn markdown(text: &str) -> String {
    // Plain-text updates break lines where they mean it; Markdown would join them.
    let events = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(
        |event| match event {
            Event::SoftBreak => Event::HardBreak,
            other => other,
        },
    );
    let mut rendered = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut rendered, events);
    // Images would load from the vendor's hosts, which the site's CSP refuses: left out
    // rather than shown broken.
    ammonia::Builder::default()
        .rm_tags(["img"])
        .clean(&rendered)
        .to_string()
}

/// Escaped text in paragraphs (blank lines) and line breaks.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        out.push_str("<p>");
        for (n, line) in paragraph.lines().enumerate() {
            if n > 0 {
                out.push_str("<br>\n");
            }
            escape_into(line, &mut out);
        }
        out.push_str("</p>\n");
    }
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// One linear pass over the text: whether rendering it stays cheap.
fn within_bounds(text: &str) -> bool {
    if text.len() > MAX_BYTES {
        return false;
    }
    let (mut tags, mut links, mut cells, mut depth, mut deepest) = (0, 0, 0, 0usize, 0);
    for line in text.lines() {
        let trimmed = line.trim_start();
        // Quote markers (`> > >`) and list indentation nest blocks.
        let quotes = trimmed
            .chars()
            .take_while(|c| *c == '>' || c.is_whitespace())
            .filter(|c| *c == '>')
            .count();
        let indent = (line.len() - trimmed.len()) / 2;
        deepest = deepest.max(quotes).max(indent);
        cells += line.matches('|').count();
        links += line.matches("](").count();
    }
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'<' {
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'/') => {
                tags += 1;
                depth = depth.saturating_sub(1);
            }
            Some(c) if c.is_ascii_alphabetic() => {
                tags += 1;
                depth += 1;
                deepest = deepest.max(depth);
                if bytes[i + 1..].starts_with(b"a ") || bytes[i + 1..].starts_with(b"A ") {
                    links += 1;
                }
            }
            _ => {}
        }
    }
    deepest <= MAX_DEPTH && tags <= MAX_TAGS && links <= MAX_LINKS && cells <= MAX_CELLS
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markdown_is_rendered() {
        let html =
            to_safe_html("We are **investigating**.\nSee [the docs](https://example.com/a).");
        assert_eq!(
            html,
            "<p>We are <strong>investigating</strong>.<br>\nSee \
             <a href=\"https://example.com/a\" rel=\"noopener noreferrer\">the docs</a>.</p>\n"
        );
    }

    #[test]
    fn scripts_and_handlers_are_dropped() {
        let html = to_safe_html(
            "Fixed <script>alert(1)</script><img src=x onerror=\"alert(2)\"> \
             [x](javascript:alert(3)) <a href=\"#\" onclick=\"alert(4)\">y</a>",
        );
        for bad in [
            "<script",
            "alert(1)",
            "<img",
            "onerror",
            "javascript:",
            "onclick",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.starts_with("<p>Fixed "), "{html}");
    }

    #[test]
    fn hostile_nesting_is_shown_as_plain_text() {
        let divs = format!("{}x{}", "<div>".repeat(50_000), "</div>".repeat(50_000));
        let quotes = format!("{}deep", "> ".repeat(20_000));
        let table = format!("|a|b|\n|-|-|\n{}", "|1|2|\n".repeat(2_000));
        for text in [&divs, &quotes, &table] {
            assert!(!within_bounds(text));
            let html = to_safe_html(text);
            assert!(html.starts_with("<p>"), "{}", &html[..40]);
            assert!(!html.contains("<div"), "escaped, not rendered");
        }
        assert!(to_safe_html(&divs).contains("&lt;div&gt;"));
    }

    #[test]
    fn ordinary_updates_stay_within_the_bounds() {
        let update = "## Root cause\n> A quote\n\n- one\n  - two\n\n|a|b|\n|-|-|\n|1|2|\n\
                      <p>Some <strong>HTML</strong></p> and [a link](https://example.com)";
        assert!(within_bounds(update));
        assert!(to_safe_html(update).contains("<h2>Root cause</h2>"));
    }

    #[test]
    fn plain_text_keeps_paragraphs_and_line_breaks() {
        assert_eq!(
            plain("a <b>\nc\n\nd & 'e'"),
            "<p>a &lt;b&gt;<br>\nc</p>\n<p>d &amp; &#39;e&#39;</p>\n"
        );
    }

    /// The tags of rendered HTML: text never holds a raw `<` (it is escaped), so every `<`
    /// opens one.
    fn tags(html: &str) -> impl Iterator<Item = &str> {
        html.split('<')
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or(rest))
    }

    fn no_active_tag(html: &str) -> Result<(), String> {
        for tag in tags(&html.to_ascii_lowercase()) {
            let attributes = tag.split_whitespace().skip(1);
            if tag.starts_with("script")
                || tag.contains("javascript:")
                || attributes.clone().any(|a| a.starts_with("on"))
            {
                return Err(format!("<{tag}> in {html}"));
            }
        }
        Ok(())
    }

    /// Found by the `markup` fuzz target: a vendor's words that mention `src="javascript:`
    /// are the vendor's words, kept as text; only a tag carrying it would be harmful.
    #[test]
    fn script_words_in_text_stay_text() {
        let text = "Tsrc=\"javascript: posted in error. GitHub Actions workfl\u{b4}\u{b4}ows were \
                    not impacted <a href=\"javascript:alert(1)\">x</a>";
        let html = to_safe_html(text);
        assert!(
            html.contains("Tsrc=\"javascript: posted in error."),
            "{html}"
        );
        assert_eq!(no_active_tag(&html), Ok(()));
    }

    proptest! {
        /// Whatever the text, no tag that runs anything survives and rendering returns
        /// (the words may stay: as text they are harmless).
        #[test]
        fn any_text_renders_safely(text in "[<>a-z/ \n|\\[\\]()*#>&\"'=:-]{0,400}") {
            let html = to_safe_html(&text);
            prop_assert!(no_active_tag(&html).is_ok(), "{}", html);
        }
    }
}
