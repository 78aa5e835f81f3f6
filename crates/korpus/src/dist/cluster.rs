//! Counting across processes and hosts on timely dataflow (cargo feature
//! `distributed`): the transport of a distributed count.
//!
//! [`gather`] brings every process's bytes (a counter's saved state,
//! see `crate::scan`'s `summed.rs`) to every process, in process order: each
//! process sends its bytes in pieces, which are exchanged by a hash of
//! their key and then sent to the first worker of every process.
//! [`sum_by_key_placed`] is the keyed sum beneath it, also used alone by
//! `colloc --all --parts`: records exchanged by a hash of their key, so
//! that each key's records meet at one worker, which adds them and
//! keeps, drops or gathers the sums. Routing uses korpus's fixed-seed
//! hash, the same in every process.
//!
//! Processes connect once per command, with timely's protocol but
//! through korpus's own set-up (`connect`): messages go to stderr
//! (timely's own print to stdout, which may carry the output) and waiting
//! has a time limit. The workers then live for the whole command and run
//! one dataflow per [`sum_by_key`] call (a command may make several: two
//! rounds for DP, one count per n-gram length, keyness's two corpora);
//! every process makes the same calls in the same order.
//! [`Cluster::finish`] closes the cluster.
//!
//! Timely has no fault tolerance: a failed or killed process stops the
//! job. Nothing is written before the whole job is done, and the output
//! is written by process 0 only, atomically (see the CLI), so a
//! half-finished job never leaves a result.

use std::cell::RefCell;
use std::hash::{BuildHasher, Hash};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use timely::dataflow::InputHandle;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::Input;
use timely::dataflow::operators::generic::Operator;
use timely::worker::Worker;

use crate::error::{Error, Result};

/// Where this process stands in a cluster: timely's `-w`, `-n`, `-p` and
/// `-h` options, the shared secret and the command that every process
/// must run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Worker threads per process (`-w`).
    pub threads: usize,
    /// Number of processes (`-n`).
    pub processes: usize,
    /// This process's index, from 0 (`-p`).
    pub process: usize,
    /// A file with one `host:port` per line, process 0 first (`-h`);
    /// without it, `localhost:2101`, `localhost:2102`, ...
    pub hosts: Option<PathBuf>,
    /// How long to wait for the other processes to connect.
    pub timeout: Duration,
    /// The secret every process holds (needed with more than one
    /// process): a connection whose other end does not prove it is
    /// refused.
    pub secret: Option<Secret>,
    /// The command every process runs, as words (without its own `-p`):
    /// their digest, with the worker count and host list, is compared
    /// when the processes connect.
    pub command: Vec<String>,
}

/// A shared secret (its `Debug` does not show it).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// The fewest bytes a secret may have.
    pub const MIN_LEN: usize = 16;

    /// A secret of `bytes` (leading and trailing white space removed, as
    /// a file or variable often has a line end); an error if fewer than
    /// [`Secret::MIN_LEN`] bytes remain.
    pub fn new(bytes: &[u8]) -> std::result::Result<Secret, String> {
        let bytes = bytes.trim_ascii();
        if bytes.len() < Secret::MIN_LEN {
            return Err(format!(
                "the shared secret has {} bytes, fewer than {} (make one with \
                 `openssl rand -hex 32`)",
                bytes.len(),
                Secret::MIN_LEN
            ));
        }
        Ok(Secret(bytes.to_vec()))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Config {
    fn setup(&self) -> Result<Setup> {
        let usage = |m: String| Error::Usage(m);
        if self.threads == 0 || self.processes == 0 {
            return Err(usage("-w and -n must be at least 1".into()));
        }
        if self.process >= self.processes {
            return Err(usage(format!(
                "-p {} is not below -n {}",
                self.process, self.processes
            )));
        }
        if self.processes == 1 {
            return Ok(Setup::Local(timely::Config::process(self.threads)));
        }
        let addresses: Vec<String> = match &self.hosts {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Error::Io { path: path.clone(), error: e })?;
                let hosts: Vec<String> = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(String::from)
                    .collect();
                if hosts.len() < self.processes {
                    return Err(usage(format!(
                        "{}: {} addresses for -n {}",
                        path.display(),
                        hosts.len(),
                        self.processes
                    )));
                }
                hosts.into_iter().take(self.processes).collect()
            }
            None => (0..self.processes)
                .map(|i| format!("localhost:{}", 2101 + i))
                .collect(),
        };
        if self.secret.is_none() {
            return Err(usage(
                "a run of several processes needs a shared secret, the same \
                 in every process: set KORPUS_DIST_SECRET (for example to \
                 the output of `openssl rand -hex 32`) or give \
                 --secret-file FILE"
                    .into(),
            ));
        }
        Ok(Setup::Cluster(addresses))
    }

    /// The digest of what every process must agree on: the command,
    /// the worker count and the host list (not `-p`).
    fn digest(&self, addresses: &[String]) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(PROTOCOL);
        h.update((self.threads as u64).to_be_bytes());
        h.update((self.processes as u64).to_be_bytes());
        for part in addresses.iter().chain(&self.command) {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        h.finalize().into()
    }

    /// Connects to the other processes (messages on stderr, never on
    /// stdout, which may carry the output) and starts the workers.
    fn execute<T, F>(
        &self,
        func: F,
    ) -> Result<timely::communication::WorkerGuards<T>>
    where
        T: Send + 'static,
        F: Fn(&mut timely::worker::Worker) -> T + Send + Sync + 'static,
    {
        let failed =
            |message: String| Error::Distributed { message, input: false };
        match self.setup()? {
            Setup::Local(config) => {
                timely::execute(config, func).map_err(failed)
            }
            Setup::Cluster(addresses) => {
                use timely::communication::allocator::zero_copy::initialize::initialize_networking_from_sockets;
                use timely::communication::allocator::{
                    AllocatorBuilder, ProcessBuilder,
                };
                let secret = self.secret.as_ref().expect("checked by setup");
                let hand = Handshake {
                    secret: secret.0.as_slice().into(),
                    digest: self.digest(&addresses),
                };
                let sockets =
                    connect(&addresses, self.process, self.timeout, &hand)?;
                let hooks = timely::communication::Hooks::default();
                let local = ProcessBuilder::new_typed_vector(
                    self.threads,
                    hooks.refill.clone(),
                    hooks.spill.clone(),
                );
                let (builders, guard) = initialize_networking_from_sockets(
                    local,
                    sockets,
                    self.process,
                    self.threads,
                    hooks,
                )
                .map_err(|e| failed(format!("starting the network: {e}")))?;
                let builders =
                    builders.into_iter().map(AllocatorBuilder::Tcp).collect();
                timely::execute::execute_from(
                    builders,
                    Box::new(guard),
                    timely::WorkerConfig::default(),
                    func,
                )
                .map_err(failed)
            }
        }
    }
}

