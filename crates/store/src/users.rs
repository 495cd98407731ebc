//! People who sign in.

use sqlx::PgExecutor;
use vw_domain::{EmailAddress, UserId};

use crate::StoreError;

/// What signing in needs to know about a user.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: String,
}

/// Fails with `Duplicate("users_email_key")` when the address is taken.
pub async fn insert(
    db: impl PgExecutor<'_>,
    id: UserId,
    email: &EmailAddress,
    password_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)",
        id.0,
        email.as_str(),
        password_hash,
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn credentials(
    db: impl PgExecutor<'_>,
    email: &EmailAddress,
) -> Result<Option<Credentials>, StoreError> {
    let row = sqlx::query!(
        "SELECT id, password_hash FROM users WHERE email = $1",
        email.as_str()
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Credentials {
        id: UserId(r.id),
        password_hash: r.password_hash,
    }))
}

/// The address the user signed up with.
pub async fn email(db: impl PgExecutor<'_>, user: UserId) -> Result<EmailAddress, StoreError> {
    let email = sqlx::query_scalar!("SELECT email FROM users WHERE id = $1", user.0)
        .fetch_one(db)
        .await?;
    EmailAddress::parse(&email).map_err(|e| StoreError::Invalid(format!("user {user}: {e}")))
}

/// Sets the user's time zone (an IANA name the domain has checked). With `only_if_unset`,
/// a zone already set is kept (the browser's guess never overrides the user's choice);
/// returns whether it was written.
pub async fn set_time_zone(
    db: impl PgExecutor<'_>,
    user: UserId,
    zone: vw_domain::TimeZoneName,
    only_if_unset: bool,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE users SET time_zone = $2 WHERE id = $1 AND (NOT $3 OR time_zone IS NULL)",
        user.0,
        zone.name(),
        only_if_unset
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
