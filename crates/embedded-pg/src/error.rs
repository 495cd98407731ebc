use std::io;
use std::path::PathBuf;

/// Why the embedded cluster could not be started, stopped or used. Each message names what
/// to do about it, because the operator reads it on a terminal, not in the code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found; searched: {searched}. \
         Install the PostgreSQL server (Debian/Ubuntu: `apt-get install postgresql`), \
         or set DATABASE_URL to use an existing PostgreSQL server"
    )]
    NoBinaries { searched: String },

    #[error(
        "vendorwatch runs as root, which PostgreSQL refuses, and there is no `postgres` or \
         `nobody` user to run the embedded cluster as: create one \
         (`useradd --system postgres`), or set DATABASE_URL"
    )]
    NoUnprivilegedUser,

    #[error(
        "vendorwatch runs as root, which PostgreSQL refuses, so the embedded cluster runs as \
         `{user}`, who cannot enter {dir} (mode {mode:o}, owner uid {owner}). Fix: \
         `chmod o+x {dir}`, or set VW_DATA_DIR to a directory {user} can reach"
    )]
    Unreachable {
        user: String,
        dir: PathBuf,
        mode: u32,
        owner: u32,
    },

    #[error("{path} exists but is not a PostgreSQL data directory (no PG_VERSION); move it away")]
    NotACluster { path: PathBuf },

    #[error(
        "the cluster in {cluster} exists but its password file {path} is missing; restore it, \
         or delete {cluster} to start afresh (its data is lost)"
    )]
    MissingPassword { path: PathBuf, cluster: PathBuf },

    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },

    #[error("the PostgreSQL postmaster {pid} of {cluster} did not become ready")]
    NotReady { pid: i32, cluster: PathBuf },

    #[error("could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },

    #[error("could not look up user {user}: {source}")]
    UserLookup {
        user: &'static str,
        source: nix::Error,
    },
}

/// `map_err` helper: an I/O error with what was being done and to which path.
pub(crate) fn io(
    action: &'static str,
    path: impl Into<PathBuf>,
) -> impl FnOnce(io::Error) -> Error {
    let path = path.into();
    move |source| Error::Io {
        action,
        path,
        source,
    }
}
