//! Running initdb and pg_ctl, and turning their failures into errors worth reading.

use std::path::Path;
use std::process::{Output, Stdio};

use tokio::process::Command;

use super::Error;
use super::cluster_user::ClusterUser;

/// A command for `program`, run as the cluster's user, its output captured.
pub fn new(program: &Path, user: &ClusterUser) -> Command {
    let mut cmd = Command::new(program);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    user.apply(&mut cmd);
    cmd
}

/// Runs `cmd` to completion; a non-zero exit becomes an error carrying its output, plus
/// `extra` (say, the end of the server log) for the reader.
pub async fn run(
    what: &str,
    mut cmd: Command,
    extra: impl FnOnce() -> String,
) -> Result<Output, Error> {
    let output = cmd.output().await.map_err(|e| Error::Command {
        what: what.to_owned(),
        detail: format!("could not run it: {e}"),
    })?;
    if output.status.success() {
        return Ok(output);
    }
    let mut detail = format!("{}", output.status);
    for stream in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(stream);
        if !text.trim().is_empty() {
            detail.push('\n');
            detail.push_str(text.trim_end());
        }
    }
    let extra = extra();
    if !extra.is_empty() {
        detail.push('\n');
        detail.push_str(&extra);
    }
    Err(Error::Command {
        what: what.to_owned(),
        detail,
    })
}

/// The last `lines` lines of a log file, headed by its path, or nothing if it is unreadable.
pub fn log_tail(path: &Path, lines: usize) -> String {
    let Ok(text) = std::fs::read_to_string(path) else {
        return String::new();
    };
    let all: Vec<&str> = text.lines().collect();
    let tail = &all[all.len().saturating_sub(lines)..];
    format!("last lines of {}:\n{}", path.display(), tail.join("\n"))
}
