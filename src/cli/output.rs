//! Where results go: stdout or an atomically written file, in which
//! format; a chart and its data beside it; warnings on stderr; the
//! provenance record. [`emit`] writes a command's result: its table,
//! chart, provenance and summary.
//!
//! A run's output files are written to temporary files beside their
//! targets and renamed into place together by [`commit`] once the
//! command has succeeded: a run that fails leaves none of them (nor an
//! older file replaced). The temporary files (and `korpus report`'s
//! directory) are removed on SIGINT and SIGTERM too.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use anyhow::Context;
use korpus::chart::{Chart, Frame, ImageFormat};
use korpus::corpus::{ReadReport, Warning};
use korpus::report::{Format, Table, write_table};

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

    /// In CSV and TSV, put an apostrophe before every text cell that
    /// starts with =, +, - or @ (or a tab or carriage return), so that a
    /// spreadsheet shows it as text instead of running it as a formula.
    /// Numbers are left as they are. The apostrophe is part of the cell
    /// for any other reader.
    #[arg(long)]
    pub csv_safe: bool,

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
            return name.parse().map_err(|_| {
                usage(format!(
                    "unknown --format '{name}' (known: {})",
                    Format::known()
                ))
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
    /// A temporary file to rename over the target: at the end of the
    /// run (deferred, see [`commit`]) or by [`Output::finish`].
    Atomic(BufWriter<tempfile::NamedTempFile>, PathBuf, bool),
    /// A device or FIFO, written directly.
    Direct(BufWriter<File>),
    /// Nowhere: a distributed run's process other than 0.
    Discard(io::Sink),
}

impl Output {
    /// Nowhere: the output of a distributed run's process other than 0.
    pub fn discard() -> Output {
        let label = "nothing (a helping process)".to_string();
        Output { dest: Dest::Discard(io::sink()), label }
    }

    /// Opens `path`, or stdout for `None`.
    pub fn open(path: Option<&Path>) -> anyhow::Result<Output> {
        Self::open_any(path)
    }

    /// Opens one part file of a distributed run (written by every
    /// process), atomically. It is renamed into place by
    /// [`Output::finish`] at once, not at the end of the run: the
    /// `_SUCCESS` file written after every process finished its parts
    /// must not come before them.
    pub fn open_part(path: &Path) -> anyhow::Result<Output> {
        let mut out = Self::open_any(Some(path))?;
        if let Dest::Atomic(_, _, deferred) = &mut out.dest {
            *deferred = false;
        }
        Ok(out)
    }

    fn open_any(path: Option<&Path>) -> anyhow::Result<Output> {
        let Some(path) = path else {
            if stdout_is_closed() {
                return Err(io::Error::other(
                    "standard output is closed: nothing would be written \
                     (redirect it or give -o FILE)",
                )
                .into());
            }
            let dest =
                Dest::Stdout(BufWriter::with_capacity(1 << 16, io::stdout()));
            return Ok(Output { dest, label: "the output".to_string() });
        };
        let label = path.display().to_string();
        if path.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("writing {label}: it is a directory (give a file)"),
            )
            .into());
        }
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
        remove_on_signal(tmp.path());
        let dest = Dest::Atomic(
            BufWriter::with_capacity(1 << 16, tmp),
            path.to_path_buf(),
            true,
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

    /// Flushes and, for a file, syncs it and hands it to [`commit`],
    /// which renames it into place when the command has succeeded.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.flush()?;
        if let Dest::Atomic(w, path, deferred) = self.dest {
            let label = self.label;
            let err = |e: io::Error| {
                io::Error::new(e.kind(), format!("writing {label}: {e}"))
            };
            let tmp = w.into_inner().map_err(|e| err(e.into_error()))?;
            tmp.as_file().sync_all().map_err(err)?;
            if deferred {
                lock(&PENDING).push(Pending { tmp, path, label });
            } else {
                tmp.persist(&path).map_err(|e| err(e.error))?;
            }
        }
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = match &mut self.dest {
            Dest::Stdout(w) => w.write(buf),
            Dest::Atomic(w, _, _) => w.write(buf),
            Dest::Direct(w) => w.write(buf),
            Dest::Discard(w) => w.write(buf),
        };
        r.map_err(|e| self.label_err(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = match &mut self.dest {
            Dest::Stdout(w) => w.flush(),
            Dest::Atomic(w, _, _) => w.flush(),
            Dest::Direct(w) => w.flush(),
            Dest::Discard(w) => w.flush(),
        };
        r.map_err(|e| self.label_err(e))
    }
}

/// An output file written completely, waiting for the end of the run.
struct Pending {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    label: String,
}

/// The outputs of the run so far that [`commit`] renames into place.
static PENDING: Mutex<Vec<Pending>> = Mutex::new(Vec::new());

/// Temporary files and directories to remove on SIGINT or SIGTERM.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Renames every output the run finished into place (called once the
/// command succeeded). Each was written and synced already, so only
/// the renames are left, which do not fail for want of space.
pub fn commit() -> anyhow::Result<()> {
    let pending = std::mem::take(&mut *lock(&PENDING));
    // A target that became a directory meanwhile would fail its rename
    // after others were done: found first, none is renamed.
    if let Some(p) = pending.iter().find(|p| p.path.is_dir()) {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            format!("writing {}: it is a directory (give a file)", p.label),
        )
        .into());
    }
    for p in pending {
        let label = p.label;
        p.tmp.persist(&p.path).map_err(|e| {
            io::Error::new(
                e.error.kind(),
                format!("writing {label}: {}", e.error),
            )
        })?;
    }
    Ok(())
}

