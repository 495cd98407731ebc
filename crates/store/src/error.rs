/// A database failure. Callers can tell a missing row and a broken uniqueness rule from the
/// rest, which is internal and only logged.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the row; carries the constraint's name.
    #[error("duplicate value for {0}")]
    Duplicate(String),
    /// A stored value that the domain cannot read (the schema's CHECKs should make this
    /// impossible).
    #[error("invalid stored value: {0}")]
    Invalid(String),
    /// Its message carries sqlx's, which already says what the database answered.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The job queue's own storage failed (other than through the database connection).
    #[error("job queue: {0}")]
    Queue(String),
}

impl From<apalis_postgres::Error> for StoreError {
    fn from(error: apalis_postgres::Error) -> Self {
        match error {
            apalis_postgres::Error::Database(error) => error.into(),
            other => StoreError::Queue(other.to_string()),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Duplicate(db.constraint().unwrap_or_default().to_owned())
            }
            _ => StoreError::Database(error),
        }
    }
}
