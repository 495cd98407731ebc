//! `vendorwatch demo`: vendorwatch at work for someone with no vendor in trouble (and no
//! internet). It runs `serve` on an embedded cluster in a data directory of its own, emptied
//! at every start, next to a fake vendor (`vendor`) and a webhook receiver (`receiver`) on
//! loopback — the only private targets it may reach, since it allows them for itself alone —
//! and sets up a demo account watching the vendor, whose Default group has a webhook to the
//! receiver. The vendor then opens an incident about half a minute in, updates and resolves
//! it a step apart, and does it again; a maintenance is scheduled for tomorrow.

pub mod receiver;
pub mod vendor;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use vw_domain::{EmailAddress, IncidentStatus, Password, UserId, WorkspaceName};

use crate::config::{DatabaseArgs, SiteArgs, WebArgs, WorkerArgs};
use crate::db::{self, Database, Purpose};
use receiver::Receiver;
use vendor::{Component, FakeVendor};

/// The demo account's address and workspace.
const EMAIL: &str = "demo@example.com";
const WORKSPACE: &str = "Demo";
/// The demo vendor in the directory.
const SLUG: &str = "bitbucket-demo";
const NAME: &str = "Atlassian Bitbucket (demo)";
/// The component the demo's incidents hit, and the one maintained.
const TROUBLED: &str = "Pipelines";
const MAINTAINED: &str = "Git via SSH";
/// How long after the start the first incident opens, at most (a shorter step is sooner).
const FIRST_INCIDENT: Duration = Duration::from_secs(25);

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// The demo's own data directory (its embedded PostgreSQL cluster and key), emptied at
    /// every start. Deliberately not VW_DATA_DIR nor DATABASE_URL: the demo never touches a
    /// real installation's data.
    #[arg(long, default_value = "./.vendorwatch-demo")]
    pub data_dir: PathBuf,
    /// Address and port the demo's web server listens on.
    #[arg(long, default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    /// Time between the demo incident's steps: opened, updated, resolved, the next one opened.
    #[arg(long, default_value = "60s", value_parser = crate::config::duration)]
    pub step: Duration,
}

/// Marks a data directory as the demo's, so that a start never empties any other.
const MARKER: &str = "VENDORWATCH-DEMO";

/// Runs the demo until interrupted.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    claim(&args.data_dir)?;
    let db = Database::open_embedded_afresh(&args.data_dir).await?;
    let result = demo(&db, &args).await;
    db.close().await?;
    result
}

