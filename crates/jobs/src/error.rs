/// A failure of the worker pool itself (a job's own failure is the job's result, not this).
#[derive(Debug, thiserror::Error)]
pub enum JobsError {
    #[error("job queue: {0}")]
    Queue(#[from] apalis_postgres::Error),
    #[error("worker pool: {0}")]
    Pool(String),
    #[error(transparent)]
    Store(#[from] vw_store::StoreError),
    #[error("encoding a snapshot or event: {0}")]
    Json(#[from] serde_json::Error),
}
