//! The bench's database: a fresh database on `DATABASE_URL`'s server (dropped at the end), or
//! else an embedded cluster in a temporary directory (stopped and deleted at the end). The
//! worker's pool is the production one (`vendorwatch::db`), migrated as production does.

use std::os::unix::fs::PermissionsExt;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{Connection, PgConnection};
use tempfile::TempDir;
use url::Url;
use vendorwatch::config::DatabaseArgs;
use vendorwatch::db::{Database, Purpose};
use vw_store::PgPool;
use vw_store::admin::{self, DatabaseName};

pub struct BenchDb {
    /// The worker's pool.
    pub pool: PgPool,
    /// The bench's own queries (seeding, watching rounds), apart from the worker's.
    pub probe: PgPool,
    /// What the database is, for the report.
    pub description: String,
    /// The embedded cluster's postmaster, whose CPU the bench can read.
    pub postmaster: Option<u32>,
    /// The embedded cluster's server log (plans logged by auto_explain land there).
    #[allow(dead_code)] // read by the dashboard bench
    pub server_log: Option<std::path::PathBuf>,
    database: Database,
    scratch: Scratch,
}

enum Scratch {
    Embedded(TempDir),
    Server { server: Url, name: DatabaseName },
}

impl BenchDb {
    pub async fn open(connections: u32) -> anyhow::Result<BenchDb> {
        Self::open_with(connections, false).await
    }

    /// With `statements`, the embedded cluster loads `pg_stat_statements` (restarted once to
    /// preload it) and the database has the extension; a `DATABASE_URL` server is asked for
    /// the extension, which it has only if its operator preloads it.
    pub async fn open_with(connections: u32, statements: bool) -> anyhow::Result<BenchDb> {
        let (args, scratch, description) = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                let server = Url::parse(&url)?;
                let name = scratch_name()?;
                let mut conn = PgConnection::connect(server.as_str()).await?;
                admin::create_database_if_missing(&mut conn, &name).await?;
                conn.close().await?;
                let mut fresh = server.clone();
                fresh.set_path(name.as_str());
                let description = format!("database {name} on DATABASE_URL's server");
                (
                    args(Some(fresh.to_string()), ".".into()),
                    Scratch::Server { server, name },
                    description,
                )
            }
            _ => {
                let dir = tempfile::Builder::new()
                    .prefix("poll-bench-")
                    .tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
                // The cluster may run as `postgres`, which must be able to pass through.
                std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711))?;
                let data_dir = dir.path().join("data");
                let description = format!(
                    "embedded cluster in {} (default settings: fsync on)",
                    data_dir.display()
                );
                (args(None, data_dir), Scratch::Embedded(dir), description)
            }
        };
        let mut database = Database::open(&args).await?;
        if statements && matches!(scratch, Scratch::Embedded(_)) {
            let conn = database.pool(Purpose::Worker, 1).await?;
            sqlx::query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
                .execute(&conn)
                .await?;
            conn.close().await;
            database.close().await?;
            database = Database::open(&args).await?;
        }
        let pool = database.pool(Purpose::Worker, connections).await?;
        if statements {
            sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                .execute(&pool)
                .await?;
        }
        vendorwatch::db::migrate(&pool).await?;
        let probe = database.pool(Purpose::Worker, 2).await?;
        let server_log = match &scratch {
            Scratch::Embedded(_) => Some(args.data_dir.join("pg").join("server.log")),
            Scratch::Server { .. } => None,
        };
        let postmaster = match &scratch {
            Scratch::Embedded(_) => Some(crate::usage::postmaster_pid(&args.data_dir.join("pg"))?),
            Scratch::Server { .. } => None,
        };
        Ok(BenchDb {
            pool,
            probe,
            description,
            postmaster,
            server_log,
            database,
            scratch,
        })
    }

    /// A pool as production builds it for `purpose` (its own statement timeout).
    #[allow(dead_code)] // the dashboard bench's; the poll bench uses `pool`
    pub async fn pool_for(&self, purpose: Purpose, connections: u32) -> anyhow::Result<PgPool> {
        self.database.pool(purpose, connections).await
    }

    pub async fn close(self) -> anyhow::Result<()> {
        self.pool.close().await;
        self.probe.close().await;
        self.database.close().await?;
        match self.scratch {
            Scratch::Embedded(dir) => dir.close()?,
            Scratch::Server { server, name } => {
                let mut conn = PgConnection::connect(server.as_str()).await?;
                admin::drop_database(&mut conn, &name).await?;
                conn.close().await?;
            }
        }
        Ok(())
    }
}

fn args(database_url: Option<String>, data_dir: std::path::PathBuf) -> DatabaseArgs {
    DatabaseArgs {
        database_url,
        data_dir,
        web_db_connections: 2,
        worker_db_connections: 2,
    }
}

fn scratch_name() -> anyhow::Result<DatabaseName> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    Ok(DatabaseName::parse(&format!(
        "vw_bench_{secs}_{}",
        std::process::id()
    ))?)
}

/// `sites` Statuspage providers whose pages are `<base>p/<n>/`, not due (rounds make them
/// due), as the catalog would add them with their platform known.
pub async fn seed(db: &PgPool, base: &str, sites: usize) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO providers (id, slug, name, status_url, canonical_url, platform, base_url)
         SELECT gen_random_uuid(), 'bench-' || n, 'Bench ' || n, url, url, 'statuspage', url
         FROM generate_series(0, $2 - 1) AS n, LATERAL (SELECT $1 || 'p/' || n || '/' AS url) u",
    )
    .bind(base)
    .bind(i64::try_from(sites)?)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO poll_state (provider_id, next_poll_at)
         SELECT id, now() + interval '1 year' FROM providers",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets everything polls wrote, so that the next round is a first read again.
pub async fn forget_history(db: &PgPool) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "TRUNCATE events, components, incident_updates, incidents, maintenance_updates,
                  maintenances CASCADE",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE poll_state SET snapshot = NULL, validators = '{}', last_checked_at = NULL,
                               last_changed_at = NULL",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Rows of the poll queue, finished jobs included.
pub async fn poll_jobs(db: &PgPool) -> anyhow::Result<u64> {
    Ok(vw_store::queue::count::<vw_store::queue::Poll>(db).await?)
}

/// Adds `rows` finished poll jobs, as the hour of polls that the purge keeps leaves behind:
/// queued, then taken and marked done, through the queue's own functions.
pub async fn keep_finished_polls(db: &PgPool, rows: i64) -> anyhow::Result<()> {
    use vw_store::queue::{self, Poll};
    let mut conn = db.acquire().await?;
    let job = Poll {
        provider_id: vw_domain::ProviderId::new(),
        lease_id: vw_domain::LeaseId::new(),
        due_at: chrono::Utc::now(),
    };
    let mut left = rows;
    while left > 0 {
        let n = left.min(1000);
        queue::push_all(&mut conn, &vec![job.clone(); usize::try_from(n)?]).await?;
        // Before any round, when these are the only jobs queued.
        queue::take_due::<Poll>(&mut conn, chrono::Utc::now(), n).await?;
        left -= n;
    }
    sqlx::query("ANALYZE apalis.jobs")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
