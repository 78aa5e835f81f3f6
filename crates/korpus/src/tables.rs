//! The tables of `freq`, `ngrams`, `dispersion`, `kwic`, `stats` and
//! `eval-tokens`: their columns and the cells of each row, made from the
//! engines' results, so the command line and `korpus report` write the
//! same table. Derived figures (a share, a rate per million, a relative
//! position) are computed here, once.

use crate::analyze::{Analyzer, Scratch};
#[cfg(feature = "charts")]
use crate::chart::{PlotRow, ZipfSeries};
use crate::corpus::Document;
use crate::dispersion::{Part, QueryDispersion};
use crate::eval::EvalScore;
use crate::freq::FreqRow;
#[cfg(feature = "charts")]
use crate::freq::GroupFreq;
use crate::kwic::{KwicLine, KwicSummary};
use crate::lemma::LemmaMemo;
use crate::ngrams::Cluster;
use crate::pivot::WideRow;
use crate::report::Cell;
use crate::stats::GroupStats;

/// `part` per million of `whole` (infinite or NaN for an empty whole,
/// as the float formatting then shows).
pub fn per_million(part: u64, whole: u64) -> f64 {
    part as f64 * 1e6 / whole as f64
}

/// The columns of a frequency list (`group` first when grouped).
pub fn freq_columns(grouped: bool) -> Vec<&'static str> {
    let mut c = if grouped { vec!["group"] } else { Vec::new() };
    c.extend(["rank", "item", "freq", "per_million", "range", "range_pct"]);
    c.extend(["juilland_d", "dp", "dp_norm"]);
    c
}

/// The cells of a frequency row after its rank: item, freq, per million,
/// range, range %, Juilland's D, DP, DPnorm.
pub fn freq_cells(r: &FreqRow) -> [Cell; 8] {
    [
        Cell::Str(r.item.clone()),
        Cell::Int(r.freq),
        Cell::Float(r.per_million, 2),
        Cell::Int(r.range),
        Cell::Float(r.range_pct, 2),
        Cell::opt(r.juilland_d, 4),
        Cell::opt(r.dp, 4),
        Cell::opt(r.dp_norm, 4),
    ]
}

/// A row of [`freq_columns`]: the group's name when `group` is given.
pub fn freq_row(group: Option<&str>, rank: u64, r: &FreqRow) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(10);
    cells.extend(group.map(|g| Cell::Str(g.to_string())));
    cells.push(Cell::Int(rank));
    cells.extend(freq_cells(r));
    cells
}

#[cfg(feature = "charts")]
/// The series of a Zipf chart of ranked rows (as
/// [`crate::pivot::Selection::ranked`] gives them): one per group, in
/// order, named after it when `grouped` (else one, unnamed).
pub fn zipf_series<'a>(
    rows: impl IntoIterator<Item = (&'a GroupFreq, u64, &'a FreqRow)>,
    grouped: bool,
) -> Vec<ZipfSeries> {
    let mut series: Vec<ZipfSeries> = Vec::new();
    for (g, rank, r) in rows {
        let name = if grouped { g.group.as_str() } else { "" };
        match series.last_mut() {
            Some(s) if s.name == name => {}
            _ => series.push(ZipfSeries {
                name: name.to_string(),
                points: Vec::new(),
            }),
        }
        let s = series.last_mut().expect("pushed");
        s.points.push((rank, r.item.clone(), r.freq));
    }
    series
}

/// The columns of the wide table: rank, item, total, then each group.
pub fn wide_columns<'a>(
    groups: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let mut c = vec!["rank", "item", "total"];
    c.extend(groups);
    c
}

/// A row of [`wide_columns`].
pub fn wide_cells(r: &WideRow) -> Vec<Cell> {
    let mut cells = vec![
        Cell::Int(r.rank),
        Cell::Str(r.item.to_string()),
        Cell::Int(r.total),
    ];
    cells.extend(r.freqs.iter().map(|&f| Cell::Int(f)));
    cells
}

/// The columns of `ngrams`: the length, then a frequency list's.
pub fn ngram_columns() -> Vec<&'static str> {
    let mut c = vec!["n"];
    c.extend(freq_columns(false));
    c
}

