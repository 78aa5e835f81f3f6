//! The table of `korpus colloc` for one node: its options by name, the
//! collocates that pass the thresholds, ranked, and the columns shown.
//!
//! Rows are in a total order: descending by the sort key (an undefined
//! value last, [`crate::measures::cmp_desc`]), then by co-occurrence
//! frequency descending, then by the collocate's bytes ascending. With
//! groups, each group is ranked on its own (ranks restart at 1), groups
//! in the order given.

use crate::analyze::Analyzer;
use crate::colloc::{Collocate, Collocates, Convention, Within};
use crate::measures::{ASSOCIATION, Measure, association, cmp_desc};
use crate::report::Cell;

/// An option value that is not one of the known names; its message is
/// the whole sentence, `unknown --X 'v' (known: a, b, c)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnknownName {}

impl std::str::FromStr for Within {
    type Err = UnknownName;

    /// `document` or `sentence`.
    fn from_str(s: &str) -> Result<Within, UnknownName> {
        match s {
            "document" => Ok(Within::Document),
            "sentence" => Ok(Within::Sentence),
            _ => Err(UnknownName(format!(
                "unknown --within '{s}' (known: document, sentence)"
            ))),
        }
    }
}

impl Within {
    /// The name [`Within::from_str`](std::str::FromStr) reads.
    pub fn name(self) -> &'static str {
        match self {
            Within::Document => "document",
            Within::Sentence => "sentence",
        }
    }
}

/// The conventions `korpus colloc --convention` knows: the two tables of
/// [`Convention`], and NLTK's pairs that hold the node
/// ([`crate::nltk::node_pairs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConventionName {
    /// [`Convention::Window`].
    Window,
    /// [`Convention::Node`].
    Node,
    /// NLTK's BigramCollocationFinder pairs that hold the node.
    Nltk,
}

impl std::str::FromStr for ConventionName {
    type Err = UnknownName;

    /// `window`, `node` or `nltk`.
    fn from_str(s: &str) -> Result<ConventionName, UnknownName> {
        match s {
            "window" => Ok(ConventionName::Window),
            "node" => Ok(ConventionName::Node),
            "nltk" => Ok(ConventionName::Nltk),
            _ => Err(UnknownName(format!(
                "unknown --convention '{s}' (known: window, node, nltk)"
            ))),
        }
    }
}

impl ConventionName {
    /// The contingency-table convention, `None` for NLTK's pairs.
    pub fn table(self) -> Option<Convention> {
        match self {
            ConventionName::Window => Some(Convention::Window),
            ConventionName::Node => Some(Convention::Node),
            ConventionName::Nltk => None,
        }
    }
}

/// The names of [`ASSOCIATION`], comma-separated.
fn measure_names() -> String {
    ASSOCIATION.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")
}

/// The measures of a comma-separated list of names (blanks around a
/// name ignored), in the list's order, or every measure for `all`.
pub fn measure_list(list: &str) -> Result<Vec<&'static Measure>, UnknownName> {
    if list == "all" {
        return Ok(ASSOCIATION.iter().collect());
    }
    list.split(',')
        .map(|m| {
            association(m.trim()).ok_or_else(|| {
                UnknownName(format!(
                    "unknown measure '{}' (known: {}, all)",
                    m.trim(),
                    measure_names()
                ))
            })
        })
        .collect()
}

/// What the rows are ranked by.
#[derive(Debug, Clone, Copy)]
pub enum SortKey {
    /// The co-occurrence frequency (then the collocate).
    Freq,
    /// An association measure (then the frequency, then the collocate).
    Measure(&'static Measure),
}

impl std::str::FromStr for SortKey {
    type Err = UnknownName;

    /// `freq` or the name of a measure of [`ASSOCIATION`].
    fn from_str(s: &str) -> Result<SortKey, UnknownName> {
        if s == "freq" {
            return Ok(SortKey::Freq);
        }
        association(s).map(SortKey::Measure).ok_or_else(|| {
            UnknownName(format!(
                "unknown --sort '{s}' (known: freq, {})",
                measure_names()
            ))
        })
    }
}

impl SortKey {
    /// The measure, `None` for [`SortKey::Freq`].
    pub fn measure(self) -> Option<&'static Measure> {
        match self {
            SortKey::Freq => None,
            SortKey::Measure(m) => Some(m),
        }
    }
}

/// How a node's collocates become rows.
#[derive(Debug, Clone)]
pub struct RankOptions {
    /// The table the measures are taken on (and `freq` is O11 of).
    pub convention: Convention,
    /// The ranking key.
    pub sort: SortKey,
    /// The measure columns, in order.
    pub shown: Vec<&'static Measure>,
    /// Yates' correction for chi2.
    pub yates: bool,
    /// Collocates with a co-occurrence frequency below this are left out.
    pub min_freq: u64,
    /// Collocates with a corpus frequency below this are left out.
    pub min_coll_freq: u64,
    /// The most rows per group (`usize::MAX` for all).
    pub top: usize,
    /// `Some((left, right))`: a count column per window position,
    /// `L{left}` … `L1`, `R1` … `R{right}`.
    pub positions: Option<(usize, usize)>,
}

