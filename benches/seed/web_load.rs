//! The web's critical paths driven as signed-in people use them, by a few concurrent clients
//! each going round: the dashboard, a monitor's page, the provider's page, an incident's page,
//! and a sign-in (the form, then the POST: argon2 included). Every answer is kept with its
//! time, route, status and latency, so that any window of the run (idle, the backfill) can be
//! summed up afterwards from the same clients.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinSet;

#[derive(Debug, Clone)]
pub struct Sample {
    /// Seconds since the bench's origin, when the request was sent.
    pub at: f64,
    pub route: &'static str,
    pub status: u16,
    pub ms: f64,
}

pub struct WebLoad {
    stop: watch::Sender<bool>,
    tasks: JoinSet<anyhow::Result<()>>,
    pub samples: Arc<Mutex<Vec<Sample>>>,
}

/// Who signs in, and the pages they read (route name, path).
#[derive(Clone)]
pub struct Person {
    pub base: String,
    pub email: String,
    pub password: String,
    pub pages: Vec<(&'static str, String)>,
}

fn client(cookies: bool) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(cookies)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()?)
}

/// The CSRF token of the form on `path`.
pub async fn csrf_token(client: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    let body = client.get(url).send().await?.text().await?;
    let html = scraper::Html::parse_document(&body);
    let input = scraper::Selector::parse("input[name=csrf_token]")
        .map_err(|e| anyhow::anyhow!("selector: {e}"))?;
    html.select(&input)
        .next()
        .and_then(|i| i.value().attr("value"))
        .map(str::to_owned)
        .with_context(|| format!("no csrf_token on {url}"))
}

/// Signs in on a fresh client (its own cookies); the POST's status.
async fn sign_in(client: &reqwest::Client, person: &Person) -> anyhow::Result<u16> {
    let token = csrf_token(client, &format!("{}/login", person.base)).await?;
    let response = client
        .post(format!("{}/login", person.base))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", person.email.as_str()),
            ("password", person.password.as_str()),
        ])
        .send()
        .await?;
    Ok(response.status().as_u16())
}

impl WebLoad {
    pub async fn start(person: Person, clients: usize, origin: Instant) -> anyhow::Result<WebLoad> {
        let (stop, stopped) = watch::channel(false);
        let samples = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = JoinSet::new();
        for _ in 0..clients {
            let signed_in = client(true)?;
            let status = sign_in(&signed_in, &person).await?;
            anyhow::ensure!(status == 303, "signing in answered {status}");
            let (person, samples, stopped) = (person.clone(), samples.clone(), stopped.clone());
            tasks.spawn(async move {
                while !*stopped.borrow() {
                    for (route, path) in &person.pages {
                        let sent = Instant::now();
                        let response = signed_in
                            .get(format!("{}{path}", person.base))
                            .send()
                            .await?;
                        let status = response.status().as_u16();
                        response.bytes().await?;
                        record(&samples, origin, sent, route, status);
                    }
                    let anonymous = client(true)?;
                    let sent = Instant::now();
                    let status = sign_in(&anonymous, &person).await?;
                    record(&samples, origin, sent, "sign-in", status);
                }
                Ok(())
            });
        }
        Ok(WebLoad {
            stop,
            tasks,
            samples,
        })
    }

    pub async fn stop(mut self) -> anyhow::Result<Vec<Sample>> {
        let _ = self.stop.send(true);
        while let Some(done) = self.tasks.join_next().await {
            done??;
        }
        let samples = self
            .samples
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?;
        Ok(samples.clone())
    }
}

fn record(
    samples: &Mutex<Vec<Sample>>,
    origin: Instant,
    sent: Instant,
    route: &'static str,
    status: u16,
) {
    let sample = Sample {
        at: sent.duration_since(origin).as_secs_f64(),
        route,
        status,
        ms: sent.elapsed().as_secs_f64() * 1e3,
    };
    if let Ok(mut samples) = samples.lock() {
        samples.push(sample);
    }
}

/// The `q` quantile (nearest rank) of `values`, in their unit; NaN when empty.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The samples sent within `[from, to)`.
pub fn within(samples: &[Sample], from: f64, to: f64) -> Vec<&Sample> {
    samples
        .iter()
        .filter(|s| s.at >= from && s.at < to)
        .collect()
}