/// The columns of `ngrams --around`.
pub const CLUSTER_COLUMNS: [&str; 6] =
    ["rank", "n", "cluster", "node_position", "freq", "range"];

/// A row of [`CLUSTER_COLUMNS`].
pub fn cluster_cells(rank: u64, c: &Cluster) -> Vec<Cell> {
    vec![
        Cell::Int(rank),
        Cell::Int(c.n as u64),
        Cell::Str(c.item.clone()),
        Cell::Int(c.node_position as u64),
        Cell::Int(c.freq),
        Cell::Int(c.range),
    ]
}

/// The columns of `dispersion --summary`.
pub const DISPERSION_SUMMARY_COLUMNS: [&str; 11] = [
    "query",
    "hits",
    "tokens",
    "per_million",
    "parts",
    "range",
    "range_pct",
    "juilland_d",
    "dp",
    "dp_norm",
    "arf",
];

/// A row of [`DISPERSION_SUMMARY_COLUMNS`] for the query `text`: the
/// range as a share of the parts, and the measures (`Null` if undefined).
pub fn dispersion_summary(text: &str, d: &QueryDispersion) -> Vec<Cell> {
    let parts = d.parts.len() as u64;
    vec![
        Cell::Str(text.to_string()),
        Cell::Int(d.hits),
        Cell::Int(d.tokens),
        Cell::Float(per_million(d.hits, d.tokens), 2),
        Cell::Int(parts),
        Cell::Int(d.range),
        Cell::Float(d.range as f64 * 100.0 / parts as f64, 2),
        Cell::opt(d.juilland_d, 4),
        Cell::opt(d.dp, 4),
        Cell::opt(d.dp_norm, 4),
        Cell::opt(d.arf, 2),
    ]
}

/// The columns of the parts of `dispersion` (`query` first when there
/// are several).
pub fn dispersion_part_columns(several: bool) -> Vec<&'static str> {
    let mut c = if several { vec!["query"] } else { Vec::new() };
    c.extend(["part", "tokens", "hits", "per_million", "positions"]);
    c
}

/// A row of [`dispersion_part_columns`]: the hits' relative positions
/// (token index over the part's tokens, 4 decimals, space-separated).
pub fn dispersion_part(query: Option<&str>, p: &Part) -> Vec<Cell> {
    let positions: Vec<String> = p
        .hits
        .iter()
        .map(|&h| format!("{:.4}", h as f64 / p.tokens as f64))
        .collect();
    let mut cells = Vec::with_capacity(6);
    cells.extend(query.map(|q| Cell::Str(q.to_string())));
    cells.extend([
        Cell::Str(p.name.clone()),
        Cell::Int(p.tokens),
        Cell::Int(p.hits.len() as u64),
        Cell::Float(per_million(p.hits.len() as u64, p.tokens), 2),
        Cell::Str(positions.join(" ")),
    ]);
    cells
}

/// The line of `korpus dispersion` on stderr for a query (named when
/// `name` is given): hits, range, and the measures with 4 decimals (ARF
/// 2), `undefined` where they are not defined.
pub fn dispersion_line(name: Option<&str>, d: &QueryDispersion) -> String {
    let show = |v: Option<f64>, dec: usize| {
        v.map_or("undefined".to_string(), |v| format!("{v:.dec$}"))
    };
    let name = name.map(|n| format!("'{n}': ")).unwrap_or_default();
    format!(
        "{name}{} hits in {} of {} parts; Juilland's D {}, DP {}, DPnorm {}, ARF {}",
        d.hits,
        d.range,
        d.parts.len(),
        show(d.juilland_d, 4),
        show(d.dp, 4),
        show(d.dp_norm, 4),
        show(d.arf, 2),
    )
}

#[cfg(feature = "charts")]
/// The rows of a concordance plot: a row per part with a hit, query by
/// query (`query` is the query's index).
pub fn plot_rows(results: &[QueryDispersion]) -> Vec<PlotRow> {
    let rows = results.iter().enumerate().flat_map(|(qi, d)| {
        d.parts.iter().filter(|p| !p.hits.is_empty()).map(move |p| PlotRow {
            query: qi,
            part: p.name.clone(),
            tokens: p.tokens,
            hits: p.hits.clone(),
        })
    });
    rows.collect()
}

