//! The vendorwatch web server on a fresh database, on a free loopback port (the few lines of
//! `tests/web/app.rs` that a real browser needs: no HTTP client of our own).

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::support::TestDb;

pub const PASSWORD: &str = "correct horse battery";

pub struct App {
    pub db: TestDb,
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
}

impl App {
    pub async fn start() -> anyhow::Result<App> {
        let db = TestDb::fresh().await;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let state = vw_web::AppState::new(db.pool.clone(), vw_web::WebConfig::new(&base));
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(vw_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Ok(App {
            db,
            base,
            stop: Some(stop),
        })
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
