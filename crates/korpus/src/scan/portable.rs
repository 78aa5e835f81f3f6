//! A counter whose state crosses processes ([`Portable`]), and the bytes
//! it travels as ([`to_bytes`], [`from_bytes`]). Below the driver and
//! above nothing of where a count runs: [`super::run_anywhere`] takes
//! any [`Portable`] counter, and `scan/summed.rs` sums its state over a
//! cluster.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Counter;
use crate::error::{Error, Result};

/// A counter whose state can cross processes: saved to bytes in one,
/// loaded in another by a counter made with the same settings, and
/// merged there ([`Counter::merge`]). Every counter that is `Serialize`
/// and `Deserialize` is portable as it is (the impl below); a counter
/// whose state cannot be serialized as it is implements this itself.
///
/// Contract: for counters `a` and `b` made alike, `a.load(&b.save()?)?`
/// merges, counts and finishes as `b` would (what `save` leaves out is
/// not needed after the read, but by [`Portable::second_round`]).
pub trait Portable: Counter {
    /// This counter's state, as bytes.
    fn save(&self) -> Result<Vec<u8>>;

    /// A counter of the state in `bytes` (saved by a counter made like
    /// `self`), with `self`'s settings.
    fn load(&self, bytes: &[u8]) -> Result<Self>;

    /// Whether finishing needs a second round ([`Portable::second_round`]);
    /// asked of the merged state of every process, so every process
    /// answers alike. By default, no.
    fn wants_second_round(&self) -> bool {
        false
    }

    /// The second round of a distributed count, for a counter whose
    /// finish needs the whole corpus's counts beside each document's
    /// (Gries' DP: a document's share of an item needs the item's total
    /// over the whole corpus): from this process's own counter (with
    /// what it keeps but does not save) and `whole`, the merged state
    /// of every process, the counts that are saved and merged into
    /// `whole` in every process. By default, an error: it is asked only
    /// when [`Portable::wants_second_round`].
    fn second_round(self, _whole: &Self) -> Result<Self> {
        Err(Error::Usage("this count has no second round".into()))
    }
}

impl<C: Counter + Serialize + DeserializeOwned> Portable for C {
    fn save(&self) -> Result<Vec<u8>> {
        to_bytes(self)
    }

    fn load(&self, bytes: &[u8]) -> Result<Self> {
        from_bytes(bytes)
    }
}

/// The bytes of `value` (bincode, variable-length integers), for
/// [`Portable::save`].
pub fn to_bytes<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    use bincode::Options;
    bincode::DefaultOptions::new().serialize(value).map_err(state_error)
}

/// The value of bytes written by [`to_bytes`], for [`Portable::load`].
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    use bincode::Options;
    bincode::DefaultOptions::new().deserialize(bytes).map_err(state_error)
}

/// The value written first by [`to_bytes`] in `bytes`, which then holds
/// what follows it.
#[cfg(feature = "distributed")]
pub(super) fn read_prefix<T: DeserializeOwned>(
    bytes: &mut &[u8],
) -> Result<T> {
    use bincode::Options;
    bincode::DefaultOptions::new().deserialize_from(bytes).map_err(state_error)
}

fn state_error(e: bincode::Error) -> Error {
    Error::Distributed {
        message: format!("a counter's state could not be exchanged: {e}"),
        input: false,
    }
}
