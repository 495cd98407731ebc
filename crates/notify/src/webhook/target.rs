//! A customer's webhook endpoint: an https URL and the secrets its messages are signed with.

use url::Url;

use super::secret::WebhookSecret;
use crate::channel::ChannelKind;
use crate::error::NotifyError;
use crate::target::{self, MASK, TargetRules};

/// Where signed webhooks go. The URL may carry a token of the receiver's own, so it is shown
/// masked like the other channels'.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    url: Url,
    /// The current secret first; during a rotation, the previous ones after it.
    secrets: Vec<WebhookSecret>,
}

impl WebhookEndpoint {
    /// An https endpoint signed with `secret` (any http(s) URL with private targets allowed).
    pub fn parse(
        input: &str,
        rules: TargetRules,
        secret: WebhookSecret,
    ) -> Result<Self, NotifyError> {
        let url = target::parse_url(ChannelKind::Webhook, input, rules)?;
        if url.fragment().is_some() {
            return Err(target::invalid(
                ChannelKind::Webhook,
                "the URL must not have a #fragment",
            ));
        }
        Ok(WebhookEndpoint {
            url,
            secrets: vec![secret],
        })
    }

    /// Also signs with `previous` while receivers move to the new secret: each message then
    /// carries both signatures, and a receiver holding either accepts it.
    pub fn with_previous_secret(mut self, previous: WebhookSecret) -> Self {
        self.secrets.push(previous);
        self
    }

    pub fn expose_url(&self) -> &Url {
        &self.url
    }

    pub fn secrets(&self) -> &[WebhookSecret] {
        &self.secrets
    }

    /// The origin only: `https://hooks.example.com/••••`.
    pub fn masked(&self) -> String {
        format!("{}/{MASK}", target::origin(&self.url))
    }
}

impl std::fmt::Display for WebhookEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

impl std::fmt::Debug for WebhookEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "WebhookEndpoint({}, {} secret(s))",
            self.masked(),
            self.secrets.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_only_unless_local_and_masked() -> Result<(), NotifyError> {
        let secret = WebhookSecret::generate()?;
        let strict = TargetRules::STRICT;
        assert!(WebhookEndpoint::parse("http://example.com/hook", strict, secret.clone()).is_err());
        assert!(WebhookEndpoint::parse("ftp://example.com/hook", strict, secret.clone()).is_err());
        let endpoint = WebhookEndpoint::parse(
            "https://example.com/hooks/abc123?token=t0p",
            strict,
            secret.clone(),
        )?;
        assert_eq!(endpoint.to_string(), "https://example.com/••••");
        let debug = format!("{endpoint:?}");
        assert!(
            !debug.contains("t0p") && !debug.contains(&secret.expose()[6..]),
            "{debug}"
        );
        for private in [
            "https://127.0.0.1/x",
            "https://10.1.2.3/x",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/x",
            "https://[fd00::1]/x",
            "https://localhost/x",
        ] {
            let refused = WebhookEndpoint::parse(private, strict, secret.clone())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                refused.contains("public internet addresses only"),
                "{private}: {refused}"
            );
        }
        assert!(WebhookEndpoint::parse("https://93.184.215.14/x", strict, secret.clone()).is_ok());
        assert!(WebhookEndpoint::parse("http://127.0.0.1:9/x", TargetRules::LOCAL, secret).is_ok());
        Ok(())
    }
}
