//! A provider's slug: its name in the catalog and in the address of its public page
//! (`/providers/github`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Lower-case ASCII letters and digits in words joined by single hyphens, at most
/// [`ProviderSlug::MAX_LEN`] characters: the rule the providers table checks too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProviderSlug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a slug: use lower-case letters and digits in words joined by single hyphens, \
     at most {max} characters",
    max = ProviderSlug::MAX_LEN
)]
pub struct InvalidSlug(pub String);

impl ProviderSlug {
    pub const MAX_LEN: usize = 80;

    /// Not trimmed or lower-cased: a slug is an identifier, and `GitHub` is not `github`.
    pub fn parse(input: &str) -> Result<Self, InvalidSlug> {
        let valid = !input.is_empty()
            && input.len() <= Self::MAX_LEN
            && input.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if valid {
            Ok(ProviderSlug(input.to_owned()))
        } else {
            Err(InvalidSlug(input.to_owned()))
        }
    }

    /// A slug made of any text (a host name, a page name): lower-cased ASCII words joined by
    /// hyphens, cut at a word boundary to fit. `None` when nothing usable is left.
    pub fn from_text(text: &str) -> Option<Self> {
        let lowered = text.to_ascii_lowercase();
        let mut slug = String::new();
        for word in lowered
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let needed = word.len() + usize::from(!slug.is_empty());
            if slug.len() + needed > Self::MAX_LEN {
                break;
            }
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(word);
        }
        ProviderSlug::parse(&slug).ok()
    }

    /// This slug with `-<n>` added, still within the length limit, to tell apart providers
    /// that would otherwise share one.
    pub fn numbered(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let mut base = self.0.clone();
        while base.len() + suffix.len() > Self::MAX_LEN {
            match base.rfind('-') {
                Some(cut) => base.truncate(cut),
                None => base.truncate(Self::MAX_LEN - suffix.len()),
            }
        }
        ProviderSlug(format!("{base}{suffix}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProviderSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ProviderSlug {
    type Error = InvalidSlug;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        ProviderSlug::parse(&value)
    }
}

impl From<ProviderSlug> for String {
    fn from(value: ProviderSlug) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_words_joined_by_hyphens() {
        for ok in ["github", "1password", "aws-us-east-1", "a", &"x".repeat(80)] {
            assert_eq!(ProviderSlug::parse(ok).map(String::from).as_deref(), Ok(ok));
        }
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "",
            "GitHub",
            "git hub",
            "-github",
            "github-",
            "git--hub",
            "git_hub",
            "gît",
            " github",
            &"x".repeat(81),
        ] {
            assert_eq!(ProviderSlug::parse(bad), Err(InvalidSlug(bad.to_owned())));
        }
    }

    proptest! {
        /// Whatever matches the providers table's CHECK (`^[a-z0-9]+(-[a-z0-9]+)*$`) parses.
        #[test]
        fn accepts_what_the_table_accepts(input in "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,7}") {
            prop_assert!(ProviderSlug::parse(&input).is_ok());
        }

        /// A character outside the rule anywhere spoils a slug.
        #[test]
        fn refuses_a_foreign_character_anywhere(
            input in "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,7}",
            at in any::<prop::sample::Index>(),
            foreign in "[^a-z0-9-]",
        ) {
            let at = at.index(input.len() + 1);
            let spoiled = format!("{}{foreign}{}", &input[..at], &input[at..]);
            prop_assert!(ProviderSlug::parse(&spoiled).is_err());
        }
    }

    #[test]
    fn slugs_are_made_from_host_names() {
        let slug = ProviderSlug::from_text("Status.Example.COM:8443/eu");
        assert_eq!(
            slug.map(|s| s.to_string()).as_deref(),
            Some("status-example-com-8443-eu")
        );
        assert_eq!(ProviderSlug::from_text("…"), None);
        let long = "a".repeat(50) + "." + &"b".repeat(50);
        assert_eq!(
            ProviderSlug::from_text(&long).map(|s| s.to_string()),
            Some("a".repeat(50))
        );
    }

    #[test]
    fn numbered_slugs_stay_valid() {
        let slug = ProviderSlug::from_text("status.example.com").unwrap_or_else(|| unreachable!());
        assert_eq!(slug.numbered(2).as_str(), "status-example-com-2");
        let long = ProviderSlug::from_text(&format!("{}.{}", "a".repeat(40), "b".repeat(39)))
            .unwrap_or_else(|| unreachable!());
        let numbered = long.numbered(12);
        assert!(ProviderSlug::parse(numbered.as_str()).is_ok());
        assert_eq!(numbered.as_str(), format!("{}-12", "a".repeat(40)));
    }
}
