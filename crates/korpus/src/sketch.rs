//! The sketch difference of two nodes: each collocate of either node
//! with its frequency and score by one measure next to both, and the
//! difference of the scores (`korpus colloc NODE --vs QUERY`).
//!
//! A collocate found with one node only still has a corpus frequency
//! with the other: its table there has `O11 = 0` and the same `C1`. An
//! undefined score counts as 0 in the difference. Rows are in a total
//! order: by the difference descending ([`f64::total_cmp`]; most typical
//! of node a first, most typical of node b last), then by the
//! collocate's bytes ascending.

use crate::analyze::Analyzer;
use crate::colloc::{Collocate, Collocates, Convention};
use crate::colloc_table::Table;
use crate::hash::{Map, new_map};
use crate::measures::{Measure, cmp_desc};
use crate::report::Cell;

/// How the difference is taken.
#[derive(Debug, Clone, Copy)]
pub struct DiffOptions {
    /// The table the measure is taken on (and the frequencies are O11 of).
    pub convention: Convention,
    /// The measure compared.
    pub measure: &'static Measure,
    /// Yates' correction for chi2.
    pub yates: bool,
    /// Collocates whose frequency is below this with both nodes are left
    /// out.
    pub min_freq: u64,
}

/// One collocate of the difference.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffRow {
    /// The collocate.
    pub item: String,
    /// O11 with node a.
    pub freq_a: u64,
    /// O11 with node b.
    pub freq_b: u64,
    /// The score with node a.
    pub score_a: Option<f64>,
    /// The score with node b.
    pub score_b: Option<f64>,
    /// `score_a − score_b`, an undefined score taken as 0.
    pub diff: f64,
}

impl DiffRow {
    /// The frequency and score with node `side` (0 = a, 1 = b).
    fn side(&self, side: usize) -> (u64, Option<f64>) {
        if side == 0 {
            (self.freq_a, self.score_a)
        } else {
            (self.freq_b, self.score_b)
        }
    }
}

/// The sketch difference, rows in the module's order.
#[derive(Debug, Clone)]
pub struct Difference {
    /// Every collocate kept.
    pub rows: Vec<DiffRow>,
    /// The measure compared.
    pub measure: &'static Measure,
}

/// The difference of `a` (node a's collocates) and `b` (node b's),
/// stopwords of `an` left out.
pub fn difference(
    a: &Collocates,
    b: &Collocates,
    an: &Analyzer,
    o: &DiffOptions,
) -> Difference {
    type Sides<'c> = (Option<&'c Collocate>, Option<&'c Collocate>);
    let mut union: Map<&str, Sides> = new_map();
    for c in &a.items {
        union.entry(&c.item).or_default().0 = Some(c);
    }
    for c in &b.items {
        union.entry(&c.item).or_default().1 = Some(c);
    }
    let mut rows = Vec::new();
    for (item, (ca, cb)) in union {
        if an.is_stopword(item) {
            continue;
        }
        let coll_freq = ca.or(cb).map_or(0, |c| c.coll_freq);
        let score = |side: &Collocates, c: Option<&Collocate>| {
            let absent;
            let col = match c {
                Some(c) => c,
                None => {
                    absent = Collocate {
                        item: item.to_string(),
                        window_freq: 0,
                        line_freq: 0,
                        coll_freq,
                        positions: Vec::new(),
                    };
                    &absent
                }
            };
            let t = side.table(col, o.convention);
            (t.o11 as u64, side.score(col, o.convention, o.measure, o.yates))
        };
        let (freq_a, score_a) = score(a, ca);
        let (freq_b, score_b) = score(b, cb);
        if freq_a.max(freq_b) < o.min_freq {
            continue;
        }
        let diff = score_a.unwrap_or(0.0) - score_b.unwrap_or(0.0);
        rows.push(DiffRow {
            item: item.to_string(),
            freq_a,
            freq_b,
            score_a,
            score_b,
            diff,
        });
    }
    rows.sort_by(|x, y| {
        y.diff
            .total_cmp(&x.diff)
            .then_with(|| x.item.as_bytes().cmp(y.item.as_bytes()))
    });
    Difference { rows, measure: o.measure }
}

