//! Plain text: a file is one document, or pieces of at most the
//! document limit (see [`read_whole`]).

use super::{Reader, Spec};
use crate::corpus::reader::read_whole;

/// The text format.
pub(super) const SPEC: Spec = Spec {
    name: "text",
    extensions: &["txt", "md", "text"],
    sniff: None,
    reader: Reader::Stream(read_whole),
};
