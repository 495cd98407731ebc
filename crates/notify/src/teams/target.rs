//! A Microsoft Teams Workflows webhook URL (the "When a Teams webhook request is received"
//! trigger). Office 365 connector URLs are refused: Microsoft has switched them off.

use url::Url;

use crate::channel::ChannelKind;
use crate::error::NotifyError;
use crate::target::{self, MASK, TargetRules, invalid, masked_display};

const KIND: ChannelKind = ChannelKind::Teams;

/// Why an Office 365 connector URL is refused, and what to do instead.
const CONNECTOR_RETIRED: &str = "this is an Office 365 connector URL (webhook.office.com). \
    Microsoft has retired Office 365 connectors in Teams: they no longer deliver messages. \
    Create a Workflows webhook instead: in the Teams channel, choose ⋯ → Workflows → \"Send \
    webhook alerts to a channel\", finish the template, and paste the URL it shows here.";

/// A Teams Workflows webhook. The `sig=` query parameter is the credential.
#[derive(Clone, PartialEq, Eq)]
pub struct TeamsWorkflow {
    url: Url,
}

impl TeamsWorkflow {
    /// Accepts a Workflows (Power Automate) URL: a host under `logic.azure.com` or
    /// `api.powerplatform.com`, or `api.powerautomate.com`, with its `sig` parameter. With
    /// private targets allowed, any other http(s) URL too, but never a connector URL.
    pub fn parse(input: &str, rules: TargetRules) -> Result<Self, NotifyError> {
        let url = target::parse_url(KIND, input, rules)?;
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let connector = host == "webhook.office.com"
            || host.ends_with(".webhook.office.com")
            || (matches!(
                host.as_str(),
                "outlook.office.com" | "outlook.office365.com"
            ) && url.path().to_ascii_lowercase().starts_with("/webhook"));
        if connector {
            return Err(invalid(KIND, CONNECTOR_RETIRED));
        }
        if rules.allow_private_targets {
            return Ok(TeamsWorkflow { url });
        }
        let workflows = host.ends_with(".logic.azure.com")
            || host.ends_with(".api.powerplatform.com")
            || host == "api.powerautomate.com";
        if !workflows {
            return Err(invalid(
                KIND,
                "a Teams Workflows webhook URL is on logic.azure.com, api.powerplatform.com or \
                 api.powerautomate.com (in the Teams channel: ⋯ → Workflows → \"Send webhook \
                 alerts to a channel\", then copy the URL it shows)",
            ));
        }
        let signed = url.query_pairs().any(|(k, v)| k == "sig" && !v.is_empty());
        if !signed {
            return Err(invalid(
                KIND,
                "the URL has no sig= parameter: copy the whole URL, including everything \
                 after the ?",
            ));
        }
        Ok(TeamsWorkflow { url })
    }

    /// The full URL, signature included: for sending and for encrypted storage only.
    pub fn expose_url(&self) -> &Url {
        &self.url
    }

    /// The host only, path and signature hidden: `https://prod-12.westeurope.logic.azure.com/••••`.
    pub fn masked(&self) -> String {
        format!("{}/{MASK}", target::origin(&self.url))
    }
}

masked_display!(TeamsWorkflow);

#[cfg(test)]
mod tests {
    use super::*;

    const LOGIC: &str = "https://prod-12.westeurope.logic.azure.com:443/workflows/0a1b2c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SeCrEtSiGnAtUrE";
    const PLATFORM: &str = "https://default0a1b.2c.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SeCrEtSiGnAtUrE";

    #[test]
    fn accepts_workflows_urls_and_masks_them() -> Result<(), NotifyError> {
        for good in [LOGIC, PLATFORM] {
            let flow = TeamsWorkflow::parse(good, TargetRules::STRICT)?;
            assert!(!flow.to_string().contains("SeCrEt"));
            assert!(!format!("{flow:?}").contains("SeCrEt"));
            assert!(flow.to_string().ends_with("/••••"));
        }
        Ok(())
    }

    #[test]
    fn refuses_connector_urls_and_explains_workflows() {
        for connector in [
            "https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456",
            "https://outlook.office.com/webhook/abc@def/IncomingWebhook/123/456",
        ] {
            for rules in [TargetRules::STRICT, TargetRules::LOCAL] {
                let message = TeamsWorkflow::parse(connector, rules)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                assert!(message.contains("retired"), "{message}");
                assert!(message.contains("Workflows"), "{message}");
            }
        }
    }

    #[test]
    fn refuses_other_hosts_and_unsigned_urls() {
        assert!(TeamsWorkflow::parse("https://example.com/x?sig=1", TargetRules::STRICT).is_err());
        let unsigned = LOGIC.replace("&sig=SeCrEtSiGnAtUrE", "");
        assert!(TeamsWorkflow::parse(&unsigned, TargetRules::STRICT).is_err());
    }
}
