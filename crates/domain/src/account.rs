//! The values people type when they sign up, sign in and manage a workspace, parsed once at
//! the edge so that the rest of the code only ever sees valid ones.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a value typed into a form was refused. The message is shown to the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidInput {
    #[error("Enter a valid email address.")]
    Email,
    #[error("Use a password of {min} to {max} characters.", min = Password::MIN_CHARS, max = Password::MAX_CHARS)]
    PasswordLength,
    #[error("Give the workspace a name of 1 to {max} characters.", max = WorkspaceName::MAX_CHARS)]
    WorkspaceName,
    #[error("Choose owner, admin or member.")]
    Role,
    /// Any other refusal, worded for the person.
    #[error("{0}")]
    Other(String),
}

impl InvalidInput {
    pub fn new(message: impl Into<String>) -> Self {
        InvalidInput::Other(message.into())
    }
}

/// An email address, trimmed and lower-cased: the one form in which it is stored and compared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// The longest address SMTP can carry (RFC 5321: 254 octets in a path).
    pub const MAX_LEN: usize = 254;

    /// Accepts `local@domain` where the domain has a dot and neither part has spaces. Full
    /// RFC 5322 syntax is not the point: a verification email is the real check.
    pub fn parse(input: &str) -> Result<Self, InvalidInput> {
        let email = input.trim().to_lowercase();
        let valid = email.len() <= Self::MAX_LEN
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if valid {
            Ok(EmailAddress(email))
        } else {
            Err(InvalidInput::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = InvalidInput;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

/// A password as typed, checked for length. It is never displayed, logged or serialised.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    /// Counts characters, not bytes, so that non-ASCII passwords get the same bounds. Not
    /// trimmed: spaces are part of a password.
    pub fn parse(input: &str) -> Result<Self, InvalidInput> {
        let chars = input.chars().count();
        if (Self::MIN_CHARS..=Self::MAX_CHARS).contains(&chars) {
            Ok(Password(input.to_owned()))
        } else {
            Err(InvalidInput::PasswordLength)
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// A workspace's display name, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceName(String);

impl WorkspaceName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(input: &str) -> Result<Self, InvalidInput> {
        let name = input.trim();
        let chars = name.chars().count();
        if (1..=Self::MAX_CHARS).contains(&chars) && !name.chars().any(char::is_control) {
            Ok(WorkspaceName(name.to_owned()))
        } else {
            Err(InvalidInput::WorkspaceName)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a member may do in a workspace. Owners manage members and roles; admins manage the
/// workspace's monitors and settings and invite people; members use what is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Admin,
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Admin, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    pub fn parse(input: &str) -> Result<Self, InvalidInput> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == input)
            .ok_or(InvalidInput::Role)
    }

    /// Renaming the workspace and inviting people.
    pub fn can_administer(self) -> bool {
        self >= Role::Admin
    }

    /// Changing roles and removing members.
    pub fn can_manage_members(self) -> bool {
        self == Role::Owner
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let email = EmailAddress::parse("  Ada@Example.COM ").map(|e| e.to_string());
        assert_eq!(email, Ok("ada@example.com".to_owned()));
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@example.com",
            "ada@example..com",
            "ada@.example.com",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(InvalidInput::Email),
                "{bad:?}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(EmailAddress::parse(&long).is_err());
    }

    #[test]
    fn password_length_counts_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse(&"é".repeat(128)).is_ok());
        assert!(Password::parse(&"a".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("secret-123")),
            "Ok(Password(…))"
        );
    }

    #[test]
    fn workspace_names_are_trimmed_and_bounded() {
        assert_eq!(
            WorkspaceName::parse("  Acme ").map(|n| n.as_str().to_owned()),
            Ok("Acme".into())
        );
        assert!(WorkspaceName::parse("   ").is_err());
        assert!(WorkspaceName::parse(&"x".repeat(101)).is_err());
    }

    #[test]
    fn only_owners_manage_members() {
        assert!(Role::Owner.can_manage_members());
        assert!(!Role::Admin.can_manage_members());
        assert!(Role::Admin.can_administer());
        assert!(!Role::Member.can_administer());
        assert_eq!(Role::parse("admin"), Ok(Role::Admin));
        assert!(Role::parse("root").is_err());
    }

    proptest! {
        #[test]
        fn parsed_emails_parse_again_to_themselves(input in "\\PC{0,40}") {
            if let Ok(email) = EmailAddress::parse(&input) {
                prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
            }
        }
    }
}
