//! The cluster's TCP port: remembered across restarts, so that a URL someone wrote down
//! keeps working, but replaced when another program has taken it meanwhile.

use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;

use super::Error;
use super::error::io;

/// The remembered port if it is free now, else a free port from the kernel. Either way it
/// is written back to `file`.
pub fn choose(file: &Path) -> Result<u16, Error> {
    let remembered = std::fs::read_to_string(file)
        .ok()
        .and_then(|text| text.trim().parse::<u16>().ok());
    let port = match remembered {
        Some(port) if is_free(port) => port,
        Some(port) => {
            let fresh = free_port().map_err(io("find a free port for", file))?;
            tracing::warn!(
                taken = port,
                port = fresh,
                "the embedded cluster's port is taken; moving"
            );
            fresh
        }
        None => free_port().map_err(io("find a free port for", file))?,
    };
    remember(file, port)?;
    Ok(port)
}

pub fn remember(file: &Path, port: u16) -> Result<(), Error> {
    std::fs::write(file, format!("{port}\n")).map_err(io("write", file))
}

/// Whether nothing listens on 127.0.0.1:`port`. Another program could still take it before
/// the postmaster binds; the postmaster then fails to start with that in its log.
fn is_free(port: u16) -> bool {
    port != 0 && TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok()
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_free_remembered_port() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("pg.port");
        let first = choose(&file).unwrap();
        assert_ne!(first, 0);
        assert_eq!(choose(&file).unwrap(), first);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            format!("{first}\n")
        );
    }

    #[test]
    fn moves_off_a_taken_port_and_remembers_the_new_one() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("pg.port");
        let squatter = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let taken = squatter.local_addr().unwrap().port();
        remember(&file, taken).unwrap();
        let chosen = choose(&file).unwrap();
        assert_ne!(chosen, taken);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            format!("{chosen}\n")
        );
    }
}
