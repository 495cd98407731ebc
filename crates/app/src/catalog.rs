//! Importing a provider catalog into the providers table, by slug: an operator's file or the
//! shipped one on demand (`import`: every entry written as listed), and the shipped one at
//! start-up (`import_shipped`: only when it changed since it was last imported, and never over
//! an entry an operator changed). Both report what they added, updated, left unchanged, kept
//! and rejected (with the reason); importing twice changes nothing the second time.
//!
//! The form: a JSON array of `{"slug", "name", "homepage", "status_url", "platform"}`;
//! `homepage` and `platform` may be null (a null platform is detected at the first poll), and
//! `platform` takes the names `vendorwatch inspect --format` takes. Other fields are ignored:
//! the shipped catalog's `source` (where each entry comes from) is for its readers.

mod report;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use vw_domain::{CatalogEntry, RawEntry};
use vw_store::catalog::{self, Listing};
use vw_store::{PgPool, Postgres, Transaction};

use crate::AppError;

pub use report::{Rejection, Report};

/// How many kept slugs the start-up log names; the rest are counted.
const KEPT_SLUGS_LOGGED: usize = 20;

/// How an import treats a provider that exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Writes every entry as listed: an operator asked for this file.
    AsListed,
    /// The shipped catalog at start-up: keeps a provider changed locally since the shipped
    /// catalog last wrote it, and remembers what it says for the next one.
    Shipped,
}

/// Imports `catalog` (the file's text) in one transaction: all of it or, on a database
/// failure, none. Rejected entries are reported, not failures. `progress` is told
/// (done, total) after each entry.
pub async fn import(
    db: &PgPool,
    catalog: &str,
    spread: Duration,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, AppError> {
    let mut tx = vw_store::begin(db).await?;
    catalog::lock_for_import(&mut *tx).await?;
    let report = import_in(&mut tx, catalog, spread, Mode::AsListed, progress).await?;
    vw_store::commit(tx).await?;
    Ok(report)
}

/// Imports the shipped catalog (`shipped`, the file's text) when it is not the one last
/// imported here, by its content hash: a new installation's first start, or an upgrade that
/// brings another catalog. New entries are added; a provider still as the previous shipped
/// catalog left it is updated; one an operator changed since (their own catalog file, an
/// edit) is kept as it is. `None` when there was nothing to do. Replicas starting together
/// import it once: the import lock is taken before the hash is read.
pub async fn import_shipped(
    db: &PgPool,
    shipped: &str,
    spread: Duration,
) -> Result<Option<Report>, AppError> {
    let hash = hex::encode(Sha256::digest(shipped.as_bytes()));
    let mut tx = vw_store::begin(db).await?;
    catalog::lock_for_import(&mut *tx).await?;
    if catalog::last_shipped_hash(&mut *tx).await?.as_deref() == Some(hash.as_str()) {
        return Ok(None);
    }
    let report = import_in(&mut tx, shipped, spread, Mode::Shipped, &mut |_, _| {}).await?;
    catalog::record_shipped_catalog(&mut *tx, &hash, report.entries).await?;
    vw_store::commit(tx).await?;
    tracing::info!(
        entries = report.entries,
        added = report.added,
        updated = report.updated,
        unchanged = report.unchanged,
        kept = report.kept.len(),
        kept_slugs = %report.kept_slugs(KEPT_SLUGS_LOGGED),
        rejected = report.rejected.len(),
        elapsed_ms = report.elapsed.as_millis(),
        "imported the shipped provider catalog (kept: changed locally, left as they are)"
    );
    for rejection in &report.rejected {
        tracing::warn!(entry = rejection.entry, slug = ?rejection.slug, reason = %rejection.reason, "shipped catalog entry rejected");
    }
    Ok(Some(report))
}

async fn import_in(
    tx: &mut Transaction<'static, Postgres>,
    catalog: &str,
    spread: Duration,
    mode: Mode,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, AppError> {
    let started = Instant::now();
    let entries: Vec<Value> =
        serde_json::from_str(catalog).map_err(|e| AppError::NotACatalog(e.to_string()))?;
    let mut report = Report::new(entries.len());
    let mut slugs_seen = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let position = index + 1;
        let outcome = match listing(entry) {
            Err(reason) => Err(reason),
            Ok(listing) => match slugs_seen.get(listing.slug.as_str()) {
                Some(first) => Err(format!("slug already used by entry {first} of the file")),
                None => {
                    slugs_seen.insert(listing.slug.to_string(), position);
                    let upserted = match mode {
                        Mode::AsListed => catalog::upsert(tx, &listing, spread).await,
                        Mode::Shipped => catalog::upsert_shipped(tx, &listing, spread).await,
                    }
                    .map_err(|source| AppError::CatalogEntry {
                        entry: position,
                        slug: listing.slug.to_string(),
                        source,
                    })?;
                    report.count(&listing, upserted)
                }
            },
        };
        if let Err(reason) = outcome {
            report.rejected.push(Rejection {
                entry: position,
                slug: entry.get("slug").and_then(Value::as_str).map(str::to_owned),
                reason,
            });
        }
        progress(position, entries.len());
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// One entry of the file, checked by the domain; the error says what is wrong with it.
fn listing(entry: &Value) -> Result<Listing, String> {
    let entry = entry.as_object().ok_or("not an object")?;
    CatalogEntry::parse(RawEntry {
        slug: text(entry, "slug")?,
        name: text(entry, "name")?,
        homepage: text(entry, "homepage")?,
        status_url: text(entry, "status_url")?,
        platform: text(entry, "platform")?,
    })
}

/// A string field; absent and null are both `None`.
fn text<'a>(entry: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match entry.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("{key} must be a string")),
    }
}
