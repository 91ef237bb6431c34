//! One memory budget for the analyses of a process, and cancellation of
//! their synchronous steps.
//!
//! Every DataFusion session the engine opens (the statistics session and
//! each microdata session) shares one [`RuntimeEnv`], so its memory pool
//! bounds all the queries running at once, not each query alone. With a
//! limit the pool is DataFusion's `FairSpillPool`: sorts and aggregations
//! spill to the OS temporary directory when their share is used up; what
//! cannot spill (a hash join's build side, an analysis' own tables) fails
//! with [`EngineError::Memory`] instead of growing past the limit. Work
//! outside DataFusion (the applicant harmoniser) reserves an estimate of
//! its memory from the same pool before it starts ([`Memory::reserve`]).
//! The server answers `Memory` with 503 and `Retry-After`.

use std::sync::Arc;

use datafusion::execution::memory_pool::{FairSpillPool, MemoryConsumer, MemoryReservation};
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use innoscope_core::cancel::{Cancel, Cancelled};

use crate::error::{EngineError, Result};

/// The memory budget of an engine: unbounded, or a limit in bytes.
#[derive(Clone, Debug)]
pub struct Memory {
    runtime: Arc<RuntimeEnv>,
    limit: Option<usize>,
}

impl Default for Memory {
    fn default() -> Self {
        Memory {
            runtime: Arc::new(RuntimeEnv::default()),
            limit: None,
        }
    }
}

impl Memory {
    /// A budget of `limit` bytes (`None`: no limit).
    pub fn new(limit: Option<usize>) -> Result<Memory> {
        let Some(limit) = limit else {
            return Ok(Memory::default());
        };
        let runtime = RuntimeEnvBuilder::new()
            .with_memory_pool(Arc::new(FairSpillPool::new(limit)))
            .build_arc()?;
        Ok(Memory {
            runtime,
            limit: Some(limit),
        })
    }

    /// The limit in bytes, if any.
    pub fn limit(&self) -> Option<usize> {
        self.limit
    }

    /// The runtime every session of the engine is opened with.
    pub fn runtime(&self) -> Arc<RuntimeEnv> {
        self.runtime.clone()
    }

    /// Bytes reserved from the pool now (all running analyses).
    pub fn reserved(&self) -> usize {
        self.runtime.memory_pool.reserved()
    }

    /// Reserve `bytes` for `what` (work outside DataFusion), released when
    /// the reservation is dropped. Fails with [`EngineError::Memory`] when
    /// the budget has no room for it.
    pub fn reserve(&self, what: &str, bytes: usize) -> Result<MemoryReservation> {
        let r = MemoryConsumer::new(what).register(&self.runtime.memory_pool);
        r.try_grow(bytes).map_err(|e| self.exhausted(e))?;
        Ok(r)
    }

    /// An error of a query of this engine, with the limit named when it is
    /// the pool that ran out.
    pub fn exhausted(&self, e: datafusion::error::DataFusionError) -> EngineError {
        self.name_limit(EngineError::from(e))
    }

    /// `e`, with this budget's limit named if it is a memory error.
    pub fn name_limit(&self, e: EngineError) -> EngineError {
        match e {
            EngineError::Memory { message, .. } => EngineError::Memory {
                limit: self.limit,
                message,
            },
            other => other,
        }
    }
}

/// Run the synchronous `work` on a blocking thread. When the future
/// awaiting it is dropped (the request that wanted it went away), the
/// [`Cancel`] handed to `work` is raised; `work` checks it and stops early.
pub async fn blocking<T, F>(work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Cancel) -> std::result::Result<T, Cancelled> + Send + 'static,
{
    struct RaiseOnDrop(Cancel);
    impl Drop for RaiseOnDrop {
        fn drop(&mut self) {
            self.0.cancel();
        }
    }
    let cancel = Cancel::new();
    let guard = RaiseOnDrop(cancel.clone());
    let out = tokio::task::spawn_blocking(move || work(&cancel))
        .await
        .map_err(|e| EngineError::Cancelled(format!("the worker thread failed: {e}")))?;
    drop(guard);
    out.map_err(|_| EngineError::Cancelled("the request was withdrawn".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reservation_beyond_the_limit_is_refused_and_names_it() {
        let m = Memory::new(Some(1 << 20)).unwrap();
        let held = m.reserve("test", 1 << 19).unwrap();
        assert_eq!(m.reserved(), 1 << 19);
        match m.reserve("test", 1 << 20) {
            Err(EngineError::Memory { limit, .. }) => assert_eq!(limit, Some(1 << 20)),
            other => panic!("expected a memory error, got {other:?}"),
        }
        drop(held);
        assert_eq!(m.reserved(), 0);
        assert!(m.reserve("test", 1 << 20).is_ok());
        // No limit: anything goes.
        assert!(Memory::default().reserve("test", 1 << 40).is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropping_the_future_raises_the_flag() {
        let (seen_tx, seen_rx) = std::sync::mpsc::channel();
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let fut = blocking(move |c: &Cancel| {
            let _ = started_tx.send(());
            while !c.is_cancelled() {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            let _ = seen_tx.send(());
            Err::<(), _>(Cancelled)
        });
        let task = tokio::spawn(fut);
        started_rx.await.unwrap();
        task.abort();
        let mut seen = false;
        for _ in 0..1000 {
            if seen_rx.try_recv().is_ok() {
                seen = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(seen, "the work saw the flag");
        assert_eq!(
            blocking(|_| Ok::<_, Cancelled>(7)).await.unwrap(),
            7,
            "undisturbed work returns its value"
        );
    }
}
