//! Running the microdata plans on an Apache Ballista cluster.
//!
//! The microdata analyses are plans of standard DataFusion operators over
//! Parquet (see [`crate::microdata`]); Ballista executes the same logical
//! plans on a scheduler and its executors, exchanging partitions over Arrow
//! Flight. What changes on a cluster:
//! - the session is a Ballista client session (`df://host:port`);
//! - intermediates are not cached in the client's memory but written by the
//!   executors as Parquet into a work directory every executor can read (a
//!   shared path, or loopback), registered, and removed when the session ends;
//! - the bundled demo (compiled into the binary) cannot be read by executors.
//!
//! Everything here that needs Ballista is behind the `cluster` feature; the
//! default build carries only [`Exec`], [`WorkDir`] and a clear error.

use std::path::{Path, PathBuf};

use arrow::array::RecordBatch;
use datafusion::error::DataFusionError;
use datafusion::prelude::SessionContext;

use crate::error::{EngineError, Result};

/// Where microdata plans run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Exec {
    /// In this process (the default).
    #[default]
    Local,
    /// On a Ballista scheduler at `url` (`df://host:port`), with
    /// intermediates under `work_dir`, which every executor must be able to
    /// read and write; each query must finish within `timeout`.
    Cluster {
        url: String,
        work_dir: PathBuf,
        timeout: std::time::Duration,
    },
}

/// Default bound on one cluster query (`--cluster-timeout`).
pub const DEFAULT_TIMEOUT_SECS: u64 = 3600;

impl Exec {
    /// Parse `--cluster` (`df://host:port`) with the work directory and the
    /// longest a query may take.
    pub fn cluster(url: &str, work_dir: &Path, timeout_secs: u64) -> Result<Exec> {
        let rest = url.strip_prefix("df://").ok_or_else(|| {
            EngineError::bad_param(
                "cluster",
                format!("`{url}` is not a scheduler address of the form df://HOST:PORT"),
            )
        })?;
        let (host, port) = rest.rsplit_once(':').unwrap_or((rest, "50050"));
        if host.is_empty() || port.parse::<u16>().is_err() {
            return Err(EngineError::bad_param(
                "cluster",
                format!("`{url}`: expected df://HOST:PORT (port a number)"),
            ));
        }
        Ok(Exec::Cluster {
            url: format!("df://{host}:{port}"),
            work_dir: work_dir.to_path_buf(),
            timeout: std::time::Duration::from_secs(timeout_secs.max(1)),
        })
    }
}

