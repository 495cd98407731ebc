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
}
