//! `spawn_app`: a real server on an ephemeral port over a fresh database, SQLite or PostgreSQL.
//! The typed requests are the test kit's (`kassa-testkit`), shared with the end-to-end tests.

use std::path::PathBuf;
use std::time::Duration;

use kassa_server::app::{AppState, router};
use kassa_server::config::Config;
pub use kassa_testkit::{Api, assert_error};

/// Tests sign their own tokens (expired, tampered) with this.
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A real server on an ephemeral port, in this process, over its own database. It derefs to
/// the test kit's [`Api`], the typed requests the end-to-end tests use too.
pub struct TestApp {
    pub state: AppState,
    /// Stops the server (gracefully) and tells when it has.
    stop: tokio::sync::oneshot::Sender<()>,
    serving: tokio::task::JoinHandle<()>,
    pub api: Api,
    /// The SQLite file, for tests that inspect what was stored.
    pub db_path: Option<PathBuf>,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for TestApp {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.api
    }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// Like `spawn_app`, with the test configuration changed by `configure` first.
pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (database_url, db_path) = match backend {
        Backend::Sqlite => {
            let path = dir.path().join("kassa.db");
            (format!("sqlite://{}", path.display()), Some(path))
        }
        Backend::Postgres => (kassa_testkit::postgres_database().await?, None),
    };
    let mut config = test_config(&database_url, Some(JWT_SECRET));
    configure(&mut config);
    let state = AppState::build(config).await.expect("the app starts");
    Some(serve(state, database_url, db_path, dir).await)
}

/// The configuration a test server runs with.
pub fn test_config(database_url: &str, jwt_secret: Option<&str>) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().expect("an address"),
        database_url: database_url.to_owned(),
        public_url: "http://127.0.0.1".into(),
        jwt_secret: jwt_secret.map(str::to_owned),
        webhook_retry_schedule: vec![Duration::from_secs(1), Duration::from_secs(1)],
        request_timeout: Duration::from_secs(30),
        debit_settlement_delay: Duration::from_secs(1),
        webhook_public_only: false,
        rate_limits: Default::default(),
        client_ip_header: None,
    }
}

/// A server over an existing database (a second replica on PostgreSQL, or a restart); with no
/// `jwt_secret` it uses the one kept in the database.
pub async fn spawn_on(
    database_url: String,
    db_path: Option<PathBuf>,
    dir: tempfile::TempDir,
    jwt_secret: Option<&str>,
) -> TestApp {
    let state = AppState::build(test_config(&database_url, jwt_secret)).await.expect("the app starts");
    serve(state, database_url, db_path, dir).await
}

/// Serves `state` on an ephemeral port.
pub async fn serve(state: AppState, database_url: String, db_path: Option<PathBuf>, dir: tempfile::TempDir) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("a local address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    // The webhook worker runs as in `kassa serve`; the expiry sweeper does not: tests run its
    // passes themselves (`sweep_once`), to see what reads alone do.
    let (stop_worker, worker_stopped) = tokio::sync::watch::channel(false);
    kassa_server::app::start_workers(&state, worker_stopped);
    let app = router(state.clone());
    let serving = tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
        let _ = stop_worker.send(true);
    });
    TestApp { state, stop, serving, api: Api::new(format!("http://{addr}")), db_path, database_url, _dir: dir }
}

impl TestApp {
    /// Another server on this app's database.
    pub async fn replica(&self, jwt_secret: Option<&str>) -> TestApp {
        spawn_on(self.database_url.clone(), self.db_path.clone(), tempfile::tempdir().expect("a temp dir"), jwt_secret)
            .await
    }

    /// Another server on this one's database, configured as this one is.
    pub async fn replica_like(&self) -> TestApp {
        let state = AppState::build(self.state.config.clone()).await.expect("the app starts");
        serve(state, self.database_url.clone(), self.db_path.clone(), tempfile::tempdir().expect("a temp dir")).await
    }

    pub fn is_sqlite(&self) -> bool {
        self.db_path.is_some()
    }

    /// Stops this server, waits until it has let go of its database, and starts another on it.
    pub async fn restart(self, jwt_secret: Option<&str>) -> TestApp {
        let TestApp { state, stop, serving, database_url, db_path, _dir, .. } = self;
        let _ = stop.send(());
        let _ = serving.await;
        state.tasks.close();
        state.tasks.wait().await;
        // As `kassa serve` does on its way out: the last group commit ends before the file is
        // let go of.
        state.store.close().await;
        drop(state);
        spawn_on(database_url, db_path, _dir, jwt_secret).await
    }

    /// Another process on this app's database: on PostgreSQL a replica beside this one, which
    /// keeps running; on SQLite, whose file belongs to one process, this one restarted.
    pub async fn next_process(self, jwt_secret: Option<&str>) -> TestApp {
        if self.is_sqlite() { self.restart(jwt_secret).await } else { self.replica(jwt_secret).await }
    }

    /// Sets a timestamp column of the rows whose `key_column` is `key`, to move them through time.
    pub async fn set_time(
        &self,
        table: &str,
        column: &str,
        key_column: &str,
        key: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) {
        kassa_testkit::set_time(&self.database_url, table, column, key_column, key, at).await;
        // A change behind the store's back: its caches must not hide it.
        self.state.store.forget_cached_rows();
    }
}

/// Declares each listed `async fn NAME(app: TestApp)` as two tests, `sqlite::NAME` and
/// `postgres::NAME`, each on a fresh database of its own.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await.expect("SQLite is always there");
                    super::$name(app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            )*
        }
    };
}
