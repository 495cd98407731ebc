//! The server's secret key and what it protects: integration URLs and webhook secrets,
//! encrypted at rest (XChaCha20-Poly1305, a fresh random nonce per value), and the links in
//! e-mails (confirm an address, unsubscribe), signed so that a link names its channel and
//! cannot be made up.
//!
//! The key comes from `VW_SECRET_KEY` (64 hex digits), else from a file the server generates
//! in its data directory on first start (`secret.key`, mode 0600). Losing it makes the stored
//! integrations unreadable: they must be entered again.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::Aead;
use chacha20poly1305::{KeyInit as _, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use vw_domain::ChannelId;

use crate::AppError;

const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 24;
/// Bytes of a link's signature kept: forging one takes 2^128 tries.
const TAG_BYTES: usize = 16;

/// What a signed link is for: a link for one purpose never passes for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Verify,
    Unsubscribe,
}

impl LinkPurpose {
    fn label(self) -> &'static [u8] {
        match self {
            LinkPurpose::Verify => b"verify",
            LinkPurpose::Unsubscribe => b"unsubscribe",
        }
    }
}

#[derive(Clone)]
pub struct Secrets {
    cipher: XChaCha20Poly1305,
    /// Derived from the key, apart from the cipher's: signing links never uses the key
    /// itself.
    link_key: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(••••)")
    }
}

impl Secrets {
    pub fn from_key(key: &[u8; KEY_BYTES]) -> Self {
        let link_key: [u8; 32] = Sha256::new()
            .chain_update(b"vendorwatch links")
            .chain_update(key)
            .finalize()
            .into();
        Secrets {
            cipher: XChaCha20Poly1305::new(key.into()),
            link_key,
        }
    }

    /// A key of this process alone: what it seals, no other process can open. For tests,
    /// and as a placeholder until the server's key is set.
    pub fn random() -> Self {
        Self::from_key(&rand::random())
    }

    /// The key given as 64 hex digits (`VW_SECRET_KEY`).
    pub fn from_hex(hex_key: &str) -> Result<Self, AppError> {
        let bytes = hex::decode(hex_key.trim())
            .ok()
            .filter(|b| b.len() == KEY_BYTES)
            .ok_or_else(|| {
                AppError::Invalid("VW_SECRET_KEY must be 64 hex digits (32 bytes)".into())
            })?;
        let mut key = [0u8; KEY_BYTES];
        key.copy_from_slice(&bytes);
        Ok(Self::from_key(&key))
    }

    /// The key in `path`, generated (and written with mode 0600) when the file is missing.
    pub fn from_file(path: &Path) -> Result<Self, AppError> {
        let io = |e: std::io::Error| AppError::Invalid(format!("{}: {e}", path.display()));
        match std::fs::read_to_string(path) {
            Ok(text) => Self::from_hex(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; KEY_BYTES];
                getrandom::fill(&mut key)
                    .map_err(|e| AppError::Invalid(format!("no randomness: {e}")))?;
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .map_err(io)?;
                file.write_all(hex::encode(key).as_bytes()).map_err(io)?;
                tracing::info!(path = %path.display(), "generated the server's secret key");
                Ok(Self::from_key(&key))
            }
            Err(e) => Err(io(e)),
        }
    }

    /// `plain` encrypted: the nonce, then the ciphertext with its tag.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, AppError> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce)
            .map_err(|e| AppError::Invalid(format!("no randomness: {e}")))?;
        let sealed = self
            .cipher
            .encrypt(&XNonce::from(nonce), plain)
            .map_err(|_| AppError::Invalid("encryption failed".into()))?;
        Ok([nonce.as_slice(), sealed.as_slice()].concat())
    }

    /// What `seal` sealed; an error when the bytes were not sealed with this key.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, AppError> {
        if sealed.len() < NONCE_BYTES {
            return Err(AppError::Invalid("a stored secret is too short".into()));
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().unwrap_or([0; NONCE_BYTES]);
        self.cipher
            .decrypt(&XNonce::from(nonce), body)
            .map_err(|_| {
                AppError::Invalid("a stored secret cannot be read with this server's key".into())
            })
    }

    /// A link token naming `channel` for `purpose`: the id and its signature, URL-safe.
    pub fn link_token(&self, purpose: LinkPurpose, channel: ChannelId) -> String {
        let id = channel.0.as_bytes();
        let tag = self.tag(purpose, id);
        URL_SAFE_NO_PAD.encode([id.as_slice(), &tag[..TAG_BYTES]].concat())
    }

    /// The channel a token names, if it was signed for `purpose` with this key.
    pub fn read_link_token(&self, purpose: LinkPurpose, token: &str) -> Option<ChannelId> {
        let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
        if bytes.len() != 16 + TAG_BYTES {
            return None;
        }
        let (id, tag) = bytes.split_at(16);
        let expected = self.tag(purpose, id);
        // Compared in constant time: the difference must not leak through timing.
        let same = expected[..TAG_BYTES]
            .iter()
            .zip(tag)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        same.then(|| uuid::Uuid::from_slice(id).ok().map(ChannelId))
            .flatten()
    }

    fn tag(&self, purpose: LinkPurpose, id: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(&self.link_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(purpose.label());
        mac.update(id);
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Secrets {
        Secrets::from_key(&[7u8; KEY_BYTES])
    }

    #[test]
    fn sealed_values_open_with_the_key_only() {
        let s = secrets();
        let sealed = s
            .seal(b"https://hooks.slack.com/services/T/B/secret")
            .unwrap_or_default();
        assert!(
            !sealed.windows(6).any(|w| w == b"secret"),
            "no plain text stored"
        );
        assert_eq!(
            s.open(&sealed).unwrap_or_default(),
            b"https://hooks.slack.com/services/T/B/secret"
        );
        let other = Secrets::from_key(&[8u8; KEY_BYTES]);
        assert!(other.open(&sealed).is_err());
        assert_ne!(
            s.seal(b"x").unwrap_or_default(),
            s.seal(b"x").unwrap_or_default(),
            "fresh nonces"
        );
    }

    #[test]
    fn link_tokens_name_their_channel_for_their_purpose_only() {
        let s = secrets();
        let channel = ChannelId::new();
        let token = s.link_token(LinkPurpose::Unsubscribe, channel);
        assert_eq!(
            s.read_link_token(LinkPurpose::Unsubscribe, &token),
            Some(channel)
        );
        assert_eq!(s.read_link_token(LinkPurpose::Verify, &token), None);
        let mut forged = token.clone().into_bytes();
        let last = forged.len() - 1;
        forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            s.read_link_token(LinkPurpose::Unsubscribe, &String::from_utf8_lossy(&forged)),
            None
        );
        assert_eq!(
            s.read_link_token(LinkPurpose::Unsubscribe, "not-a-token"),
            None
        );
    }

    #[test]
    fn the_key_is_read_from_hex_or_generated_into_a_private_file() {
        assert!(Secrets::from_hex("00").is_err());
        let dir = std::env::temp_dir().join(format!("vw-key-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let path = dir.join("secret.key");
        let first = Secrets::from_file(&path)
            .map(|s| s.link_token(LinkPurpose::Verify, ChannelId(uuid::Uuid::nil())));
        let again = Secrets::from_file(&path)
            .map(|s| s.link_token(LinkPurpose::Verify, ChannelId(uuid::Uuid::nil())));
        assert_eq!(first.ok(), again.ok(), "the same key on the next start");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o600);
        let _ = std::fs::remove_dir_all(dir);
    }
}