/// The columns of `stats` (`group` first when grouped).
pub fn stats_columns(grouped: bool) -> Vec<&'static str> {
    let mut c = if grouped { vec!["group"] } else { Vec::new() };
    c.extend(["documents", "tokens", "types", "ttr", "msttr", "mattr"]);
    c.extend(["hapax", "hapax_pct", "yule_k", "mean_doc_len"]);
    c
}

/// A row of [`stats_columns`]: hapaxes as a share of the types too.
pub fn stats_row(group: Option<&str>, g: &GroupStats) -> Vec<Cell> {
    let hapax_pct =
        (g.types > 0).then(|| 100.0 * g.hapax as f64 / g.types as f64);
    let mut cells = Vec::with_capacity(11);
    cells.extend(group.map(|g| Cell::Str(g.to_string())));
    cells.extend([
        Cell::Int(g.documents),
        Cell::Int(g.tokens),
        Cell::Int(g.types),
        Cell::opt(g.ttr, 4),
        Cell::opt(g.msttr, 4),
        Cell::opt(g.mattr, 4),
        Cell::Int(g.hapax),
        Cell::opt(hapax_pct, 2),
        Cell::opt(g.yule_k, 2),
        Cell::opt(g.mean_doc_len, 2),
    ]);
    cells
}

/// The columns of `kwic`: group (when grouped), doc, the metadata
/// `fields`, position, start, end, left, node, right.
pub fn kwic_columns(grouped: bool, fields: &[String]) -> Vec<&str> {
    let mut c = if grouped { vec!["group", "doc"] } else { vec!["doc"] };
    c.extend(fields.iter().map(String::as_str));
    c.extend(["position", "start", "end", "left", "node", "right"]);
    c
}

/// A row of [`kwic_columns`]; with `flat`, line breaks and tabs in the
/// left context, node and right context become spaces (for a table on a
/// terminal, where a line must stay one line).
pub fn kwic_row(line: &KwicLine, grouped: bool, flat: bool) -> Vec<Cell> {
    let text =
        |s: &str| Cell::Str(if flat { one_line(s) } else { s.to_string() });
    let mut cells = Vec::with_capacity(line.fields.len() + 9);
    if grouped {
        cells.push(Cell::Str(line.group.clone()));
    }
    cells.push(Cell::Str(line.doc.to_string()));
    cells.extend(line.fields.iter().map(|f| Cell::Str(f.clone())));
    cells.extend([
        Cell::Int(line.position),
        Cell::Int(line.start as u64),
        Cell::Int(line.end as u64),
        text(&line.left),
        text(&line.node),
        text(&line.right),
    ]);
    cells
}

/// The summary of a concordance (`korpus kwic` prints it on stderr):
/// `12 hits in 3 documents (4.20 per million tokens)`; without the token
/// count (the pre-filter skipped documents) it says why.
pub fn kwic_summary(s: &KwicSummary) -> String {
    let docs = if s.docs_with_hits == 1 { "document" } else { "documents" };
    let per_million = match s.tokens {
        Some(t) if t > 0 => {
            format!("{:.2} per million tokens", per_million(s.hits, t))
        }
        Some(_) => "no tokens".to_string(),
        None => format!(
            "per million not computed: the pre-filter skipped {} of {} documents (--no-prefilter computes it)",
            s.docs_skipped, s.docs
        ),
    };
    format!("{} hits in {} {docs} ({per_million})", s.hits, s.docs_with_hits)
}

/// `s` with each line break and tab a space.
pub fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

/// The columns of `tokens`: doc, the metadata fields `meta`, sentence,
/// start, end, surface, norm, class.
pub fn token_columns(meta: &[String], lemmas: bool) -> Vec<&str> {
    let mut c = vec!["doc"];
    c.extend(meta.iter().map(String::as_str));
    c.extend(["sentence", "start", "end", "surface", "norm", "class"]);
    if lemmas {
        c.extend(["lemma", "affixes"]);
    }
    c
}

