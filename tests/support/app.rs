//! The vendorwatch web server on a fresh database, on a free loopback port, stopped when
//! dropped.

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::TestDb;

pub struct App {
    pub db: TestDb,
    /// Where the server listens, without a trailing slash.
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
}

impl App {
    pub async fn start() -> App {
        Self::start_with_base(None).await
    }

    /// `base_url` stands for the public URL (e.g. https behind a proxy); requests still go to
    /// the local address.
    pub async fn start_with_base(base_url: Option<&str>) -> App {
        let db = TestDb::fresh().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = vw_web::WebConfig::new(base_url.unwrap_or(&base));
        let state = vw_web::AppState::new(db.pool.clone(), config);
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(vw_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        App {
            db,
            base,
            stop: Some(stop),
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// GETs `path` from a web server run on `pool` for this one request: for tests whose
/// database belongs to the pipeline rather than to an [`App`].
pub async fn get(pool: &sqlx::PgPool, path: &str) -> (reqwest::StatusCode, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = vw_web::AppState::new(pool.clone(), vw_web::WebConfig::new(&base));
    let server = tokio::spawn(vw_web::serve(listener, state, std::future::pending()));
    let response = reqwest::get(format!("{base}{path}")).await.unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    server.abort();
    (status, body)
}

/// GETs `path` as [`get`] does, without following a redirect: its status and `Location`.
pub async fn get_unfollowed(
    pool: &sqlx::PgPool,
    path: &str,
) -> (reqwest::StatusCode, Option<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = vw_web::AppState::new(pool.clone(), vw_web::WebConfig::new(&base));
    let server = tokio::spawn(vw_web::serve(listener, state, std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client.get(format!("{base}{path}")).send().await.unwrap();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    server.abort();
    (response.status(), location)
}