impl Difference {
    /// The rows shown with `--top N` (`usize::MAX` for all), with their
    /// 0-based ranks: the first N and the last N (the most typical of
    /// each node), every row when there are at most 2N.
    pub fn shown(
        &self,
        top: usize,
    ) -> impl Iterator<Item = (usize, &DiffRow)> {
        let n = self.rows.len();
        let cut = n > top.saturating_mul(2);
        self.rows
            .iter()
            .enumerate()
            .filter(move |(rank, _)| !cut || *rank < top || *rank >= n - top)
    }

    /// The table of [`Difference::shown`]: `rank`, `collocate`, `freq_a`,
    /// `freq_b`, `MEASURE_a`, `MEASURE_b`, `diff`.
    pub fn table(&self, top: usize) -> Table {
        let m = self.measure;
        let columns = vec![
            "rank".to_string(),
            "collocate".to_string(),
            "freq_a".to_string(),
            "freq_b".to_string(),
            format!("{}_a", m.name),
            format!("{}_b", m.name),
            "diff".to_string(),
        ];
        let rows = self
            .shown(top)
            .map(|(rank, r)| {
                vec![
                    Cell::Int(rank as u64 + 1),
                    Cell::Str(r.item.clone()),
                    Cell::Int(r.freq_a),
                    Cell::Int(r.freq_b),
                    Cell::opt(r.score_a, m.decimals),
                    Cell::opt(r.score_b, m.decimals),
                    Cell::Float(r.diff, m.decimals),
                ]
            })
            .collect();
        Table { columns, rows }
    }

