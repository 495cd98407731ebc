//! Who runs the cluster's processes. PostgreSQL refuses to run as root, and these machines
//! (CI included) run everything as root: then the cluster runs as an unprivileged system
//! user, switched to with `setuid` in the child (no `su`, which may be missing or ask for
//! a password).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use nix::unistd::{User, geteuid};

use super::Error;
use super::error::io;

/// The user the cluster's files belong to and its processes run as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterUser {
    /// We are not root: the cluster is simply ours.
    Current,
    /// We are root: initdb and pg_ctl run as this user, who owns the cluster directory.
    System { name: String, uid: u32, gid: u32 },
}

impl ClusterUser {
    /// `Current` unless the effective user is root; then `postgres` where it exists, else
    /// `nobody`.
    pub fn for_this_process() -> Result<Self, Error> {
        if !geteuid().is_root() {
            return Ok(Self::Current);
        }
        for name in ["postgres", "nobody"] {
            let found =
                User::from_name(name).map_err(|source| Error::UserLookup { user: name, source })?;
            if let Some(user) = found {
                return Ok(Self::System {
                    name: user.name,
                    uid: user.uid.as_raw(),
                    gid: user.gid.as_raw(),
                });
            }
        }
        Err(Error::NoUnprivilegedUser)
    }

    /// Makes `cmd` run as this user, from `/` (our working directory, say `/root`, may be
    /// closed to it). Without supplementary groups: std drops them when root sets a uid.
    pub fn apply(&self, cmd: &mut tokio::process::Command) {
        cmd.current_dir("/");
        if let Self::System { uid, gid, .. } = self {
            cmd.uid(*uid).gid(*gid);
        }
    }

    /// Gives `path` (and, for a directory, everything inside it) to this user, so that a
    /// cluster made by another user (say `nobody` before `postgres` was installed) still
    /// starts: PostgreSQL insists on owning its data directory. A top that is already
    /// ours stands for the whole tree, so that a normal start walks nothing.
    pub fn take_ownership(&self, path: &Path) -> Result<(), Error> {
        let Self::System { uid, gid, .. } = self else {
            return Ok(());
        };
        let meta = std::fs::symlink_metadata(path).map_err(io("inspect", path))?;
        if meta.uid() == *uid && meta.gid() == *gid {
            return Ok(());
        }
        tracing::info!(path = %path.display(), uid, "giving the cluster's files to its user");
        chown_tree(path, *uid, *gid)
    }

    /// Fails unless this user can enter every directory from `/` down to `dir`: a parent
    /// owned by root with mode 0700 (a home directory, a fresh temp dir) locks it out.
    pub fn check_can_reach(&self, dir: &Path) -> Result<(), Error> {
        let Self::System { name, uid, gid } = self else {
            return Ok(());
        };
        let dir = std::fs::canonicalize(dir).map_err(io("resolve", dir))?;
        for ancestor in dir.ancestors() {
            let meta = std::fs::metadata(ancestor).map_err(io("inspect", ancestor))?;
            let (mode, owner, group) = (meta.mode(), meta.uid(), meta.gid());
            if !can_search(mode, owner, group, *uid, *gid) {
                return Err(Error::Unreachable {
                    user: name.clone(),
                    dir: PathBuf::from(ancestor),
                    mode: mode & 0o7777,
                    owner,
                });
            }
        }
        Ok(())
    }
}

/// Like `chown -R`, without following symlinks.
fn chown_tree(path: &Path, uid: u32, gid: u32) -> Result<(), Error> {
    std::os::unix::fs::lchown(path, Some(uid), Some(gid)).map_err(io("chown", path))?;
    let meta = std::fs::symlink_metadata(path).map_err(io("inspect", path))?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).map_err(io("read", path))? {
            chown_tree(&entry.map_err(io("read", path))?.path(), uid, gid)?;
        }
    }
    Ok(())
}

/// Whether a process with `uid` and primary group `gid` (and no other groups) may enter a
/// directory with that mode and owner: the owner bits apply to the owner alone, the group
/// bits to its group, the other bits to everyone else.
fn can_search(mode: u32, owner: u32, group: u32, uid: u32, gid: u32) -> bool {
    if uid == owner {
        mode & 0o100 != 0
    } else if gid == group {
        mode & 0o010 != 0
    } else {
        mode & 0o001 != 0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    const ROOT: u32 = 0;
    const PG: u32 = 101;
    const PG_GROUP: u32 = 104;

    #[test]
    fn a_root_owned_0700_directory_locks_others_out() {
        assert!(!can_search(0o700, ROOT, ROOT, PG, PG_GROUP));
        assert!(can_search(0o711, ROOT, ROOT, PG, PG_GROUP));
        assert!(can_search(0o755, ROOT, ROOT, PG, PG_GROUP));
    }

    #[test]
    fn owner_and_group_bits_apply_only_to_them() {
        assert!(can_search(0o700, PG, PG_GROUP, PG, PG_GROUP));
        // The owner's own bits decide for the owner, even when "others" may enter.
        assert!(!can_search(0o011, PG, ROOT, PG, PG_GROUP));
        assert!(can_search(0o750, ROOT, PG_GROUP, PG, PG_GROUP));
        assert!(!can_search(0o701, ROOT, PG_GROUP, PG, PG_GROUP));
    }

    #[test]
    fn the_current_user_needs_no_check() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(ClusterUser::Current.check_can_reach(tmp.path()).is_ok());
    }

    #[test]
    fn an_unreachable_directory_is_named_with_the_fix() {
        // A 0700 directory of ours: a user that is neither us nor in our group cannot enter.
        let tmp = tempfile::tempdir().unwrap();
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let inner = tmp.path().join("data");
        std::fs::create_dir(&inner).unwrap();
        let stranger = ClusterUser::System {
            name: "stranger".into(),
            uid: 4_000_000,
            gid: 4_000_000,
        };
        let err = stranger.check_can_reach(&inner).unwrap_err().to_string();
        let tmp_dir = std::fs::canonicalize(tmp.path()).unwrap();
        assert!(
            err.contains(&format!("cannot enter {} (mode 700", tmp_dir.display())),
            "{err}"
        );
        assert!(err.contains("chmod o+x"), "{err}");
    }
}
