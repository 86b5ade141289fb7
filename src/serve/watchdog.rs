//! Cancels the queries that run past their deadline: one thread watches
//! the deadlines of the queries in flight and cancels their evaluation.

use oxigraph::sparql::CancellationToken;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Cancels the queries that run past their deadline.
#[derive(Default)]
pub(crate) struct Watchdog {
    watched: Mutex<Vec<(u64, Instant, CancellationToken)>>,
    next: AtomicU64,
}

/// Stops watching a query when dropped.
pub(crate) struct Watch<'a> {
    watchdog: &'a Watchdog,
    id: u64,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        self.watchdog
            .watched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(id, _, _)| *id != self.id);
    }
}

impl Watchdog {
    /// Cancels `token` at `deadline`, unless the returned watch is dropped first.
    pub(crate) fn watch(&self, token: CancellationToken, deadline: Instant) -> Watch<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.watched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, deadline, token));
        Watch { watchdog: self, id }
    }

    /// Watches until `stop` is set.
    pub(crate) fn run(&self, stop: &AtomicBool) {
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
            let now = Instant::now();
            for (_, deadline, token) in self
                .watched
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
            {
                if *deadline <= now {
                    token.cancel();
                }
            }
        }
    }
}