/// Makes `dir` the demo's: an empty or new directory is marked; one holding anything else
/// (a real installation's data, given by mistake) is refused, since every start empties it.
fn claim(dir: &Path) -> anyhow::Result<()> {
    let marker = dir.join(MARKER);
    if marker.exists() {
        return Ok(());
    }
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        anyhow::bail!(
            "{} holds data that is not the demo's; the demo empties its directory at every \
             start, so it keeps to one of its own (--data-dir)",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(
        &marker,
        "vendorwatch demo: emptied at every start of the demo\n",
    )
    .with_context(|| format!("writing {}", marker.display()))?;
    Ok(())
}

async fn demo(db: &Database, args: &DemoArgs) -> anyhow::Result<()> {
    let database = DatabaseArgs {
        database_url: None,
        data_dir: args.data_dir.clone(),
        web_db_connections: 4,
        worker_db_connections: 4,
    };
    let site = SiteArgs {
        base_url: None,
        secret_key: None,
        allow_private_targets: true,
    };
    let email = EmailAddress::parse(EMAIL)?;
    let web = WebArgs {
        listen: args.listen,
        trusted_proxies: None,
        max_connections: 256,
        operators: vec![email.clone()],
        dashboard_refresh: Duration::from_secs(3),
        api_rate_limit: 600,
    };
    let workers = WorkerArgs {
        poll_interval: Duration::from_secs(3),
        idle_poll_interval: Duration::from_secs(24 * 3600),
        poll_concurrency: 4,
        poll_per_host: 4,
        poll_lease: Duration::from_secs(60),
        unreachable_after: Duration::from_secs(30 * 60),
        smtp_url: None,
        mail_from: None,
        delivery_lease: Duration::from_secs(60),
        import_shipped_catalog: false,
    };

    let pool = db.pool(Purpose::Worker, 2).await?;
    db::migrate(&pool).await?;
    let vendor = FakeVendor::start().await?;
    let receiver = Receiver::start().await?;
    let secrets = site.secrets(&args.data_dir)?;
    let password = set_up(&pool, &secrets, &vendor, &receiver, &email).await?;
    pool.close().await;

    let base = format!("http://{}", args.listen);
    println!(
        "\nvendorwatch demo: a fresh installation in {data}, a fake vendor in trouble, a webhook receiver.\n\
         \n  open        {base}/login\n  e-mail      {EMAIL}\n  password    {password}\n\
         \n  dashboard   {base}/dashboard (the demo vendor's state, refreshed by itself)\
         \n  calendar    {base}/calendar (a maintenance tomorrow)\
         \n  e-mails     {base}/operator/mail (no SMTP in the demo: alerts are kept here)\
         \n  webhooks    {receiver} (what the Default group's webhook received)\
         \n  the vendor  {vendor} (\"{name}\", from a real Statuspage payload)\n\
         \nIts first incident opens in about {first} s on {TROUBLED}; then every {step} s the vendor \
         updates it, resolves it, or opens the next one. Ctrl-C stops the demo.\n",
        data = args.data_dir.display(),
        receiver = receiver.page_url(),
        vendor = vendor.base(),
        name = vendor.name(),
        first = first_incident(args.step).as_secs(),
        step = args.step.as_secs(),
    );

    tokio::select! {
        served = crate::run::run(
            db,
            &database,
            &site,
            Some(web),
            Some(workers),
            tokio_util::sync::CancellationToken::new(),
        ) => served,
        scripted = script(&vendor, args.step) => scripted,
    }
}

/// The demo account (its password is new at every start), watching the vendor, with a
/// webhook to the receiver in its Default group; and the vendor's maintenance. Returns the
/// password.
async fn set_up(
    pool: &vw_store::PgPool,
    secrets: &vw_app::secrets::Secrets,
    vendor: &FakeVendor,
    receiver: &Receiver,
    email: &EmailAddress,
) -> anyhow::Result<String> {
    let catalog = serde_json::json!([{
        "slug": SLUG,
        "name": NAME,
        "homepage": null,
        "status_url": vendor.base(),
        "platform": "statuspage",
    }]);
    vw_app::catalog::import(pool, &catalog.to_string(), Duration::ZERO, &mut |_, _| {}).await?;
    let provider = vw_store::directory::provider_by_slug(pool, SLUG).await?;

    let password = format!("demo-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let hash = vw_web::Passwords::new(1, 1)
        .hash(Password::parse(&password)?)
        .await
        .map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))?;
    let user = UserId::new();
    let mut tx = vw_store::begin(pool).await?;
    vw_store::users::insert(&mut *tx, user, email, &hash).await?;
    let workspace =
        vw_app::workspaces::create(&mut tx, user, &WorkspaceName::parse(WORKSPACE)?).await?;
    vw_store::commit(tx).await?;

    vw_app::monitors::add(pool, workspace, provider.id).await?;
    let group = vw_store::groups::list(pool, workspace)
        .await?
        .into_iter()
        .find(|g| g.is_default)
        .context("the demo workspace has no Default group")?;
    let webhook = vw_app::channels::add_integration(
        pool,
        secrets,
        vw_notify::TargetRules::LOCAL,
        workspace,
        group.id,
        vw_notify::ChannelKind::Webhook,
        &receiver.hook_url(),
    )
    .await?;
    if let Some(secret) = webhook.webhook_secret {
        receiver.trust(&secret)?;
    }

    let tomorrow = chrono::Utc::now() + chrono::TimeDelta::days(1);
    vendor.schedule_maintenance(
        &vendor.component(MAINTAINED)?,
        "Git via SSH host key rotation",
        "We will rotate the SSH host keys of our Git servers. Connections may be refused for a few seconds.",
        (tomorrow, tomorrow + chrono::TimeDelta::hours(2)),
    );
    Ok(password)
}

/// The vendor's trouble, over and over: opened, updated, resolved, one step apart.
async fn script(vendor: &FakeVendor, step: Duration) -> anyhow::Result<()> {
    let component: Component = vendor.component(TROUBLED)?;
    tokio::time::sleep(first_incident(step)).await;
    for round in 1.. {
        let title = format!("Pipelines builds delayed (demo incident {round})");
        let id = vendor.open_incident(
            &component,
            &title,
            "We are investigating delays in starting Pipelines builds.",
        );
        println!("[demo] the vendor opened an incident: {title}");
        tokio::time::sleep(step).await;
        vendor.post_update(
            &id,
            IncidentStatus::Identified,
            "We have identified the cause of the delays and are rolling out a fix.",
        );
        println!(
            "[demo] the vendor posted an update (the Default group does not alert on updates)"
        );
        tokio::time::sleep(step).await;
        vendor.resolve(&id, "This incident has been resolved.");
        println!("[demo] the vendor resolved the incident");
        tokio::time::sleep(step).await;
    }
    Ok(())
}

fn first_incident(step: Duration) -> Duration {
    step.min(FIRST_INCIDENT)
}

/// Text for the demo's own HTML pages.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
