//! A throwaway PostgreSQL cluster for the test run: a temp dir, loopback only, a free port,
//! stopped and deleted on drop. initdb refuses to run as root, so as root it runs as `postgres`.
//! The end-to-end tests include this file too, for a cluster they stop and start themselves.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

pub struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    as_postgres: bool,
    /// Whether commits wait for the disk (off for tests, on for benchmarks).
    fsync: bool,
}

impl Cluster {
    /// `None` when no server binaries are installed. Commits do not wait for the disk: the
    /// data is thrown away anyway, and tests run faster.
    pub fn start() -> Result<Option<Self>> {
        Self::start_with(false)
    }

    /// Like `start`, with commits durable as in production, for benchmarks.
    #[allow(dead_code, reason = "the end-to-end tests include this file and never benchmark")]
    pub fn start_durable() -> Result<Option<Self>> {
        Self::start_with(true)
    }

    fn start_with(fsync: bool) -> Result<Option<Self>> {
        let Some(bin) = find_bin() else { return Ok(None) };
        let as_postgres = is_root();
        static CLUSTERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = CLUSTERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let data = std::env::temp_dir().join(format!("kassa-pg-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).context("creating the cluster's temp dir")?;
        if as_postgres {
            run(Command::new("chown").arg("postgres").arg(&data))?;
        }
        let port = free_port()?;
        let cluster = Self { bin, data, port, as_postgres, fsync };
        let data = cluster.data.display().to_string();
        cluster.pg("initdb", &["-D", &data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])?;
        cluster.start_again()?;
        Ok(Some(cluster))
    }

    /// Starts the server again after [`Cluster::stop`], on the same port and data.
    pub fn start_again(&self) -> Result<()> {
        let data = self.data.display().to_string();
        let port = self.port;
        let fsync = if self.fsync { "on" } else { "off" };
        let options =
            format!("-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync={fsync} -c max_connections=300");
        let log = format!("{data}/log");
        self.pg("pg_ctl", &["-D", &data, "-w", "-l", &log, "-o", &options, "start"])
    }

    /// Stops the server (fast: open connections are closed), keeping its data.
    #[allow(dead_code, reason = "the end-to-end tests stop a cluster; the test run never does")]
    pub fn stop(&self) -> Result<()> {
        self.pg("pg_ctl", &["-D", &self.data.display().to_string(), "-w", "-m", "fast", "stop"])
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn pg(&self, tool: &str, args: &[&str]) -> Result<()> {
        let program = self.bin.join(tool);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        command.args(args).stdout(std::process::Stdio::null());
        run(&mut command)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        let _ = self.pg("pg_ctl", &["-D", &data, "-m", "fast", "stop"]);
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

fn find_bin() -> Option<PathBuf> {
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((version, bin))
        })
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

fn run(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("starting {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}
