//! An iCalendar (RFC 5545) writer, small and our own so that what matters is in plain
//! sight and tested on the bytes: every line ends in CRLF; a line longer than 75 octets is
//! folded (CRLF and one space) without ever splitting a UTF-8 sequence; TEXT values escape
//! `\`, `;`, `,` and newlines, and carry no other control character (nor bidirectional
//! controls, which could make a vendor's title read as something else).

use chrono::{DateTime, Utc};

/// The longest a physical line may be, in octets, its CRLF not counted (RFC 5545 3.1).
pub const LINE_OCTETS: usize = 75;

/// The most octets of a TEXT value kept; a longer one is cut at a character boundary and
/// ends with `…`. Vendor text is already capped when stored; this bounds what we compose.
pub const TEXT_OCTETS: usize = 4_000;

/// A calendar being written, content line by content line.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn with_capacity(bytes: usize) -> Self {
        Writer {
            out: String::with_capacity(bytes),
        }
    }

    /// A property whose value is already in its type's syntax (a date-time, an integer, a
    /// URI we made, a fixed word).
    pub fn raw(&mut self, name: &str, value: &str) {
        let mut line = String::with_capacity(name.len() + 1 + value.len());
        line.push_str(name);
        line.push(':');
        line.push_str(value);
        fold_into(&line, &mut self.out);
    }

    /// A TEXT property: escaped, stripped of control characters, capped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }

    /// A date-time in UTC (`19970714T173000Z`).
    pub fn utc(&mut self, name: &str, at: DateTime<Utc>) {
        self.raw(name, &utc(at));
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// A date-time in UTC, RFC 5545's form 2.
pub fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// `text` as a TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every
/// line break (CRLF, CR or LF) written `\n`, tabs as spaces, other control characters and
/// bidirectional controls removed; capped at [`TEXT_OCTETS`].
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(TEXT_OCTETS) + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let piece: &str = match c {
            '\\' => "\\\\",
            ';' => "\\;",
            ',' => "\\,",
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                "\\n"
            }
            '\n' => "\\n",
            '\t' => " ",
            c if c.is_control() || is_bidi_control(c) => continue,
            _ => {
                if out.len() + c.len_utf8() > TEXT_OCTETS {
                    out.push('…');
                    break;
                }
                out.push(c);
                continue;
            }
        };
        if out.len() + piece.len() > TEXT_OCTETS {
            out.push('…');
            break;
        }
        out.push_str(piece);
    }
    out
}

/// The embeddings, overrides and isolates of Unicode's bidirectional algorithm, and the
/// marks: in a calendar app they could reorder a title ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Writes one content line, folded: at most [`LINE_OCTETS`] octets per physical line (the
/// leading space of a continuation counts), cut only between characters, each line ended
/// by CRLF.
fn fold_into(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // A continuation's leading space is one of its octets.
        limit = LINE_OCTETS - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(name: &str, value: &str) -> String {
        let mut w = Writer::default();
        w.text(name, value);
        w.finish()
    }

    /// Unfolds as a reader does: CRLF followed by one space joins.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn text_escapes_what_rfc_5545_says_and_drops_controls() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg\th\u{0}i\u{202E}j\u{2066}k"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng hijk"
        );
        // A CRLF injection stays inside the value.
        let line = written("SUMMARY", "x\r\nEND:VEVENT\r\nBEGIN:VEVENT");
        assert_eq!(line, "SUMMARY:x\\nEND:VEVENT\\nBEGIN:VEVENT\r\n");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        // Three-octet characters placed so that the 75th octet falls inside one.
        let value = format!("{}{}", "a".repeat(66), "€".repeat(40));
        let out = written("SUMMARY", &value);
        for line in out.split_terminator("\r\n") {
            assert!(line.len() <= LINE_OCTETS, "{} octets: {line:?}", line.len());
        }
        assert!(out.ends_with("\r\n"));
        assert!(!out.replace("\r\n", "").contains('\r'));
        assert!(!out.replace("\r\n", "").contains('\n'));
        assert_eq!(unfold(&out), format!("SUMMARY:{value}\r\n"));
        // Every physical line is valid UTF-8 on its own: no sequence was split.
        for line in out.as_bytes().split(|&b| b == b'\n') {
            assert!(std::str::from_utf8(line).is_ok());
        }
    }

    #[test]
    fn a_megabyte_is_capped_at_a_character_boundary() {
        let huge = "é".repeat(500_000);
        let escaped = escape_text(&huge);
        assert!(escaped.len() <= TEXT_OCTETS + '…'.len_utf8());
        assert!(escaped.ends_with('…'));
    }

    #[test]
    fn times_are_utc_basic_format() {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        assert_eq!(utc(at), "20260921T141320Z");
    }
}
