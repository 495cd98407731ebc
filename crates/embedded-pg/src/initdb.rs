//! Making a new cluster: initdb into a staging directory, our settings appended, then a
//! rename to the real name.

use std::io::Write;
use std::os::unix::fs::DirBuilderExt;

use super::binaries::PgBinaries;
use super::cluster_user::ClusterUser;
use super::error::io;
use super::layout::Layout;
use super::password::Password;
use super::{Error, SUPERUSER, command};

/// Appended to `postgresql.conf`, so that the cluster is as closed when someone starts it
/// by hand with pg_ctl as when we do.
const SETTINGS: &str = "
# Added by vendorwatch. TCP from this machine only, with the superuser's password
# (scram-sha-256, see pg_hba.conf); no unix socket, whose directory would be shared
# (/tmp, /run/postgresql). The port is given at each start (pg_ctl -o '-p N').
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
";

/// Initialises the cluster at `layout.cluster` with a new password, kept in
/// `layout.password`.
pub async fn initialise(
    bins: &PgBinaries,
    user: &ClusterUser,
    layout: &Layout,
) -> Result<(), Error> {
    if layout.staging.exists() {
        // Left by a run that died during initdb.
        std::fs::remove_dir_all(&layout.staging).map_err(io("remove", &layout.staging))?;
    }
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&layout.staging)
        .map_err(io("create", &layout.staging))?;
    user.take_ownership(&layout.staging)?;

    let password = Password::generate()?;
    password.write(&layout.password)?;
    password.write(&layout.initdb_password)?;
    user.take_ownership(&layout.initdb_password)?;
    let result = run_initdb(bins, user, layout).await;
    std::fs::remove_file(&layout.initdb_password).map_err(io("remove", &layout.initdb_password))?;
    result?;

    let conf = layout.staging.join("postgresql.conf");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&conf)
        .and_then(|mut f| f.write_all(SETTINGS.as_bytes()))
        .map_err(io("append settings to", &conf))?;
    std::fs::rename(&layout.staging, &layout.cluster)
        .map_err(io("rename into place", &layout.staging))?;
    tracing::info!(cluster = %layout.cluster.display(), "initialised a new PostgreSQL cluster");
    Ok(())
}

async fn run_initdb(bins: &PgBinaries, user: &ClusterUser, layout: &Layout) -> Result<(), Error> {
    let mut cmd = command::new(&bins.initdb(), user);
    cmd.arg("--pgdata")
        .arg(&layout.staging)
        .arg(format!("--username={SUPERUSER}"))
        .arg("--pwfile")
        .arg(&layout.initdb_password)
        .arg("--auth=scram-sha-256")
        .arg("--encoding=UTF8")
        // The C locale sorts bytewise: it exists everywhere, and its order never changes
        // with a C library upgrade (which silently corrupts indexes under other locales).
        .arg("--locale=C");
    command::run("initdb", cmd, String::new).await?;
    Ok(())
}
