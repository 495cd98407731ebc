//! Stripping what vendor text must never bring into a message: control characters (NUL, ESC,
//! …), which break headers and terminals, and the bidi controls that make text display in an
//! order other than the one it is stored in (an old trick to disguise a link or a file name).

/// The bidi controls CHANNELS.md lists: embeddings and overrides (U+202A–U+202E), isolates
/// (U+2066–U+2069), the marks U+200E/U+200F and the Arabic letter mark U+061C.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters dropped from every text: C0/C1 controls other than line feed and tab, the bidi
/// controls, and the byte-order mark (invisible, and a stray one splits words).
fn is_dropped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) || c == '\u{FEFF}'
}

/// Text that may span lines (an update's body): line breaks normalised to `\n`, tabs to
/// spaces, trailing spaces removed, runs of blank lines collapsed to one, trimmed.
pub(crate) fn multiline(text: &str) -> String {
    let unified = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}', '\u{85}'], "\n");
    let mut out = String::with_capacity(unified.len());
    let mut blank_lines = 0;
    for raw in unified.split('\n') {
        let line: String = raw
            .chars()
            .filter(|c| !is_dropped(*c))
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        out.push_str(line);
    }
    match out.find(|c: char| c != ' ') {
        Some(0) | None => out,
        Some(start) => out[start..].to_owned(),
    }
}

/// Text that must stay on one line (titles, names, anything put in a header): every run of
/// whitespace, line breaks included, becomes one space; dropped characters go; trimmed. No
/// CR or LF can survive it, which is what keeps a vendor title from injecting a mail header.
pub(crate) fn line(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            // Controls other than whitespace are dropped below; whitespace (\n, \r, \t,
            // U+2028, …) separates words.
            if c.is_whitespace() {
                space = !out.is_empty();
            }
            continue;
        }
        if is_dropped(c) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_controls_and_bidi_but_keeps_text() {
        let hostile =
            "a\u{0}b\u{1b}[31mc\u{202E}gnp.exe\u{2066}d\u{200F}e\u{061C}f\u{FEFF}g\u{9f}h";
        assert_eq!(line(hostile), "ab[31mcgnp.exedefgh");
        assert_eq!(multiline(hostile), "ab[31mcgnp.exedefgh");
    }

    #[test]
    fn multiline_normalises_breaks_and_blank_runs() {
        let text = "  first\r\nsecond  \r\rthird\u{2028}\n\n\n\n\tfourth\t ";
        assert_eq!(multiline(text), "first\nsecond\n\nthird\n\n fourth");
    }

    #[test]
    fn line_leaves_no_line_break_and_one_space_per_run() {
        let text = "\r\n Subject: x\r\nBcc: victim@example.com \t\u{2029} y ";
        let cleaned = line(text);
        assert_eq!(cleaned, "Subject: x Bcc: victim@example.com y");
        assert!(!cleaned.contains(['\r', '\n']));
    }

    #[test]
    fn keeps_emoji_and_other_scripts() {
        assert_eq!(line("🚨 Ошибка — 障害 👩‍💻"), "🚨 Ошибка — 障害 👩‍💻");
    }
}