/// The rows of [`token_columns`] for every token of `doc`: sentences
/// numbered from 1 in the document, byte offsets into its text, the
/// metadata fields `meta` (`Null` where absent). With `lemmas` (a
/// worker's memo), the lemma of each token's normalized form (before the
/// variant map) and the affixes between them ([`crate::lemma::affixes`]).
pub fn token_rows(
    an: &Analyzer,
    doc: &Document,
    meta: &[String],
    scratch: &mut Scratch,
    mut lemmas: Option<&mut LemmaMemo>,
) -> Vec<Vec<Cell>> {
    let meta: Vec<Cell> = meta
        .iter()
        .map(|f| doc.get(f).map_or(Cell::Null, |v| Cell::Str(v.into())))
        .collect();
    let mut rows = Vec::new();
    let mut sentence = 0u64;
    let (mut word, mut affixes) = (String::new(), String::new());
    an.analyze(&doc.text, scratch, |tok, term| {
        if tok.sentence_start {
            sentence += 1;
        }
        let surface = &doc.text[tok.start..tok.end];
        let mut row = Vec::with_capacity(meta.len() + 9);
        row.push(Cell::Str(doc.id.clone()));
        row.extend(meta.iter().cloned());
        row.extend([
            Cell::Int(sentence.max(1)),
            Cell::Int(tok.start as u64),
            Cell::Int(tok.end as u64),
            Cell::Str(surface.to_string()),
            Cell::Str(term.to_string()),
            Cell::Str(tok.class.name().to_string()),
        ]);
        if let Some(memo) = lemmas.as_deref_mut() {
            crate::normalize::normalize_into(
                surface,
                &an.normalize,
                &mut word,
            );
            let lemma = memo.get(an.lemmatizer(), &word);
            crate::lemma::affixes(&word, lemma, &mut affixes);
            row.extend([
                Cell::Str(lemma.to_string()),
                Cell::Str(affixes.clone()),
            ]);
        }
        rows.push(row);
    });
    rows
}

/// The columns of `eval-tokens`.
pub const EVAL_COLUMNS: [&str; 10] = [
    "file",
    "sentences",
    "roundtrip_failures",
    "gold",
    "predicted",
    "correct",
    "precision",
    "recall",
    "f1",
    "hyphen_disagreements",
];

/// A row of [`EVAL_COLUMNS`] for the gold file `path`.
pub fn eval_row(path: &str, s: &EvalScore) -> Vec<Cell> {
    vec![
        Cell::Str(path.to_string()),
        Cell::Int(s.sentences),
        Cell::Int(s.roundtrip_failures),
        Cell::Int(s.gold),
        Cell::Int(s.predicted),
        Cell::Int(s.correct),
        Cell::Float(s.precision(), 4),
        Cell::Float(s.recall(), 4),
        Cell::Float(s.f1(), 4),
        Cell::Int(s.hyphen_disagreements),
    ]
}

/// The columns of `korpus eval-lemmas`.
pub const LEMMA_EVAL_COLUMNS: [&str; 5] =
    ["file", "upos", "words", "correct", "accuracy"];

