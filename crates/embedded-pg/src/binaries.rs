//! Finding the PostgreSQL server binaries on this machine.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::Error;

/// A directory holding `initdb`, `pg_ctl` and `postgres`: one installation, since `pg_ctl`
/// starts the `postgres` that sits beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    dir: PathBuf,
}

const REQUIRED: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

impl PgBinaries {
    /// The first directory of `search` that holds all three binaries.
    pub fn find(search: &[PathBuf]) -> Result<Self, Error> {
        search
            .iter()
            .find(|dir| REQUIRED.iter().all(|bin| is_executable(&dir.join(bin))))
            .map(|dir| Self { dir: dir.clone() })
            .ok_or_else(|| Error::NoBinaries {
                searched: if search.is_empty() {
                    "nowhere (empty search list)".to_owned()
                } else {
                    search
                        .iter()
                        .map(|d| d.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn initdb(&self) -> PathBuf {
        self.dir.join("initdb")
    }

    pub fn pg_ctl(&self) -> PathBuf {
        self.dir.join("pg_ctl")
    }
}

/// Where to look by default: every `PATH` entry, then Debian's and Ubuntu's per-version
/// directories `/usr/lib/postgresql/<major>/bin`, newest first (they are not on `PATH`).
pub fn default_search_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    dirs.extend(versioned_dirs(Path::new("/usr/lib/postgresql")));
    dirs
}

/// `<root>/<major>/bin` for every numeric `<major>`, newest first.
fn versioned_dirs(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut versions: Vec<(u32, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((major, e.path().join("bin")))
        })
        .collect();
    versions.sort_by_key(|(major, _)| std::cmp::Reverse(*major));
    versions.into_iter().map(|(_, dir)| dir).collect()
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::fs;

    use super::*;

    fn fake_install(dir: &Path, bins: &[&str]) {
        fs::create_dir_all(dir).unwrap();
        for bin in bins {
            let path = dir.join(bin);
            fs::write(&path, "#!/bin/sh\n").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    #[test]
    fn picks_the_first_directory_with_all_three_binaries() {
        let tmp = tempfile::tempdir().unwrap();
        let partial = tmp.path().join("partial");
        let full = tmp.path().join("full");
        let later = tmp.path().join("later");
        fake_install(&partial, &["initdb", "pg_ctl"]);
        fake_install(&full, &REQUIRED);
        fake_install(&later, &REQUIRED);
        let found = PgBinaries::find(&[partial, full.clone(), later]).unwrap();
        assert_eq!(found.dir(), full);
        assert_eq!(found.pg_ctl(), full.join("pg_ctl"));
    }

    #[test]
    fn ignores_files_that_are_not_executable() {
        let tmp = tempfile::tempdir().unwrap();
        fake_install(tmp.path(), &REQUIRED);
        fs::set_permissions(
            tmp.path().join("postgres"),
            fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        let err = PgBinaries::find(&[tmp.path().to_path_buf()]).unwrap_err();
        assert!(
            err.to_string().contains(&tmp.path().display().to_string()),
            "{err}"
        );
    }

    #[test]
    fn versioned_directories_come_newest_first_and_numeric() {
        let tmp = tempfile::tempdir().unwrap();
        for v in ["9", "15", "17", "common"] {
            fs::create_dir_all(tmp.path().join(v).join("bin")).unwrap();
        }
        let dirs = versioned_dirs(tmp.path());
        let expected: Vec<PathBuf> = ["17", "15", "9"]
            .iter()
            .map(|v| tmp.path().join(v).join("bin"))
            .collect();
        assert_eq!(dirs, expected);
    }
}
