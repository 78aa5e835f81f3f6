//! The progress bar: bytes read of the total, rate and time left, on
//! stderr when it is a terminal (not with --quiet, never when piped).
//! The library only counts bytes ([`korpus::corpus::ReadOptions`]'s
//! `progress`); this thread draws them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bars drawn, cleared by [`finish`].
static BARS: Mutex<Vec<ProgressBar>> = Mutex::new(Vec::new());

/// Draws `counter` against `total` bytes until [`finish`].
pub fn start(counter: Arc<AtomicU64>, total: u64) {
    if total == 0 {
        return;
    }
    let bar = ProgressBar::with_draw_target(
        Some(total),
        ProgressDrawTarget::stderr_with_hz(8),
    );
    if let Ok(style) = ProgressStyle::with_template(
        "{bytes:>10} of {total_bytes} [{wide_bar}] {bytes_per_sec}, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    if let Ok(mut bars) = BARS.lock() {
        bars.push(bar.clone());
    }
    std::thread::spawn(move || {
        while !bar.is_finished() {
            let n = counter.load(Ordering::Relaxed);
            if n >= total {
                // Everything read: out of the way of the summary.
                bar.finish_and_clear();
                break;
            }
            bar.set_position(n);
            std::thread::sleep(Duration::from_millis(100));
        }
    });
}

/// Clears every bar (before the command's summary and at exit).
pub fn finish() {
    if let Ok(mut bars) = BARS.lock() {
        for bar in bars.drain(..) {
            bar.finish_and_clear();
        }
    }
}
