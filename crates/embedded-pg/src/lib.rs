//! The embedded default: with no `DATABASE_URL`, vendorwatch runs its own private
//! PostgreSQL cluster under `$VW_DATA_DIR/pg`, from the server binaries on the machine.
//!
//! The cluster listens on 127.0.0.1 only, on a port of its own, and opens no unix socket.
//! Its superuser signs in with a random password (scram-sha-256) kept in
//! `$VW_DATA_DIR/pg.password`, mode 0600. Why a password on TCP rather than trust on a
//! socket in a private directory: the same URL then serves `serve`, `web`, `worker`,
//! `migrate` and `psql` alike, and a local user who reaches the port still needs a secret
//! only the data directory's owner can read. Trust would hand the superuser to any process
//! that can reach the socket, including anything else running as `postgres`.
//!
//! The postmaster outlives the process that started it (pg_ctl detaches it), so a process
//! that dies without [`EmbeddedPostgres::stop`] leaves it running; the next start reuses it.
//! The server's log is `$VW_DATA_DIR/pg/server.log`.
//!
//! Depends on no other vendorwatch crate: it starts and stops a server, and hands out its URL;
//! creating databases in it is the store's (`vw_store::admin`).

mod binaries;
mod cluster_user;
mod command;
mod error;
mod initdb;
mod layout;
mod password;
mod port;
mod postmaster_pid;

use std::fs::File;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use binaries::default_search_dirs;
pub use error::Error;

use binaries::PgBinaries;
use cluster_user::ClusterUser;
use error::io;
use layout::Layout;
use password::Password;
use postmaster_pid::Postmaster;

/// The cluster's superuser, the role vendorwatch connects as.
const SUPERUSER: &str = "vendorwatch";

/// How long pg_ctl waits for a start or a stop, and we for a postmaster that is starting.
const WAIT: Duration = Duration::from_secs(60);

/// A running embedded cluster. Dropping it leaves the cluster running; call
/// [`EmbeddedPostgres::stop`] on shutdown.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    binaries: PgBinaries,
    user: ClusterUser,
    layout: Layout,
    port: u16,
    password: Password,
    /// Our shared hold on `layout.users`, released when we stop or exit.
    in_use: File,
}

impl EmbeddedPostgres {
    /// Starts (or reuses) the cluster under `data_dir`, with the binaries found in
    /// [`default_search_dirs`].
    pub async fn start(data_dir: &Path) -> Result<Self, Error> {
        Self::start_with(data_dir, &default_search_dirs()).await
    }

