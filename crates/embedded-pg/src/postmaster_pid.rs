//! Reading `postmaster.pid`, the lock file a running postmaster keeps in its data
//! directory, to tell a running cluster we can reuse from a stale file left by a crash.
//!
//! PostgreSQL itself removes the file when its pid is dead, but not when the pid has since
//! been given to another process (common in containers, where pids restart at 1): then it
//! refuses to start, "lock file already exists". We look at the process behind the pid.

use std::path::{Path, PathBuf};

use super::Error;
use super::error::io;

/// The file's name inside the data directory.
pub const FILE_NAME: &str = "postmaster.pid";

/// What the lock file says, per PostgreSQL's `pidfile.h`: line 1 the pid, 4 the port, 8 the
/// status (`starting`, `stopping`, `ready` or `standby`, space-padded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PidFile {
    pub pid: i32,
    pub port: Option<u16>,
    pub status: Option<String>,
}

impl PidFile {
    pub fn parse(text: &str) -> Option<Self> {
        let lines: Vec<&str> = text.lines().collect();
        // A negative pid marks a single-user backend; the process is the absolute value.
        let pid = lines.first()?.trim().parse::<i32>().ok()?.checked_abs()?;
        let port = lines.get(3).and_then(|l| l.trim().parse().ok());
        let status = lines
            .get(7)
            .map(|l| l.trim().to_owned())
            .filter(|s| !s.is_empty());
        Some(Self { pid, port, status })
    }

    pub fn is_ready(&self) -> bool {
        self.status.as_deref() == Some("ready")
    }
}

/// The state of a data directory's lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Postmaster {
    /// No lock file: nothing runs.
    Absent,
    /// A live `postgres` process whose working directory is this data directory: ours.
    Running(PidFile),
    /// A lock file naming a dead pid, another program, or another cluster's postmaster, or
    /// one we cannot read.
    Stale,
}

pub fn inspect(cluster: &Path) -> Result<Postmaster, Error> {
    let path = cluster.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Postmaster::Absent),
        Err(e) => return Err(io("read", path)(e)),
    };
    let Some(file) = PidFile::parse(&text) else {
        return Ok(Postmaster::Stale);
    };
    let cluster = std::fs::canonicalize(cluster).map_err(io("resolve", cluster))?;
    if is_postmaster_of(file.pid, &cluster) {
        Ok(Postmaster::Running(file))
    } else {
        Ok(Postmaster::Stale)
    }
}

/// Whether `pid` is a live `postgres` whose working directory is `cluster` (the postmaster
/// changes into its data directory at start). A process we may not inspect is not ours: a
/// postmaster of a cluster we own runs as us, or as the user we switch to from root, and
/// root may inspect anything.
fn is_postmaster_of(pid: i32, cluster: &Path) -> bool {
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let comm = std::fs::read_to_string(proc.join("comm")).unwrap_or_default();
    comm.trim_end() == "postgres"
        && std::fs::read_link(proc.join("cwd")).is_ok_and(|cwd| cwd == cluster)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "4242\n/var/lib/vw/pg\n1764000000\n54321\n\n127.0.0.1\n  5432001     0\nready   \n";

    #[test]
    fn parses_pid_port_and_status() {
        let file = PidFile::parse(SAMPLE).unwrap();
        assert_eq!(
            file,
            PidFile {
                pid: 4242,
                port: Some(54321),
                status: Some("ready".into())
            }
        );
        assert!(file.is_ready());
    }

    #[test]
    fn a_file_still_being_written_has_no_status() {
        let file = PidFile::parse("4242\n/var/lib/vw/pg\n").unwrap();
        assert_eq!(
            file,
            PidFile {
                pid: 4242,
                port: None,
                status: None
            }
        );
        assert!(!file.is_ready());
        assert_eq!(PidFile::parse("-77\n").map(|f| f.pid), Some(77));
        assert_eq!(PidFile::parse("garbage\n"), None);
        assert_eq!(PidFile::parse(""), None);
    }

    #[test]
    fn our_own_process_is_no_postmaster() {
        let tmp = tempfile::tempdir().unwrap();
        let text = SAMPLE.replacen("4242", &std::process::id().to_string(), 1);
        std::fs::write(tmp.path().join(FILE_NAME), text).unwrap();
        assert_eq!(inspect(tmp.path()).unwrap(), Postmaster::Stale);
    }

    #[test]
    fn no_file_means_nothing_runs() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(inspect(tmp.path()).unwrap(), Postmaster::Absent);
    }
}
