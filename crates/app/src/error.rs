use vw_store::StoreError;

/// Why a use case refused, or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for is not there, or not in this workspace.
    #[error("not found")]
    NotFound,
    /// The change would leave the workspace without an owner.
    #[error("a workspace needs at least one owner")]
    LastOwner,
    /// The plan allows no more monitors.
    #[error(
        "The {plan} plan allows {limit} monitors, and this workspace has them all. Remove one, \
         or move to a larger plan (Team: 50 monitors, Business: 500)."
    )]
    PlanLimit { limit: i64, plan: String },
    /// The workspace already watches that provider, with this monitor.
    #[error("This workspace already monitors that provider.")]
    AlreadyMonitored(vw_domain::MonitorId),
    /// The input cannot be used; the message says why, for the person.
    #[error("{0}")]
    Invalid(String),
    /// What the person chose is taken (a group's name, an address the group already has);
    /// the message says so.
    #[error("{0}")]
    Taken(String),
    /// A unique rule of the schema refused the write; carries the constraint's name, which
    /// callers map to what the person should be told.
    #[error("already exists ({0})")]
    Duplicate(String),
    /// A catalog file that is not a JSON array; says what the JSON reader found.
    #[error("the catalog is not a JSON array: {0}")]
    NotACatalog(String),
    /// Storing an entry of a catalog failed: nothing of that import was kept.
    #[error("storing entry {entry} ({slug}) of the catalog failed")]
    CatalogEntry {
        entry: usize,
        slug: String,
        #[source]
        source: StoreError,
    },
    #[error("storage failed")]
    Store(#[source] StoreError),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Duplicate(constraint) => AppError::Duplicate(constraint),
            other => AppError::Store(other),
        }
    }
}
