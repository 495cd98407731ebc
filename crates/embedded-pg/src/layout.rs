//! Where the embedded cluster keeps its things under the data directory (`$VW_DATA_DIR`).

use std::path::{Path, PathBuf};

/// The paths, all derived from the data directory. Only `cluster` belongs to the cluster's
/// user; the rest stay with whoever runs vendorwatch.
#[derive(Debug, Clone)]
pub struct Layout {
    /// PostgreSQL's data directory.
    pub cluster: PathBuf,
    /// Where initdb builds a new cluster; renamed to `cluster` once complete, so that a
    /// crash during initdb never leaves a half-made cluster behind under the real name.
    pub staging: PathBuf,
    /// The superuser password (0600). Outside the cluster directory, which belongs to
    /// another user when we run as root.
    pub password: PathBuf,
    /// A copy of the password that initdb, running as the cluster's user, can read; it
    /// exists only while initdb runs.
    pub initdb_password: PathBuf,
    /// The port, remembered across restarts.
    pub port: PathBuf,
    /// Held while a process starts or stops the cluster, so that two of them (two test
    /// binaries, `serve` and `migrate`) never race.
    pub lock: PathBuf,
    /// Held shared by every process using the cluster, for as long as it uses it: the last
    /// one to stop is the one that stops the cluster.
    pub users: PathBuf,
    /// The server's log (pg_ctl -l), inside the cluster directory.
    pub log: PathBuf,
}

impl Layout {
    pub fn new(data_dir: &Path) -> Self {
        let cluster = data_dir.join("pg");
        Self {
            staging: data_dir.join("pg.initdb"),
            password: data_dir.join("pg.password"),
            initdb_password: data_dir.join("pg.initdb-password"),
            port: data_dir.join("pg.port"),
            lock: data_dir.join("pg.lock"),
            users: data_dir.join("pg.users"),
            log: cluster.join("server.log"),
            cluster,
        }
    }
}
