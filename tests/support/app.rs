//! The vendorwatch web server on a fresh database, on a free loopback port, stopped when
//! dropped.

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::TestDb;

pub struct App {
    pub db: TestDb,
    /// Where the server listens, without a trailing slash.
    pub base: String,
    /// The same, as a socket address (for raw TCP).
    pub address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    served: Option<JoinHandle<std::io::Result<()>>>,
}

impl App {
    pub async fn start() -> App {
        Self::start_with_base(None).await
    }

    /// `base_url` stands for the public URL (e.g. https behind a proxy); requests still go to
    /// the local address.
    pub async fn start_with_base(base_url: Option<&str>) -> App {
        Self::start_with(base_url, |_| {}).await
    }

    /// Like `start_with_base`, with the configuration changed by `configure` first.
    pub async fn start_with(
        base_url: Option<&str>,
        configure: impl FnOnce(&mut vw_web::WebConfig),
    ) -> App {
        let db = TestDb::fresh().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let base = format!("http://{address}");
        let mut config = vw_web::WebConfig::new(base_url.unwrap_or(&base));
        configure(&mut config);
        let state = vw_web::AppState::new(db.pool.clone(), config);
        let (stop, stopped) = oneshot::channel();
        let served = tokio::spawn(vw_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        App {
            db,
            base,
            address,
            stop: Some(stop),
            served: Some(served),
        }
    }

    /// Asks the server to shut down; its task ends once it has.
    pub fn shut_down(&mut self) -> JoinHandle<std::io::Result<()>> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.served.take().expect("shut down once")
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
