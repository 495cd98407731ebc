//! Who the client is: the TCP peer, unless the peer is a proxy the operator trusts
//! (`VW_TRUSTED_PROXIES`); then the address that proxy says it forwarded for, from
//! `X-Forwarded-For`. Throttles count by this address.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed. Empty by default: the header is then
/// ignored, since any client can write it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Comma-separated IP addresses and CIDR blocks (`10.0.0.0/8, 192.0.2.7, fd00::/8`);
    /// an empty text trusts none.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| format!("{entry:?} is neither an IP address nor a CIDR block"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        // An IPv4 peer of a dual-stack socket shows as ::ffff:a.b.c.d.
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request from `peer` that carries `forwarded_for` (the values of its
    /// `X-Forwarded-For` headers, in order). From a trusted peer: the rightmost address that
    /// is not itself a trusted proxy, each proxy having appended the address it was reached
    /// from (what lies further left is the client's own say-so); else the peer. An entry
    /// that is no address ends the walk at the last trusted hop.
    pub fn client<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl DoubleEndedIterator<Item = &'a str>,
    ) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        for entry in forwarded_for.rev().flat_map(|value| value.rsplit(',')) {
            let Some(hop) = parse_hop(entry.trim()) else {
                break;
            };
            client = hop;
            if !self.trusts(hop) {
                break;
            }
        }
        client
    }
}

/// An address as proxies write them: bare, or with a port (`192.0.2.1:4711`, `[2001:db8::1]:80`).
fn parse_hop(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn addresses_and_blocks_parse_and_nonsense_does_not() {
        let proxies = TrustedProxies::parse(" 10.0.0.0/8, 192.0.2.7 ,fd00::/8,").unwrap();
        for trusted in ["10.1.2.3", "192.0.2.7", "fd00::1", "::ffff:10.9.9.9"] {
            assert!(proxies.trusts(ip(trusted)), "{trusted}");
        }
        for untrusted in ["11.0.0.1", "192.0.2.8", "fe80::1"] {
            assert!(!proxies.trusts(ip(untrusted)), "{untrusted}");
        }
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::default()));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.internal").is_err());
    }

    #[test]
    fn the_client_is_the_rightmost_address_that_is_no_trusted_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let client =
            |peer: &str, headers: &[&str]| proxies.client(ip(peer), headers.iter().copied());
        assert_eq!(client("10.0.0.1", &["203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(
            client("10.0.0.1", &["198.51.100.1, 203.0.113.9, 10.0.0.2"]),
            ip("203.0.113.9"),
            "the client's own entries, left of what the proxies added, count for nothing"
        );
        assert_eq!(
            client("10.0.0.1", &["198.51.100.1", "203.0.113.9:4711"]),
            ip("203.0.113.9"),
            "several headers read as one list, ports dropped"
        );
        assert_eq!(client("10.0.0.1", &["[2001:db8::1]:80"]), ip("2001:db8::1"));
        assert_eq!(client("10.0.0.1", &[]), ip("10.0.0.1"));
        assert_eq!(client("10.0.0.1", &["10.0.0.2, 10.0.0.3"]), ip("10.0.0.2"));
        assert_eq!(
            client("10.0.0.1", &["203.0.113.9, garbage, 10.0.0.3"]),
            ip("10.0.0.3")
        );
        assert_eq!(
            client("192.0.2.1", &["203.0.113.9"]),
            ip("192.0.2.1"),
            "from an untrusted peer the header is ignored"
        );
    }
}