/// Drops every output the run finished (the command failed): their
/// temporary files are removed and the targets left as they were.
pub fn discard() {
    let pending = std::mem::take(&mut *lock(&PENDING));
    drop(pending);
}

/// Has `path` (a temporary file or directory) removed if the process
/// is interrupted by SIGINT or SIGTERM before it is renamed or removed.
pub fn remove_on_signal(path: &Path) {
    let mut t = lock(&TEMPORARY);
    // Those renamed or removed since are no longer of interest.
    t.retain(|p| p.symlink_metadata().is_ok());
    t.push(path.to_path_buf());
}

/// Removes the temporary files and directories on SIGINT and SIGTERM,
/// then ends the process as the signal would have.
pub fn clean_up_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
        else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                for p in lock(&TEMPORARY).iter() {
                    let _ = if p.is_dir() {
                        std::fs::remove_dir_all(p)
                    } else {
                        std::fs::remove_file(p)
                    };
                }
                let _ =
                    signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    }
}

/// Whether standard output was closed when korpus started.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Notes whether standard output is closed (`korpus ... >&-`), before
/// any file is opened: results written there would be lost with exit
/// code 0. Rust's runtime gives a closed standard stream /dev/null
/// opened for reading and writing before `main`, so on Linux that is
/// what a closed stdout looks like (a shell's `>/dev/null` opens it for
/// writing only, and stays a way to discard the results); elsewhere a
/// closed descriptor is recognized by EBADF. Writing results to a
/// closed stdout is an error (exit code 1).
pub fn check_stdout() {
    let closed = stdout_is_runtime_null() || stdout_is_bad_descriptor();
    STDOUT_CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
}

/// Whether descriptor 1 is /dev/null opened read-write (Linux).
fn stdout_is_runtime_null() -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let (Ok(out), Ok(null)) = (
            std::fs::metadata("/proc/self/fd/1"),
            std::fs::metadata("/dev/null"),
        ) else {
            return false;
        };
        if out.rdev() != null.rdev() || out.is_file() {
            return false;
        }
        let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
            return false;
        };
        let flags = info
            .lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|f| u32::from_str_radix(f.trim(), 8).ok());
        // O_ACCMODE is 3, O_RDWR 2.
        flags.is_some_and(|f| f & 3 == 2)
    }
    #[cfg(not(target_os = "linux"))]
    false
}

/// Whether descriptor 1 is not open at all (EBADF).
fn stdout_is_bad_descriptor() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        const EBADF: i32 = 9;
        io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .is_err_and(|e| e.raw_os_error() == Some(EBADF))
    }
    #[cfg(not(unix))]
    false
}

fn stdout_is_closed() -> bool {
    STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed)
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
/// LICENSE files included: passed over by design, but named). Every
/// read's report passes here, so it also tells the cleaning summary
/// how many records the read left unparsed ([`super::cleaning`]).
pub fn note_ignored(report: &ReadReport) {
    super::cleaning::unparsed(report.unparsed);
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
    write_record(path, &provenance_record(report, settings, counts))
}

/// The provenance record of a run.
pub fn provenance_record(
    report: &ReadReport,
    settings: serde_json::Value,
    counts: serde_json::Value,
) -> serde_json::Value {
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
                "metadata_unread": i.metadata_unread,
                "sha256": i.sha256,
            })
        })
        .collect();
    serde_json::json!({
        "korpus_version": env!("CARGO_PKG_VERSION"),
        "command_line": std::env::args().collect::<Vec<_>>(),
        "settings": settings,
        "inputs": inputs,
        "documents": report.documents,
        "skipped_records": report.skipped_records,
        "metadata_unread": report.metadata_unread,
        "derived": report.derived,
        "counts": counts,
    })
}

