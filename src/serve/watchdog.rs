//! Stops the work that runs past its deadline: one thread watches the
//! deadlines of the requests in flight and, when one passes, kills the
//! evaluator process that works on it (or cancels an evaluation that runs
//! in the server, which the engine checks only now and then). When the
//! server stops, every deadline comes within [`GRACE`].

use crate::sandbox::Kill;
use oxigraph::sparql::CancellationToken;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long the requests in flight may go on once the server stops.
pub(crate) const GRACE: Duration = Duration::from_secs(2);

/// What stops one request's work.
pub(crate) enum Stop {
    /// The engine's token, in this process.
    Token(CancellationToken),
    /// The evaluator process that works on it.
    Process(Kill),
}

impl Stop {
    fn stop(&self) {
        match self {
            Stop::Token(token) => token.cancel(),
            Stop::Process(kill) => kill.kill(),
        }
    }
}

/// Stops the requests that run past their deadline.
#[derive(Default)]
pub(crate) struct Watchdog {
    watched: Mutex<Vec<(u64, Instant, Stop)>>,
    next: AtomicU64,
}

/// Stops watching a request when dropped.
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
    /// Stops `work` at `deadline` (`None`: only when the server stops),
    /// unless the returned watch is dropped first.
    pub(crate) fn watch(&self, work: Stop, deadline: Option<Instant>) -> Watch<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        // Far enough to mean never, near enough not to overflow.
        let deadline =
            deadline.unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 86_400));
        self.watched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, deadline, work));
        Watch { watchdog: self, id }
    }

    /// Watches until `done` is set; once `stop` is set, no request runs
    /// longer than [`GRACE`].
    pub(crate) fn run(&self, stop: &AtomicBool, done: &AtomicBool) {
        let mut stopped: Option<Instant> = None;
        while !done.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
            let now = Instant::now();
            if stopped.is_none() && stop.load(Ordering::SeqCst) {
                stopped = Some(now);
            }
            let last = stopped.map(|at| at + GRACE);
            for (_, deadline, work) in self
                .watched
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
            {
                if *deadline <= now || last.is_some_and(|last| last <= now) {
                    work.stop();
                }
            }
        }
    }
}
