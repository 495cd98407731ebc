//! `vendorwatch admin …`: what operators do by hand or from scripts, such as moving a
//! workspace to another plan or making it an API token.

use anyhow::Context;
use clap::Subcommand;
use vw_app::api_tokens::Scope;

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
    /// Make an API token for a workspace and print it (on standard output, alone on its
    /// line, so that a script can capture it). It is shown this once.
    CreateToken {
        /// The workspace's id, or its owner's email.
        #[arg(long)]
        workspace: String,
        /// What the token is for, as the workspace's settings list it.
        #[arg(long)]
        name: String,
        /// Read-write (else read-only).
        #[arg(long)]
        write: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub async fn run(args: AdminArgs) -> anyhow::Result<()> {
    let database = match &args.command {
        AdminCommand::SetPlan { database, .. } | AdminCommand::CreateToken { database, .. } => {
            database
        }
    };
    let db = Database::open(database).await?;
    let result = async {
        let pool = db.pool(Purpose::Worker, 2).await?;
        db::migrate(&pool).await?;
        let outcome = match &args.command {
            AdminCommand::SetPlan {
                workspace, plan, ..
            } => set_plan(&pool, workspace, plan).await,
            AdminCommand::CreateToken {
                workspace,
                name,
                write,
                ..
            } => create_token(&pool, workspace, name, *write).await,
        };
        pool.close().await;
        outcome
    }
    .await;
    db.close().await?;
    result
}

async fn set_plan(pool: &vw_store::PgPool, workspace: &str, plan: &str) -> anyhow::Result<()> {
    let id = vw_app::workspaces::find(pool, workspace)
        .await
        .with_context(|| format!("workspace {workspace}"))?;
    vw_app::workspaces::set_plan(pool, id, plan).await?;
    let quota = vw_store::monitors::quota(pool, id).await?;
    println!(
        "workspace {id}: now on the {} plan, {} of {} monitors",
        quota.plan_name, quota.monitors, quota.limit
    );
    Ok(())
}

async fn create_token(
    pool: &vw_store::PgPool,
    workspace: &str,
    name: &str,
    write: bool,
) -> anyhow::Result<()> {
    let id = vw_app::workspaces::find(pool, workspace)
        .await
        .with_context(|| format!("workspace {workspace}"))?;
    let scope = if write { Scope::Write } else { Scope::Read };
    let token = vw_app::api_tokens::create(pool, id, name, scope, None).await?;
    eprintln!(
        "API token {} ({}) for workspace {id}; it is not shown again:",
        token.id,
        scope.as_str()
    );
    println!("{}", token.secret);
    Ok(())
}
