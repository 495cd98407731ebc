//! PostgreSQL stopped and started again under a running `vendorwatch serve`. A cluster of its
//! own (under the target directory, apart from the one every other test shares), so that
//! stopping it disturbs no one: while it is away readiness answers 503 and the process stays
//! up; once it is back the service finds it by itself, within 30 s, with everything committed
//! before still there, and polls and deliveries resume (a change published while the
//! database was away arrives, once).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection};
use vw_embedded_pg::EmbeddedPostgres;
use vw_store::admin::{self, DatabaseName};

use crate::process::Service;
use crate::scene::Scene;
use crate::support::pipeline::wait_until;

fn cluster_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("faults-pg")
}

async fn readiness(service: &Service, client: &reqwest::Client) -> Option<u16> {
    service
        .get(client, "/readyz")
        .await
        .map(|(status, _)| status)
}

#[tokio::test]
async fn postgres_restarted_under_serve_comes_back_by_itself() {
    let pg = EmbeddedPostgres::start(&cluster_dir()).await.unwrap();
    let name = DatabaseName::parse(&format!("vw_restart_{}", std::process::id())).unwrap();
    let mut admin_conn = PgConnection::connect(&pg.database_url("postgres"))
        .await
        .unwrap();
    admin::drop_database(&mut admin_conn, &name).await.unwrap();
    admin::create_database_if_missing(&mut admin_conn, &name)
        .await
        .unwrap();
    admin_conn.close().await.unwrap();
    let url = pg.database_url(name.as_str());
    let pool = PgPoolOptions::new()
        .max_connections(3)
        .connect(&url)
        .await
        .unwrap();
    vendorwatch::db::migrate(&pool).await.unwrap();

    let mut scene = Scene::new(&pool, 1).await;
    let mut service = Service::serve(&url, &format!("restart/{name}"), &[]);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    wait_until("ready", 60, || async {
        readiness(&service, &client).await == Some(200)
    })
    .await;
    wait_until("the baseline", 60, || scene.baselines_done()).await;
    let before = scene.open_incident(0);
    wait_until("the first change delivered", 30, || async {
        scene.tally().await.settled(std::slice::from_ref(&before))
    })
    .await;

    pg.stop().await.unwrap();
    wait_until("readiness saying the database is away", 15, || async {
        readiness(&service, &client).await == Some(503)
    })
    .await;
    // Published while the database is away: polls fail meanwhile, and must pick it up after.
    scene.open_incident(0);
    let away = Instant::now();
    while away.elapsed() < Duration::from_secs(5) {
        assert_eq!(readiness(&service, &client).await, Some(503));
        assert!(
            service.is_running(),
            "the service exited while the database was away"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(
        service.get(&client, "/healthz").await.map(|(s, _)| s),
        Some(200),
        "alive though not ready"
    );

    let pg = EmbeddedPostgres::start(&cluster_dir()).await.unwrap();
    let back = Instant::now();
    wait_until("ready again", 30, || async {
        readiness(&service, &client).await == Some(200)
    })
    .await;
    let ready_after = back.elapsed();
    let opened = scene.opened.clone();
    wait_until("the change published while away delivered", 30, || async {
        scene.tally().await.settled(&opened)
    })
    .await;
    let delivered_after = back.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    scene.tally().await.assert_exact(&opened);
    assert!(service.is_running());
    println!(
        "database restarted: ready again {:.1} s after it was, the change published meanwhile \
         delivered {:.1} s after",
        ready_after.as_secs_f64(),
        delivered_after.as_secs_f64()
    );
    let (_, clean) = service.terminate(Duration::from_secs(30)).await;
    assert!(clean, "it stops cleanly");

    pool.close().await;
    let mut admin_conn = PgConnection::connect(&pg.database_url("postgres"))
        .await
        .unwrap();
    admin::drop_database(&mut admin_conn, &name).await.unwrap();
    admin_conn.close().await.unwrap();
    pg.stop().await.unwrap();
}
