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
        Self::start_with(base_url, |_| {}).await
    }

    /// Like `start_with_base`, with the configuration changed by `configure` first.
    pub async fn start_with(
        base_url: Option<&str>,
        configure: impl FnOnce(&mut vw_web::WebConfig),
    ) -> App {
        let db = TestDb::fresh().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut config = vw_web::WebConfig::new(base_url.unwrap_or(&base));
        configure(&mut config);
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
