//! The accept loop. `axum::serve` sets no timeout and no limit: a connection that never
//! finished its headers, or sat idle between requests, stayed open for good, and nothing
//! bounded how many did. Here every connection is HTTP/1.1 under
//! - a header-read timeout (hyper's, from the moment the connection waits for a request's
//!   headers, which includes the wait between requests on a keep-alive connection);
//! - an idle timeout: no byte read or written for that long closes it ([`idle`]);
//! - a cap: over it, new connections wait in the listen backlog until one closes;
//!
//! and a shutdown that stops accepting, then lets the requests in flight finish.
//!
//! HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a proxy in front ends, and
//! detecting cleartext HTTP/2 (hyper-util's `auto` builder) waits for a connection's first
//! bytes with no timeout at all.

mod idle;

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::{AppState, router};

/// Serves the site on `listener` until `shutdown` completes, then stops accepting and lets
/// the requests in flight finish (idle connections close at once).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let config = state.config.clone();
    let app = router(state);
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        // The permit comes before the accept, so that over the cap a connection waits in
        // the backlog rather than being accepted and then left without an answer.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.map_err(std::io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_failed(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY");
        }
        // What `into_make_service_with_connect_info` gave the handlers: the peer's address.
        let service = app
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let io = TokioIo::new(idle::IdleTimeout::new(stream, config.idle_timeout));
        let connection =
            graceful.watch(http.serve_connection(io, TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                // Timeouts and clients going away: theirs to worry about.
                tracing::debug!(%error, %peer, "connection closed with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// A client that gave up before it was accepted is nothing; anything else (out of file
/// descriptors, say) is logged and waited out for a second, as hyper 0.14's server did,
/// rather than retried in a hot loop.
async fn accept_failed(error: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(%error, "cannot accept connections");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
