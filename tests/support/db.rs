//! A fresh database per test: `TestDb::fresh().await` gives each test a brand-new,
//! migrated database on a real PostgreSQL server.
//!
//! The server is `DATABASE_URL` when set (its user needs CREATEDB). Otherwise it is one
//! embedded cluster under `target/tmp/test-pg`, shared by every test thread and every test
//! binary of the run, and by the next run: it is left running on purpose, because starting
//! a cluster costs a second or more and a fresh database from a template costs
//! milliseconds. `EmbeddedPostgres::start` holds a file lock while it starts or reuses the
//! cluster, so concurrent test binaries start it once. To stop it (as the `postgres` user
//! when root): `pg_ctl stop -D target/tmp/test-pg/pg`; `cargo clean` while it runs leaves
//! an orphan postmaster behind.
//!
//! Each database is copied from a template database that is migrated once per test
//! binary; PostgreSQL refuses to copy a database someone is connected to, so migrating the
//! template takes an advisory lock exclusively and copying it takes the lock shared.
//! A passing test's database is dropped with it; a failing test's is kept for a look
//! (its name is printed), and any test database older than a day is dropped at the first
//! use of the harness in a test binary.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::OnceCell;
use url::Url;
use vw_embedded_pg::EmbeddedPostgres;
use vw_store::admin::{self, DatabaseName};

/// Where the shared embedded cluster lives (its `$VW_DATA_DIR`).
pub fn embedded_data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("test-pg")
}

/// The one place that migrates a test database: every test then sees what production
/// sees after `vendorwatch migrate` (our schema and the job queue's).
async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    vendorwatch::db::migrate(pool).await
}

const PREFIX: &str = "vw_test_";
const TEMPLATE: &str = "vw_test_template";
/// Advisory lock serialising work on the template; any constant no other code uses.
const TEMPLATE_LOCK: i64 = 0x0076_775f_746d_706c; // "vw_tmpl" in ASCII
const MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// A fresh database for one test.
pub struct TestDb {
    pub pool: PgPool,
    /// Its URL, for code under test that connects by itself (the binary, say).
    pub url: String,
    pub name: DatabaseName,
    server: Url,
}

impl TestDb {
    /// A new database, migrated, and a small pool on it. Panics when no server can be had:
    /// the test could not say anything useful anyway.
    pub async fn fresh() -> TestDb {
        match Self::try_fresh().await {
            Ok(db) => db,
            Err(e) => panic!("could not set up a test database: {e:#}"),
        }
    }

    /// Makes a session whose client died (a worker killed) end at once, even while it waits
    /// on a lock, instead of going on when the lock is released: for new sessions.
    pub async fn end_sessions_of_dead_clients(&self) {
        sqlx::query(
            "DO $$ BEGIN
                 EXECUTE format('ALTER DATABASE %I SET client_connection_check_interval = %L',
                                current_database(), '100ms');
             END $$",
        )
        .execute(&self.pool)
        .await
        .unwrap();
    }