    /// Starts the cluster under `data_dir` with the first complete set of binaries in
    /// `search`: initialises it on first use, reuses a postmaster of it that is still
    /// running, and clears a stale `postmaster.pid` left by a crash.
    #[tracing::instrument(skip_all, fields(data_dir = %data_dir.display()))]
    pub async fn start_with(data_dir: &Path, search: &[PathBuf]) -> Result<Self, Error> {
        let binaries = PgBinaries::find(search)?;
        let user = ClusterUser::for_this_process()?;
        create_data_dir(data_dir, &user)?;
        // The cluster's commands run from another working directory (one its user can
        // enter): every path handed to them must be absolute.
        let data_dir = &std::fs::canonicalize(data_dir).map_err(io("resolve", data_dir))?;
        user.check_can_reach(data_dir)?;
        let layout = Layout::new(data_dir);
        let _lock = lock(&layout.lock).await?;

        if !layout.cluster.exists() {
            initdb::initialise(&binaries, &user, &layout).await?;
        } else if !layout.cluster.join("PG_VERSION").exists() {
            return Err(Error::NotACluster {
                path: layout.cluster,
            });
        }
        user.take_ownership(&layout.cluster)?;
        if !layout.password.exists() {
            return Err(Error::MissingPassword {
                path: layout.password,
                cluster: layout.cluster,
            });
        }
        let password = Password::read(&layout.password)?;
        let in_use = open_lock_file(&layout.users)?;
        // Never blocks: an exclusive hold is only taken by `stop`, under the lock we hold.
        in_use.try_lock_shared().map_err(|e| Error::Command {
            what: "registering as a user of the cluster".into(),
            detail: e.to_string(),
        })?;

        let port = match running_postmaster(&layout.cluster).await? {
            Some(port) => {
                port::remember(&layout.port, port)?;
                tracing::info!(
                    cluster = %layout.cluster.display(),
                    port,
                    "reusing the running embedded PostgreSQL cluster"
                );
                port
            }
            None => {
                let port = port::choose(&layout.port)?;
                pg_ctl_start(&binaries, &user, &layout, port).await?;
                tracing::info!(
                    cluster = %layout.cluster.display(),
                    port,
                    binaries = %binaries.dir().display(),
                    "started the embedded PostgreSQL cluster"
                );
                port
            }
        };
        Ok(Self {
            binaries,
            user,
            layout,
            port,
            password,
            in_use,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// PostgreSQL's data directory, `$VW_DATA_DIR/pg`.
    pub fn cluster_dir(&self) -> &Path {
        &self.layout.cluster
    }

    /// A URL for database `db`, password included: keep it out of logs.
    pub fn database_url(&self, db: &str) -> String {
        format!(
            "postgres://{SUPERUSER}:{}@127.0.0.1:{}/{db}",
            self.password.expose(),
            self.port
        )
    }

    /// Stops the cluster, disconnecting clients and rolling back their transactions
    /// (pg_ctl's "fast" mode), and waits until it is down — unless another process still uses
    /// it (`web` and `worker` run apart on one machine): then the last one out stops it.
    pub async fn stop(self) -> Result<(), Error> {
        let _lock = lock(&self.layout.lock).await?;
        drop(self.in_use);
        let users = open_lock_file(&self.layout.users)?;
        if users.try_lock().is_err() {
            tracing::info!(
                cluster = %self.layout.cluster.display(),
                "another vendorwatch process still uses the embedded PostgreSQL cluster; leaving it running"
            );
            return Ok(());
        }
        let mut cmd = command::new(&self.binaries.pg_ctl(), &self.user);
        cmd.arg("stop")
            .arg("--pgdata")
            .arg(&self.layout.cluster)
            .args([
                "--mode=fast",
                "--wait",
                &format!("--timeout={}", WAIT.as_secs()),
            ]);
        command::run("pg_ctl stop", cmd, || {
            command::log_tail(&self.layout.log, 20)
        })
        .await?;
        tracing::info!(
            cluster = %self.layout.cluster.display(),
            "stopped the embedded PostgreSQL cluster"
        );
        Ok(())
    }
}

/// The port of a postmaster of this cluster that is running, once it accepts connections;
/// `None` when none runs (a stale lock file is removed on the way).
async fn running_postmaster(cluster: &Path) -> Result<Option<u16>, Error> {
    let deadline = Instant::now() + WAIT;
    loop {
        match postmaster_pid::inspect(cluster)? {
            Postmaster::Absent => return Ok(None),
            Postmaster::Stale => {
                let path = cluster.join(postmaster_pid::FILE_NAME);
                tracing::warn!(path = %path.display(), "removing a stale postmaster.pid");
                std::fs::remove_file(&path).map_err(io("remove", path))?;
                return Ok(None);
            }
            Postmaster::Running(file) => match file.port {
                Some(port) if file.is_ready() => return Ok(Some(port)),
                // Starting up, or shutting down (then the file goes and we start anew).
                _ if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                _ => {
                    return Err(Error::NotReady {
                        pid: file.pid,
                        cluster: cluster.to_path_buf(),
                    });
                }
            },
        }
    }
}

async fn pg_ctl_start(
    binaries: &PgBinaries,
    user: &ClusterUser,
    layout: &Layout,
    port: u16,
) -> Result<(), Error> {
    let mut cmd = command::new(&binaries.pg_ctl(), user);
    cmd.arg("start")
        .arg("--pgdata")
        .arg(&layout.cluster)
        .arg("--log")
        .arg(&layout.log)
        .arg(format!("--options=-p {port}"))
        .args(["--wait", &format!("--timeout={}", WAIT.as_secs())]);
    command::run("pg_ctl start", cmd, || command::log_tail(&layout.log, 20)).await?;
    Ok(())
}

/// Creates the data directory if needed: private to us, or, when the cluster runs as
/// another user, open for that user to pass through (0711) but not to list.
fn create_data_dir(data_dir: &Path, user: &ClusterUser) -> Result<(), Error> {
    let mode = match user {
        ClusterUser::Current => 0o700,
        ClusterUser::System { .. } => 0o711,
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(data_dir)
        .map_err(io("create", data_dir))
}

fn open_lock_file(path: &Path) -> Result<File, Error> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(io("open", path))
}

/// Takes the exclusive lock on `path`, waiting for another process to finish starting or
/// stopping the cluster; released when the returned file is dropped.
async fn lock(path: &Path) -> Result<File, Error> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let file = open_lock_file(&path)?;
        file.lock().map_err(io("lock", path))?;
        Ok(file)
    })
    .await
    .map_err(|e| Error::Command {
        what: "locking the cluster".into(),
        detail: e.to_string(),
    })?
}
