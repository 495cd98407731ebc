//! A Slack incoming-webhook URL: `https://hooks.slack.com/services/T…/B…/<secret>`.

use url::Url;

use crate::channel::ChannelKind;
use crate::error::NotifyError;
use crate::target::{self, MASK, TargetRules, invalid, masked_display};

const KIND: ChannelKind = ChannelKind::Slack;
const HOST: &str = "hooks.slack.com";

/// A Slack incoming webhook. The last path segment is the credential: shown masked,
/// `expose_url` only for sending and for storing (encrypted).
#[derive(Clone, PartialEq, Eq)]
pub struct SlackWebhook {
    url: Url,
}

impl SlackWebhook {
    /// Accepts the URL Slack shows when a webhook is added to a channel. With private
    /// targets allowed, any http(s) URL (a local receiver in tests).
    pub fn parse(input: &str, rules: TargetRules) -> Result<Self, NotifyError> {
        let url = target::parse_url(KIND, input, rules)?;
        if rules.allow_private_targets {
            return Ok(SlackWebhook { url });
        }
        if url.host_str() != Some(HOST) {
            return Err(invalid(
                KIND,
                "a Slack incoming webhook URL starts with https://hooks.slack.com/services/ \
                 (in Slack: Apps → Incoming WebHooks → Add to Slack, then copy the Webhook URL)",
            ));
        }
        let segments: Vec<&str> = url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        let well_formed = matches!(segments.as_slice(),
        ["services", team, hook, secret]
            if team.starts_with('T') && hook.starts_with('B')
                && [team, hook, secret].iter().all(|s| {
                    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())
                }));
        if !well_formed {
            return Err(invalid(
                KIND,
                "the URL must look like https://hooks.slack.com/services/T…/B…/… (a workflow \
                 trigger URL or a shortened URL will not work)",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(KIND, "the URL must not have a ?query or #fragment"));
        }
        Ok(SlackWebhook { url })
    }

    /// The full URL, credential included: for sending and for encrypted storage only.
    pub fn expose_url(&self) -> &Url {
        &self.url
    }

    /// The URL with its credential hidden: `https://hooks.slack.com/services/T01…/B02…/••••`.
    pub fn masked(&self) -> String {
        let segments: Vec<&str> = self
            .url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        match segments.as_slice() {
            ["services", team, hook, _] if self.url.host_str() == Some(HOST) => format!(
                "{}/services/{}/{}/{MASK}",
                target::origin(&self.url),
                target::abbreviate(team, 3),
                target::abbreviate(hook, 3)
            ),
            _ => format!("{}/{MASK}", target::origin(&self.url)),
        }
    }
}

masked_display!(SlackWebhook);

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/AbCdEf123456SeCrEt";

    #[test]
    fn accepts_a_slack_webhook_and_masks_its_secret() -> Result<(), NotifyError> {
        let hook = SlackWebhook::parse(GOOD, TargetRules::STRICT)?;
        assert_eq!(hook.expose_url().as_str(), GOOD);
        assert_eq!(
            hook.to_string(),
            "https://hooks.slack.com/services/T01…/B04…/••••"
        );
        assert!(!format!("{hook:?}").contains("SeCrEt"));
        Ok(())
    }

    #[test]
    fn refuses_other_urls_with_a_reason() {
        for bad in [
            "http://hooks.slack.com/services/T1/B1/x",
            "https://hooks.slack.com.evil.example/services/T1/B1/x",
            "https://hooks.slack.com/triggers/T1/123/abc",
            "https://hooks.slack.com/services/T1/B1",
            "https://hooks.slack.com/services/T1/B1/x?y=1",
            "hooks.slack.com/services/T1/B1/x",
            "https://example.com/services/T1/B1/x",
        ] {
            let refused = SlackWebhook::parse(bad, TargetRules::STRICT);
            assert!(refused.is_err(), "{bad}");
        }
    }

    #[test]
    fn errors_never_repeat_the_url() {
        let secret = "https://hooks.slack.com/services/T1/B1/TOPSECRET?x";
        let message = SlackWebhook::parse(secret, TargetRules::STRICT)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("?query"), "{message}");
        assert!(!message.contains("TOPSECRET"));
    }

    #[test]
    fn local_rules_accept_a_local_receiver() -> Result<(), NotifyError> {
        let hook = SlackWebhook::parse("http://127.0.0.1:8080/slack/token", TargetRules::LOCAL)?;
        assert_eq!(hook.masked(), "http://127.0.0.1:8080/••••");
        Ok(())
    }
}