/// One ranked collocate.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<'a> {
    /// The collocate's counts.
    pub collocate: &'a Collocate,
    /// O11 under the convention.
    pub freq: u64,
    /// The sort key's value (`None` for `freq`, or undefined).
    pub key: Option<f64>,
    /// The shown measures' values, in [`RankOptions::shown`]'s order.
    pub scores: Vec<Option<f64>>,
}

/// The collocates of `c` that pass the thresholds and are not
/// stopwords of `an`, in the module's order, the first `o.top`.
pub fn rank<'a>(
    c: &'a Collocates,
    an: &Analyzer,
    o: &RankOptions,
) -> Vec<Ranked<'a>> {
    let mut rows: Vec<Ranked> = c
        .items
        .iter()
        .filter_map(|col| {
            let t = c.table(col, o.convention);
            let lines = c.table(col, Convention::Node);
            let freq = t.o11 as u64;
            if freq < o.min_freq
                || col.coll_freq < o.min_coll_freq
                || an.is_stopword(&col.item)
            {
                return None;
            }
            let score = |m: &Measure| m.of(&t, &lines, o.yates);
            Some(Ranked {
                collocate: col,
                freq,
                key: o.sort.measure().and_then(score),
                scores: o.shown.iter().map(|m| score(m)).collect(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        cmp_desc(a.key, b.key).then(b.freq.cmp(&a.freq)).then_with(|| {
            a.collocate.item.as_bytes().cmp(b.collocate.item.as_bytes())
        })
    });
    rows.truncate(o.top);
    rows
}

/// The one table type ([`crate::report::Table`]).
pub use crate::report::Table;

/// The table of `groups` (name, collocates): `group` (with `grouped`),
/// `rank`, `collocate`, `freq`, `coll_freq`, the shown measures, then
/// the window positions if asked for; each group ranked by [`rank`].
pub fn table(
    groups: &[(String, Collocates)],
    grouped: bool,
    an: &Analyzer,
    o: &RankOptions,
) -> Table {
    let mut columns: Vec<String> =
        if grouped { vec!["group".into()] } else { Vec::new() };
    columns
        .extend(["rank", "collocate", "freq", "coll_freq"].map(String::from));
    columns.extend(o.shown.iter().map(|m| m.name.to_string()));
    if let Some((left, right)) = o.positions {
        columns.extend((1..=left).rev().map(|k| format!("L{k}")));
        columns.extend((1..=right).map(|k| format!("R{k}")));
    }
    let mut rows = Vec::new();
    for (group, c) in groups {
        for (i, r) in rank(c, an, o).iter().enumerate() {
            let mut cells = Vec::with_capacity(columns.len());
            if grouped {
                cells.push(Cell::Str(group.clone()));
            }
            cells.extend([
                Cell::Int(i as u64 + 1),
                Cell::Str(r.collocate.item.clone()),
                Cell::Int(r.freq),
                Cell::Int(r.collocate.coll_freq),
            ]);
            cells.extend(
                r.scores
                    .iter()
                    .zip(&o.shown)
                    .map(|(s, m)| Cell::opt(*s, m.decimals)),
            );
            if o.positions.is_some() {
                cells.extend(
                    r.collocate.positions.iter().map(|&n| Cell::Int(n)),
                );
            }
            rows.push(cells);
        }
    }
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::ReadReport;

    fn col(item: &str, window: u64, lines: u64, coll: u64) -> Collocate {
        Collocate {
            item: item.into(),
            window_freq: window,
            line_freq: lines,
            coll_freq: coll,
            positions: vec![window / 2, window - window / 2],
        }
    }

    /// 4 hits, 8 slots (L1 R1), 100 tokens.
    fn sample() -> Collocates {
        Collocates {
            items: vec![
                col("b", 2, 2, 10),
                col("a", 2, 2, 10),
                col("c", 4, 3, 4),
                col("yang", 3, 3, 50),
            ],
            hits: 4,
            slots: 8,
            tokens: 100,
            report: ReadReport::default(),
        }
    }

    fn opts(sort: &str) -> RankOptions {
        RankOptions {
            convention: Convention::Window,
            sort: sort.parse().unwrap(),
            shown: measure_list("mi, dice").unwrap(),
            yates: false,
            min_freq: 1,
            min_coll_freq: 1,
            top: usize::MAX,
            positions: None,
        }
    }

    #[test]
    fn option_names_parse_and_unknown_ones_list_the_known() {
        assert_eq!("sentence".parse::<Within>(), Ok(Within::Sentence));
        assert_eq!(
            "para".parse::<Within>().unwrap_err().to_string(),
            "unknown --within 'para' (known: document, sentence)"
        );
        let nltk: ConventionName = "nltk".parse().unwrap();
        assert_eq!(nltk.table(), None);
        assert_eq!(
            "node".parse::<ConventionName>().unwrap().table(),
            Some(Convention::Node)
        );
        assert!(
            "x".parse::<ConventionName>()
                .unwrap_err()
                .0
                .starts_with("unknown --convention 'x' (known: window")
        );
        let e = "zz".parse::<SortKey>().unwrap_err().0;
        assert!(
            e.starts_with("unknown --sort 'zz' (known: freq, expected, mi,")
        );
        assert!(matches!("freq".parse(), Ok(SortKey::Freq)));
        let names: Vec<_> =
            measure_list("ll , mi").unwrap().iter().map(|m| m.name).collect();
        assert_eq!(names, ["ll", "mi"]);
        assert_eq!(measure_list("all").unwrap().len(), ASSOCIATION.len());
        let e = measure_list("mi,foo").unwrap_err().0;
        assert!(e.starts_with("unknown measure 'foo' (known: expected, "));
        assert!(e.ends_with(", fisher, all)"));
    }

    #[test]
    fn rank_orders_by_key_then_freq_then_bytes() {
        let c = sample();
        let an = Analyzer::default();
        // MI (window): log2(O11 · N / (R1 · C1)).
        // a, b: 2·100/(8·10) = 2.5 -> 1.3219; c: 4·100/(8·4) = 12.5 ->
        // 3.6439; yang: 3·100/(8·50) = 0.75 -> -0.4150.
        let r = rank(&c, &an, &opts("mi"));
        let items: Vec<&str> =
            r.iter().map(|x| x.collocate.item.as_str()).collect();
        assert_eq!(items, ["c", "a", "b", "yang"]);
        assert!((r[0].key.unwrap() - 12.5f64.log2()).abs() < 1e-12);
        // Dice is on the node table: 2·lines / (hits + C1) = 6/8 for c.
        assert_eq!(r[0].scores[1], Some(0.75));
        // By freq: c 4, yang 3, then a and b (2 each) by bytes.
        let r = rank(&c, &an, &opts("freq"));
        let items: Vec<&str> =
            r.iter().map(|x| x.collocate.item.as_str()).collect();
        assert_eq!(items, ["c", "yang", "a", "b"]);
        assert_eq!(r[0].key, None);
    }

    #[test]
    fn rank_leaves_out_thresholds_and_stopwords_then_cuts_at_top() {
        let c = sample();
        let mut an = Analyzer::default();
        an.add_stopwords(["yang"]);
        let mut o = opts("mi");
        o.min_freq = 2;
        o.min_coll_freq = 5; // c (4) out
        let r = rank(&c, &an, &o);
        let items: Vec<&str> =
            r.iter().map(|x| x.collocate.item.as_str()).collect();
        assert_eq!(items, ["a", "b"]);
        o.top = 1;
        assert_eq!(rank(&c, &an, &o).len(), 1);
        // Under the node convention freq is the line count: c has 3.
        let mut o = opts("freq");
        o.convention = Convention::Node;
        o.min_freq = 3;
        let r = rank(&c, &Analyzer::default(), &o);
        assert_eq!(r[0].freq, 3);
        assert_eq!(r.len(), 2); // c and yang
    }

    #[test]
    fn table_ranks_each_group_and_adds_position_columns() {
        let groups =
            vec![("g1".to_string(), sample()), ("g2".to_string(), sample())];
        let mut o = opts("freq");
        o.top = 2;
        o.positions = Some((1, 1));
        let t = table(&groups, true, &Analyzer::default(), &o);
        assert_eq!(
            t.column_names(),
            [
                "group",
                "rank",
                "collocate",
                "freq",
                "coll_freq",
                "mi",
                "dice",
                "L1",
                "R1"
            ]
        );
        assert_eq!(t.rows.len(), 4);
        assert_eq!(t.rows[2][0], Cell::Str("g2".into()));
        assert_eq!(t.rows[2][1], Cell::Int(1));
        assert_eq!(t.rows[1][2], Cell::Str("yang".into()));
        // yang: positions [1, 2]; dice 2·3/(4 + 50) with 6 decimals.
        assert_eq!(t.rows[1][7..], [Cell::Int(1), Cell::Int(2)]);
        assert_eq!(t.rows[1][6], Cell::Float(6.0 / 54.0, 6));
        let t = table(&groups[..1], false, &Analyzer::default(), &opts("mi"));
        assert_eq!(t.columns[0], "rank");
        assert_eq!(t.rows.len(), 4);
    }
}
