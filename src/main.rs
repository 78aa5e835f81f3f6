//! The `korpus` command-line program. All the work is done by the
//! library (`korpus::…`); `cli` turns arguments into engine options and
//! rows into output.

mod cli;

fn main() -> std::process::ExitCode {
    return_large_blocks();
    cli::main()
}

/// Has glibc map every allocation of 128 KiB or more on its own, so that
/// freeing it gives the memory back at once. Left alone, glibc raises
/// that size to the largest block freed so far (up to 32 MiB): once a
/// table that grew is freed, the batches, buffers and growing lists
/// below that size come from the heap, where what is freed stays. The
/// size is glibc's default; setting it only stops it from moving.
/// Measured: BENCHMARKS.md, seventh step.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn return_large_blocks() {
    // SAFETY: `mallopt` only sets an allocator parameter; glibc allows it
    // at any time, from any thread. A refusal (0) leaves the default.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// (Other allocators are left as they are.)
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks() {}
