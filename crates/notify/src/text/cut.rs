//! Making text fit a limit. CHANNELS.md's rules: count Unicode scalar values (bytes only where a
//! limit is in bytes), cut at a character boundary, preferably at the last whitespace before the
//! limit, end with `…` inside the limit, and never cut inside an escape entity or a link.
//!
//! The last rule is kept by construction: [`fit`] cuts the *raw* text and escapes afterwards,
//! so an entity is always whole; links are built by the channels around the fitted text, never
//! passed through here.

/// The mark that ends cut text.
pub(crate) const ELLIPSIS: char = '…';

/// Text made to fit, and whether anything was cut (a caller then links to the full text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fitted {
    pub(crate) text: String,
    pub(crate) cut: bool,
}

/// `text` in at most `max` characters: unchanged when it fits, otherwise cut and ended with
/// `…` (which counts).
pub(crate) fn chars(text: &str, max: usize) -> Fitted {
    fit(text, max, |raw| raw.to_owned(), |s| s.chars().count())
}

/// The longest prefix of `raw` (cut as [`chars`] does) whose escaped form measures at most
/// `max`, escaped. `escape` must never shorten text and must leave `…` as one unit; `measure`
/// counts characters or bytes, as the limit does.
///
/// Cuts the raw text with headroom, escapes, re-measures and shrinks until it fits: escaping
/// can only grow text, so the loop ends, at worst with an empty text.
pub(crate) fn fit(
    raw: &str,
    max: usize,
    escape: impl Fn(&str) -> String,
    measure: impl Fn(&str) -> usize,
) -> Fitted {
    // A cheap bound first: a limit counts at least one unit per character, so no more than
    // `max` characters of a 1 MB title are ever looked at.
    let total_chars = raw.chars().count();
    if total_chars <= max {
        let escaped = escape(raw);
        if measure(&escaped) <= max {
            return Fitted {
                text: escaped,
                cut: false,
            };
        }
    }
    let mut keep = max.min(total_chars);
    loop {
        let candidate = prefix_with_ellipsis(raw, keep);
        let escaped = escape(&candidate);
        let size = measure(&escaped);
        if size <= max {
            return Fitted {
                text: escaped,
                cut: true,
            };
        }
        if keep == 0 {
            return Fitted {
                text: String::new(),
                cut: true,
            };
        }
        // Shrink in proportion to the overshoot (escaping that doubles the text halves the
        // next try), by at least one character.
        let proportional = keep * max / size.max(1);
        keep = proportional.min(keep - 1);
    }
}

/// The first `keep` characters of `raw` as cut text: `keep - 1` characters at most, backed off
/// to the last whitespace when one is near the end, and the ellipsis.
fn prefix_with_ellipsis(raw: &str, keep: usize) -> String {
    if keep == 0 {
        return String::new();
    }
    let room = keep - 1;
    let end = raw.char_indices().nth(room).map_or(raw.len(), |(i, _)| i);
    let mut head = &raw[..end];
    // Prefer a word boundary, but not at the price of more than a third of the room (a
    // 3000-character update cut at its first space would say almost nothing).
    let window = (room / 3).clamp(10, 200);
    let at_space = head.rfind(char::is_whitespace).filter(|&space| {
        head[space..].chars().count() <= window && !head[..space].trim_end().is_empty()
    });
    head = match at_space {
        Some(space) => &head[..space],
        None => &head[..cluster_boundary(head, raw[end..].chars().next())],
    };
    let mut out = head.trim_end().to_owned();
    out.push(ELLIPSIS);
    out
}

/// Backs a hard cut off so that it does not split an emoji sequence or a letter from its
/// combining marks: while the first dropped character extends the one before it (or the last
/// kept one is a zero-width joiner), drop the last kept character too.
fn cluster_boundary(head: &str, mut next: Option<char>) -> usize {
    let mut end = head.len();
    while let Some(last) = head[..end].chars().next_back() {
        let splits = last == '\u{200D}' || next.is_some_and(extends);
        if !splits {
            break;
        }
        next = Some(last);
        end -= last.len_utf8();
    }
    end
}

