//! What an import did, entry by entry, as counts and as text for the operator.

use std::fmt;
use std::time::Duration;

use vw_store::catalog::{Listing, Upserted};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub entries: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Slugs of the providers left as an operator changed them (the shipped catalog at
    /// start-up only), in the file's order.
    pub kept: Vec<String>,
    pub rejected: Vec<Rejection>,
    pub elapsed: Duration,
}

/// An entry that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Its position in the file, from 1.
    pub entry: usize,
    /// Its slug, when it has a string one.
    pub slug: Option<String>,
    pub reason: String,
}

impl Report {
    pub(super) fn new(entries: usize) -> Self {
        Report {
            entries,
            added: 0,
            updated: 0,
            unchanged: 0,
            kept: Vec::new(),
            rejected: Vec::new(),
            elapsed: Duration::ZERO,
        }
    }

    /// Counts what the store did with `listing`; the reason when that was a rejection.
    pub(super) fn count(&mut self, listing: &Listing, upserted: Upserted) -> Result<(), String> {
        match upserted {
            Upserted::Added => self.added += 1,
            Upserted::Updated => self.updated += 1,
            Upserted::Unchanged => self.unchanged += 1,
            Upserted::Kept => self.kept.push(listing.slug.to_string()),
            Upserted::PageTaken { by } => {
                return Err(format!(
                    "{} is already the status page of provider {by:?}",
                    listing.status_url
                ));
            }
        }
        Ok(())
    }

    /// The kept slugs, the first `limit` of them by name and the rest counted: for a log line
    /// that stays one line however many an operator changed.
    pub fn kept_slugs(&self, limit: usize) -> String {
        let mut text = self
            .kept
            .iter()
            .take(limit)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        if self.kept.len() > limit {
            text.push_str(&format!(" and {} more", self.kept.len() - limit));
        }
        text
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} entries: {} added, {} updated, {} unchanged, {} kept, {} rejected ({:.1} s)",
            self.entries,
            self.added,
            self.updated,
            self.unchanged,
            self.kept.len(),
            self.rejected.len(),
            self.elapsed.as_secs_f64()
        )?;
        for r in &self.rejected {
            match &r.slug {
                Some(slug) => writeln!(f, "  rejected entry {} ({slug}): {}", r.entry, r.reason)?,
                None => writeln!(f, "  rejected entry {}: {}", r.entry, r.reason)?,
            }
        }
        for slug in &self.kept {
            writeln!(
                f,
                "  kept {slug}: changed locally since the shipped catalog wrote it"
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_of_kept_slugs_is_cut_and_counted() {
        let mut report = Report::new(30);
        assert_eq!(report.kept_slugs(2), "");
        report.kept = vec!["a".into(), "b".into()];
        assert_eq!(report.kept_slugs(2), "a, b");
        report.kept.push("c".into());
        report.kept.push("d".into());
        assert_eq!(report.kept_slugs(2), "a, b and 2 more");
    }
}
