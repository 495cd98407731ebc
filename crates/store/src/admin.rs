//! Cluster housekeeping: creating and dropping whole databases, and the advisory locks that
//! serialise it between processes. Used by the embedded cluster and the test harness, never
//! by request handlers.
//!
//! `CREATE DATABASE` takes no bind parameters, so names are formatted into the statement;
//! [`DatabaseName`] is the only way in, and it admits nothing that needs escaping.

use std::fmt;

use sqlx::{AssertSqlSafe, PgExecutor};

use crate::StoreError;

/// A database name made only of lower-case ASCII letters, digits and `_`, starting with a
/// letter or `_`, at most 63 bytes (PostgreSQL's identifier limit, beyond which it would
/// silently truncate). Such a name never needs escaping inside double quotes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatabaseName(String);

/// Why a string is not a [`DatabaseName`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid database name {0:?}: use 1 to 63 of a-z, 0-9 and _, not starting with a digit")]
pub struct InvalidDatabaseName(pub String);

impl DatabaseName {
    pub fn parse(name: &str) -> Result<Self, InvalidDatabaseName> {
        let valid_chars = name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        let valid_start = name.bytes().next().is_some_and(|b| !b.is_ascii_digit());
        if valid_chars && valid_start && name.len() <= 63 {
            Ok(Self(name.to_owned()))
        } else {
            Err(InvalidDatabaseName(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as an SQL identifier. Quoting keeps a name such as `user` from being read
    /// as a keyword; [`DatabaseName::parse`] has ruled out any `"` inside.
    fn quoted(&self) -> String {
        format!("\"{}\"", self.0)
    }
}

impl fmt::Display for DatabaseName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a database of that name exists in the cluster.
pub async fn database_exists(
    db: impl PgExecutor<'_>,
    name: &DatabaseName,
) -> Result<bool, StoreError> {
    let exists = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name.as_str())
        .fetch_one(db)
        .await?;
    Ok(exists)
}

/// Creates the database unless it exists; returns whether it created it. Two callers racing
/// both succeed: the loser's `duplicate_database` error counts as "already there".
pub async fn create_database_if_missing(
    db: &mut sqlx::PgConnection,
    name: &DatabaseName,
) -> Result<bool, StoreError> {
    if database_exists(&mut *db, name).await? {
        return Ok(false);
    }
    let sql = format!("CREATE DATABASE {}", name.quoted());
    match sqlx::query(AssertSqlSafe(sql)).execute(&mut *db).await {
        Ok(_) => Ok(true),
        Err(e) if is_duplicate_database(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Creates `name` as a copy of `template`. PostgreSQL refuses while anyone is connected to
/// the template, so callers keep migrations of the template and copies apart (see the
/// advisory locks below).
pub async fn create_database_from_template(
    db: impl PgExecutor<'_>,
    name: &DatabaseName,
    template: &DatabaseName,
) -> Result<(), StoreError> {
    let sql = format!(
        "CREATE DATABASE {} TEMPLATE {}",
        name.quoted(),
        template.quoted()
    );
    sqlx::query(AssertSqlSafe(sql)).execute(db).await?;
    Ok(())
}

/// Drops the database if it exists, disconnecting its sessions first (PostgreSQL 13+).
pub async fn drop_database(db: impl PgExecutor<'_>, name: &DatabaseName) -> Result<(), StoreError> {
    let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", name.quoted());
    sqlx::query(AssertSqlSafe(sql)).execute(db).await?;
    Ok(())
}

/// The databases whose names start with `prefix`, sorted. Names that are not valid
/// [`DatabaseName`]s are left out: nothing here could drop them anyway.
pub async fn list_databases(
    db: impl PgExecutor<'_>,
    prefix: &str,
) -> Result<Vec<DatabaseName>, StoreError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname",
    )
    .bind(prefix)
    .fetch_all(db)
    .await?;
    Ok(names
        .iter()
        .filter_map(|n| DatabaseName::parse(n).ok())
        .collect())
}

/// Trades crash safety for speed, cluster-wide and lasting (ALTER SYSTEM): no fsync, no
/// full-page writes, asynchronous commits. Only for a throwaway cluster such as the tests':
/// a crash of the machine may corrupt it. Without this, every dropped test database costs
/// a checkpoint that syncs the copies made since the last one (over a second here).
/// Needs a superuser.
pub async fn make_cluster_disposable(db: &mut sqlx::PgConnection) -> Result<(), StoreError> {
    // ALTER SYSTEM refuses to run inside a transaction: one statement at a time.
    for statement in [
        "ALTER SYSTEM SET fsync = off",
        "ALTER SYSTEM SET full_page_writes = off",
        "ALTER SYSTEM SET synchronous_commit = off",
        "SELECT pg_reload_conf()",
    ] {
        sqlx::query(statement).execute(&mut *db).await?;
    }
    Ok(())
}

/// Waits for the session-level advisory lock `key` exclusively. It is held by the
/// connection, so pass the same connection to [`advisory_unlock`], or close it.
pub async fn advisory_lock(db: impl PgExecutor<'_>, key: i64) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Waits for the session-level advisory lock `key` in shared mode: shared holders run
/// together, an exclusive holder runs alone.
pub async fn advisory_lock_shared(db: impl PgExecutor<'_>, key: i64) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_lock_shared($1)")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn advisory_unlock(db: impl PgExecutor<'_>, key: i64) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn advisory_unlock_shared(db: impl PgExecutor<'_>, key: i64) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_unlock_shared($1)")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

fn is_duplicate_database(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "42P04")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_lower_case_names() {
        for name in [
            "vendorwatch",
            "vw_test_1764000000_42_7",
            "_tmp",
            &"a".repeat(63),
        ] {
            assert_eq!(
                DatabaseName::parse(name).map(|n| n.to_string()),
                Ok(name.to_owned())
            );
        }
    }

    #[test]
    fn rejects_names_that_would_need_escaping_or_be_truncated() {
        let long = "a".repeat(64);
        for name in [
            "",
            "9lives",
            "Vendorwatch",
            "a-b",
            "a b",
            "a\"b",
            "x\"; DROP DATABASE y; --",
            "é",
            &long,
        ] {
            assert_eq!(
                DatabaseName::parse(name),
                Err(InvalidDatabaseName(name.to_owned()))
            );
        }
    }

    #[test]
    fn quotes_the_name() {
        assert_eq!(
            DatabaseName::parse("user").map(|n| n.quoted()),
            Ok("\"user\"".to_owned())
        );
    }
}
