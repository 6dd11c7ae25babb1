//! SIGINT and SIGTERM during `tick run`: the first asks the run to stop
//! reading and deliver what is queued; a second exits at once (130 or 143).

use signal_hook::consts::{SIGINT, SIGTERM};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

/// The stop flag the run polls, and which signal set it.
pub struct Signals {
    /// Set by the first SIGINT or SIGTERM.
    pub stop: Arc<AtomicBool>,
    which: Arc<AtomicUsize>,
}

impl Signals {
    /// Installs the handlers (the second signal terminates the process).
    pub fn install() -> std::io::Result<Signals> {
        let stop = Arc::new(AtomicBool::new(false));
        let which = Arc::new(AtomicUsize::new(0));
        for (signal, code) in [(SIGINT, 130), (SIGTERM, 143)] {
            // Registered first, so it sees the flag as it was before this signal.
            signal_hook::flag::register_conditional_shutdown(signal, code, stop.clone())?;
            signal_hook::flag::register_usize(signal, which.clone(), signal as usize)?;
            signal_hook::flag::register(signal, stop.clone())?;
        }
        Ok(Signals { stop, which })
    }

    /// The signal's name, for the message.
    pub fn name(&self) -> &'static str {
        if self.which.load(Relaxed) == SIGTERM as usize { "SIGTERM" } else { "SIGINT" }
    }

    /// 128 + the signal number, as a shell reports a death by that signal.
    pub fn exit_code(&self) -> u8 {
        if self.which.load(Relaxed) == SIGTERM as usize { 143 } else { 130 }
    }
}