/// Writes a provenance record to `path` (atomically).
fn write_record(
    path: &Path,
    record: &serde_json::Value,
) -> anyhow::Result<()> {
    let mut out = Output::open(Some(path))?;
    serde_json::to_writer_pretty(out.writer(), record)?;
    writeln!(out.writer())?;
    out.finish()
}

/// The parts of a provenance record a command supplies.
pub struct Provenance<'a> {
    /// What was read.
    pub report: &'a ReadReport,
    /// The settings of the run.
    pub settings: serde_json::Value,
    /// The command's counts.
    pub counts: serde_json::Value,
}

/// A command's table: whole, or rows written as they are made (a large
/// table streams without being held).
pub enum Body<'a> {
    /// A table held in memory.
    Table(Table),
    /// Writes the rows (header included) to the writer it is given;
    /// returns what is known only once they are written.
    Rows(WriteRows<'a>),
}

/// Writes a streamed table's rows to the writer it is given.
pub type WriteRows<'a> =
    Box<dyn FnOnce(&mut dyn Write) -> anyhow::Result<Tail> + 'a>;

/// What a streamed table learns as it is written (`korpus kwic`'s
/// counts): printed and written after it, instead of
/// [`Emission::summary`] and [`Emission::provenance`].
#[derive(Default)]
pub struct Tail {
    /// The summary, as [`Emission::summary`].
    pub summary: Vec<String>,
    /// The provenance record (made by [`provenance_record`]).
    pub provenance: Option<serde_json::Value>,
}

/// What a command computed, its table possibly streamed, for
/// [`emit`] to write.
pub struct Emission<'a> {
    /// The table, written to -o FILE or stdout.
    pub body: Body<'a>,
    /// The chart (`--chart`), drawn in memory before anything is
    /// written.
    pub chart: Option<(&'a Spec, Chart)>,
    /// The provenance record, written with `--provenance FILE`.
    pub provenance: Option<Provenance<'a>>,
    /// The summary lines, each printed on stderr after `korpus: `.
    pub summary: Vec<String>,
    /// Whether this process writes: false in a distributed run's
    /// processes other than 0, which write nothing (no table, chart or
    /// provenance; the summary still goes to stderr).
    pub writes: bool,
}

/// Writes a command's result: the table in `format` (with
/// `--csv-safe`), the chart and its `.tsv`, the summary and the
/// provenance record, in that order. The chart is drawn first, so a chart
/// that cannot be drawn leaves no output (standard output included);
/// every file is written atomically and moved into place by [`commit`]
/// once the command has succeeded. A process that does not write
/// (see [`Emission::writes`]) only draws the chart and prints the summary.
pub fn emit(
    out: &OutputArgs,
    format: Format,
    result: Emission<'_>,
) -> anyhow::Result<()> {
    let rendered = match &result.chart {
        // Drawn in every process, as before (a chart that cannot be
        // drawn fails them all alike); written only by the one that writes.
        Some((spec, chart)) => Some(spec.render(chart)?),
        None => None,
    };
    let mut dest = if result.writes { out.open()? } else { Output::discard() };
    let tail = match result.body {
        Body::Table(table) => {
            write_table(dest.writer(), format, &table, out.csv_safe)?;
            Tail::default()
        }
        Body::Rows(write) => write(dest.writer())?,
    };
    dest.finish()?;
    if result.writes {
        finish_chart(rendered)?;
    }
    let summary =
        if tail.summary.is_empty() { result.summary } else { tail.summary };
    for line in summary.iter().flat_map(|s| s.lines()) {
        eprintln!("korpus: {line}");
    }
    let Some(path) = out.provenance.as_deref().filter(|_| result.writes)
    else {
        return Ok(());
    };
    let record = match (tail.provenance, result.provenance) {
        (Some(record), _) => record,
        (None, Some(p)) => provenance_record(p.report, p.settings, p.counts),
        (None, None) => return Ok(()),
    };
    write_record(path, &record)
}

/// A validated chart request (made by the chart options).
pub struct Spec {
    pub(super) path: PathBuf,
    pub(super) format: ImageFormat,
    /// Size and title.
    pub frame: Frame,
    /// The kind, one of those the command offers.
    pub kind: &'static str,
    /// The column to draw, if given.
    pub value: Option<String>,
    /// `--csv-safe`, for the data file.
    pub(super) csv_safe: bool,
}

/// A chart drawn in memory, ready to be written.
pub struct Rendered {
    image: Vec<u8>,
    path: PathBuf,
    table: Table,
    csv_safe: bool,
}

impl Spec {
    /// Draws the chart in memory (an empty chart is an error, exit 2).
    pub fn render(&self, chart: &Chart) -> anyhow::Result<Rendered> {
        if let Chart::Plot(p) = chart {
            p.check()?;
        }
        let image = chart.render(&self.frame, self.format)?;
        Ok(Rendered {
            image,
            path: self.path.clone(),
            table: chart.table(),
            csv_safe: self.csv_safe,
        })
    }
}

