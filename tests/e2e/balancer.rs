//! A round-robin TCP balancer on loopback: each accepted connection goes to the next backend
//! in turn, bytes copied both ways, as a layer-4 load balancer in front of replicas would.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::net::{TcpListener, TcpStream};

use crate::harness::{Server, free_port};

pub struct Balancer {
    pub base_url: String,
    /// Connections each backend answered (sent bytes back on), in the backends' order.
    connections: Arc<Vec<AtomicUsize>>,
    task: tokio::task::JoinHandle<()>,
}

impl Balancer {
    /// Listens on a free loopback port in front of `backends` (`host:port` each).
    pub async fn start(backends: Vec<String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base_url = format!("http://{}", listener.local_addr().expect("its address"));
        let connections: Arc<Vec<AtomicUsize>> = Arc::new(backends.iter().map(|_| AtomicUsize::new(0)).collect());
        let counts = connections.clone();
        let task = tokio::spawn(async move {
            let mut next = 0;
            while let Ok((mut inbound, _)) = listener.accept().await {
                let index = next % backends.len();
                next += 1;
                let backend = backends[index].clone();
                let counts = counts.clone();
                tokio::spawn(async move {
                    // A backend that refuses is a dropped connection, which clients see as such.
                    if let Ok(mut outbound) = TcpStream::connect(&backend).await
                        && let Ok((_, answered)) = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await
                        && answered > 0
                    {
                        counts[index].fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        });
        Self { base_url, connections, task }
    }

    pub fn connections(&self) -> Vec<usize> {
        self.connections.iter().map(|count| count.load(Ordering::Relaxed)).collect()
    }
}

/// Two `kassa serve` replicas on `database_url` behind a balancer, each with `flags` and the
/// balancer as `--public-url`, so both render the links their clients follow.
pub async fn two_replicas(database_url: &str, flags: &[&str]) -> (Balancer, [Server; 2]) {
    let ports = [free_port(), free_port()];
    let balancer = Balancer::start(ports.iter().map(|port| format!("127.0.0.1:{port}")).collect()).await;
    let flags = [&["--public-url", balancer.base_url.as_str()], flags].concat();
    let start = |port| Server::start_at(tempfile::tempdir().expect("a temp dir"), Some(database_url), &flags, port);
    let replicas = [start(ports[0]).await, start(ports[1]).await];
    (balancer, replicas)
}

impl Drop for Balancer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
