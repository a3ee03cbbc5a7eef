//! Starting and stopping real `kassa serve` processes.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `kassa` binary cargo built next to this test (`target/<profile>/kassa`); `KASSA_BIN`
/// overrides it. `cargo test --workspace` builds it, because the server has integration tests.
pub fn kassa_bin() -> PathBuf {
    if let Ok(path) = std::env::var("KASSA_BIN") {
        return path.into();
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
    let bin = profile_dir.join(format!("kassa{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `cargo xtask test` (or build -p kassa-server first)",
        bin.display()
    );
    bin
}

/// The Python that has the pinned tools (`tests/python/requirements.lock`), which
/// `cargo xtask test` installs into `target/python`.
pub fn pinned_python() -> Option<PathBuf> {
    pinned_tool("KASSA_TEST_PYTHON", "KASSA_REQUIRE_PYTHON", "the pinned Python tools")
}

/// The folder of the pinned npm tools' executables (`tests/node/package-lock.json`), which
/// `cargo xtask test` installs into `target/node`.
pub fn pinned_node_bin() -> Option<PathBuf> {
    pinned_tool("KASSA_TEST_NODE_BIN", "KASSA_REQUIRE_NODE", "the pinned npm tools")
}

/// The executables of the TypeScript client's own npm packages (`sdk-typescript/node_modules/.bin`),
/// which `cargo xtask test` installs from `sdk-typescript/package-lock.json`.
pub fn typescript_client_bin() -> Option<PathBuf> {
    pinned_tool("KASSA_TEST_TYPESCRIPT_BIN", "KASSA_REQUIRE_NODE", "the TypeScript client's npm packages")
}

/// The path `cargo xtask test` puts in `var`; without it the caller skips, loudly, unless
/// `require` is `1` (CI), which makes that a failure.
fn pinned_tool(var: &str, require: &str, what: &str) -> Option<PathBuf> {
    match std::env::var(var) {
        Ok(path) => Some(path.into()),
        Err(_) => {
            assert!(
                std::env::var(require).as_deref() != Ok("1"),
                "{require}=1 but {var} is not set: run the tests with `cargo xtask test`"
            );
            eprintln!("SKIPPED: a check with {what} (run `cargo xtask test`, which installs them)");
            None
        }
    }
}

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ lives in the repository").to_owned()
}

/// An example of `kassa-sdk`, built by `cargo test --workspace --all-targets`.
pub fn example_bin(name: &str) -> PathBuf {
    let bin = kassa_bin().with_file_name("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing: run the tests with `cargo xtask test`", bin.display());
    bin
}

/// Runs `command` to success; its standard output.
pub fn succeeds(command: &mut Command, what: &str) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("{what} did not start: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{what} failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// A running `kassa serve`, stopped with SIGTERM on drop. Its output goes to `log`.
pub struct Server {
    pub base_url: String,
    pub log: PathBuf,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// `kassa serve` on a free port over `database_url` (a fresh SQLite file when `None`).
    pub async fn start(database_url: Option<&str>) -> Self {
        Self::start_in(tempfile::tempdir().expect("a temp dir"), database_url).await
    }

    /// Like `start`, in `dir` (where a SQLite `kassa.db` may already be).
    pub async fn start_in(dir: tempfile::TempDir, database_url: Option<&str>) -> Self {
        Self::start_with(dir, database_url, &[]).await
    }

    /// Like `start_in`, with more `kassa serve` flags.
    pub async fn start_with(dir: tempfile::TempDir, database_url: Option<&str>, flags: &[&str]) -> Self {
        Self::start_at(dir, database_url, flags, free_port()).await
    }

    /// Like `start_with`, on `port` (a restart where clients expect the server).
    pub async fn start_at(dir: tempfile::TempDir, database_url: Option<&str>, flags: &[&str], port: u16) -> Self {
        let database_url = database_url
            .map(str::to_owned)
            .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("kassa.db").display()));
        let mut command = Command::new(kassa_bin());
        command
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", &database_url])
            .args(flags)
            .current_dir(dir.path());
        Self::spawn(command, dir, &format!("http://127.0.0.1:{port}")).await
    }

    /// Spawns `command` (its stdout and stderr to a log file in `dir`) and waits for `/healthz`.
    pub async fn spawn(mut command: Command, dir: tempfile::TempDir, base_url: &str) -> Self {
        let log = dir.path().join("kassa.log");
        let out = std::fs::File::create(&log).expect("a log file");
        let err = out.try_clone().expect("a log file handle");
        let child = command.stdout(Stdio::from(out)).stderr(Stdio::from(err)).spawn().expect("kassa starts");
        let server = Self { base_url: base_url.to_owned(), log, child: Some(child), _dir: dir };
        server.wait_healthy().await;
        server
    }

    async fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let http = reqwest::Client::new();
        while Instant::now() < deadline {
            if let Ok(response) = http.get(format!("{}/healthz", self.base_url)).send().await
                && response.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("kassa did not become healthy at {}; log:\n{}", self.base_url, self.log_text());
    }

    /// The SQLite database file of a server started with `start(None)`.
    pub fn database_path(&self) -> PathBuf {
        self._dir.path().join("kassa.db")
    }

    /// The SQLite database file of a server started with `start(None)`, and its WAL.
    pub fn database_bytes(&self) -> Vec<u8> {
        let db = self._dir.path().join("kassa.db");
        [std::fs::read(&db).unwrap_or_default(), std::fs::read(db.with_extension("db-wal")).unwrap_or_default()]
            .concat()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).expect("a running child")
    }

    /// Kills the server with SIGKILL, as a crash would, and hands back its directory, database
    /// included.
    pub fn kill_keeping_data(mut self) -> tempfile::TempDir {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").args(["-KILL", &child.id().to_string()]).status();
            let _ = child.wait();
        }
        let placeholder = tempfile::tempdir().expect("a temp dir");
        std::mem::replace(&mut self._dir, placeholder)
    }

    /// Stops the server (SIGTERM) and hands back its directory, database included.
    pub fn stop_keeping_data(mut self) -> tempfile::TempDir {
        assert!(self.terminate(), "kassa did not stop cleanly:\n{}", self.log_text());
        let placeholder = tempfile::tempdir().expect("a temp dir");
        std::mem::replace(&mut self._dir, placeholder)
    }

    /// Sends SIGTERM and waits for the exit; returns whether it exited successfully.
    pub fn terminate(&mut self) -> bool {
        let Some(mut child) = self.child.take() else { return false };
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub use kassa_testkit::postgres_database;

/// The sample shop's binary (`examples/shop`), built beside `kassa` by `cargo xtask test`.
pub fn shop_bin() -> PathBuf {
    let bin = kassa_bin().with_file_name(format!("kassa-shop{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing: run the tests with `cargo xtask test`", bin.display());
    bin
}

/// A running process whose output lines (stdout and stderr) are collected as they come, and
/// which is killed on drop: `kassa listen`, the sample shop.
pub struct Watched {
    child: Child,
    name: &'static str,
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Watched {
    pub fn spawn(mut command: Command, name: &'static str) -> Self {
        use std::io::{BufRead, BufReader};
        let mut child =
            command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap_or_else(|e| panic!("{name}: {e}"));
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let streams = [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child.stderr.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ];
        for stream in streams.into_iter().flatten() {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        Self { child, name, lines }
    }

    /// The first line containing `text`, waiting up to 20 s for it.
    pub async fn line_with(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(line) = self.lines.lock().unwrap().iter().find(|l| l.contains(text)) {
                return line.clone();
            }
            assert!(Instant::now() < deadline, "{} never printed {text:?}: {:?}", self.name, self.output());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn output(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Ctrl-C, as a person stops it; whether it exited cleanly.
    pub fn interrupt(mut self) -> bool {
        let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        false
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