    async fn try_fresh() -> anyhow::Result<TestDb> {
        let server = server().await?;
        TEMPLATE_READY
            .get_or_try_init(|| prepare_template(server))
            .await?;

        let name = unique_name()?;
        let template = DatabaseName::parse(TEMPLATE)?;
        let mut admin_conn = PgConnection::connect(server.as_str()).await?;
        admin::advisory_lock_shared(&mut admin_conn, TEMPLATE_LOCK).await?;
        let created = admin::create_database_from_template(&mut admin_conn, &name, &template).await;
        admin::advisory_unlock_shared(&mut admin_conn, TEMPLATE_LOCK).await?;
        admin_conn.close().await?;
        created?;

        let url = url_for(server, &name);
        let pool = PgPoolOptions::new()
            .max_connections(5)
            .connect(&url)
            .await?;
        Ok(TestDb {
            pool,
            url,
            name,
            server: server.clone(),
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test database {} kept for inspection", self.name);
            return;
        }
        // Drop cannot await, and the test's runtime may not be blocked on: a thread of its
        // own with a runtime of its own drops the database (WITH FORCE closes our pool's
        // sessions). Best effort: a leftover is swept after a day.
        let (server, name) = (self.server.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let mut conn = PgConnection::connect(server.as_str()).await?;
                admin::drop_database(&mut conn, &name).await?;
                conn.close().await?;
                anyhow::Ok(())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop test database {}: {e:#}", self.name);
        }
    }
}

/// Whether a database of that name exists on the test server.
pub async fn database_exists(name: &DatabaseName) -> bool {
    let mut conn = PgConnection::connect(server().await.unwrap().as_str())
        .await
        .unwrap();
    let exists = admin::database_exists(&mut conn, name).await.unwrap();
    conn.close().await.unwrap();
    exists
}

static SERVER: OnceCell<Url> = OnceCell::const_new();
static TEMPLATE_READY: OnceCell<()> = OnceCell::const_new();

/// A URL on the server that may create databases: `DATABASE_URL`, or the embedded
/// cluster's maintenance database.
async fn server() -> anyhow::Result<&'static Url> {
    SERVER
        .get_or_try_init(|| async {
            let url = match std::env::var("DATABASE_URL") {
                Ok(url) if !url.is_empty() => url,
                _ => {
                    // Not stopped when the run ends: see the module comment.
                    let pg = EmbeddedPostgres::start(&embedded_data_dir()).await?;
                    let url = pg.database_url("postgres");
                    let mut conn = PgConnection::connect(&url).await?;
                    admin::make_cluster_disposable(&mut conn).await?;
                    conn.close().await?;
                    url
                }
            };
            anyhow::Ok(Url::parse(&url)?)
        })
        .await
}

/// Brings the template up to date with the migrations, creating it if needed, and sweeps
/// old test databases. Runs once per test binary, alone among all processes.
async fn prepare_template(server: &Url) -> anyhow::Result<()> {
    let template = DatabaseName::parse(TEMPLATE)?;
    let mut conn = PgConnection::connect(server.as_str()).await?;
    admin::advisory_lock(&mut conn, TEMPLATE_LOCK).await?;
    let result = async {
        sweep_old_databases(&mut conn).await?;
        admin::create_database_if_missing(&mut conn, &template).await?;
        if let Err(e) = migrate_template(server, &template).await {
            // A migration edited since the template was made: start the template afresh.
            eprintln!("rebuilding the test template database: {e:#}");
            admin::drop_database(&mut conn, &template).await?;
            admin::create_database_if_missing(&mut conn, &template).await?;
            migrate_template(server, &template).await?;
        }
        anyhow::Ok(())
    }
    .await;
    admin::advisory_unlock(&mut conn, TEMPLATE_LOCK).await?;
    conn.close().await?;
    result
}

async fn migrate_template(server: &Url, template: &DatabaseName) -> anyhow::Result<()> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&url_for(server, template))
        .await?;
    let migrated = migrate(&pool).await;
    // Every session must be gone before anyone copies the template.
    pool.close().await;
    migrated
}

/// Drops test databases made more than a day ago (their names carry their birth time).
async fn sweep_old_databases(conn: &mut PgConnection) -> anyhow::Result<()> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    for name in admin::list_databases(&mut *conn, PREFIX).await? {
        let born = name.as_str()[PREFIX.len()..]
            .split('_')
            .next()
            .and_then(|secs| secs.parse::<u64>().ok());
        if born.is_some_and(|born| now.saturating_sub(born) > MAX_AGE.as_secs()) {
            admin::drop_database(&mut *conn, &name).await?;
        }
    }
    Ok(())
}

/// `vw_test_<unix seconds>_<pid>_<counter>`: unique across the processes of a run, and
/// datable by the sweep.
fn unique_name() -> anyhow::Result<DatabaseName> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(DatabaseName::parse(&format!(
        "{PREFIX}{secs}_{}_{n}",
        std::process::id()
    ))?)
}

fn url_for(server: &Url, db: &DatabaseName) -> String {
    let mut url = server.clone();
    url.set_path(db.as_str());
    url.to_string()
}