/// A directory of intermediates, removed (with everything in it) when
/// dropped, so that a failed or finished query leaves nothing behind.
#[derive(Debug)]
pub struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    pub fn create(parent: &Path) -> Result<WorkDir> {
        let path = parent.join(format!(
            "innoscope-work-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&path).map_err(|e| EngineError::io(&path, e))?;
        Ok(WorkDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside the work directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Write one batch as a Parquet file (small tables the executors must read).
pub(crate) fn write_batch(path: &Path, batch: &RecordBatch) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| EngineError::io(path, e))?;
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None)?;
    w.write(batch)?;
    w.close()?;
    Ok(())
}

/// Run one cluster query, bounded by `timeout`: a job whose executor was
/// lost may otherwise wait for it indefinitely.
pub(crate) async fn bounded<T>(
    url: &str,
    timeout: std::time::Duration,
    fut: impl std::future::Future<Output = std::result::Result<T, DataFusionError>>,
) -> Result<T> {
    match tokio::time::timeout(timeout, fut).await {
        Ok(r) => r.map_err(|e| explain(url, &e)),
        Err(_) => Err(EngineError::Cluster {
            url: url.to_string(),
            message: format!(
                "the query did not finish within {} s; an executor may have been lost and not replaced",
                timeout.as_secs()
            ),
            hint: "check the executors (and their logs); restart the lost one or rerun; raise --cluster-timeout for very large jobs".into(),
        }),
    }
}

/// A cluster error in the user's terms, with what to do about it.
pub(crate) fn explain(url: &str, e: &DataFusionError) -> EngineError {
    let text = e.to_string();
    let lower = text.to_lowercase();
    let connect = lower.contains("connect")
        || lower.contains("transport error")
        || lower.contains("connection refused")
        || lower.contains("dns error");
    // A connection error names the address it failed on: the scheduler's, or
    // an executor's (whose partitions could not be fetched).
    let scheduler_port = url.rsplit(':').next().unwrap_or("");
    // The ports named in the message (`host:PORT`).
    let ports: Vec<&str> = text
        .split(':')
        .skip(1)
        .map(|rest| {
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|p| p.len() >= 2)
        .collect();
    let names_scheduler = ports.contains(&scheduler_port);
    let names_other = ports.iter().any(|p| *p != scheduler_port);
    let (what, hint) = if connect && names_other && !names_scheduler {
        (
            "an executor was lost during the query (its partitions could not be fetched)",
            "rerun the command: Ballista reschedules onto the executors that remain; check the executors' logs if it keeps failing".to_string(),
        )
    } else if connect {
        (
            "the Ballista scheduler cannot be reached",
            format!(
                "check that a scheduler listens at {url} (`innoscope cluster scheduler --bind HOST:PORT`) and that this machine can reach it"
            ),
        )
    } else if lower.contains("resources exhausted") || lower.contains("memory") {
        (
            "an executor ran out of memory",
            "give executors more memory (--memory-limit), start more executors, or import the dataset with more --partitions so each task reads less".to_string(),
        )
    } else if lower.contains("executor")
        && (lower.contains("lost")
            || lower.contains("terminated")
            || lower.contains("dead")
            || lower.contains("unavailable"))
        || lower.contains("fetch")
        || lower.contains("flight")
    {
        (
            "an executor was lost during the query",
            "rerun the command: Ballista reschedules onto the executors that remain; check the executors' logs if it keeps failing".to_string(),
        )
    } else {
        (
            "the query failed on the cluster",
            "run the same command without --cluster to see whether it fails in process too"
                .to_string(),
        )
    };
    EngineError::Cluster {
        url: url.to_string(),
        message: format!("{what}: {text}"),
        hint,
    }
}

/// A client session on the scheduler at `url` (`df://host:port`).
#[cfg(feature = "cluster")]
pub(crate) async fn context(url: &str) -> Result<SessionContext> {
    use ballista::prelude::{SessionConfigExt, SessionContextExt};
    use datafusion::execution::SessionStateBuilder;
    let config = datafusion::prelude::SessionConfig::new_with_ballista()
        .with_information_schema(false)
        .with_target_partitions(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        );
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    SessionContext::remote_with_state(url, state)
        .await
        .map_err(|e| explain(url, &e))
}

#[cfg(not(feature = "cluster"))]
pub(crate) async fn context(url: &str) -> Result<SessionContext> {
    Err(EngineError::Cluster {
        url: url.to_string(),
        message: "this innoscope was built without cluster support".into(),
        hint: "build it with `cargo build --release --features innoscope/cluster`".into(),
    })
}

/// Options of an executor process.
#[derive(Clone, Debug)]
pub struct ExecutorOptions {
    /// Address of the scheduler's gRPC service.
    pub scheduler: (String, u16),
    /// Address to bind; the Flight service on `port`, gRPC on `grpc_port`.
    pub bind_host: String,
    pub port: u16,
    pub grpc_port: u16,
    /// Task slots.
    pub slots: usize,
    /// Shuffle and spill directory.
    pub work_dir: PathBuf,
    /// Memory pool for all tasks, bytes (None: a share of the machine's).
    pub memory_limit: Option<u64>,
    /// Seconds between heartbeats to the scheduler.
    pub heartbeat_seconds: u64,
}

/// Run a Ballista scheduler until the process is stopped.
#[cfg(feature = "cluster")]
pub async fn run_scheduler(bind: std::net::SocketAddr, executor_timeout: u64) -> Result<()> {
    use ballista_scheduler::cluster::BallistaCluster;
    use ballista_scheduler::config::SchedulerConfig;
    let mut config = SchedulerConfig::default()
        .with_hostname(bind.ip().to_string())
        .with_port(bind.port());
    // A lost executor is noticed after `executor_timeout` seconds without a
    // heartbeat; its tasks then run on the executors that remain.
    config.executor_timeout_seconds = executor_timeout.max(2);
    config.no_executors_grace_period_seconds = executor_timeout.max(2);
    config.expire_dead_executor_interval_seconds = (executor_timeout / 4).clamp(1, 15);
    let cluster = BallistaCluster::new_from_config(&config)
        .await
        .map_err(|e| EngineError::store(Path::new("<scheduler>"), e))?;
    ballista_scheduler::scheduler_process::start_server(cluster, bind, std::sync::Arc::new(config))
        .await
        .map_err(|e| EngineError::store(Path::new("<scheduler>"), e))
}

/// Run a Ballista executor until the process is stopped.
#[cfg(feature = "cluster")]
pub async fn run_executor(o: ExecutorOptions) -> Result<()> {
    use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
    std::fs::create_dir_all(&o.work_dir).map_err(|e| EngineError::io(&o.work_dir, e))?;
    let config = ExecutorProcessConfig {
        bind_host: o.bind_host.clone(),
        external_host: Some(o.bind_host.clone()),
        port: o.port,
        grpc_port: o.grpc_port,
        scheduler_host: o.scheduler.0.clone(),
        scheduler_port: o.scheduler.1,
        vcores: o.slots.max(1),
        work_dir: Some(o.work_dir.display().to_string()),
        memory_pool_size: o.memory_limit,
        executor_heartbeat_interval_seconds: o.heartbeat_seconds,
        ..ExecutorProcessConfig::default()
    };
    start_executor_process(std::sync::Arc::new(config))
        .await
        .map_err(|e| EngineError::store(&o.work_dir, e))
}

#[cfg(not(feature = "cluster"))]
pub async fn run_scheduler(_bind: std::net::SocketAddr, _executor_timeout: u64) -> Result<()> {
    Err(context("df://-").await.err().expect("always an error"))
}

#[cfg(not(feature = "cluster"))]
pub async fn run_executor(_o: ExecutorOptions) -> Result<()> {
    Err(context("df://-").await.err().expect("always an error"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        let w = Path::new("/tmp");
        assert!(Exec::cluster("df://localhost:50050", w, 60).is_ok());
        assert_eq!(
            Exec::cluster("df://h", w, 60).unwrap(),
            Exec::Cluster {
                url: "df://h:50050".into(),
                work_dir: w.into(),
                timeout: std::time::Duration::from_secs(60),
            }
        );
        assert!(Exec::cluster("http://h:1", w, 60).is_err());
        assert!(Exec::cluster("df://h:port", w, 60).is_err());
    }

    #[test]
    fn errors_say_what_to_do() {
        let e = explain(
            "df://h:1",
            &DataFusionError::External("transport error: connection refused".into()),
        );
        let s = format!("{e} {}", e.hint().unwrap_or_default());
        assert!(
            s.contains("cannot be reached") && s.contains("innoscope cluster scheduler"),
            "{s}"
        );
        let e = explain(
            "df://127.0.0.1:50050",
            &DataFusionError::External(
                "Error connecting to Ballista scheduler or executor at http://127.0.0.1:55177: tonic::transport::Error(Transport, ConnectError)".into(),
            ),
        );
        assert!(e.to_string().contains("an executor was lost"), "{e}");
        let e = explain("df://h:1", &DataFusionError::ResourcesExhausted("x".into()));
        assert!(e.to_string().contains("out of memory"));
    }

    #[tokio::test]
    async fn a_query_that_hangs_is_cut_off() {
        let e = bounded("df://h:1", std::time::Duration::from_millis(20), async {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            Ok::<(), DataFusionError>(())
        })
        .await
        .unwrap_err();
        assert!(e.to_string().contains("did not finish within"), "{e}");
    }

    #[test]
    fn work_dirs_vanish() {
        let parent = std::env::temp_dir();
        let p = {
            let w = WorkDir::create(&parent).unwrap();
            std::fs::write(w.file("x"), "y").unwrap();
            w.path().to_path_buf()
        };
        assert!(!p.exists());
    }
}
