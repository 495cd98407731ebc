//! `vendorwatch providers redetect <SLUG>`: the deliberate step that makes a provider's next
//! poll detect its platform afresh (polls never forget a platform on their own).

use anyhow::Context;
use clap::Subcommand;
use vw_domain::ProviderSlug;

use crate::config::DatabaseArgs;
use crate::db::{self, Database, Purpose};

#[derive(Debug, clap::Args)]
pub struct ProvidersArgs {
    #[command(subcommand)]
    pub command: ProvidersCommand,
}

#[derive(Debug, Subcommand)]
pub enum ProvidersCommand {
    /// Forget how a provider's page is read; its next poll, due at once, detects it again.
    Redetect {
        /// The provider's slug, as in /providers/<slug>.
        slug: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub async fn run(args: ProvidersArgs) -> anyhow::Result<()> {
    let ProvidersCommand::Redetect { slug, database } = args.command;
    let slug = ProviderSlug::parse(&slug).context("not a provider slug")?;
    let db = Database::open(&database).await?;
    let result = async {
        let pool = db.pool(Purpose::Worker, 2).await?;
        db::migrate(&pool).await?;
        vw_app::providers::redetect(&pool, &slug)
            .await
            .with_context(|| format!("provider {slug}"))?;
        pool.close().await;
        println!("{slug}: platform forgotten; its next poll detects it");
        anyhow::Ok(())
    }
    .await;
    db.close().await?;
    result
}