/// How the workers are started.
enum Setup {
    /// One process.
    Local(timely::Config),
    /// Several: the addresses of all processes.
    Cluster(Vec<String>),
}

/// The first bytes of korpus's handshake (its version in the last).
const PROTOCOL: &[u8; 8] = b"korpus\x00\x01";

/// How long one side of a handshake may take to send its part: a
/// connection that sends nothing is dropped after this, not waited for.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// What a connecting process sends first: [`PROTOCOL`], its index, the
/// index it means to reach, its digest and a fresh nonce.
const HELLO_LEN: usize = 8 + 8 + 8 + 32 + 32;

/// Handshakes with connecting processes that may run at once (each on
/// its own thread, so a stranger that sends nothing holds up no one);
/// further connections are refused until one ends.
const MAX_PENDING: usize = 32;

/// What a process proves in the handshake: that it holds the secret,
/// and the digest it must agree on.
#[derive(Clone)]
struct Handshake {
    secret: Arc<[u8]>,
    digest: [u8; 32],
}

/// Connects process `me` to every other: it connects to the processes
/// before it and accepts the ones after it. Gives up after `timeout`.
///
/// Each connection starts with korpus's handshake (timely's own, the
/// peer's index as 8 bytes, is replaced by it):
/// 1. the connecting process (the later one, c) sends `hello`:
///    [`PROTOCOL`], c, the index it reaches (a), its digest, a nonce;
/// 2. a answers with its digest, a nonce and
///    HMAC-SHA256(secret, "accept" | hello | digest | nonce);
/// 3. c checks that MAC, then sends
///    HMAC-SHA256(secret, "connect" | hello | a's digest | a's nonce).
///
/// MACs are compared in constant time. A connection that does not
/// complete the handshake within [`HANDSHAKE_TIMEOUT`] or fails it (not
/// korpus, not holding the secret) is refused with a message, and a
/// waits on for its real peers (handshakes run on threads of their own).
/// c waits for a's answer until the deadline: a may still be connecting
/// to the processes before it. Once both sides have proved the secret,
/// different digests (another command line, worker count or host list)
/// stop both processes. Reads have no time limit after the handshake:
/// timely's exchange may rightly be silent while a process counts.
fn connect(
    addresses: &[String],
    me: usize,
    timeout: Duration,
    hand: &Handshake,
) -> Result<Vec<Option<TcpStream>>> {
    let deadline = Instant::now() + timeout;
    let failed =
        |message: String| Error::Distributed { message, input: false };
    let mut sockets: Vec<Option<TcpStream>> =
        (0..addresses.len()).map(|_| None).collect();
    let listener = TcpListener::bind(addresses[me].as_str()).map_err(|e| {
        failed(format!("process {me}: listening on {}: {e}", addresses[me]))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| failed(format!("listening: {e}")))?;
    let mut waiting_for = addresses.len() - me - 1;
    let mut said = false;
    for (i, address) in addresses.iter().enumerate().take(me) {
        loop {
            match TcpStream::connect(address.as_str()) {
                Ok(mut stream) => {
                    hello(&mut stream, me, i, hand, deadline).map_err(
                        |e| Error::Distributed {
                            message: format!(
                                "process {me}: process {i} at {address}: {}",
                                e.message
                            ),
                            input: e.input,
                        },
                    )?;
                    sockets[i] = Some(stream);
                    break;
                }
                Err(e) if Instant::now() < deadline => {
                    if !said {
                        say(&format!(
                            "korpus: process {me}: waiting for process {i} at {address} ({e})"
                        ));
                        said = true;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => {
                    return Err(failed(format!(
                        "process {me}: no connection to process {i} at {address} \
                         within {} s: {e}",
                        timeout.as_secs()
                    )));
                }
            }
        }
    }
    type Welcomed =
        (std::net::SocketAddr, TcpStream, std::result::Result<usize, Refused>);
    let (tx, rx) = mpsc::channel::<Welcomed>();
    let mut pending = 0usize;
    let n = addresses.len();
    while waiting_for > 0 {
        while let Ok((from, stream, r)) = rx.try_recv() {
            pending -= 1;
            match r {
                Ok(id) if sockets[id].is_some() => say(&format!(
                    "korpus: process {me}: refused a second connection as \
                     process {id} from {from}"
                )),
                Ok(id) => {
                    sockets[id] = Some(stream);
                    waiting_for -= 1;
                }
                Err(e) if e.input => {
                    return Err(Error::Distributed {
                        message: format!("process {me}: {}", e.message),
                        input: true,
                    });
                }
                Err(e) => say(&format!(
                    "korpus: process {me}: refused a connection from {from}: {}",
                    e.message
                )),
            }
        }
        if waiting_for == 0 {
            break;
        }
        match listener.accept() {
            Ok((_, from)) if pending >= MAX_PENDING => say(&format!(
                "korpus: process {me}: refused a connection from {from}: \
                 {MAX_PENDING} handshakes already running"
            )),
            Ok((mut stream, from)) => {
                pending += 1;
                let (tx, hand) = (tx.clone(), hand.clone());
                std::thread::spawn(move || {
                    let r = welcome(&mut stream, me, n, &hand);
                    let _ = tx.send((from, stream, r));
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    let missing: Vec<String> = (me + 1..addresses.len())
                        .filter(|&i| sockets[i].is_none())
                        .map(|i| i.to_string())
                        .collect();
                    return Err(failed(format!(
                        "process {me}: process(es) {} did not connect within {} s",
                        missing.join(", "),
                        timeout.as_secs()
                    )));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(failed(format!("accepting a peer: {e}"))),
        }
    }
    Ok(sockets)
}

/// A failed handshake: what happened, and whether it is the user's to
/// fix (both sides hold the secret but disagree), which stops the run.
struct Refused {
    message: String,
    input: bool,
}

impl From<std::io::Error> for Refused {
    fn from(e: std::io::Error) -> Refused {
        let message = match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                "the handshake timed out".to_string()
            }
            std::io::ErrorKind::UnexpectedEof => {
                "the connection closed during the handshake".to_string()
            }
            _ => format!("handshake: {e}"),
        };
        Refused { message, input: false }
    }
}

/// Sets a time limit on every read and write of `stream`, or lifts it.
fn limit(stream: &TcpStream, t: Option<Duration>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(t)?;
    stream.set_write_timeout(t)
}

/// The connecting side of the handshake: process `me` reaching process
/// `to`.
fn hello(
    stream: &mut TcpStream,
    me: usize,
    to: usize,
    hand: &Handshake,
    deadline: Instant,
) -> std::result::Result<(), Refused> {
    let wait = deadline.saturating_duration_since(Instant::now());
    limit(stream, Some(wait.max(HANDSHAKE_TIMEOUT)))?;
    let mut hello = Vec::with_capacity(HELLO_LEN);
    hello.extend_from_slice(PROTOCOL);
    hello.extend_from_slice(&(me as u64).to_be_bytes());
    hello.extend_from_slice(&(to as u64).to_be_bytes());
    hello.extend_from_slice(&hand.digest);
    hello.extend_from_slice(&nonce());
    stream.write_all(&hello)?;
    let mut answer = [0u8; 96];
    stream.read_exact(&mut answer)?;
    let (digest, rest) = answer.split_at(32);
    let (their_nonce, mac) = rest.split_at(32);
    let expected =
        hmac(&hand.secret, &[b"accept", &hello, digest, their_nonce]);
    // The proof goes out in any case, so that the other side can tell
    // what failed.
    let proof = hmac(&hand.secret, &[b"connect", &hello, digest, their_nonce]);
    stream.write_all(&proof)?;
    if !same(&expected, mac) {
        return Err(Refused {
            message: "it did not prove the shared secret (is it korpus, with \
                      the same KORPUS_DIST_SECRET or --secret-file?)"
                .to_string(),
            input: true,
        });
    }
    if !same(digest, &hand.digest) {
        return Err(different());
    }
    limit(stream, None)?;
    Ok(())
}

/// The accepting side of the handshake, in process `me` of `n`: the
/// index of the process that connected.
fn welcome(
    stream: &mut TcpStream,
    me: usize,
    n: usize,
    hand: &Handshake,
) -> std::result::Result<usize, Refused> {
    let refused = |message: String| Refused { message, input: false };
    limit(stream, Some(HANDSHAKE_TIMEOUT))?;
    let mut hello = [0u8; HELLO_LEN];
    stream.read_exact(&mut hello[..8])?;
    if &hello[..8] != PROTOCOL {
        return Err(refused("not korpus's handshake".to_string()));
    }
    stream.read_exact(&mut hello[8..])?;
    let index = |at: usize| {
        let bytes: [u8; 8] = hello[at..at + 8].try_into().expect("8 bytes");
        u64::from_be_bytes(bytes)
    };
    let (id, to) = (index(8), index(16));
    if to != me as u64 || id <= me as u64 || id >= n as u64 {
        return Err(refused(format!(
            "it said it is process {id} reaching process {to}"
        )));
    }
    let mine = nonce();
    let mac = hmac(&hand.secret, &[b"accept", &hello, &hand.digest, &mine]);
    let mut answer = Vec::with_capacity(96);
    answer.extend_from_slice(&hand.digest);
    answer.extend_from_slice(&mine);
    answer.extend_from_slice(&mac);
    stream.write_all(&answer)?;
    let mut proof = [0u8; 32];
    stream.read_exact(&mut proof)?;
    let expected =
        hmac(&hand.secret, &[b"connect", &hello, &hand.digest, &mine]);
    if !same(&expected, &proof) {
        return Err(refused(format!(
            "it said it is process {id} but did not prove the shared secret"
        )));
    }
    if !same(&hello[24..56], &hand.digest) {
        let mut e = different();
        e.message = format!("process {id}: {}", e.message);
        return Err(e);
    }
    limit(stream, None)?;
    Ok(id as usize)
}

fn different() -> Refused {
    Refused {
        message: "it runs a different command line, worker count (-w) or \
                  host list: start the same korpus dist command in every \
                  process, only -p differs"
            .to_string(),
        input: true,
    }
}

/// HMAC-SHA256 (RFC 2104) of the concatenated `parts` under `key`.
fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    for p in parts {
        inner.update(p);
    }
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// Whether `a` and `b` are equal, in a time that depends only on their
/// lengths (not on where they first differ).
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// 32 bytes never sent before: from the operating system's random
/// source, mixed with the time, the process and the thread.
fn nonce() -> [u8; 32] {
    use sha2::{Digest, Sha256};
    use std::hash::BuildHasher as _;
    let mut h = Sha256::new();
    let mut random = [0u8; 32];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        let _ = f.read_exact(&mut random);
    }
    h.update(random);
    // std's hasher keys come from the operating system's random source
    // on every platform (the fallback where /dev/urandom is missing).
    h.update(std::hash::RandomState::new().hash_one(0u8).to_be_bytes());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    h.update(now.as_nanos().to_be_bytes());
    h.update(std::process::id().to_be_bytes());
    // No count of our own (no process-wide state on the distributed
    // path): `RandomState::new` already gives new keys at every call
    // (std steps its per-thread keys), so two calls differ even in the
    // same nanosecond and thread.
    h.update(format!("{:?}", std::thread::current().id()).as_bytes());
    h.finalize().into()
}

/// One line on stderr, its control characters shown as text (an address
/// comes from the host file); a write error is ignored.
fn say(message: &str) {
    let line = crate::report::show_controls(message);
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// A record that is summed by key across workers.
pub trait Summable:
    Serialize + for<'a> Deserialize<'a> + Send + Clone + 'static
{
    /// The key, hashed to pick the worker that sums it.
    type Key<'a>: Hash + Eq
    where
        Self: 'a;
    /// The record's key.
    fn key(&self) -> Self::Key<'_>;
    /// Adds `other`, which has the same key.
    fn add(&mut self, other: Self);
}

/// A piece of one process's bytes ([`gather`]): the process, the
/// piece's place among its pieces, the bytes. Each key is sent once.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Piece {
    process: u64,
    seq: u64,
    bytes: Vec<u8>,
}

impl Summable for Piece {
    type Key<'a> = (u64, u64);
    fn key(&self) -> (u64, u64) {
        (self.process, self.seq)
    }
    /// (Never called: no two pieces have one key.)
    fn add(&mut self, other: Self) {
        self.bytes.extend(other.bytes);
    }
}

/// The size of a [`Piece`]: a large state travels in pieces, so that no
/// one message of the exchange is the whole of it.
const PIECE_BYTES: usize = 1 << 20;

/// Every process's bytes, in process order, in every process: `mine`
/// is this process's, or the error that stopped it, which then stops
/// every process. Every process of the cluster must call it alike (see
/// [`sum_by_key`]). Errors: a process's failure (this process's own
/// first), or a process whose bytes did not arrive.
pub fn gather(
    cluster: &Cluster,
    mine: Result<Vec<u8>>,
) -> Result<Vec<Vec<u8>>> {
    let (process, threads) = (cluster.config.process, cluster.config.threads);
    let processes = cluster.config.processes;
    let mine = Mutex::new(Some(mine));
    let summed = sum_by_key(cluster, move |index, _| {
        if !index.is_multiple_of(threads) {
            return Ok(Vec::new());
        }
        let bytes = mine
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("one worker of a process sends its bytes")?;
        let mut pieces: Vec<Piece> = bytes
            .chunks(PIECE_BYTES)
            .enumerate()
            .map(|(seq, b)| Piece {
                process: process as u64,
                seq: seq as u64,
                bytes: b.to_vec(),
            })
            .collect();
        if pieces.is_empty() {
            let empty =
                Piece { process: process as u64, seq: 0, bytes: Vec::new() };
            pieces.push(empty);
        }
        Ok(pieces)
    })?;
    let mut pieces = summed.records;
    pieces.sort_unstable_by_key(|p| (p.process, p.seq));
    let mut out: Vec<Vec<u8>> = vec![Vec::new(); processes];
    let mut seen = vec![0u64; processes];
    for p in pieces {
        let at = p.process as usize;
        if at >= processes || p.seq != seen[at] {
            break;
        }
        seen[at] += 1;
        out[at].extend_from_slice(&p.bytes);
    }
    if let Some(p) = seen.iter().position(|&n| n == 0) {
        return Err(Error::Distributed {
            message: format!("the counts of process {p} did not arrive"),
            input: false,
        });
    }
    Ok(out)
}

/// A number summed over all workers (rows written, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Total(pub u64);

impl Summable for Total {
    type Key<'a> = u8;
    fn key(&self) -> u8 {
        0
    }
    fn add(&mut self, other: Self) {
        self.0 += other.0;
    }
}

/// What a worker sends: a record, or the failure that stopped it.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Msg<R> {
    Rec(R),
    /// The message, and whether it is an input error.
    Failed(String, bool),
}

/// Batches of messages.
type Builder<R> = timely::container::CapacityContainerBuilder<Vec<Msg<R>>>;

/// Batches of messages, each for the worker it names.
type Addressed<R> =
    timely::container::CapacityContainerBuilder<Vec<(u64, Msg<R>)>>;

fn route<R: Summable>(m: &Msg<R>) -> u64 {
    match m {
        Msg::Rec(r) => crate::hash::BuildHasher::default().hash_one(r.key()),
        Msg::Failed(..) => 0,
    }
}

/// The result of [`sum_by_key`] in this process.
#[derive(Debug)]
pub struct Summed<R> {
    /// The summed records (each key once, in no particular order).
    pub records: Vec<R>,
    /// Records this process's workers sent before summing.
    pub sent: u64,
}

/// Runs `local(worker, workers)` on each worker of this process, sums
/// the records of all workers by key, and gathers all the sums in every
/// process.
///
/// Every process of the cluster must make the same calls, in the same
/// order, with the same cluster shape (the first call connects the
/// processes). A worker whose `local` fails still takes part (so the
/// others do not wait for it forever); its error reaches every process,
/// which returns it.
pub fn sum_by_key<R, F>(cluster: &Cluster, local: F) -> Result<Summed<R>>
where
    R: Summable,
    F: Fn(usize, usize) -> Result<Vec<R>> + Send + Sync + 'static,
{
    let place = |_: &R| Place::Gather;
    sum_by_key_placed(cluster, local, place, None::<AtOwner<R>>)
}

/// Where a summed record goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// To every process (the result).
    Gather,
    /// Nowhere: it stays with the worker that summed it (see
    /// [`sum_by_key_placed`]).
    Owner,
    /// Nowhere (below a threshold).
    Drop,
}

/// What a worker does with the records that stayed with it.
pub type AtOwner<R> = fn(usize, Vec<R>, &[R]) -> Result<()>;

/// [`sum_by_key`] where `place` decides, for each summed record, whether
/// it is gathered in every process, stays with the worker that summed it,
/// or is dropped.
///
/// With `at_owner`, every worker (not only each process's first)
/// receives the gathered records, and then calls `at_owner(worker, the
/// records that stayed with it, the gathered records)`: a worker's part
/// of a result too large to gather (a part file). Its error is returned
/// by this process.
pub fn sum_by_key_placed<R, F, K, W>(
    cluster: &Cluster,
    local: F,
    place: K,
    at_owner: Option<W>,
) -> Result<Summed<R>>
where
    R: Summable,
    F: Fn(usize, usize) -> Result<Vec<R>> + Send + Sync + 'static,
    K: Fn(&R) -> Place + Send + Sync + 'static,
    W: Fn(usize, Vec<R>, &[R]) -> Result<()> + Send + Sync + 'static,
{
    let place = Arc::new(place);
    let local = Arc::new(local);
    let at_owner = at_owner.map(Arc::new);
    let (processes, threads) =
        (cluster.config.processes, cluster.config.threads);
    type Reply<R> = (Option<Vec<Msg<R>>>, u64, Option<(String, bool)>);
    let (reply_to, replies) = mpsc::channel::<Reply<R>>();
    let jobs: Vec<Job> = (0..threads)
        .map(|_| {
            let (place, local) = (place.clone(), local.clone());
            let at_owner = at_owner.clone();
            let reply_to = reply_to.clone();
            let job: Job = Box::new(move |worker: &mut Worker| {
                let every_worker = at_owner.is_some();
                let (mut gathered, sent, mut error, owned) = sum_job(
                    worker,
                    &*local,
                    place,
                    processes,
                    threads,
                    every_worker,
                );
                if let Some(at_owner) = at_owner {
                    let msgs = gathered.as_deref().unwrap_or_default();
                    let failed =
                        msgs.iter().any(|m| matches!(m, Msg::Failed(..)));
                    if error.is_none() && !failed {
                        let all: Vec<R> = msgs
                            .iter()
                            .filter_map(|m| match m {
                                Msg::Rec(r) => Some(r.clone()),
                                Msg::Failed(..) => None,
                            })
                            .collect();
                        let index = worker.index();
                        if let Err(e) = at_owner(index, owned, &all) {
                            let input = e.is_input_error();
                            error =
                                Some((format!("worker {index}: {e}"), input));
                        }
                    }
                    if !worker.index().is_multiple_of(threads) {
                        gathered = None;
                    }
                }
                let _ = reply_to.send((gathered, sent, error));
            });
            job
        })
        .collect();
    drop(reply_to);
    cluster.run(jobs)?;
    let mut out = Summed { records: Vec::new(), sent: 0 };
    let mut own_error = None;
    for _ in 0..threads {
        let (records, sent, error) =
            replies.recv().map_err(|_| Error::Distributed {
                message: "a worker stopped".to_string(),
                input: false,
            })?;
        out.sent += sent;
        if error.is_some() {
            own_error = error;
        }
        if let Some(msgs) = records {
            let mut recs = Vec::with_capacity(msgs.len());
            for m in msgs {
                match m {
                    Msg::Rec(r) => recs.push(r),
                    Msg::Failed(message, input) => {
                        return Err(Error::Distributed { message, input });
                    }
                }
            }
            out.records = recs;
        }
    }
    if let Some((message, input)) = own_error {
        return Err(Error::Distributed { message, input });
    }
    Ok(out)
}

/// One worker's part of [`sum_by_key_placed`]: a dataflow that sums its
/// and the other workers' records by key and places the sums; returns
/// the gathered sums (at a process's first worker, or at every worker
/// with `every_worker`), the number of records this worker sent, its own
/// error, and the sums that stayed with it.
#[allow(clippy::type_complexity)]
fn sum_job<R, F, K>(
    worker: &mut Worker,
    local: &F,
    place: Arc<K>,
    processes: usize,
    threads: usize,
    every_worker: bool,
) -> (Option<Vec<Msg<R>>>, u64, Option<(String, bool)>, Vec<R>)
where
    R: Summable,
    F: Fn(usize, usize) -> Result<Vec<R>>,
    K: Fn(&R) -> Place + 'static,
{
    let index = worker.index();
    let peers = worker.peers();
    let mut input: InputHandle<u64, Builder<R>> = InputHandle::new();
    let gathered: Rc<RefCell<Vec<Msg<R>>>> = Rc::default();
    let sink = gathered.clone();
    let owned: Rc<RefCell<Vec<R>>> = Rc::default();
    let stash = owned.clone();
    let receivers: Vec<u64> = (0..processes)
        .flat_map(|p| {
            let n = if every_worker { threads } else { 1 };
            (0..n).map(move |t| (p * threads + t) as u64)
        })
        .collect();
    worker.dataflow::<u64, _, _>(|scope| {
        let summed = scope
            .input_from(&mut input)
            .unary_frontier::<Addressed<R>, _, _, _>(
                Exchange::new(route::<R>),
                "SumByKey",
                |cap, _info| {
                    let mut cap = Some(cap);
                    let mut sums: Sums<R> = Sums::default();
                    let mut failures: Vec<(String, bool)> = Vec::new();
                    move |(input, frontier), output| {
                        input.for_each(|_time, data| {
                            for m in data.drain(..) {
                                match m {
                                    Msg::Rec(r) => sums.add(r),
                                    Msg::Failed(e, i) => failures.push((e, i)),
                                }
                            }
                        });
                        if frontier.is_empty()
                            && let Some(c) = cap.take()
                        {
                            // The gathered sums go to every process, so
                            // each runs the rest of the command alike
                            // (only process 0 writes).
                            let mut gather = Vec::new();
                            for r in std::mem::take(&mut sums).records {
                                match place(&r) {
                                    Place::Gather => gather.push(r),
                                    Place::Owner => stash.borrow_mut().push(r),
                                    Place::Drop => {}
                                }
                            }
                            let mut session = output.session(&c);
                            for &to in &receivers {
                                for (e, i) in &failures {
                                    session.give((
                                        to,
                                        Msg::Failed(e.clone(), *i),
                                    ));
                                }
                                for r in &gather {
                                    session.give((to, Msg::Rec(r.clone())));
                                }
                            }
                            failures.clear();
                        }
                    }
                },
            );
        summed.sink(
            Exchange::new(|m: &(u64, Msg<R>)| m.0),
            "Gather",
            move |(input, _frontier)| {
                input.for_each(|_time, data| {
                    sink.borrow_mut().extend(data.drain(..).map(|m| m.1));
                });
            },
        );
    });
    let mut sent = 0u64;
    let mut error = None;
    match local(index, peers) {
        Ok(records) => {
            for r in records {
                input.send(Msg::Rec(r));
                sent += 1;
                // Let the exchange drain now and then, so the queues
                // stay small.
                if sent.is_multiple_of(1 << 16) {
                    worker.step();
                }
            }
        }
        Err(e) => {
            let message = format!("worker {index}: {e}");
            let is_input = e.is_input_error();
            input.send(Msg::Failed(message.clone(), is_input));
            error = Some((message, is_input));
        }
    }
    input.close();
    // Step until this dataflow is done (the session's workers live on
    // for the next one).
    while worker.has_dataflows() {
        worker.step_or_park(None);
    }
    let records = (every_worker || index.is_multiple_of(threads))
        .then(|| gathered.take());
    (records, sent, error, owned.take())
}

/// Work for one worker thread of the session.
type Job = Box<dyn FnOnce(&mut Worker) + Send>;

/// The workers of this process, started once (the processes connected
/// once) and given one job per dataflow: a command may run several
/// (two rounds for DP, one count per n-gram length, keyness's two
/// corpora), and timely closes its connections at the end of a run.
struct Session {
    jobs: Vec<mpsc::Sender<Job>>,
    /// Taken by [`Cluster::finish`]; a session dropped with them (after
    /// a failure) leaves its threads to end with the process.
    guards: Option<timely::communication::WorkerGuards<()>>,
}

impl Session {
    fn start(config: &Config) -> Result<Session> {
        let (senders, receivers): (Vec<_>, Vec<_>) =
            (0..config.threads).map(|_| mpsc::channel::<Job>()).unzip();
        let receivers: Arc<Vec<Mutex<Option<mpsc::Receiver<Job>>>>> = Arc::new(
            receivers.into_iter().map(|r| Mutex::new(Some(r))).collect(),
        );
        let threads = config.threads;
        let guards = config.execute(move |worker| {
            let rx = receivers[worker.index() % threads]
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("one receiver per worker");
            while let Ok(job) = rx.recv() {
                job(worker);
            }
        })?;
        Ok(Session { jobs: senders, guards: Some(guards) })
    }

    /// Hands one job to each worker.
    fn run(&self, jobs: Vec<Job>) -> Result<()> {
        for (tx, job) in self.jobs.iter().zip(jobs) {
            tx.send(job).map_err(|_| Error::Distributed {
                message: "a worker stopped".to_string(),
                input: false,
            })?;
        }
        Ok(())
    }
}

impl Drop for Session {
    /// Joining the workers after a failure could wait forever on peers
    /// that wait for this process: its connections must break instead,
    /// when the process exits. (So a cluster dropped without
    /// [`Cluster::finish`] leaves its threads to the end of the
    /// process.)
    fn drop(&mut self) {
        if let Some(guards) = self.guards.take() {
            // The workers stay parked, waiting for a job, as the
            // process ends.
            std::mem::forget(std::mem::take(&mut self.jobs));
            std::mem::forget(guards);
        }
    }
}

/// A function shared by the workers of a session.
type Sink<T> = Arc<dyn Fn(&T) + Send + Sync>;

/// This process's part of a cluster: its [`Config`], where its workers'
/// warnings and its notes go, and (from the first count on) its
/// workers, connected to the other processes'.
pub struct Cluster {
    config: Config,
    warn: Sink<crate::corpus::Warning>,
    note: Sink<str>,
    session: Mutex<Option<Session>>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster").field("config", &self.config).finish()
    }
}

