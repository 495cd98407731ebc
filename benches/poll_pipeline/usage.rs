//! CPU time and memory: this process's (getrusage), the PostgreSQL cluster's and the whole
//! machine's (/proc), so that a round's time can be split between the worker, the fake vendor,
//! the database and whatever else shares the machine.

use std::path::Path;

use anyhow::Context;
use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeVal;

/// Linux reports /proc times in USER_HZ, which its ABI fixes at 100 on every mainstream
/// architecture (whatever the kernel's own tick).
const USER_HZ: f64 = 100.0;

fn seconds(t: TimeVal) -> f64 {
    t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6
}

/// User + system CPU seconds used so far by every thread of this process.
pub fn own_cpu_seconds() -> anyhow::Result<f64> {
    let usage = getrusage(UsageWho::RUSAGE_SELF)?;
    Ok(seconds(usage.user_time()) + seconds(usage.system_time()))
}

/// This process's peak resident set, in KiB (Linux reports `ru_maxrss` in KiB).
pub fn own_peak_rss_kib() -> anyhow::Result<i64> {
    Ok(getrusage(UsageWho::RUSAGE_SELF)?.max_rss())
}

/// CPU seconds used so far by a postmaster and its server processes: its own time, that of
/// its exited children (reaped, so counted in its `cutime`/`cstime`), and that of the live
/// ones (backends, autovacuum, WAL writer, checkpointer).
pub fn cluster_cpu_seconds(postmaster: u32) -> anyhow::Result<f64> {
    let mut ticks = 0u64;
    for entry in std::fs::read_dir("/proc")? {
        let Ok(pid) = entry?.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        // A process may end between the listing and the read: skip it.
        let Some(stat) = ProcStat::read(pid) else {
            continue;
        };
        if pid == postmaster {
            ticks += stat.utime + stat.stime + stat.cutime + stat.cstime;
        } else if stat.ppid == postmaster {
            ticks += stat.utime + stat.stime;
        }
    }
    Ok(ticks as f64 / USER_HZ)
}

/// The postmaster's pid, from the first line of `postmaster.pid` in its data directory.
pub fn postmaster_pid(cluster: &Path) -> anyhow::Result<u32> {
    let path = cluster.join("postmaster.pid");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let first = text.lines().next().unwrap_or_default().trim();
    first
        .parse()
        .with_context(|| format!("{}: no pid on its first line", path.display()))
}

/// Busy CPU seconds of the whole machine so far, all cores together (from /proc/stat: every
/// state but idle and iowait).
pub fn machine_busy_seconds() -> anyhow::Result<f64> {
    let text = std::fs::read_to_string("/proc/stat")?;
    let line = text
        .lines()
        .find(|l| l.starts_with("cpu "))
        .context("/proc/stat has no cpu line")?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let busy: u64 = fields
        .iter()
        .take(8)
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, v)| v)
        .sum();
    Ok(busy as f64 / USER_HZ)
}

struct ProcStat {
    ppid: u32,
    utime: u64,
    stime: u64,
    cutime: u64,
    cstime: u64,
}

impl ProcStat {
    fn read(pid: u32) -> Option<ProcStat> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The command name is in parentheses and may hold spaces: fields start after the last
        // ')'. The third field there is the 4th of proc(5) (ppid); utime is the 14th.
        let rest = &text[text.rfind(')')? + 1..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<u64>().ok());
        Some(ProcStat {
            ppid: u32::try_from(field(4)?).ok()?,
            utime: field(14)?,
            stime: field(15)?,
            cutime: field(16)?,
            cstime: field(17)?,
        })
    }
}
