//! Vendor text made safe to show: [`clean`] removes what no channel should carry (control and
//! bidi characters), [`cut`] makes it fit a channel's limit without breaking a character, an
//! escape entity or a link. Escaping itself belongs to each channel's module, because each
//! format escapes differently.

pub(crate) mod clean;
pub(crate) mod cut;

pub(crate) use clean::{line, multiline};
pub(crate) use cut::{bullets, chars, fit};

/// The bytes `text` takes inside a JSON string as serde_json writes it: quotes, backslashes
/// and control characters escaped, everything else as UTF-8.
pub(crate) fn json_bytes(text: &str) -> usize {
    text.bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..0x20 => 6,
            _ => 1,
        })
        .sum()
}
