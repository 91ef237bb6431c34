//! Handing freed memory back to the system once the server is idle.
//!
//! An analysis that ends, or is aborted because its request went away,
//! frees its memory to the allocator, but glibc's malloc keeps most freed
//! pages mapped in its per-thread arenas: after a burst of heavy requests
//! the process stays at its peak size with nothing running. So when the
//! last running analysis ends and none starts for a short while, the server
//! asks the allocator to return its free pages (`malloc_trim`). Elsewhere
//! (another allocator or platform) the release is a no-op.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

/// Counts the analyses running; the last to end schedules the release.
pub(crate) struct Active {
    running: AtomicUsize,
    /// Bumped by every start, so a release scheduled before a new run
    /// began is skipped.
    generation: AtomicU64,
    releases: AtomicU64,
    runtime: tokio::runtime::Handle,
    after: Duration,
}

/// One running analysis; dropping it (the run ended or was aborted) may
/// schedule the release.
pub(crate) struct Running(Arc<Active>);

impl Active {
    pub(crate) fn new(runtime: tokio::runtime::Handle, after: Duration) -> Active {
        Active {
            running: AtomicUsize::new(0),
            generation: AtomicU64::new(0),
            releases: AtomicU64::new(0),
            runtime,
            after,
        }
    }

    pub(crate) fn enter(self: &Arc<Self>) -> Running {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.running.fetch_add(1, Ordering::SeqCst);
        Running(self.clone())
    }

    pub(crate) fn releases(&self) -> u64 {
        self.releases.load(Ordering::SeqCst)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let a = &self.0;
        if a.running.fetch_sub(1, Ordering::SeqCst) != 1 {
            return;
        }
        let generation = a.generation.load(Ordering::SeqCst);
        let a = a.clone();
        // Later, so that work the run left on blocking threads (told to
        // stop) has freed its memory too.
        a.runtime.clone().spawn(async move {
            tokio::time::sleep(a.after).await;
            if a.running.load(Ordering::SeqCst) == 0
                && a.generation.load(Ordering::SeqCst) == generation
            {
                release();
                a.releases.fetch_add(1, Ordering::SeqCst);
                tracing::debug!("idle: freed memory handed back to the system");
            }
        });
    }
}

/// Return the allocator's free pages to the system.
#[allow(unsafe_code)]
fn release() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own arenas under their locks;
    // it takes no pointers from us and is safe to call from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
