//! A Discord webhook URL: `https://discord.com/api/webhooks/{id}/{token}`.

use url::Url;

use crate::channel::ChannelKind;
use crate::error::NotifyError;
use crate::target::{self, MASK, TargetRules, invalid, masked_display};

const KIND: ChannelKind = ChannelKind::Discord;

/// A Discord channel webhook. The token (last path segment) is the credential.
#[derive(Clone, PartialEq, Eq)]
pub struct DiscordWebhook {
    /// Normalised: `https://discord.com/api/webhooks/{id}/{token}`, plus `thread_id` when
    /// the pasted URL posts into a thread.
    url: Url,
}

impl DiscordWebhook {
    /// Accepts the URL "Copy Webhook URL" gives (discord.com or the old discordapp.com, with
    /// or without an API version). With private targets allowed, any http(s) URL.
    pub fn parse(input: &str, rules: TargetRules) -> Result<Self, NotifyError> {
        let url = target::parse_url(KIND, input, rules)?;
        if rules.allow_private_targets {
            return Ok(DiscordWebhook { url });
        }
        if !matches!(url.host_str(), Some("discord.com" | "discordapp.com")) {
            return Err(invalid(
                KIND,
                "a Discord webhook URL starts with https://discord.com/api/webhooks/ (in \
                 Discord: channel settings → Integrations → Webhooks → Copy Webhook URL)",
            ));
        }
        let segments: Vec<&str> = url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        let (id, token) = match segments.as_slice() {
            ["api", "webhooks", id, token] => (*id, *token),
            ["api", version, "webhooks", id, token] if is_version(version) => (*id, *token),
            _ => {
                return Err(invalid(
                    KIND,
                    "the URL must look like https://discord.com/api/webhooks/<id>/<token>",
                ));
            }
        };
        let id_ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
        let token_ok = token.len() >= 20
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !id_ok || !token_ok {
            return Err(invalid(
                KIND,
                "the webhook id or token is incomplete: copy the whole URL again",
            ));
        }
        let thread = url
            .query_pairs()
            .find(|(k, _)| k == "thread_id")
            .map(|(_, v)| v.into_owned());
        let mut normal = format!("https://discord.com/api/webhooks/{id}/{token}");
        if let Some(thread) = thread {
            if thread.is_empty() || !thread.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(KIND, "thread_id must be a number"));
            }
            normal.push_str(&format!("?thread_id={thread}"));
        }
        let url = Url::parse(&normal).map_err(|e| invalid(KIND, e.to_string()))?;
        Ok(DiscordWebhook { url })
    }

    /// The full URL, token included: for sending and for encrypted storage only.
    pub fn expose_url(&self) -> &Url {
        &self.url
    }

    /// The URL with its token hidden: `https://discord.com/api/webhooks/123…/••••`.
    pub fn masked(&self) -> String {
        let segments: Vec<&str> = self
            .url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        match segments.as_slice() {
            ["api", "webhooks", id, _] if self.url.host_str() == Some("discord.com") => {
                format!("https://discord.com/api/webhooks/{id}/{MASK}")
            }
            _ => format!("{}/{MASK}", target::origin(&self.url)),
        }
    }
}

fn is_version(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

masked_display!(DiscordWebhook);

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "aBcD_efGH-ijkl1234567890mnopQRSTuvwxYZ";

    #[test]
    fn accepts_and_normalises_discord_webhooks() -> Result<(), NotifyError> {
        for pasted in [
            format!("https://discord.com/api/webhooks/1234567890/{TOKEN}"),
            format!("https://discordapp.com/api/webhooks/1234567890/{TOKEN}"),
            format!("https://discord.com/api/v10/webhooks/1234567890/{TOKEN}?wait=true"),
        ] {
            let hook = DiscordWebhook::parse(&pasted, TargetRules::STRICT)?;
            assert_eq!(
                hook.expose_url().as_str(),
                format!("https://discord.com/api/webhooks/1234567890/{TOKEN}")
            );
            assert_eq!(
                hook.to_string(),
                "https://discord.com/api/webhooks/1234567890/••••"
            );
            assert!(!format!("{hook:?}").contains(TOKEN));
        }
        Ok(())
    }

    #[test]
    fn keeps_a_thread() -> Result<(), NotifyError> {
        let url = format!("https://discord.com/api/webhooks/1/{TOKEN}?thread_id=42");
        let hook = DiscordWebhook::parse(&url, TargetRules::STRICT)?;
        assert_eq!(hook.expose_url().query(), Some("thread_id=42"));
        Ok(())
    }

    #[test]
    fn refuses_what_is_not_a_discord_webhook() {
        for bad in [
            format!("http://discord.com/api/webhooks/1/{TOKEN}"),
            format!("https://discord.gg/api/webhooks/1/{TOKEN}"),
            format!("https://discord.com/api/webhooks/abc/{TOKEN}"),
            "https://discord.com/api/webhooks/1/short".to_owned(),
            format!("https://discord.com/channels/1/{TOKEN}"),
        ] {
            assert!(
                DiscordWebhook::parse(&bad, TargetRules::STRICT).is_err(),
                "{bad}"
            );
        }
    }
}
