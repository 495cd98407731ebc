//! Helpers every parser needs: turning bytes into text and text into typed JSON with errors
//! that say where.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use vw_domain::Platform;

use crate::ParseError;

/// Decodes a body to text. A UTF-16 byte-order mark (AWS Health serves UTF-16 BE) or a UTF-8
/// one is honoured and removed; without one the body must be UTF-8.
pub(crate) fn decode(platform: Platform, body: &[u8]) -> Result<Cow<'_, str>, ParseError> {
    let invalid = |message: String| ParseError::Encoding { platform, message };
    match encoding_rs::Encoding::for_bom(body) {
        Some((encoding, bom_len)) => {
            let (text, had_errors) = encoding.decode_without_bom_handling(&body[bom_len..]);
            if had_errors {
                return Err(invalid(format!("invalid {} text", encoding.name())));
            }
            Ok(text)
        }
        None => std::str::from_utf8(body)
            .map(Cow::Borrowed)
            .map_err(|e| invalid(format!("invalid UTF-8 at byte {}", e.valid_up_to()))),
    }
}

/// Deserialises JSON into `T`. A body that is not JSON at all (an HTML error page, say) is
/// `NotThisPlatform`; JSON of the wrong shape is `Malformed` with the path that failed.
pub(crate) fn json<T: DeserializeOwned>(platform: Platform, body: &[u8]) -> Result<T, ParseError> {
    let text = decode(platform, body)?;
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return Err(ParseError::NotThisPlatform {
            platform,
            reason: "the body is not JSON".into(),
        });
    }
    let de = &mut serde_json::Deserializer::from_str(trimmed);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        ParseError::Malformed {
            platform,
            location: if path == "." {
                format!("line {} column {}", inner.line(), inner.column())
            } else {
                path
            },
            message: inner.to_string(),
        }
    })
}

/// Whether a body is markup (XML or HTML) rather than JSON: its first character, after any
/// byte-order mark and whitespace, is `<`. Parsers that accept both a JSON document and a
/// feed use it to choose, without decoding the whole body.
pub(crate) fn is_markup(body: &[u8]) -> bool {
    let (body, unit) = match body {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (rest, 1),
        [0xFE, 0xFF, rest @ ..] | [0xFF, 0xFE, rest @ ..] => (rest, 2),
        _ => (body, 1),
    };
    // For UTF-16 the ASCII byte sits in one half of each code unit; ignoring the zero half is
    // enough to find the first character.
    body.iter()
        .filter(|b| unit == 1 || **b != 0)
        .find(|b| !b.is_ascii_whitespace())
        == Some(&b'<')
}

/// Deeper nesting than this goes to the simple tag stripper: html2text's layout takes
/// quadratic time in the depth (20,000 nested `<div>`s took 12 s), and status updates are
/// never nested more than a few levels.
const MAX_HTML_DEPTH: usize = 64;

/// Wider than any line a status update has, so that html2text never wraps.
const NO_WRAP: usize = 1 << 20;

/// Turns an HTML fragment (a feed entry's content, an update body) into plain text: tags gone,
/// entities decoded, paragraphs and line breaks kept as blank lines and newlines, runs of
/// spaces collapsed. Links keep their text and lose their address.
pub(crate) fn html_to_text(html: &str) -> String {
    // Text without tags or entities is already plain; html2text would only fold its
    // whitespace, as HTML does.
    if !html.contains(['<', '&']) {
        return html.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let rendered = if nesting_depth(html) <= MAX_HTML_DEPTH {
        html2text::config::with_decorator(html2text::render::TrivialDecorator::new())
            .raw_mode(true)
            .allow_width_overflow()
            .string_from_read(html.as_bytes(), NO_WRAP)
            .ok()
    } else {
        None
    };
    tidy(&rendered.unwrap_or_else(|| strip_tags(html)))
}

/// An upper bound on how deeply `html`'s elements nest, counting tags that are never closed
/// (such as `<p>` without `</p>`) as nesting too.
fn nesting_depth(html: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for tag in html.split('<').skip(1) {
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        if let Some(closing) = tag.strip_prefix('/') {
            if closing.starts_with(|c: char| c.is_ascii_alphabetic()) {
                depth = depth.saturating_sub(1);
            }
        } else if name.starts_with(|c: char| c.is_ascii_alphabetic())
            && !is_void_element(name)
            && !tag.split('>').next().unwrap_or("").ends_with('/')
        {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

fn is_void_element(name: &str) -> bool {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    VOID.iter().any(|v| v.eq_ignore_ascii_case(name))
}

/// The fallback for markup html2text is not given: drops tags (block-level ones become line
/// breaks) and decodes the common entities.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open + 1..];
        let Some(close) = tag.find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = tag[..close]
            .trim_start_matches('/')
            .split(|c: char| c.is_ascii_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if [
            "p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
        ]
        .iter()
        .any(|b| b.eq_ignore_ascii_case(name))
        {
            out.push('\n');
        }
        rest = &tag[close + 1..];
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Trims every line, turns no-break spaces into spaces and keeps at most one blank line in a
/// row, so that the same content always yields the same text.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.replace('\u{a0}', " ").lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf16_with_bom() {
        let mut body = vec![0xFE, 0xFF];
        for unit in "[1]".encode_utf16() {
            body.extend_from_slice(&unit.to_be_bytes());
        }
        let text = decode(Platform::Aws, &body).map(|t| t.into_owned());
        assert_eq!(text.ok().as_deref(), Some("[1]"));
    }

    #[test]
    fn wrong_shape_names_the_path() {
        #[derive(serde::Deserialize, Debug)]
        struct Doc {
            #[allow(dead_code)]
            items: Vec<u32>,
        }
        let err = json::<Doc>(Platform::Gcp, br#"{"items": [1, "x"]}"#).err();
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("items[1]"), "{message}");
    }

    #[test]
    fn html_is_not_this_platform() {
        let err = json::<serde_json::Value>(Platform::Statuspage, b"<html></html>").err();
        assert!(matches!(err, Some(ParseError::NotThisPlatform { .. })));
    }
    #[test]
    fn html_becomes_plain_text_with_paragraphs() {
        let html = "<p>Starting at 14:44&nbsp;UTC, <a href=\"https://x.test/\">see here</a>.</p>\
                    <p>Second &amp; last<br />line</p>";
        assert_eq!(
            html_to_text(html),
            "Starting at 14:44 UTC, see here.\n\nSecond & last\nline"
        );
    }

    #[test]
    fn deeply_nested_html_is_stripped_quickly_and_the_same_way() {
        let html = format!(
            "{}x &lt;y&gt;{}",
            "<div>".repeat(5_000),
            "</div>".repeat(5_000)
        );
        assert_eq!(html_to_text(&html), "x <y>");
        assert_eq!(
            strip_tags("<p>a &#233;&#x41;&bogus; b</p><br/>c"),
            "\na éA&bogus; b\n\nc"
        );
    }

    #[test]
    fn markup_is_sniffed_after_boms_and_whitespace() {
        assert!(is_markup(b"\xEF\xBB\xBF \n<?xml version='1.0'?>"));
        assert!(is_markup(b"\xFE\xFF\x00 \x00<"));
        assert!(!is_markup(b" {\"page\": {}}"));
        assert!(!is_markup(b""));
    }
}
