//! E-mails kept instead of sent, when no SMTP server is configured: for the operators' "sent
//! mail" page. Never shown to tenants.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct Mail {
    pub id: Uuid,
    pub recipient: String,
    pub subject: String,
    /// The whole message as it would have been sent (RFC 5322).
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO logged_mail (id, recipient, subject, body) VALUES ($1, $2, $3, $4)",
        id,
        recipient,
        subject,
        body
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// The newest `limit` mails, newest first.
pub async fn list(db: impl PgExecutor<'_>, limit: i64) -> Result<Vec<Mail>, StoreError> {
    Ok(sqlx::query_as!(
        Mail,
        "SELECT id, recipient, subject, body, created_at FROM logged_mail
         ORDER BY created_at DESC, id DESC LIMIT $1",
        limit
    )
    .fetch_all(db)
    .await?)
}

pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> Result<Mail, StoreError> {
    Ok(sqlx::query_as!(
        Mail,
        "SELECT id, recipient, subject, body, created_at FROM logged_mail WHERE id = $1",
        id
    )
    .fetch_one(db)
    .await?)
}

/// Deletes mails kept since before `before`; returns how many.
pub async fn purge(db: impl PgExecutor<'_>, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let done = sqlx::query!("DELETE FROM logged_mail WHERE created_at < $1", before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
