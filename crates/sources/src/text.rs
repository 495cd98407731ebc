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
}
