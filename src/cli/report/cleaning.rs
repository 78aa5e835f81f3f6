//! The report's cleaning section: what `--dedup` and `--boilerplate`
//! removed from the corpus (`cleaning.tsv`) and from `--ref`
//! (`cleaning-ref.tsv`), in the columns of `korpus clean --report`
//! (every removed document with the one it duplicates and their
//! similarity, every template with its documents and an example). With
//! cleaning off, the section is one line that says so, and no file is
//! written. Scraped text reaches the page only through the page's
//! escaping ([`korpus::report::html::Page`]).

use korpus::clean::{CleanOptions, Cleaner, write};

use super::super::cleaning::describe;
use super::page::Report;

impl Report<'_> {
    /// The cleaning section, from the cleaners of the corpus and of
    /// `--ref` (`None`: not cleaned, or no `--ref`), after every read.
    pub(super) fn cleaning(
        &mut self,
        corpus: Option<&Cleaner>,
        reference: Option<&Cleaner>,
    ) -> anyhow::Result<()> {
        self.page.section("cleaning", "Cleaning");
        let opts = self.args.clean.options(false)?;
        if corpus.is_none() {
            self.page.text(
                "No cleaning: duplicate documents and boilerplate lines were counted as read \
                 (--dedup and --boilerplate not given).",
            );
            return Ok(());
        }
        self.page.text(&settings(&opts));
        let parts = [
            ("cleaning-corpus", "The corpus", "cleaning.tsv", corpus),
            (
                "cleaning-ref",
                "The --ref corpus",
                "cleaning-ref.tsv",
                reference,
            ),
        ];
        for (id, what, file, cleaner) in parts {
            let Some(cleaner) = cleaner else { continue };
            let removed = cleaner.removed();
            let t = write::report(cleaner.cleaning(), &removed);
            self.write(file, &t)?;
            self.page.heading(what);
            self.page.text(&format!(
                "{}; {} byte(s) of text. Each removed document (kind exact or near) with the one \
                 kept (of_id, the first in corpus order) and their similarity; each template \
                 removed with the documents of its source it occurs in, its rule and the first \
                 document it was removed from (id), as written there.",
                describe(&removed),
                removed.bytes
            ));
            self.page.table(id, &t, 500);
            self.page.link(file, file);
        }
        Ok(())
    }
}

/// What cleaning ran with, in one sentence (every setting is in
/// provenance.json, `settings.clean`).
fn settings(opts: &CleanOptions) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &opts.dedup {
        parts.push(format!(
            "--dedup (shingles of {} words, Jaccard threshold {})",
            d.shingle, d.threshold
        ));
    }
    if let Some(b) = &opts.boilerplate {
        parts.push(format!(
            "--boilerplate (a line key in at least {} documents and {}% of its source's, \
             tail templates {}, built-in openers {})",
            b.min_docs,
            b.min_share * 100.0,
            if b.tail { "on" } else { "off" },
            if b.builtin { "on" } else { "off" },
        ));
    }
    format!(
        "Cleaned while read, after a pre-pass over each corpus: {} (every setting in \
         provenance.json).",
        parts.join(" and ")
    )
}
