//! Who an e-mail goes to, and what we send from.

use lettre::message::Mailbox;
use url::Url;
use uuid::Uuid;
use vw_domain::EmailAddress;

use crate::channel::ChannelKind;
use crate::error::NotifyError;
use crate::target::{self, MASK, TargetRules};

/// One recipient of a notification group. One message per recipient, because the
/// unsubscribe link is theirs alone.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailRecipient {
    address: EmailAddress,
    /// The notification group the address belongs to: names the `List-Id`, so that mail
    /// filters can tell one group's alerts from another's.
    group_id: Uuid,
    /// `https://…/u/{token}`: one-click unsubscribe (RFC 8058) and the visible link. The token
    /// is a credential for this recipient: masked in `Debug`, never logged.
    unsubscribe_url: Url,
}

impl EmailRecipient {
    /// A verified address of group `group_id`, with its unsubscribe URL (https; any http(s)
    /// with private targets allowed).
    pub fn new(
        address: EmailAddress,
        group_id: Uuid,
        unsubscribe_url: &str,
        rules: TargetRules,
    ) -> Result<Self, NotifyError> {
        let unsubscribe_url = target::parse_url(ChannelKind::Email, unsubscribe_url, rules)?;
        Ok(EmailRecipient {
            address,
            group_id,
            unsubscribe_url,
        })
    }

    pub fn address(&self) -> &EmailAddress {
        &self.address
    }

    pub fn group_id(&self) -> Uuid {
        self.group_id
    }

    pub fn unsubscribe_url(&self) -> &Url {
        &self.unsubscribe_url
    }
}

impl std::fmt::Debug for EmailRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "EmailRecipient({}, group {}, unsubscribe {}/{MASK})",
            self.address,
            self.group_id,
            target::origin(&self.unsubscribe_url)
        )
    }
}

impl std::fmt::Display for EmailRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.address.as_str())
    }
}

/// What every message is sent as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailSettings {
    /// `From`: an address on our verified sending domain (SPF, DKIM and DMARC aligned).
    from: Mailbox,
    /// The right-hand side of our Message-IDs and List-Ids: the sending domain.
    domain: String,
}

impl EmailSettings {
    /// Reads `From` as `Name <address>` or a bare address; the Message-ID domain is the
    /// address's domain.
    pub fn new(from: &str) -> Result<Self, NotifyError> {
        let from: Mailbox = from
            .trim()
            .parse()
            .map_err(|e| NotifyError::Email(format!("the From address is not valid: {e}")))?;
        let domain = from.email.domain().to_ascii_lowercase();
        Ok(EmailSettings { from, domain })
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }
}
