//! The embedded cluster against the PostgreSQL binaries of this machine: each test gets a
//! cluster of its own in a temporary directory. Should a test fail before stopping its
//! cluster, the postmaster notices its data directory is gone and exits within a minute.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;

use sqlx::{Connection, PgConnection};
use support::TestDb;
use tempfile::TempDir;
use vw_embedded_pg::{EmbeddedPostgres, Error, default_search_dirs};

/// A data directory under `target/tmp`, open to all whatever the umask: when the tests run
/// as root the cluster runs as `postgres`, who must be able to enter it.
fn data_dir() -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("embedded-pg-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

async fn connect(pg: &EmbeddedPostgres, db: &str) -> PgConnection {
    PgConnection::connect(&pg.database_url(db)).await.unwrap()
}

fn postmaster_pid(pg: &EmbeddedPostgres) -> Option<String> {
    let text = std::fs::read_to_string(pg.cluster_dir().join("postmaster.pid")).ok()?;
    text.lines().next().map(str::to_owned)
}

#[tokio::test]
async fn starts_and_keeps_data_across_a_restart() {
    let dir = data_dir();
    let pg = EmbeddedPostgres::start(dir.path()).await.unwrap();
    assert_eq!(pg.cluster_dir(), dir.path().join("pg"));
    vendorwatch::db::ensure_database(&pg, "app").await.unwrap();
    vendorwatch::db::ensure_database(&pg, "app").await.unwrap(); // a second time is no error

    let mut conn = connect(&pg, "app").await;
    sqlx::query("CREATE TABLE notes (body text NOT NULL)")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO notes VALUES ('survives restarts')")
        .execute(&mut conn)
        .await
        .unwrap();
    let (listen, sockets): (String, String) = sqlx::query_as(
        "SELECT current_setting('listen_addresses'), current_setting('unix_socket_directories')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!((listen.as_str(), sockets.as_str()), ("127.0.0.1", ""));
    conn.close().await.unwrap();

    // The superuser cannot sign in without the password, which only we may read.
    let no_password = format!("postgres://vendorwatch@127.0.0.1:{}/app", pg.port());
    assert!(PgConnection::connect(&no_password).await.is_err());
    let password_file = std::fs::metadata(dir.path().join("pg.password")).unwrap();
    assert_eq!(password_file.mode() & 0o777, 0o600);

    let port = pg.port();
    pg.stop().await.unwrap();
    assert!(!dir.path().join("pg/postmaster.pid").exists());
    assert!(
        TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok(),
        "the server is down"
    );

    let pg = EmbeddedPostgres::start(dir.path()).await.unwrap();
    assert_eq!(pg.port(), port, "the port is remembered");
    let mut conn = connect(&pg, "app").await;
    let body: String = sqlx::query_scalar("SELECT body FROM notes")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(body, "survives restarts");
    conn.close().await.unwrap();
    pg.stop().await.unwrap();
}

#[tokio::test]
async fn a_relative_data_dir_works_as_the_default_one_does() {
    // `./.vendorwatch` is the default. The test's directory is under `target/tmp`, below the
    // working directory (the package root), so a relative path to it needs no `..` and means
    // something else from any other directory.
    let dir = data_dir();
    let cwd = std::env::current_dir().unwrap();
    let relative = dir.path().strip_prefix(&cwd).unwrap().to_path_buf();
    assert!(relative.is_relative());
    let pg = EmbeddedPostgres::start(&relative).await.unwrap();
    let mut conn = connect(&pg, "postgres").await;
    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(one, 1);
    conn.close().await.unwrap();
    pg.stop().await.unwrap();
}

#[tokio::test]
async fn a_second_start_reuses_the_running_cluster() {
    let dir = data_dir();
    let first = EmbeddedPostgres::start(dir.path()).await.unwrap();
    let pid = postmaster_pid(&first).unwrap();

    // As after a crash of the process that started it: the postmaster is still up.
    let second = EmbeddedPostgres::start(dir.path()).await.unwrap();
    assert_eq!(second.port(), first.port());
    assert_eq!(
        postmaster_pid(&second).unwrap(),
        pid,
        "no second postmaster"
    );
    let mut conn = connect(&second, "postgres").await;
    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(one, 1);
    conn.close().await.unwrap();

    // While the first still uses it, the second leaves it running; the last one out stops it.
    let cluster = first.cluster_dir().to_path_buf();
    second.stop().await.unwrap();
    assert_eq!(postmaster_pid(&first).as_deref(), Some(pid.as_str()));
    first.stop().await.unwrap();
    assert!(
        !cluster.join("postmaster.pid").exists(),
        "stopped by the last user"
    );
}

#[tokio::test]
async fn a_stale_pid_file_naming_another_live_process_is_cleared() {
    let dir = data_dir();
    let pg = EmbeddedPostgres::start(dir.path()).await.unwrap();
    let cluster = pg.cluster_dir().to_path_buf();
    let port = pg.port();
    pg.stop().await.unwrap();

    // After a crash, the postmaster's pid went to another program of the cluster's user.
    // PostgreSQL alone would refuse to start: "lock file already exists". (It takes a pid
    // it may not signal for dead, hence the squatter runs as the cluster's owner.)
    let owner = std::fs::metadata(&cluster).unwrap();
    let mut squatter = std::process::Command::new("sleep")
        .arg("300")
        .uid(owner.uid())
        .gid(owner.gid())
        .spawn()
        .unwrap();
    let stale = format!(
        "{}\n{}\n1764000000\n{port}\n\n127.0.0.1\n  5432001     0\nready   \n",
        squatter.id(),
        cluster.display()
    );
    std::fs::write(cluster.join("postmaster.pid"), stale).unwrap();

    let started = EmbeddedPostgres::start(dir.path()).await;
    squatter.kill().unwrap();
    squatter.wait().unwrap();
    let pg = started.unwrap();
    assert_ne!(postmaster_pid(&pg).unwrap(), squatter.id().to_string());
    let mut conn = connect(&pg, "postgres").await;
    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(one, 1);
    conn.close().await.unwrap();
    pg.stop().await.unwrap();
}

#[tokio::test]
async fn a_taken_port_moves_the_cluster_at_restart() {
    let dir = data_dir();
    let pg = EmbeddedPostgres::start(dir.path()).await.unwrap();
    let old_port = pg.port();
    pg.stop().await.unwrap();

    let _squatter = TcpListener::bind((Ipv4Addr::LOCALHOST, old_port)).unwrap();
    let pg = EmbeddedPostgres::start(dir.path()).await.unwrap();
    assert_ne!(pg.port(), old_port);
    connect(&pg, "postgres").await.close().await.unwrap();
    pg.stop().await.unwrap();
}

#[tokio::test]
async fn without_binaries_it_fails_naming_both_fixes() {
    let dir = data_dir();
    let empty_bin = dir.path().join("bin");
    std::fs::create_dir(&empty_bin).unwrap();
    let data = dir.path().join("data");

    let err = EmbeddedPostgres::start_with(&data, std::slice::from_ref(&empty_bin))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NoBinaries { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&empty_bin.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("Install the PostgreSQL server"),
        "{message}"
    );
    assert!(message.contains("set DATABASE_URL"), "{message}");
    assert!(
        !data.exists(),
        "nothing is created before the binaries are found"
    );
}

#[tokio::test]
async fn a_parent_the_cluster_user_cannot_enter_fails_clearly() {
    let dir = data_dir();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
    let data = locked.join("data");

    let started = EmbeddedPostgres::start(&data).await;
    if nix::unistd::geteuid().is_root() {
        // The cluster runs as `postgres` (or `nobody`), locked out of root's 0700 directory.
        let message = started.unwrap_err().to_string();
        assert!(
            message.contains(&format!("cannot enter {} (mode 700", locked.display())),
            "{message}"
        );
        assert!(
            message.contains(&format!("chmod o+x {}", locked.display())),
            "{message}"
        );
        assert!(!data.join("pg").exists());
    } else {
        // The cluster runs as us, and the directory is ours.
        started.unwrap().stop().await.unwrap();
    }
}

#[test]
fn the_default_search_finds_this_machines_binaries() {
    let dirs = default_search_dirs();
    let has = |dir: &PathBuf| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    assert!(dirs.iter().any(has), "searched {dirs:?}");
}

#[tokio::test]
async fn test_databases_are_fresh_and_migrated() {
    let (a, b) = (TestDb::fresh().await, TestDb::fresh().await);
    assert_ne!(a.name, b.name);

    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count() as i64;
    for db in [&a, &b] {
        let (current, applied, job_queue): (String, i64, bool) = sqlx::query_as(
            "SELECT current_database(), \
                    (SELECT count(*) FROM public._sqlx_migrations WHERE success), \
                    to_regclass('apalis.jobs') IS NOT NULL",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(current, db.name.as_str());
        assert_eq!(applied, migrations);
        assert!(job_queue, "the job queue's schema is set up too");
    }

    sqlx::query("CREATE TABLE only_in_a (x int)")
        .execute(&a.pool)
        .await
        .unwrap();
    let in_b: bool = sqlx::query_scalar("SELECT to_regclass('only_in_a') IS NOT NULL")
        .fetch_one(&b.pool)
        .await
        .unwrap();
    assert!(!in_b);

    // The URL reaches the same database as the pool.
    let mut conn = PgConnection::connect(&a.url).await.unwrap();
    let current: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(current, a.name.as_str());
    conn.close().await.unwrap();

    // A passing test's database goes with it.
    let name = a.name.clone();
    drop(a);
    assert!(!support::db::database_exists(&name).await);
}
