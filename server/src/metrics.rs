//! Request metrics for `GET /metrics`, in the Prometheus text format: counts per status class
//! and the total time spent answering. Lock-free counters, cheap on the hot path.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Metrics {
    /// Indexed by the status class: 1xx … 5xx.
    by_class: [AtomicU64; 5],
    micros: AtomicU64,
}

impl Metrics {
    pub fn record(&self, status: u16, latency: Duration) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        self.by_class[class].fetch_add(1, Relaxed);
        self.micros.fetch_add(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX), Relaxed);
    }

    pub fn render(&self) -> String {
        let mut out = String::from(
            "# HELP kassa_http_requests_total HTTP requests answered, by status class.\n\
             # TYPE kassa_http_requests_total counter\n",
        );
        let mut count = 0;
        for (i, counter) in self.by_class.iter().enumerate() {
            let n = counter.load(Relaxed);
            count += n;
            let _ = writeln!(out, "kassa_http_requests_total{{class=\"{}xx\"}} {n}", i + 1);
        }
        let seconds = self.micros.load(Relaxed) as f64 / 1e6;
        let _ = write!(
            out,
            "# HELP kassa_http_request_duration_seconds Time spent answering HTTP requests.\n\
             # TYPE kassa_http_request_duration_seconds summary\n\
             kassa_http_request_duration_seconds_sum {seconds}\n\
             kassa_http_request_duration_seconds_count {count}\n"
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_status_class() {
        let metrics = Metrics::default();
        metrics.record(200, Duration::from_millis(2));
        metrics.record(201, Duration::from_millis(2));
        metrics.record(404, Duration::from_millis(1));
        let text = metrics.render();
        assert!(text.contains("kassa_http_requests_total{class=\"2xx\"} 2\n"), "{text}");
        assert!(text.contains("kassa_http_requests_total{class=\"4xx\"} 1\n"), "{text}");
        assert!(text.contains("kassa_http_request_duration_seconds_count 3\n"), "{text}");
        assert!(text.contains("kassa_http_request_duration_seconds_sum 0.005\n"), "{text}");
    }
}
