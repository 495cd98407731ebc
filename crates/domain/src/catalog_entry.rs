//! One entry of a provider catalog (the shipped one or an operator's file), checked: what a
//! catalog may say about a provider before it is stored.

use crate::{Platform, ProviderSlug, StatusPageUrl};

/// The fields of an entry as the file gives them; `None` when absent or null.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawEntry<'a> {
    pub slug: Option<&'a str>,
    pub name: Option<&'a str>,
    pub homepage: Option<&'a str>,
    pub status_url: Option<&'a str>,
    pub platform: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    pub slug: ProviderSlug,
    /// Trimmed, 1 to [`CatalogEntry::NAME_MAX_CHARS`] characters, no control characters.
    pub name: String,
    /// An http(s) address, trimmed.
    pub homepage: Option<String>,
    pub status_url: StatusPageUrl,
    /// `None`: not known; the first poll detects it.
    pub platform: Option<Platform>,
}

impl CatalogEntry {
    pub const NAME_MAX_CHARS: usize = 200;

    /// Checks an entry; the error says, for the operator, what is wrong with it.
    pub fn parse(raw: RawEntry<'_>) -> Result<Self, String> {
        let slug = raw.slug.ok_or("slug is missing")?;
        let slug = ProviderSlug::parse(slug).map_err(|e| e.to_string())?;
        let name = raw.name.ok_or("name is missing")?.trim();
        if !(1..=Self::NAME_MAX_CHARS).contains(&name.chars().count())
            || name.chars().any(char::is_control)
        {
            return Err(format!(
                "name must be 1 to {} characters, without control characters",
                Self::NAME_MAX_CHARS
            ));
        }
        let homepage = raw
            .homepage
            .map(|raw| match url::Url::parse(raw.trim()) {
                Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                    Ok(raw.trim().to_owned())
                }
                _ => Err(format!("homepage {raw:?} is not an http(s) address")),
            })
            .transpose()?;
        let raw_url = raw.status_url.ok_or("status_url is missing")?;
        let status_url =
            StatusPageUrl::parse(raw_url).map_err(|e| format!("status_url {raw_url:?}: {e}"))?;
        let platform = raw
            .platform
            .map(|name| {
                name.parse::<Platform>().map_err(|_| {
                    let known: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
                    format!(
                        "unknown platform {name:?} (use one of {}, or null to detect it)",
                        known.join(", ")
                    )
                })
            })
            .transpose()?;
        Ok(CatalogEntry {
            slug,
            name: name.to_owned(),
            homepage,
            status_url,
            platform,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawEntry<'static> {
        RawEntry {
            slug: Some("github"),
            name: Some("  GitHub "),
            homepage: Some("https://github.com"),
            status_url: Some("https://www.githubstatus.com/"),
            platform: Some("statuspage"),
        }
    }

    #[test]
    fn a_good_entry_is_read_trimmed() {
        let entry = CatalogEntry::parse(raw()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entry.name, "GitHub");
        assert_eq!(entry.platform, Some(Platform::Statuspage));
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (
                RawEntry {
                    slug: None,
                    ..raw()
                },
                "slug is missing",
            ),
            (
                RawEntry {
                    name: Some(" "),
                    ..raw()
                },
                "name must be",
            ),
            (
                RawEntry {
                    name: Some("a\u{7}b"),
                    ..raw()
                },
                "control characters",
            ),
            (
                RawEntry {
                    homepage: Some("ftp://x.com"),
                    ..raw()
                },
                "homepage",
            ),
            (
                RawEntry {
                    status_url: Some("mailto:x"),
                    ..raw()
                },
                "status_url",
            ),
            (
                RawEntry {
                    platform: Some("myspace"),
                    ..raw()
                },
                "unknown platform",
            ),
        ];
        for (entry, expected) in cases {
            let error = CatalogEntry::parse(entry).err().unwrap_or_default();
            assert!(error.contains(expected), "{error} should say {expected}");
        }
        let long = "x".repeat(201);
        assert!(
            CatalogEntry::parse(RawEntry {
                name: Some(&long),
                ..raw()
            })
            .is_err()
        );
    }
}
