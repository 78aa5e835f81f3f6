//! The library's error type.
//!
//! Every error reads as a sentence and names the file, line or byte
//! offset concerned, so the binary can print it as it is.

use std::path::PathBuf;

/// A korpus library error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input path could not be opened or read.
    ///
    /// The underlying error is part of the message, not a `source`, so
    /// that printing the error chain does not repeat it.
    #[error("{}: {error}", path.display())]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// An input is not usable as a corpus (bad encoding under --strict,
    /// malformed record under --strict, unknown format, ...).
    #[error("{path}: {message}")]
    Input {
        /// The path (with `:line` where known).
        path: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// The corpus, after filtering, holds no document or no token.
    #[error("{0}")]
    Empty(String),
    /// An option value is invalid.
    #[error("{0}")]
    Usage(String),
    /// A distributed run failed: another worker's error, or the cluster
    /// could not be formed.
    #[error("{message}")]
    Distributed {
        /// What happened, naming the worker.
        message: String,
        /// Whether it was caused by the input or options.
        input: bool,
    },
    /// The output could not be written.
    #[error("writing the output: {0}")]
    Output(std::io::Error),
}

impl Error {
    /// Whether this error was caused by the input or the options (exit
    /// code 2) rather than by the machine (exit code 1).
    pub fn is_input_error(&self) -> bool {
        match self {
            Error::Io { error, .. } => !matches!(
                error.kind(),
                std::io::ErrorKind::StorageFull
                    | std::io::ErrorKind::BrokenPipe
            ),
            Error::Output(_) => false,
            Error::Distributed { input, .. } => *input,
            _ => true,
        }
    }
}

/// A korpus library result.
pub type Result<T> = std::result::Result<T, Error>;