impl Rendered {
    /// Writes the chart and its table (FILE.tsv), each atomically.
    fn write(self) -> anyhow::Result<()> {
        let tsv = self.path.with_extension("tsv");
        let mut out = Output::open(Some(&tsv))?;
        write_table(out.writer(), Format::Tsv, &self.table, self.csv_safe)?;
        let mut img = Output::open(Some(&self.path))?;
        img.writer().write_all(&self.image)?;
        out.finish()?;
        img.finish()?;
        eprintln!(
            "korpus: chart written to {} (data: {})",
            self.path.display(),
            tsv.display()
        );
        Ok(())
    }
}

/// Writes a rendered chart after the main output, if any (nothing in
/// a distributed run's helping process).
pub fn finish_chart(rendered: Option<Rendered>) -> anyhow::Result<()> {
    if let Some(r) = rendered {
        r.write()?;
    }
    Ok(())
}

/// Whether stderr is a terminal (summaries are printed only then).
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// An output path of a run, with the flag that named it.
pub struct OutputPath {
    /// The flag, as `-o` or `--chart`.
    pub flag: String,
    /// The path given.
    pub path: PathBuf,
    /// Whether it is a directory korpus writes into (`report -o`,
    /// `--freq-cache`, `--parts`).
    pub dir: bool,
}

/// Where a path leads: its canonical form (of the parent, for a file
/// not yet there) and, for an existing file, its identity.
struct Resolved {
    path: PathBuf,
    id: Option<(u64, u64)>,
    is_dir: bool,
    /// A device, FIFO or socket (written directly, never replaced).
    special: bool,
}

fn resolve(path: &Path) -> Resolved {
    let meta = std::fs::metadata(path).ok();
    let canonical = std::fs::canonicalize(path).ok().or_else(|| {
        let name = path.file_name()?;
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Some(std::fs::canonicalize(parent).ok()?.join(name))
    });
    let path = canonical.unwrap_or_else(|| {
        std::env::current_dir().unwrap_or_default().join(path)
    });
    #[cfg(unix)]
    let id = meta.as_ref().map(|m| {
        use std::os::unix::fs::MetadataExt;
        (m.dev(), m.ino())
    });
    #[cfg(not(unix))]
    let id = None;
    Resolved {
        path,
        id,
        is_dir: meta.as_ref().is_some_and(|m| m.is_dir()),
        special: meta.as_ref().is_some_and(|m| !m.is_file() && !m.is_dir()),
    }
}

/// Refuses (exit code 2), before anything runs, an output that is an
/// input file, lies inside an input directory, holds an input (an
/// output directory), or is another output too. Paths are compared
/// canonically and by file identity (device and inode), so `./a.tsv`,
/// a symbolic link and a hard link to an input are all caught. Inputs
/// that do not exist and `-` are passed over; so are outputs that are
/// devices or FIFOs (`/dev/null`), which are written, never replaced.
pub fn check_paths(
    inputs: &[PathBuf],
    outputs: &[OutputPath],
) -> anyhow::Result<()> {
    let inputs: Vec<(&PathBuf, Resolved)> = inputs
        .iter()
        .filter(|p| p.as_os_str() != "-" && p.exists())
        .map(|p| (p, resolve(p)))
        .filter(|(_, r)| !r.special)
        .collect();
    let mut seen: Vec<(&OutputPath, Resolved)> = Vec::new();
    for out in outputs {
        let o = resolve(&out.path);
        if o.special {
            continue;
        }
        let name = format!("{} {}", out.flag, out.path.display());
        for (given, i) in &inputs {
            let same = i.path == o.path || (i.id.is_some() && i.id == o.id);
            let why = if same {
                Some("is an input".to_string())
            } else if i.is_dir && o.path.starts_with(&i.path) {
                Some(format!(
                    "is inside the input directory {}",
                    given.display()
                ))
            } else if out.dir && i.path.starts_with(&o.path) {
                Some(format!("holds the input {}", given.display()))
            } else {
                None
            };
            if let Some(why) = why {
                return Err(usage(format!(
                    "{name} {why}: give an output outside the inputs (nothing was written)"
                )));
            }
        }
        if let Some((first, _)) = seen.iter().find(|(_, s)| {
            s.path == o.path || (s.id.is_some() && s.id == o.id)
        }) {
            return Err(usage(format!(
                "{name} is the same file as {} {}: give each output its own file (nothing was written)",
                first.flag,
                first.path.display()
            )));
        }
        seen.push((out, o));
    }
    Ok(())
}
