//! Where results go: stdout or an atomically written file, in which
//! format; warnings on stderr; the provenance record.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use korpus::corpus::{ReadReport, Warning};
use korpus::report::Format;

use super::args::usage;

/// Output flags shared by every command.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Output format: table, tsv, csv, json, jsonl, html, parquet [default:
    /// table on a terminal, tsv otherwise, or from the -o file's extension].
    /// Parquet keeps floats at full precision; it is not written to a
    /// terminal.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Write to FILE (atomically: nothing is left behind on failure).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write a JSON provenance record (korpus version, command line,
    /// settings, input files with sizes and SHA-256) to FILE.
    #[arg(long, value_name = "FILE")]
    pub provenance: Option<PathBuf>,
}

impl OutputArgs {
    /// The output format.
    pub fn format(&self) -> anyhow::Result<Format> {
        let format = self.format_named()?;
        if format == Format::Parquet
            && self.output.is_none()
            && io::stdout().is_terminal()
        {
            return Err(usage(
                "Parquet is binary: write it to a file with -o FILE.parquet \
                 or redirect standard output"
                    .to_string(),
            ));
        }
        Ok(format)
    }

    fn format_named(&self) -> anyhow::Result<Format> {
        if let Some(name) = &self.format {
            return Format::from_name(name).ok_or_else(|| {
                usage(format!("unknown --format '{name}' (known: table, tsv, csv, json, jsonl, html, parquet)"))
            });
        }
        if let Some(path) = &self.output {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            return Ok(Format::from_name(&ext.to_ascii_lowercase())
                .unwrap_or(Format::Tsv));
        }
        Ok(if io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Tsv
        })
    }

    /// Opens the destination.
    pub fn open(&self) -> anyhow::Result<Output> {
        Output::open(self.output.as_deref())
    }
}

/// An output destination. A regular file is written to a temporary file
/// beside it and renamed into place by [`Output::finish`]; if the command
/// fails first, the temporary file is removed and the target untouched.
/// Write errors name the destination (`writing out.tsv: No space left on
/// device`) and keep their kind, so a closed pipe is still recognized.
pub struct Output {
    dest: Dest,
    label: String,
}

enum Dest {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// A temporary file to rename over the target.
    Atomic(BufWriter<tempfile::NamedTempFile>, PathBuf),
    /// A device or FIFO, written directly.
    Direct(BufWriter<File>),
    /// Nowhere: a distributed run's process other than 0.
    Discard(io::Sink),
}

impl Output {
    /// Opens `path`, or stdout for `None`.
    pub fn open(path: Option<&Path>) -> anyhow::Result<Output> {
        if super::dist::is_follower() {
            let label = "nothing (a helping process)".to_string();
            return Ok(Output { dest: Dest::Discard(io::sink()), label });
        }
        Self::open_any(path)
    }

    /// Opens one part file of a distributed run (written by every
    /// process), atomically.
    pub fn open_part(path: &Path) -> anyhow::Result<Output> {
        Self::open_any(Some(path))
    }

    fn open_any(path: Option<&Path>) -> anyhow::Result<Output> {
        let Some(path) = path else {
            let dest =
                Dest::Stdout(BufWriter::with_capacity(1 << 16, io::stdout()));
            return Ok(Output { dest, label: "the output".to_string() });
        };
        let label = path.display().to_string();
        let special =
            std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if special {
            let f = File::create(path)
                .with_context(|| format!("opening {label}"))?;
            return Ok(Output {
                dest: Dest::Direct(BufWriter::new(f)),
                label,
            });
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".korpus-");
        if let Some(p) = new_file_permissions(path) {
            builder.permissions(p);
        }
        let tmp = builder.tempfile_in(dir).with_context(|| {
            format!(
                "creating a temporary file in {} for {label}",
                dir.display()
            )
        })?;
        let dest = Dest::Atomic(
            BufWriter::with_capacity(1 << 16, tmp),
            path.to_path_buf(),
        );
        Ok(Output { dest, label })
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut dyn Write {
        self
    }

    fn label_err(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("writing {}: {e}", self.label))
    }

    /// Flushes and, for a file, renames it into place.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.flush()?;
        if let Dest::Atomic(w, path) = self.dest {
            let label = self.label;
            let err = |e: io::Error| {
                io::Error::new(e.kind(), format!("writing {label}: {e}"))
            };
            let tmp = w.into_inner().map_err(|e| err(e.into_error()))?;
            tmp.as_file().sync_all().map_err(err)?;
            tmp.persist(&path).map_err(|e| err(e.error))?;
        }
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = match &mut self.dest {
            Dest::Stdout(w) => w.write(buf),
            Dest::Atomic(w, _) => w.write(buf),
            Dest::Direct(w) => w.write(buf),
            Dest::Discard(w) => w.write(buf),
        };
        r.map_err(|e| self.label_err(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = match &mut self.dest {
            Dest::Stdout(w) => w.flush(),
            Dest::Atomic(w, _) => w.flush(),
            Dest::Direct(w) => w.flush(),
            Dest::Discard(w) => w.flush(),
        };
        r.map_err(|e| self.label_err(e))
    }
}

/// The permissions of a new output file: the target's if it exists,
/// otherwise those of any new file (0666 less the umask, which the
/// operating system applies when the file is created).
fn new_file_permissions(path: &Path) -> Option<std::fs::Permissions> {
    if let Ok(m) = std::fs::metadata(path) {
        return Some(m.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    None
}

/// Prints a warning on stderr.
pub fn warn(w: &Warning) {
    eprintln!("korpus: warning: {w}");
}

/// Prints notes about files passed over in directory walks (README and
/// LICENSE files included: passed over by design, but named).
pub fn note_ignored(report: &ReadReport) {
    for f in &report.ignored_files {
        eprintln!("korpus: note: passed over {f}");
    }
}

/// Writes the provenance record to `path` (atomically).
pub fn write_provenance(
    path: &Path,
    report: &ReadReport,
    settings: serde_json::Value,
    counts: serde_json::Value,
) -> anyhow::Result<()> {
    if super::dist::is_follower() {
        return Ok(());
    }
    let inputs: Vec<serde_json::Value> = report
        .inputs
        .iter()
        .map(|i| {
            serde_json::json!({
                "path": i.path,
                "format": i.format,
                "bytes": i.bytes,
                "documents": i.documents,
                "skipped": i.skipped,
                "replaced_bytes": i.replaced_bytes,
                "sha256": i.sha256,
            })
        })
        .collect();
    let record = serde_json::json!({
        "korpus_version": env!("CARGO_PKG_VERSION"),
        "command_line": std::env::args().collect::<Vec<_>>(),
        "settings": settings,
        "inputs": inputs,
        "documents": report.documents,
        "skipped_records": report.skipped_records,
        "counts": counts,
    });
    let mut out = Output::open(Some(path))?;
    serde_json::to_writer_pretty(out.writer(), &record)?;
    writeln!(out.writer())?;
    out.finish()
}

/// Whether stderr is a terminal (summaries are printed only then).
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}
