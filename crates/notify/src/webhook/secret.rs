//! Signing secrets and signatures, per Standard Webhooks v1: the secret is `whsec_` + base64 of
//! 24–64 random bytes (the key is the decoded bytes); a signature is
//! `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), one per key, space-separated,
//! so that a receiver rotating its secret accepts either.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::error::NotifyError;

/// An endpoint's signing secret. Shown once, when created; masked everywhere else.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret {
    key: Vec<u8>,
}

impl WebhookSecret {
    pub const PREFIX: &'static str = "whsec_";
    /// The key length we generate: inside the spec's 24–64 bytes.
    const GENERATED_BYTES: usize = 32;
    const MIN_BYTES: usize = 24;
    const MAX_BYTES: usize = 64;

    /// A new random secret from the operating system's generator.
    pub fn generate() -> Result<Self, NotifyError> {
        let mut key = vec![0u8; Self::GENERATED_BYTES];
        getrandom::fill(&mut key)
            .map_err(|e| NotifyError::InvalidSecret(format!("no randomness available: {e}")))?;
        Ok(WebhookSecret { key })
    }

    /// Reads `whsec_<base64>` (the prefix may be left out, as the reference libraries allow).
    pub fn parse(input: &str) -> Result<Self, NotifyError> {
        let encoded = input.trim();
        let encoded = encoded.strip_prefix(Self::PREFIX).unwrap_or(encoded);
        let key = STANDARD.decode(encoded).map_err(|_| {
            NotifyError::InvalidSecret("expected whsec_ followed by base64".to_owned())
        })?;
        if !(Self::MIN_BYTES..=Self::MAX_BYTES).contains(&key.len()) {
            return Err(NotifyError::InvalidSecret(format!(
                "the key must be {} to {} bytes, this one is {}",
                Self::MIN_BYTES,
                Self::MAX_BYTES,
                key.len()
            )));
        }
        Ok(WebhookSecret { key })
    }

    /// The secret as the receiver configures it: `whsec_` + base64. Show it once; store it
    /// encrypted.
    pub fn expose(&self) -> String {
        format!("{}{}", Self::PREFIX, STANDARD.encode(&self.key))
    }

    /// `v1,<base64 signature>` of the signed content with this key.
    fn sign(&self, content: &[u8]) -> String {
        let mac = Hmac::<Sha256>::new_from_slice(&self.key).map(|mut mac| {
            mac.update(content);
            mac.finalize().into_bytes()
        });
        match mac {
            Ok(tag) => format!("v1,{}", STANDARD.encode(tag)),
            // HMAC takes keys of any length; this arm cannot be reached.
            Err(_) => String::new(),
        }
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebhookSecret({}••••)", Self::PREFIX)
    }
}

impl std::fmt::Display for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}••••", Self::PREFIX)
    }
}

/// The `webhook-signature` header: one `v1,…` per secret, space-separated, over
/// `{id}.{timestamp}.{body}` where `body` is the exact bytes sent.
pub fn signature(secrets: &[WebhookSecret], id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut content = format!("{id}.{timestamp}.").into_bytes();
    content.extend_from_slice(body);
    secrets
        .iter()
        .map(|secret| secret.sign(&content))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `webhook-id` of an event: `msg_` + the event id in hex. The same on every retry, so
/// that receivers can drop duplicates; never contains a `.`.
pub fn message_id(event_id: Uuid) -> String {
    format!("msg_{}", event_id.simple())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vector of the Standard Webhooks libraries (CHANNELS.md).
    #[test]
    fn reproduces_the_spec_test_vector() -> Result<(), NotifyError> {
        let secret = WebhookSecret::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
        let body = br#"{"email":"test@example.com","username":"test_user"}"#;
        assert_eq!(
            signature(
                &[secret],
                "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
                1649367553,
                body
            ),
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
        );
        Ok(())
    }

    #[test]
    fn signs_with_every_key_during_a_rotation() -> Result<(), NotifyError> {
        let old = WebhookSecret::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
        let new = WebhookSecret::generate()?;
        let both = signature(&[new.clone(), old.clone()], "msg_1", 1, b"{}");
        let parts: Vec<&str> = both.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], signature(&[new], "msg_1", 1, b"{}"));
        assert_eq!(parts[1], signature(&[old], "msg_1", 1, b"{}"));
        Ok(())
    }

    #[test]
    fn generated_secrets_round_trip_and_differ() -> Result<(), NotifyError> {
        let a = WebhookSecret::generate()?;
        let b = WebhookSecret::generate()?;
        assert_ne!(a, b);
        assert!(a.expose().starts_with("whsec_"));
        assert_eq!(WebhookSecret::parse(&a.expose())?, a);
        Ok(())
    }

    #[test]
    fn refuses_short_long_and_garbled_secrets() {
        assert!(WebhookSecret::parse("whsec_AAAA").is_err());
        assert!(WebhookSecret::parse(&format!("whsec_{}", STANDARD.encode([0u8; 65]))).is_err());
        assert!(WebhookSecret::parse("whsec_not base64!").is_err());
    }

    #[test]
    fn never_shows_the_key() -> Result<(), NotifyError> {
        let secret = WebhookSecret::generate()?;
        let exposed = secret.expose();
        let key = exposed.trim_start_matches("whsec_");
        assert!(!format!("{secret:?} {secret}").contains(key));
        Ok(())
    }

    #[test]
    fn message_ids_are_stable_and_dotless() {
        let event = Uuid::from_u128(0x0190_1234_5678_7abc_8def_0123_4567_89ab);
        assert_eq!(message_id(event), "msg_0190123456787abc8def0123456789ab");
        assert_eq!(message_id(event), message_id(event));
        assert!(!message_id(event).contains('.'));
    }
}
