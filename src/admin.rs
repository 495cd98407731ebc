//! `vendorwatch admin …`: what operators do by hand while there is no billing, such as
//! moving a workspace to another plan.

use anyhow::Context;
use clap::Subcommand;

use crate::config::DatabaseArgs;
use crate::db::{self, Database, Purpose};

#[derive(Debug, clap::Args)]
pub struct AdminArgs {
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Move a workspace to another plan (free, team, business). A smaller plan keeps every
    /// monitor but refuses new ones until the workspace is under its limit.
    SetPlan {
        /// The workspace's id, or its owner's email.
        workspace: String,
        /// The plan's id.
        plan: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub async fn run(args: AdminArgs) -> anyhow::Result<()> {
    let AdminCommand::SetPlan {
        workspace,
        plan,
        database,
    } = args.command;
    let db = Database::open(&database).await?;
    let result = async {
        let pool = db.pool(Purpose::Worker, 2).await?;
        db::migrate(&pool).await?;
        let id = vw_app::workspaces::find(&pool, &workspace)
            .await
            .with_context(|| format!("workspace {workspace}"))?;
        vw_app::workspaces::set_plan(&pool, id, &plan).await?;
        let quota = vw_store::monitors::quota(&pool, id).await?;
        pool.close().await;
        println!(
            "workspace {id}: now on the {} plan, {} of {} monitors",
            quota.plan_name, quota.monitors, quota.limit
        );
        anyhow::Ok(())
    }
    .await;
    db.close().await?;
    result
}
