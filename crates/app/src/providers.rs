//! Deliberate changes to a provider that polls never make by themselves.

use chrono::Utc;
use vw_domain::ProviderSlug;
use vw_store::PgPool;

use crate::AppError;

/// Forgets how the provider's page is read, so that its next poll (due at once) detects the
/// platform afresh: for a vendor that has really moved to another platform. Polls never do
/// this on their own: a page that breaks for a while keeps its platform.
pub async fn redetect(db: &PgPool, slug: &ProviderSlug) -> Result<(), AppError> {
    let provider = vw_store::directory::provider_by_slug(db, slug.as_str()).await?;
    let mut tx = vw_store::begin(db).await?;
    vw_store::polls::forget_page(&mut *tx, provider.id).await?;
    vw_store::polls::due_now(&mut *tx, provider.id, Utc::now()).await?;
    vw_store::commit(tx).await?;
    tracing::info!(slug = %slug, "platform forgotten; the next poll detects it");
    Ok(())
}
