//! HTML and WARC in a build without the `web` feature: their names and
//! extensions are known, and a file of either is refused with an error
//! that says how to read it.

use std::io::BufRead;

use super::{Reader, Spec};
use crate::corpus::HtmlMode;
use crate::corpus::Warning;
use crate::corpus::input::{Extracted, Input, Page};
use crate::error::{Error, Result};

/// The HTML format, refused.
pub(super) const HTML: Spec = Spec {
    name: "html",
    extensions: &["html", "htm", "xhtml"],
    sniff: None,
    reader: Reader::Stream(refuse),
};

/// The WARC format, refused.
pub(super) const WARC: Spec = Spec {
    name: "warc",
    extensions: &["warc"],
    sniff: None,
    reader: Reader::Stream(refuse),
};

/// Refuses the file: an error naming it.
fn refuse(input: &mut Input<'_>, _: &mut dyn BufRead) -> Result<bool> {
    Err(Error::Input {
        path: input.source.display.clone(),
        message: "HTML and WARC files need korpus built with the `web` \
                  feature"
            .to_string(),
    })
}

/// No page is ever handed on without the feature; one would be skipped.
pub(in crate::corpus) fn extract_page(page: Page, _: HtmlMode) -> Extracted {
    let w = Warning {
        location: page.location,
        message: "not read: korpus is built without the `web` feature"
            .to_string(),
    };
    Extracted { doc: Err(w), warnings: Vec::new() }
}
