//! The database: the configured server, or the embedded cluster when none is configured,
//! and the connection pools the web and the workers draw from.

use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use vw_store::PgPool;

use crate::config::DatabaseArgs;
use vw_embedded_pg::EmbeddedPostgres;

/// The embedded cluster's database.
const EMBEDDED_DATABASE: &str = "vendorwatch";

pub struct Database {
    url: String,
    embedded: Option<EmbeddedPostgres>,
}

/// Who a pool serves. Each has its own connections and statement timeout, so that a burst of
/// background work can never take the connections a page needs.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    Web,
    Worker,
}

impl Database {
    pub async fn open(args: &DatabaseArgs) -> anyhow::Result<Self> {
        match &args.database_url {
            Some(url) => Ok(Database {
                url: url.clone(),
                embedded: None,
            }),
            None => {
                let pg = EmbeddedPostgres::start(&args.data_dir)
                    .await
                    .context("starting the embedded PostgreSQL cluster")?;
                ensure_database(&pg, EMBEDDED_DATABASE).await?;
                tracing::info!(
                    cluster = %pg.cluster_dir().display(),
                    port = pg.port(),
                    "using the embedded PostgreSQL cluster (set DATABASE_URL to use another server)"
                );
                Ok(Database {
                    url: pg.database_url(EMBEDDED_DATABASE),
                    embedded: Some(pg),
                })
            }
        }
    }

    /// The embedded cluster under `data_dir` with its database emptied: dropped and made
    /// again, for a run that starts afresh every time (`vendorwatch demo`).
    pub async fn open_embedded_afresh(data_dir: &std::path::Path) -> anyhow::Result<Self> {
        use sqlx::Connection;
        let pg = EmbeddedPostgres::start(data_dir)
            .await
            .context("starting the embedded PostgreSQL cluster")?;
        let name = vw_store::admin::DatabaseName::parse(EMBEDDED_DATABASE)?;
        let mut conn = sqlx::PgConnection::connect(&pg.database_url("postgres"))
            .await
            .context("connecting to the embedded cluster")?;
        vw_store::admin::drop_database(&mut conn, &name).await?;
        conn.close().await?;
        ensure_database(&pg, EMBEDDED_DATABASE).await?;
        Ok(Database {
            url: pg.database_url(EMBEDDED_DATABASE),
            embedded: Some(pg),
        })
    }

    pub async fn pool(&self, purpose: Purpose, connections: u32) -> anyhow::Result<PgPool> {
        let statement_timeout = match purpose {
            Purpose::Web => "5s",
            Purpose::Worker => "60s",
        };
        let options: PgConnectOptions = self
            .url
            .parse::<PgConnectOptions>()
            .context("DATABASE_URL is not a valid PostgreSQL URL")?
            .application_name(match purpose {
                Purpose::Web => "vendorwatch-web",
                Purpose::Worker => "vendorwatch-worker",
            })
            .options([("statement_timeout", statement_timeout)]);
        PgPoolOptions::new()
            .max_connections(connections.max(2))
            // Every acquire's wait as a debug event: what the metrics' pool wait is read from
            // (`db_timings`); nothing is logged at the default level.
            .acquire_time_level(log::LevelFilter::Debug)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .context("connecting to PostgreSQL")
    }

    /// Stops the embedded cluster, if this process runs one.
    pub async fn close(self) -> anyhow::Result<()> {
        if let Some(pg) = self.embedded {
            pg.stop()
                .await
                .context("stopping the embedded PostgreSQL cluster")?;
        }
        Ok(())
    }
}

/// Brings the schema up to date: ours, then the job queue's.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    vw_store::migrate(pool)
        .await
        .context("applying migrations")?;
    vw_jobs::migrate(pool)
        .await
        .context("setting up the job queue schema")?;
    Ok(())
}

/// Creates database `name` in the embedded cluster unless it exists.
pub async fn ensure_database(pg: &EmbeddedPostgres, name: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    let name = vw_store::admin::DatabaseName::parse(name)?;
    let mut conn = sqlx::PgConnection::connect(&pg.database_url("postgres"))
        .await
        .context("connecting to the embedded cluster")?;
    if vw_store::admin::create_database_if_missing(&mut conn, &name).await? {
        tracing::info!(database = %name, "created the database");
    }
    conn.close().await?;
    Ok(())
}
