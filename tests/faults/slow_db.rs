//! A database that is slow on the workers' path: the job queue's table locked (as a long
//! migration or a runaway statement would hold it) under a running `vendorwatch serve`. The
//! workers are stuck behind the lock and hold no more connections than their own pool's; the
//! web, on a pool of its own with its own statement timeout, keeps answering the critical
//! pages of a signed-in person (dashboard, a monitor, a provider, an incident, a sign-in)
//! fast; once the lock goes, the workers carry on by themselves and the change published
//! meanwhile arrives, once.

use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};
use vw_domain::{ProviderId, WorkspaceId};

use crate::process::Service;
use crate::scene::Scene;
use crate::support::TestDb;
use crate::support::pipeline::wait_until;

const WORKER_CONNECTIONS: i64 = 4;
const EMAIL: &str = "person@slow.example";
const PASSWORD: &str = "a long enough password";

/// A person signed up through the web, with a monitor on site 0: the pages they look at.
async fn signed_in(db: &TestDb, service: &Service) -> (reqwest::Client, Vec<String>) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let token = csrf_token(&client, service, "/signup").await;
    let base = service.web.as_deref().unwrap();
    let signed_up = client
        .post(format!("{base}/signup"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", EMAIL),
            ("password", PASSWORD),
            ("workspace", "Slow team"),
        ])
        .send()
        .await
        .unwrap();
    assert!(signed_up.status().is_success(), "{}", signed_up.status());
    let (workspace, provider, incident): (uuid::Uuid, uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT m.workspace_id, p.id, i.id FROM memberships m JOIN users u ON u.id = m.user_id,
                providers p JOIN incidents i ON i.provider_id = p.id
         WHERE u.email = $1 AND p.slug = 'site-0' LIMIT 1",
    )
    .bind(EMAIL)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let monitor = vw_app::monitors::add(&db.pool, WorkspaceId(workspace), ProviderId(provider))
        .await
        .unwrap();
    let pages = vec![
        "/dashboard".to_owned(),
        format!("/monitors/{monitor}"),
        "/providers/site-0".to_owned(),
        format!("/providers/site-0/incidents/{incident}"),
    ];
    (client, pages)
}

async fn csrf_token(client: &reqwest::Client, service: &Service, path: &str) -> String {
    let (_, body) = service.get(client, path).await.unwrap();
    let html = scraper::Html::parse_document(&body);
    let input = scraper::Selector::parse("input[name=csrf_token]").unwrap();
    html.select(&input)
        .next()
        .and_then(|i| i.value().attr("value"))
        .unwrap()
        .to_owned()
}

/// One round of the critical paths: each page, then a sign-in; the slowest answer.
async fn round(client: &reqwest::Client, service: &Service, pages: &[String]) -> Duration {
    let mut slowest = Duration::ZERO;
    for page in pages {
        let asked = Instant::now();
        let (status, _) = service.get(client, page).await.expect("the web answers");
        slowest = slowest.max(asked.elapsed());
        assert_eq!(status, 200, "{page}");
    }
    let token = csrf_token(client, service, "/login").await;
    let asked = Instant::now();
    let base = service.web.as_deref().unwrap();
    let login = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", EMAIL),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(login.status().is_success(), "login: {}", login.status());
    slowest.max(asked.elapsed())
}

async fn worker_sessions(db: &TestDb, waiting: bool) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity
         WHERE application_name = 'vendorwatch-worker' AND datname = current_database()
           AND (NOT $1 OR wait_event_type = 'Lock')",
    )
    .bind(waiting)
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn workers_stuck_on_a_lock_leave_the_web_fast() {
    let db = TestDb::fresh().await;
    let mut scene = Scene::new(&db.pool, 1).await;
    let service = Service::serve(
        &db.url,
        &format!("slow/{}", db.name),
        &[
            ("VW_WORKER_DB_CONNECTIONS", &WORKER_CONNECTIONS.to_string()),
            ("VW_WEB_DB_CONNECTIONS", "4"),
        ],
    );
    let probe = reqwest::Client::new();
    wait_until("ready", 60, || async {
        service.get(&probe, "/readyz").await.map(|(s, _)| s) == Some(200)
    })
    .await;
    wait_until("the baseline", 60, || scene.baselines_done()).await;
    let first = scene.open_incident(0);
    wait_until("the first change delivered", 30, || async {
        scene.tally().await.settled(std::slice::from_ref(&first))
    })
    .await;
    let (client, pages) = signed_in(&db, &service).await;
    let mut idle = Duration::ZERO;
    for _ in 0..3 {
        idle = idle.max(round(&client, &service, &pages).await);
    }

    let mut blocker = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut blocker).await.unwrap();
    sqlx::query("LOCK TABLE apalis.jobs IN ACCESS EXCLUSIVE MODE")
        .execute(&mut blocker)
        .await
        .unwrap();
    scene.open_incident(0);
    wait_until("workers stuck behind the lock", 30, || async {
        worker_sessions(&db, true).await >= 2
    })
    .await;
    let stuck = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut most_sessions = 0;
    let mut rounds = 0;
    while stuck.elapsed() < Duration::from_secs(8) {
        slowest = slowest.max(round(&client, &service, &pages).await);
        most_sessions = most_sessions.max(worker_sessions(&db, false).await);
        rounds += 1;
    }
    assert!(
        slowest < Duration::from_secs(1),
        "the web stays fast while the workers are stuck: slowest {slowest:?} (idle {idle:?})"
    );
    // The pool's connections, and each queue's listener (LISTEN/NOTIFY) beside them.
    assert!(
        most_sessions <= WORKER_CONNECTIONS + 2,
        "stuck workers hold no more than their pool: {most_sessions} sessions"
    );
    sqlx::query("COMMIT").execute(&mut blocker).await.unwrap();

    let opened = scene.opened.clone();
    wait_until("the change published meanwhile delivered", 30, || async {
        scene.tally().await.settled(&opened)
    })
    .await;
    scene.tally().await.assert_exact(&opened);
    println!(
        "queue locked for 8 s: {rounds} rounds of the critical paths, slowest answer {slowest:?} \
         (idle {idle:?}); worker sessions at most {most_sessions}"
    );
    let (_, clean) = service.terminate(Duration::from_secs(40)).await;
    assert!(clean);
}
