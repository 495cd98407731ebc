//! Keeping user-supplied URLs away from our own network: an address check, a DNS resolver
//! that applies it to every name the client connects to, and a redirect policy that applies
//! it to IP literals (which never reach a resolver).
//!
//! Checking after resolution, at connection time, is what defeats a public name that resolves
//! to 127.0.0.1 or changes its answer between a check and the connection (DNS rebinding).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect;
use url::{Host, Url};

/// The error our resolver and redirect policy hand to reqwest; `Client` finds it again in
/// reqwest's error chain to report `OutboundError::Blocked`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Blocked(pub(crate) String);

/// Why `ip` is not a public internet address, or `None` when it is. Anything not plainly
/// global is refused, including ranges an attacker is unlikely to use (documentation,
/// benchmarking): a status page never lives there.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => non_public_v4(v4),
        IpAddr::V6(v6) => non_public_v6(v6),
    }
}

fn non_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let bits = u32::from(ip);
    let within =
        |net: [u8; 4], len: u32| bits >> (32 - len) == u32::from_be_bytes(net) >> (32 - len);
    if within([0, 0, 0, 0], 8) {
        Some("an unspecified (this-network) address")
    } else if within([127, 0, 0, 0], 8) {
        Some("a loopback address")
    } else if within([10, 0, 0, 0], 8)
        || within([172, 16, 0, 0], 12)
        || within([192, 168, 0, 0], 16)
    {
        Some("a private address")
    } else if within([100, 64, 0, 0], 10) {
        Some("a carrier-grade NAT address")
    } else if within([169, 254, 0, 0], 16) {
        Some("a link-local address")
    } else if within([224, 0, 0, 0], 4) {
        Some("a multicast address")
    } else if within([240, 0, 0, 0], 4) {
        Some("a reserved or broadcast address")
    } else if within([192, 0, 0, 0], 24)
        || within([192, 0, 2, 0], 24)
        || within([198, 51, 100, 0], 24)
        || within([203, 0, 113, 0], 24)
        || within([198, 18, 0, 0], 15)
    {
        Some("a reserved address")
    } else {
        None
    }
}

fn non_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let bits = u128::from(ip);
    let within = |net: u128, len: u32| bits >> (128 - len) == net >> (128 - len);
    let embedded_v4 = || Ipv4Addr::from((bits & 0xffff_ffff) as u32);
    if ip.is_unspecified() {
        Some("an unspecified address")
    } else if ip.is_loopback() {
        Some("a loopback address")
    } else if let Some(v4) = ip.to_ipv4_mapped() {
        non_public_v4(v4)
    } else if within(0x0064_ff9b_0000_0000_0000_0000_0000_0000, 96) {
        // NAT64 reaches the IPv4 address it embeds.
        non_public_v4(embedded_v4())
    } else if within(0xffff << 48, 96) {
        // IPv4-translated (RFC 6145, ::ffff:0:a.b.c.d) reaches the IPv4 address it embeds.
        non_public_v4(embedded_v4())
    } else if within(0x2002 << 112, 16) {
        // 6to4 reaches the IPv4 address in bits 16..48.
        non_public_v4(Ipv4Addr::from((bits >> 80) as u32))
    } else if within(0x2001_0000 << 96, 32) {
        // Teredo: the server's IPv4 address in bits 32..64, the client's in the last 32 bits
        // (inverted); a tunnel to either may end inside our network.
        non_public_v4(Ipv4Addr::from((bits >> 64) as u32))
            .or_else(|| non_public_v4(Ipv4Addr::from(!(bits as u32))))
    } else if within(0, 96) {
        Some("a deprecated IPv4-compatible address")
    } else if within(0xfc00 << 112, 7) {
        Some("a unique local (ULA) address")
    } else if within(0xfe80 << 112, 10) || within(0xfec0 << 112, 10) {
        Some("a link-local address")
    } else if within(0xff00 << 112, 8) {
        Some("a multicast address")
    } else if within(0x0064_ff9b_0001 << 80, 48)
        || within(0x0100 << 112, 64)
        || within(0x2001_0db8 << 96, 32)
    {
        Some("a reserved address")
    } else {
        None
    }
}