impl Cluster {
    /// A cluster of `config`, not yet connected (the first count
    /// connects it). The workers report the warnings of their shares to
    /// `warn` (as they read them, from threads of their own), and each
    /// distributed count sends one line to `note`: what this process's
    /// workers exchanged.
    pub fn new(
        config: Config,
        warn: impl Fn(&crate::corpus::Warning) + Send + Sync + 'static,
        note: impl Fn(&str) + Send + Sync + 'static,
    ) -> Cluster {
        Cluster {
            config,
            warn: Arc::new(warn),
            note: Arc::new(note),
            session: Mutex::new(None),
        }
    }

    /// Its configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether this process writes the results: process 0 does, the
    /// others compute the same results and write nothing.
    pub fn writes(&self) -> bool {
        self.config.process == 0
    }

    /// The number of workers in all processes.
    pub fn workers(&self) -> usize {
        self.config.threads * self.config.processes
    }

    /// Where the workers report their warnings.
    pub(crate) fn warn(&self) -> Sink<crate::corpus::Warning> {
        self.warn.clone()
    }

    /// Says `line` (see [`Cluster::new`]).
    pub(crate) fn note(&self, line: &str) {
        (self.note)(line)
    }

    /// Connects this process to the others and starts its workers, if
    /// not yet done (the first count does it anyway): a missing or
    /// refused peer stops the run here, before any corpus is read, and a
    /// peer that fails later breaks a connection the others see.
    pub fn connect(&self) -> Result<()> {
        let mut slot = self.session.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(Session::start(&self.config)?);
        }
        Ok(())
    }

    /// Hands one job to each of this process's workers (starting them
    /// first, if this is the first).
    fn run(&self, jobs: Vec<Job>) -> Result<()> {
        self.connect()?;
        let slot = self.session.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref().expect("connected above").run(jobs)
    }

    /// Ends this process's part of the cluster after a successful
    /// command: the workers stop and the connections close cleanly.
    /// (After a failure, drop it instead: the process exits, its
    /// connections break, and the other processes stop with an error
    /// instead of waiting for it.)
    pub fn finish(self) -> Result<()> {
        let session =
            self.session.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut session) = session {
            let guards = session.guards.take();
            drop(session);
            for r in guards.into_iter().flat_map(|g| g.join()) {
                r.map_err(|e| Error::Distributed {
                    message: format!("a worker stopped: {e}"),
                    input: false,
                })?;
            }
        }
        Ok(())
    }
}

