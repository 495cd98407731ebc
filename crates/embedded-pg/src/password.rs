//! The superuser password of the embedded cluster, kept in a file only its owner can read.

use std::fmt;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::Error;
use super::error::io;

/// A password; its `Debug` output is redacted so that it never lands in a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// 32 random bytes, hex-encoded: needs no escaping in a URL or a file.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::Command {
            what: "reading the system's random generator".into(),
            detail: e.to_string(),
        })?;
        Ok(Self(hex::encode(bytes)))
    }

    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(io("read", path))?;
        Ok(Self(text.trim().to_owned()))
    }

    /// Writes the password to `path` with mode 0600, replacing any earlier file.
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)
            .map_err(io("create", path))?;
        // The mode above applies only to a new file; an older one may be looser.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io("restrict", path))?;
        writeln!(file, "{}", self.0).map_err(io("write", path))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;

    #[test]
    fn round_trips_through_a_private_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("pg.password");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let password = Password::generate().unwrap();
        password.write(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        assert_eq!(Password::read(&path).unwrap(), password);
    }

    #[test]
    fn is_long_random_hex_and_never_debug_printed() {
        let (a, b) = (Password::generate().unwrap(), Password::generate().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 64);
        assert!(a.expose().bytes().all(|c| c.is_ascii_hexdigit()));
        assert!(!format!("{a:?}").contains(a.expose()));
    }
}