    /// The network of the two nodes: for each node (0 = a, then 1 = b),
    /// its `per_node` strongest collocates among those it occurs with
    /// and has a defined score with, by the score descending and then the
    /// collocate's bytes: `(node, row, score)`.
    pub fn strongest(&self, per_node: usize) -> Vec<(usize, &DiffRow, f64)> {
        let mut edges = Vec::new();
        for node in 0..2 {
            let mut own: Vec<(&DiffRow, f64)> = self
                .rows
                .iter()
                .filter_map(|r| match r.side(node) {
                    (f, Some(s)) if f > 0 => Some((r, s)),
                    _ => None,
                })
                .collect();
            own.sort_by(|(x, sx), (y, sy)| {
                cmp_desc(Some(*sx), Some(*sy))
                    .then_with(|| x.item.as_bytes().cmp(y.item.as_bytes()))
            });
            edges.extend(
                own.into_iter().take(per_node).map(|(r, s)| (node, r, s)),
            );
        }
        edges
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::ReadReport;
    use crate::measures::association;

    fn col(item: &str, window: u64, coll: u64) -> Collocate {
        Collocate {
            item: item.into(),
            window_freq: window,
            line_freq: window,
            coll_freq: coll,
            positions: Vec::new(),
        }
    }

    fn side(items: Vec<Collocate>) -> Collocates {
        // 10 hits, 20 slots, 1000 tokens.
        Collocates {
            items,
            hits: 10,
            slots: 20,
            tokens: 1000,
            report: ReadReport::default(),
        }
    }

    fn opts(measure: &str) -> DiffOptions {
        DiffOptions {
            convention: Convention::Window,
            measure: association(measure).unwrap(),
            yates: false,
            min_freq: 1,
        }
    }

    /// MI on the window table: log2(O11 · N / (R1 · C1)).
    fn mi(o11: f64, c1: f64) -> f64 {
        (o11 * 1000.0 / (20.0 * c1)).log2()
    }

    #[test]
    fn rows_take_the_absent_side_from_the_corpus_frequency() {
        // x with a only, y with both, z with b only.
        let a = side(vec![col("x", 4, 10), col("y", 2, 40)]);
        let b = side(vec![col("y", 8, 40), col("z", 1, 4)]);
        let d = difference(&a, &b, &Analyzer::default(), &opts("mi"));
        let items: Vec<&str> =
            d.rows.iter().map(|r| r.item.as_str()).collect();
        // x: mi(4,10) − undefined (0) = 4.3219; y: mi(2,40) − mi(8,40) =
        // −2; z: 0 − mi(1,4) = −3.6439.
        assert_eq!(items, ["x", "y", "z"]);
        let x = &d.rows[0];
        assert_eq!((x.freq_a, x.freq_b), (4, 0));
        assert_eq!(x.score_b, None); // log2(0)
        assert!((x.diff - mi(4.0, 10.0)).abs() < 1e-12);
        assert!((d.rows[1].diff + 2.0).abs() < 1e-12);
        assert!((d.rows[2].diff + mi(1.0, 4.0)).abs() < 1e-12);
        // The absent side keeps the corpus frequency: z has E11 = R1 ·
        // C1 / N = 20 · 4 / 1000 with node a too.
        let d = difference(&a, &b, &Analyzer::default(), &opts("expected"));
        let z = d.rows.iter().find(|r| r.item == "z").unwrap();
        assert!((z.score_a.unwrap() - 0.08).abs() < 1e-12);
        assert!((z.score_b.unwrap() - 0.08).abs() < 1e-12);
    }

    #[test]
    fn ties_go_by_bytes_and_thresholds_need_one_side() {
        let a = side(vec![col("b", 3, 30), col("a", 3, 30), col("c", 1, 9)]);
        let b = side(vec![col("b", 3, 30), col("a", 3, 30), col("de", 1, 2)]);
        let mut an = Analyzer::default();
        an.add_stopwords(["de"]);
        let mut o = opts("mi");
        o.min_freq = 2;
        let d = difference(&a, &b, &an, &o);
        let items: Vec<&str> =
            d.rows.iter().map(|r| r.item.as_str()).collect();
        assert_eq!(items, ["a", "b"]); // both diff 0; c below 2; de a stopword
        assert_eq!(d.rows[0].diff, 0.0);
    }

    #[test]
    fn top_shows_the_first_and_the_last() {
        let a = side((1..=7).map(|k| col(&format!("w{k}"), k, 50)).collect());
        let b = side(Vec::new());
        let d = difference(&a, &b, &Analyzer::default(), &opts("mi"));
        // Seven rows, w7 first (highest MI), w1 last.
        let ranks: Vec<usize> = d.shown(2).map(|(r, _)| r).collect();
        assert_eq!(ranks, [0, 1, 5, 6]);
        assert_eq!(d.shown(3).count(), 6);
        assert_eq!(d.shown(4).count(), 7); // 7 ≤ 2·4: all
        assert_eq!(d.shown(usize::MAX).count(), 7);
        let t = d.table(2);
        assert_eq!(
            t.column_names(),
            ["rank", "collocate", "freq_a", "freq_b", "mi_a", "mi_b", "diff"]
        );
        assert_eq!(t.rows[2][0], Cell::Int(6));
        assert_eq!(t.rows[2][1], Cell::Str("w2".into()));
        assert_eq!(t.rows[2][5], Cell::Null);
        assert_eq!(t.rows[0][6], Cell::Float(mi(7.0, 50.0), 4));
    }

    #[test]
    fn strongest_are_each_nodes_own_best() {
        let a = side(vec![col("x", 4, 10), col("y", 2, 40)]);
        let b = side(vec![col("y", 8, 40), col("z", 1, 4)]);
        let d = difference(&a, &b, &Analyzer::default(), &opts("mi"));
        let e = d.strongest(1);
        let got: Vec<(usize, &str)> =
            e.iter().map(|(node, r, _)| (*node, r.item.as_str())).collect();
        // a: x (4.32) over y (1.32); b: z (mi(1,4) = 3.64) over y (3.32).
        assert_eq!(got, [(0, "x"), (1, "z")]);
        assert!((e[1].2 - mi(1.0, 4.0)).abs() < 1e-12);
        assert_eq!(d.strongest(5).len(), 4);
    }
}