/// The rows of [`LEMMA_EVAL_COLUMNS`] for the gold file `path`: every
/// scored word (`upos` = `all`), then each UPOS by tag.
pub fn lemma_eval_rows(
    path: &str,
    s: &crate::lemma::eval::LemmaScore,
) -> Vec<Vec<Cell>> {
    let row = |upos: &str, t: &crate::lemma::eval::Tally| {
        vec![
            Cell::Str(path.to_string()),
            Cell::Str(upos.to_string()),
            Cell::Int(t.words),
            Cell::Int(t.correct),
            Cell::Float(t.accuracy(), 4),
        ]
    };
    std::iter::once(row("all", &s.all))
        .chain(s.by_upos.iter().map(|(u, t)| row(u, t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(c: &Cell) -> f64 {
        match c {
            Cell::Float(v, _) => *v,
            other => panic!("not a float: {other:?}"),
        }
    }

    fn part(name: &str, tokens: u64, hits: &[u64]) -> Part {
        Part { name: name.into(), tokens, hits: hits.to_vec() }
    }

    #[test]
    fn per_million_of_small_counts() {
        assert_eq!(per_million(3, 1000), 3000.0);
        assert_eq!(per_million(1, 4), 250_000.0);
        assert_eq!(per_million(0, 7), 0.0);
        assert!(per_million(1, 0).is_infinite());
    }

    #[test]
    fn dispersion_part_positions_are_relative() {
        // Hits at tokens 1 and 3 of 4: 1/4 and 3/4; 2 hits in 4 tokens
        // is 500,000 per million.
        let cells = dispersion_part(Some("q"), &part("d1", 4, &[1, 3]));
        assert!(matches!(&cells[0], Cell::Str(s) if s == "q"));
        assert!(matches!(&cells[1], Cell::Str(s) if s == "d1"));
        assert!(matches!(cells[3], Cell::Int(2)));
        assert_eq!(float(&cells[4]), 500_000.0);
        assert!(matches!(&cells[5], Cell::Str(s) if s == "0.2500 0.7500"));
        let cells = dispersion_part(None, &part("d2", 3, &[]));
        assert_eq!(cells.len(), 5);
        assert!(matches!(&cells[4], Cell::Str(s) if s.is_empty()));
    }

    #[test]
    fn dispersion_summary_range_is_a_share_of_the_parts() {
        // 3 hits in 2 of 8 parts, 600 tokens: 25 % and 5000 per million.
        let mut parts = vec![part("a", 100, &[0, 5]), part("b", 100, &[9])];
        parts.extend((0..6).map(|i| part(&i.to_string(), 400 / 6, &[])));
        let d = QueryDispersion {
            parts,
            tokens: 600,
            hits: 3,
            range: 2,
            juilland_d: Some(0.5),
            dp: None,
            dp_norm: None,
            arf: Some(1.5),
            report: Default::default(),
        };
        let cells = dispersion_summary("x", &d);
        assert_eq!(cells.len(), DISPERSION_SUMMARY_COLUMNS.len());
        assert_eq!(float(&cells[3]), 5000.0);
        assert!(matches!(cells[4], Cell::Int(8)));
        assert_eq!(float(&cells[6]), 25.0);
        assert!(matches!(cells[8], Cell::Null));
        assert_eq!(float(&cells[10]), 1.5);
    }

    #[cfg(feature = "charts")]
    #[test]
    fn dispersion_line_and_plot_rows() {
        let d = QueryDispersion {
            parts: vec![part("a", 10, &[2]), part("b", 5, &[])],
            tokens: 15,
            hits: 1,
            range: 1,
            juilland_d: Some(0.25),
            dp: Some(1.0 / 3.0),
            dp_norm: None,
            arf: Some(1.0),
            report: Default::default(),
        };
        assert_eq!(
            dispersion_line(Some("x"), &d),
            "'x': 1 hits in 1 of 2 parts; Juilland's D 0.2500, DP 0.3333, \
             DPnorm undefined, ARF 1.00"
        );
        assert!(dispersion_line(None, &d).starts_with("1 hits in 1 of 2"));
        let rows = plot_rows(&[d.clone(), d]);
        let got: Vec<(usize, &str)> =
            rows.iter().map(|r| (r.query, r.part.as_str())).collect();
        assert_eq!(got, [(0, "a"), (1, "a")]);
    }

    #[test]
    fn stats_hapax_share_of_types() {
        let g = GroupStats {
            group: "g".into(),
            documents: 1,
            tokens: 6,
            types: 4,
            ttr: Some(4.0 / 6.0),
            msttr: None,
            mattr: None,
            hapax: 3,
            yule_k: None,
            mean_doc_len: Some(6.0),
        };
        let cells = stats_row(Some("g"), &g);
        assert_eq!(cells.len(), stats_columns(true).len());
        assert_eq!(float(&cells[8]), 75.0);
        let none = GroupStats { types: 0, hapax: 0, ..g };
        assert!(matches!(stats_row(None, &none)[7], Cell::Null));
    }

    #[test]
    fn kwic_flat_keeps_a_line_one_line() {
        assert_eq!(one_line("a\nb\r\nc\td"), "a b  c d");
        assert_eq!(one_line("tanpa"), "tanpa");
        let fields = ["date".to_string()];
        let cols = kwic_columns(true, &fields);
        assert_eq!(cols[..3], ["group", "doc", "date"]);
        assert_eq!(kwic_columns(false, &[]).len(), 7);
    }

    #[cfg(feature = "charts")]
    fn freq_row_of(item: &str, freq: u64) -> FreqRow {
        FreqRow {
            item: item.into(),
            freq,
            per_million: 0.0,
            range: 1,
            range_pct: 0.0,
            juilland_d: None,
            dp: None,
            dp_norm: None,
        }
    }

    #[cfg(feature = "charts")]
    #[test]
    fn zipf_series_one_per_group() {
        let g = |name: &str, rows: &[(&str, u64)]| GroupFreq {
            group: name.into(),
            tokens: 0,
            types: 0,
            parts: 0,
            empty_docs: 0,
            rows: rows.iter().map(|&(i, f)| freq_row_of(i, f)).collect(),
        };
        let groups = [g("a", &[("x", 3), ("y", 1)]), g("b", &[("z", 2)])];
        let rows = || {
            groups.iter().flat_map(|g| {
                g.rows.iter().zip(1..).map(move |(r, k)| (g, k, r))
            })
        };
        let s = zipf_series(rows(), true);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "a");
        assert_eq!(s[0].points, [(1, "x".into(), 3), (2, "y".into(), 1)]);
        assert_eq!(s[1].points, [(1, "z".into(), 2)]);
        let s = zipf_series(rows(), false);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].name, "");
        assert_eq!(s[0].points.len(), 3);
    }

    #[test]
    fn kwic_summary_lines() {
        let s = KwicSummary {
            hits: 3,
            docs_with_hits: 1,
            docs: 2,
            docs_skipped: 0,
            tokens: Some(4000),
        };
        // 3 of 4000 tokens: 750 per million.
        assert_eq!(
            kwic_summary(&s),
            "3 hits in 1 document (750.00 per million tokens)"
        );
        let none =
            KwicSummary { hits: 0, docs_with_hits: 0, tokens: Some(0), ..s };
        assert_eq!(kwic_summary(&none), "0 hits in 0 documents (no tokens)");
        let skipped = KwicSummary {
            docs_with_hits: 2,
            docs_skipped: 1,
            tokens: None,
            ..s
        };
        assert_eq!(
            kwic_summary(&skipped),
            "3 hits in 2 documents (per million not computed: the pre-filter \
             skipped 1 of 2 documents (--no-prefilter computes it))"
        );
    }

    #[test]
    fn token_rows_of_two_sentences() {
        let an = Analyzer {
            classes: crate::analyze::ClassSet::ALL,
            ..Analyzer::default()
        };
        let doc = Document {
            id: "d".into(),
            meta: vec![("src".into(), "x".into())],
            text: "Halo Dunia. Apa?".into(),
        };
        let meta = ["src".to_string(), "none".to_string()];
        let rows = token_rows(&an, &doc, &meta, &mut Scratch::default(), None);
        let show = |c: &Cell| match c {
            Cell::Str(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            _ => "-".into(),
        };
        let got: Vec<String> = rows
            .iter()
            .map(|r| r.iter().map(show).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            got,
            [
                "d x - 1 0 4 Halo halo word",
                "d x - 1 5 10 Dunia dunia word",
                "d x - 1 10 11 . . punct",
                "d x - 2 12 15 Apa apa word",
                "d x - 2 15 16 ? ? punct",
            ]
        );
        assert_eq!(token_columns(&meta, false).len(), rows[0].len());
    }

    #[test]
    fn column_lists_match_their_rows() {
        let r = FreqRow {
            item: "x".into(),
            freq: 1,
            per_million: 1.0,
            range: 1,
            range_pct: 1.0,
            juilland_d: None,
            dp: None,
            dp_norm: None,
        };
        assert_eq!(freq_row(Some("g"), 1, &r).len(), freq_columns(true).len());
        assert_eq!(freq_row(None, 1, &r).len(), freq_columns(false).len());
        assert_eq!(ngram_columns()[..2], ["n", "rank"]);
        let w = WideRow { rank: 1, item: "x", total: 3, freqs: vec![1, 2] };
        assert_eq!(wide_cells(&w).len(), wide_columns(["a", "b"]).len());
    }
}