/// Refuses `url` when its host is an IP literal that is not public. Names are left to the
/// resolver.
pub(crate) fn check_literal(url: &Url) -> Result<(), Blocked> {
    let ip = match url.host() {
        Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
        Some(Host::Domain(_)) | None => return Ok(()),
    };
    match non_public(ip) {
        Some(kind) => Err(Blocked(format!("{ip} is {kind}"))),
        None => Ok(()),
    }
}

/// Resolves with the system resolver, then drops every non-public address. A name left with
/// no address fails with [`Blocked`].
pub(crate) struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refused = None;
            let public: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|addr| match non_public(addr.ip()) {
                    Some(kind) => {
                        refused.get_or_insert_with(|| {
                            format!("{host} resolves to {}, {kind}", addr.ip())
                        });
                        false
                    }
                    None => true,
                })
                .collect();
            match (public.is_empty(), refused) {
                (true, Some(reason)) => Err(Blocked(reason).into()),
                _ => Ok(Box::new(public.into_iter()) as Addrs),
            }
        })
    }
}

/// Follows at most `max_redirects` redirects (none: the 3xx is the answer), only to http(s),
/// and, unless private targets are allowed, never to a non-public IP literal.
pub(crate) fn redirect_policy(
    allow_private_targets: bool,
    max_redirects: usize,
) -> redirect::Policy {
    if max_redirects == 0 {
        return redirect::Policy::none();
    }
    redirect::Policy::custom(move |attempt| {
        // `previous` starts with the original URL, so it holds one more than the redirects so far.
        if attempt.previous().len() > max_redirects {
            return attempt.error(format!("more than {max_redirects} redirects"));
        }
        if !matches!(attempt.url().scheme(), "http" | "https") {
            let scheme = attempt.url().scheme().to_owned();
            return attempt.error(format!("redirect to a {scheme}: URL"));
        }
        if !allow_private_targets && let Err(blocked) = check_literal(attempt.url()) {
            let reason = format!("redirect to {}: {blocked}", attempt.url());
            return attempt.error(Blocked(reason));
        }
        attempt.follow()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(ip: &str) -> Option<&'static str> {
        ip.parse().ok().and_then(non_public)
    }

    #[test]
    fn refuses_every_non_public_range() {
        for ip in [
            "0.0.0.0",
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.254",
            "169.254.169.254",
            "224.0.0.1",
            "255.255.255.255",
            "198.18.0.1",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::127.0.0.1",
            // IPv4-translated, Teredo (server, then client, inverted) and NAT64 forms of
            // private addresses.
            "::ffff:0:10.0.0.1",
            "::ffff:0:127.0.0.1",
            "2001:0:a00:1::",
            "2001:0:808:808::f5ff:fffe",
            "2002:a00:1::",
            "64:ff9b::7f00:1",
        ] {
            assert!(kind(ip).is_some(), "{ip} should be refused");
        }
    }

    #[test]
    fn lets_public_addresses_through() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "192.169.0.1",
            "140.82.112.3",
            "2606:4700::6810:84e5",
            "2a00:1450:4001:82b::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "::ffff:0:8.8.8.8",
            "2001:0:808:808::f7f7:f7f7",
        ] {
            assert_eq!(kind(ip), None, "{ip} should be allowed");
        }
    }

    #[test]
    fn names_the_kind_of_address() {
        assert_eq!(kind("127.0.0.1"), Some("a loopback address"));
        assert_eq!(kind("100.64.0.1"), Some("a carrier-grade NAT address"));
        assert_eq!(kind("fd00::1"), Some("a unique local (ULA) address"));
    }

    #[test]
    fn checks_ip_literals_only() -> Result<(), url::ParseError> {
        assert!(check_literal(&Url::parse("http://127.0.0.1:8080/x")?).is_err());
        assert!(check_literal(&Url::parse("http://[::1]/")?).is_err());
        // The URL parser normalises other spellings of an IPv4 address, so they are caught too.
        assert!(check_literal(&Url::parse("http://0x7f.1/")?).is_err());
        assert!(check_literal(&Url::parse("http://2130706433/")?).is_err());
        assert!(check_literal(&Url::parse("http://localhost/")?).is_ok());
        assert!(check_literal(&Url::parse("https://1.1.1.1/")?).is_ok());
        Ok(())
    }
}