/// Records summed by key as they arrive.
struct Sums<R> {
    /// Positions in `records`, by the hash of their key.
    index: hashbrown::HashTable<usize>,
    records: Vec<R>,
}

impl<R> Default for Sums<R> {
    fn default() -> Self {
        Sums { index: hashbrown::HashTable::new(), records: Vec::new() }
    }
}

impl<R: Summable> Sums<R> {
    fn add(&mut self, r: R) {
        let hasher = crate::hash::BuildHasher::default();
        let h = hasher.hash_one(r.key());
        let records = &mut self.records;
        match self.index.find(h, |&i| records[i].key() == r.key()) {
            Some(&i) => records[i].add(r),
            None => {
                self.index.insert_unique(h, records.len(), |&i| {
                    hasher.hash_one(records[i].key())
                });
                records.push(r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // (key, data, HMAC-SHA256): RFC 4231 test cases 2 and 6 (a key
        // longer than the block, hashed first).
        let long_key = [0xaau8; 131];
        let rows: [(&[u8], &[u8], &str); 2] = [
            (
                b"Jefe",
                b"what do ya want for nothing?",
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                &long_key,
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
        ];
        for (key, data, expected) in rows {
            assert_eq!(hex(&hmac(key, &[data])), expected);
            // The parts are concatenated.
            let (a, b) = data.split_at(5);
            assert_eq!(hex(&hmac(key, &[a, b])), expected);
        }
    }

    #[test]
    fn same_compares_whole_slices() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"xbc", b"abc"));
        assert!(!same(b"ab", b"abc"));
        assert!(same(b"", b""));
    }

    #[test]
    fn secret_needs_sixteen_bytes_and_hides_itself() {
        assert!(Secret::new(b"short\n").is_err());
        assert!(Secret::new(b"  0123456789abcde \n").is_err());
        let s = Secret::new(b"0123456789abcdef\n").unwrap();
        assert_eq!(s, Secret::new(b"0123456789abcdef").unwrap());
        assert_eq!(format!("{s:?}"), "Secret(..)");
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(nonce(), nonce());
    }
}