/// Characters that attach to the one before them: joiners, variation selectors, skin tones,
/// tag characters (subdivision flags), combining marks.
fn extends(c: char) -> bool {
    matches!(c,
        '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}'
        | '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Lines as a bulleted list (`• a\n• b`), as many as fit in `max` (measured after `escape`),
/// each cut to `line_max` characters first, ending with `… and N more` when some were left out.
pub(crate) fn bullets(
    lines: &[String],
    max: usize,
    line_max: usize,
    escape: impl Fn(&str) -> String,
    measure: impl Fn(&str) -> usize,
) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let item = format!("• {}", escape(&chars(line, line_max).text));
        let candidate = if out.is_empty() {
            item
        } else {
            format!("{out}\n{item}")
        };
        let left = lines.len() - i - 1;
        let tail = if left > 0 {
            format!("\n{ELLIPSIS} and {left} more")
        } else {
            String::new()
        };
        if measure(&candidate) + measure(&tail) > max {
            let tail = format!("{ELLIPSIS} and {} more", lines.len() - i);
            let joined = if out.is_empty() {
                tail
            } else {
                format!("{out}\n{tail}")
            };
            return if measure(&joined) <= max { joined } else { out };
        }
        out = candidate;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_unchanged() {
        assert_eq!(
            chars("Actions degraded", 16),
            Fitted {
                text: "Actions degraded".into(),
                cut: false
            }
        );
    }

    #[test]
    fn cuts_at_whitespace_inside_the_limit() {
        let fitted = chars("Actions are degraded for some users", 20);
        assert_eq!(fitted.text, "Actions are…");
        assert!(fitted.cut);
        assert!(fitted.text.chars().count() <= 20);
    }

    #[test]
    fn cuts_hard_when_no_whitespace_is_near() {
        let fitted = chars("abcdefghijklmnopqrstuvwxyz", 10);
        assert_eq!(fitted.text, "abcdefghi…");
    }

    #[test]
    fn counts_characters_not_bytes() {
        let fitted = chars("ééééééééééé", 5);
        assert_eq!(fitted.text, "éééé…");
    }

    #[test]
    fn never_splits_an_emoji_sequence() {
        // A family emoji (four people joined by ZWJs) followed by more text.
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
        let text = format!("xx{family}{family}");
        for max in 1..text.chars().count() {
            let fitted = chars(&text, max);
            let kept = fitted.text.trim_end_matches(ELLIPSIS);
            assert!(!kept.ends_with('\u{200D}'), "{max}: {kept:?}");
            assert!(
                kept.matches('👨').count() == kept.matches('👦').count(),
                "{max}: {kept:?}"
            );
            assert!(fitted.text.chars().count() <= max);
        }
    }

    #[test]
    fn escaping_is_measured_after_the_cut_and_entities_stay_whole() {
        let escape = |s: &str| s.replace('&', "&amp;");
        let raw = "&".repeat(100);
        let fitted = fit(&raw, 30, escape, |s| s.chars().count());
        assert!(fitted.cut);
        assert!(fitted.text.chars().count() <= 30);
        assert_eq!(fitted.text, format!("{}…", "&amp;".repeat(5)));
    }

    #[test]
    fn a_limit_too_small_for_anything_gives_the_ellipsis_or_nothing() {
        assert_eq!(chars("abc", 1).text, "…");
        assert_eq!(chars("abc", 0).text, "");
    }

    #[test]
    fn bullets_stop_with_a_count_of_the_rest() {
        let lines: Vec<String> = (1..=50).map(|i| format!("Component {i}")).collect();
        let list = bullets(&lines, 60, 200, |s| s.to_owned(), |s| s.chars().count());
        assert!(list.chars().count() <= 60, "{list}");
        assert!(list.starts_with("• Component 1\n• Component 2"));
        assert!(list.ends_with("more"), "{list}");
        let shown = list.matches('•').count();
        assert!(
            list.ends_with(&format!("and {} more", 50 - shown)),
            "{list}"
        );
        assert_eq!(
            bullets(
                &lines[..2],
                60,
                200,
                |s| s.to_owned(),
                |s| s.chars().count()
            ),
            "• Component 1\n• Component 2"
        );
    }

    #[test]
    fn fits_bytes_when_the_limit_is_in_bytes() {
        let fitted = fit("日本語のテキスト", 10, |s| s.to_owned(), str::len);
        assert!(fitted.text.len() <= 10);
        assert_eq!(fitted.text, "日本…");
    }
}
