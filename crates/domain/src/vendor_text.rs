//! Vendor text made fit to store and to show: what a status page sends is hostile input.
//!
//! Two things are done to every string a snapshot carries (see `Snapshot::neutralise`):
//! - **Control characters are removed.** PostgreSQL `text` refuses NUL (valid in JSON as
//!   `\u0000`), which would fail a poll's whole transaction, and neither a database nor an
//!   HTML page has a use for the other C0 controls, DEL or the C1 controls. Line feeds and tabs
//!   are kept: update bodies are laid out with them. So are carriage returns, which both hold
//!   without harm: Statuspage and Slack write their bodies with `\r\n`, and rewriting those
//!   would make every update already stored read as edited on the next poll. Bidirectional controls are not control
//!   characters (they are format characters) and are kept: pages isolate them when they show
//!   vendor text.
//! - **Long text is cut**, at a character boundary and where possible at a space near the
//!   limit, and ends with [`CUT_MARKER`] so that a page can tell ([`was_cut`]) and offer the
//!   rest on the vendor's own page.

/// The most characters of an incident's or a maintenance's title kept: the longest real
/// titles in the fixtures are under 150.
pub const TITLE_LIMIT: usize = 300;

/// The most characters of a page's, a component's or a group's name kept.
pub const NAME_LIMIT: usize = 200;

/// The most characters of an update's body kept: GitHub's and Slack's longest post-mortems in
/// the fixtures are under 12,000.
pub const BODY_LIMIT: usize = 20_000;

/// The most characters of an id kept. Ids are cut too (a vendor could send a megabyte of one),
/// but without a marker: an id is a key, and the same long id is cut the same way on every
/// read, so it stays the same key.
pub const ID_LIMIT: usize = 1_000;

/// The longest URL kept; a longer one is dropped rather than cut, since a cut URL leads
/// nowhere.
pub const URL_LIMIT: usize = 2_048;

/// What ends a text that was cut: an ellipsis and a word a reader sees.
pub const CUT_MARKER: &str = "… [cut]";

/// Whether `text` is one that [`cap`] cut (it ends with [`CUT_MARKER`]).
pub fn was_cut(text: &str) -> bool {
    text.ends_with(CUT_MARKER)
}

/// Removes the control characters nothing downstream can hold (all but `\n`, `\r` and
/// `\t`). Allocates only when there is one.
pub fn remove_controls(text: &mut String) {
    if text.chars().any(is_unwanted) {
        text.retain(|c| !is_unwanted(c));
    }
}

fn is_unwanted(c: char) -> bool {
    // `is_control` is exactly Unicode's Cc: C0, DEL and C1.
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// Cuts `text` to at most `limit` characters, [`CUT_MARKER`] included. The cut falls on the
/// last whitespace in the final tenth before the limit when there is one (so that words stay
/// whole), else right at the limit; either way on a character boundary.
pub fn cap(text: &mut String, limit: usize) {
    let marker = CUT_MARKER.chars().count();
    // Below the marker's own length there is no room for it: cut bare.
    if limit <= marker {
        cut_at_chars(text, limit);
        return;
    }
    let Some((at_limit, _)) = text.char_indices().nth(limit) else {
        return;
    };
    let budget = limit - marker;
    let Some((at_budget, _)) = text.char_indices().nth(budget) else {
        return;
    };
    let window_start = text[..at_budget]
        .char_indices()
        .nth(budget - budget / 10)
        .map_or(at_budget, |(i, _)| i);
    let cut = text[window_start..at_budget]
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| window_start + i)
        .next_back()
        .unwrap_or(at_budget);
    debug_assert!(cut <= at_limit);
    text.truncate(cut);
    text.truncate(text.trim_end().len());
    text.push_str(CUT_MARKER);
}

/// Cuts `text` to at most `limit` characters, without a marker.
pub fn cut_at_chars(text: &mut String, limit: usize) {
    if let Some((at, _)) = text.char_indices().nth(limit) {
        text.truncate(at);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn removes_nul_and_other_controls_but_keeps_layout_and_bidi() {
        let mut text = String::from("a\u{0}b\r\nc\td\u{7f}e\u{85}f\u{9f}\u{202e}g\u{2067}\u{1}");
        remove_controls(&mut text);
        assert_eq!(text, "ab\r\nc\tdef\u{202e}g\u{2067}");
    }

    #[test]
    fn short_text_is_left_alone() {
        let mut text = String::from("Elevated error rates");
        cap(&mut text, 20);
        assert_eq!(text, "Elevated error rates");
        assert!(!was_cut(&text));
    }

    #[test]
    fn long_text_is_cut_at_a_space_near_the_limit_and_marked() {
        let mut text = "word ".repeat(100);
        cap(&mut text, 50);
        // 50 - 7 marker characters = 43; the last space before it ends the 8th word.
        assert_eq!(
            text,
            format!("{}{CUT_MARKER}", "word ".repeat(8).trim_end())
        );
        assert!(was_cut(&text));
        assert!(text.chars().count() <= 50);
    }

    #[test]
    fn text_without_spaces_is_cut_right_at_the_limit() {
        let mut text = "é".repeat(400);
        cap(&mut text, 300);
        assert_eq!(text.chars().count(), 300);
        assert_eq!(text, format!("{}{CUT_MARKER}", "é".repeat(293)));
    }

    proptest! {
        #[test]
        fn caps_never_split_a_character_nor_exceed_the_limit(
            text in any::<String>(),
            limit in 0usize..64,
        ) {
            let mut capped = text.clone();
            cap(&mut capped, limit);
            prop_assert!(capped.chars().count() <= limit);
            let kept = capped.strip_suffix(CUT_MARKER).unwrap_or(&capped);
            // What is kept is the original's start, character for character.
            prop_assert!(text.starts_with(kept), "{text:?} -> {capped:?}");
            if text.chars().count() <= limit {
                prop_assert_eq!(&capped, &text);
            } else if limit > CUT_MARKER.chars().count() {
                prop_assert!(was_cut(&capped));
            }
        }
    }
}
