//! The report's sections on the variables and the queries: variant
//! alternation, concordances, collocates (and the sketch difference of
//! the first two queries), and keywords.

use korpus::chart::Shares;
use korpus::chart::{Chart, Network, NetworkEdge, ShareSet, ShareStyle};
use korpus::colloc::{Collocates, Convention};
use korpus::colloc_table::{self, RankOptions, SortKey};
use korpus::freq::GroupFreq;
use korpus::keyness::{self, Comparisons, KeynessOptions, Selection};
use korpus::overview::Overview;
use korpus::report::{Cell, Table};
use korpus::sketch::{DiffOptions, difference};
use korpus::stopwords::Stoplist;
use korpus::tables;
use korpus::variants;

use super::super::chart::{self, BarsFrom};
use super::page::Report;

/// The colloc measures shown and the one ranked by (colloc's defaults).
const MEASURES: &str = "mi,t,logdice,ll";

impl Report<'_> {
    /// Variant alternation of each variable, with its chart, the test
    /// of independence and example lines.
    pub(super) fn variants(&mut self, o: &Overview) -> anyhow::Result<()> {
        self.page.section("variants", "Variant alternation");
        let setup = self.setup;
        if let Err(e) = &setup.variables {
            let e = anyhow::anyhow!("{e}");
            self.unavailable("variant alternation", &e);
            return Ok(());
        }
        let grouped = setup.by.is_grouped();
        let shares = Shares {
            title: format!("Variant shares — {}", self.label()),
            style: if grouped {
                ShareStyle::Lines
            } else {
                ShareStyle::Stacked
            },
            sets: setup
                .sets
                .iter()
                .zip(&o.alternations)
                .map(|(set, r)| ShareSet {
                    name: set.clone(),
                    variants: r.variants.clone(),
                    groups: r.groups.clone(),
                })
                .collect(),
        };
        let t = shares.table();
        let height = 260 + 240 * setup.sets.len() as u32;
        let drawn = match Self::draw(&Chart::Shares(shares), (900, height)) {
            Ok(d) => d,
            Err(e) => {
                self.unavailable("variant alternation", &e);
                return Ok(());
            }
        };
        self.write("variants.tsv", &t)?;
        self.page.text(
            "For each variable, the count and share of each variant per group, with 95% Wilson intervals.",
        );
        self.chart(
            "variants-chart.svg",
            drawn,
            "Shares of the variants per group.",
        )?;
        self.page.table("variants", &t, 500);
        self.page.link("variants.tsv", "variants.tsv");
        let mut test = Table::new(variants::TEST_COLUMNS);
        for (set, r) in setup.sets.iter().zip(&o.alternations) {
            test.push(variants::test_cells(set, r));
        }
        self.write("variants-test.tsv", &test)?;
        self.page.heading("Test of independence across groups");
        self.page.table("variants-test", &test, 50);
        let mut ex = Table::new(variants::EXAMPLE_COLUMNS);
        for (set, lines) in setup.sets.iter().zip(&o.examples) {
            for (name, l) in lines {
                ex.push(variants::example_cells(set, name, l));
            }
        }
        self.write("variant-examples.tsv", &ex)?;
        self.page.heading(
            "Example lines (a seeded sample of 3 per variant and group)",
        );
        let extra = ["set", "group", "variant", "doc"];
        self.page.concordance("variant-examples", &ex, &extra);
        self.page.link("variant-examples.tsv", "variant-examples.tsv");
        Ok(())
    }

    /// A seeded sample of concordance lines of each query.
    pub(super) fn concordances(&mut self, o: &Overview) -> anyhow::Result<()> {
        self.page.section("kwic", "Concordances");
        let grouped = self.setup.by.is_grouped();
        let queries = &self.setup.queries;
        for (i, (q, lines)) in queries.iter().zip(&o.concordances).enumerate()
        {
            let name = format!("kwic-{}.tsv", i + 1);
            let mut t = Table::new(tables::kwic_columns(grouped, &[]));
            for line in lines {
                t.push(tables::kwic_row(line, grouped, false));
            }
            self.write(&name, &t)?;
            self.page.heading(&format!(
                "{q}: a seeded sample of up to 25 lines, in corpus order"
            ));
            if t.rows.is_empty() {
                self.page.note(&format!("No hit for {q}."));
                continue;
            }
            let extra: &[&str] =
                if grouped { &["group", "doc"] } else { &["doc"] };
            self.page.concordance(&format!("kwic-{}", i + 1), &t, extra);
            self.page.link(&name, &name);
        }
        Ok(())
    }

    /// The collocates of each query with a network chart, and of the
    /// first two side by side.
    pub(super) fn collocates(&mut self, o: &Overview) -> anyhow::Result<()> {
        self.page.section("collocates", "Collocates");
        self.page.text(
            "Window of 5 tokens left and right within documents, window convention; ranked by log-likelihood (G²).",
        );
        let queries = &self.setup.queries;
        for (i, (q, c)) in queries.iter().zip(&o.collocates).enumerate() {
            self.page.heading(&format!("Collocates of {q}"));
            let t = self.colloc_table(c);
            let network = self.network(q, &t);
            let drawn = match network.and_then(|n| Self::draw(&n, (900, 600)))
            {
                Ok(d) => d,
                Err(e) => {
                    self.unavailable(&format!("collocates of {q}"), &e);
                    continue;
                }
            };
            let name = format!("colloc-{}.tsv", i + 1);
            self.write(&name, &t)?;
            let caption = format!("The 20 strongest collocates of {q} by G².");
            self.chart(
                &format!("colloc-{}-network.svg", i + 1),
                drawn,
                &caption,
            )?;
            self.page.table(&format!("colloc-{}", i + 1), &t, 20);
            self.page.link(&name, &name);
        }
        if let [a, b, ..] = &o.collocates[..] {
            self.difference(a, b)?;
        }
        Ok(())
    }

    /// The table of `korpus colloc CORPUS NODE --top 20` (with the
    /// report's stopwords).
    fn colloc_table(&self, c: &Collocates) -> Table {
        let o = RankOptions {
            convention: Convention::Window,
            sort: ll_key(),
            shown: colloc_table::measure_list(MEASURES).unwrap_or_default(),
            yates: false,
            min_freq: 1,
            min_coll_freq: 1,
            top: 20,
            positions: None,
        };
        let groups = [(String::new(), c.clone())];
        colloc_table::table(&groups, false, &self.setup.an, &o)
    }

    /// The network of the node `q` and the collocates of its table.
    fn network(&self, q: &str, t: &Table) -> anyhow::Result<Chart> {
        let vi = chart::column(&t.column_names(), "ll")?;
        let edges = t
            .rows
            .iter()
            .take(chart::bar_limit(Some(20)))
            .filter_map(|r| {
                let v = match &r[vi] {
                    Cell::Int(n) => *n as f64,
                    Cell::Float(v, _) if v.is_finite() => *v,
                    _ => return None,
                };
                let Cell::Str(item) = &r[1] else { return None };
                Some(NetworkEdge {
                    node: 0,
                    collocate: item.clone(),
                    value: v,
                })
            })
            .collect();
        let what = format!(
            "Collocates of '{q}' (window L{{L}}–R{{R}}, window convention)"
        );
        Ok(Chart::Network(Network {
            title: self.title(&what),
            nodes: vec![q.to_string()],
            measure: "ll".to_string(),
            edges,
        }))
    }

    /// The sketch difference of the first two queries (`korpus colloc
    /// CORPUS A --vs B --top 12`).
    fn difference(
        &mut self,
        a: &Collocates,
        b: &Collocates,
    ) -> anyhow::Result<()> {
        let (qa, qb) = (&self.setup.queries[0], &self.setup.queries[1]);
        self.page.heading(&format!(
            "{qa} and {qb}: shared and distinctive collocates"
        ));
        let measure = ll_key().measure().expect("ll is a measure");
        let opts = DiffOptions {
            convention: Convention::Window,
            measure,
            yates: false,
            min_freq: 1,
        };
        let d = difference(a, b, &self.setup.an, &opts);
        let t = d.table(12);
        let network = Chart::Network(Network {
            title: self.title(&format!(
                "Collocates of '{qa}' and '{qb}' (window L{{L}}–R{{R}})"
            )),
            nodes: vec![qa.clone(), qb.clone()],
            measure: measure.name.to_string(),
            edges: d
                .strongest(12)
                .into_iter()
                .map(|(node, r, value)| NetworkEdge {
                    node,
                    collocate: r.item.clone(),
                    value,
                })
                .collect(),
        });
        let drawn = match Self::draw(&network, (900, 600)) {
            Ok(d) => d,
            Err(e) => {
                self.unavailable("collocate comparison", &e);
                return Ok(());
            }
        };
        self.write("colloc-vs.tsv", &t)?;
        self.chart(
            "colloc-vs-network.svg",
            drawn,
            "Each node's 12 strongest collocates; shared ones between them (green).",
        )?;
        self.page.table("colloc-vs", &t, 24);
        self.page.link("colloc-vs.tsv", "colloc-vs.tsv");
        Ok(())
    }

    /// Keywords against `--ref` (the second pass), or of each `--by`
    /// group against the rest.
    pub(super) fn keywords(
        &mut self,
        freq: Vec<GroupFreq>,
        group_freq: Vec<GroupFreq>,
        reference: impl FnOnce() -> anyhow::Result<GroupFreq>,
    ) -> anyhow::Result<()> {
        self.page.section("keywords", "Keywords");
        let pair = !self.args.reference.is_empty();
        if !pair && !self.setup.by.is_grouped() {
            self.page.note("No reference: give --ref PATH, or --by GROUP to compare each group with the rest.");
            return Ok(());
        }
        let comparisons = if pair {
            reference().map(|r| Comparisons::Pair {
                target: freq.into_iter().next().expect("one group"),
                reference: r,
            })
        } else {
            Comparisons::each_vs_rest(group_freq).map_err(Into::into)
        };
        let drawn = comparisons.and_then(|c| {
            let t = self.keyness_table(&c, if pair { 20 } else { 8 });
            let chart = self.keyness_chart(&t, if pair { 20 } else { 8 })?;
            Ok((t, Self::draw(&chart, (1000, 700))?))
        });
        let (t, drawn) = match drawn {
            Ok(d) => d,
            Err(e) => {
                self.unavailable("keywords", &e);
                return Ok(());
            }
        };
        self.write("keyness.tsv", &t)?;
        self.page.text(
            "Positive keywords (more frequent in the target) and negative ones; four-term G², \
             significance at 0.05 with a Bonferroni correction.",
        );
        self.chart(
            "keyness-chart.svg",
            drawn,
            "Keywords by G², positive to the right.",
        )?;
        self.page.table("keyness", &t, 200);
        self.page.link("keyness.tsv", "keyness.tsv");
        Ok(())
    }

    /// The table of `korpus keyness ... --top N` (with the report's
    /// stopwords).
    fn keyness_table(&self, c: &Comparisons, top: usize) -> Table {
        let grouped = c.is_grouped();
        let kopts = KeynessOptions::default();
        let sel = Selection { top: Some(top), ..Selection::default() };
        let stop = Stoplist::of(&self.setup.an);
        let mut t = Table::new(keyness::columns(grouped));
        let _ = c.try_for_each(&kopts, |group, k| -> Result<(), ()> {
            for (rank, w) in keyness::select(&k, &sel, stop) {
                t.push(keyness::cells(grouped.then_some(group), rank, w));
            }
            Ok(())
        });
        t
    }

    /// The diverging bars of the keywords by G².
    fn keyness_chart(&self, t: &Table, top: usize) -> anyhow::Result<Chart> {
        let grouped = t.column("group").is_some();
        let how = BarsFrom {
            title: format!("Keywords by ll — {}", self.label()),
            label: &["item"],
            value: "ll",
            group: grouped.then_some("group"),
            limit: chart::bar_limit(Some(2 * top)),
            signed_by: Some("direction"),
        };
        let mut b = chart::bars_from_rows(&t.column_names(), &t.rows, &how)?;
        b.diverging = Some((
            "more frequent in the target".to_string(),
            "more frequent in the reference".to_string(),
        ));
        Ok(Chart::Bars(b))
    }
}

impl Report<'_> {
    /// A colloc chart's title for `what` (`{L}` and `{R}` become the
    /// window's sides, 5 and 5, as colloc makes it).
    fn title(&self, what: &str) -> String {
        format!("{what} — {}", self.label())
            .replace("{L}", "5")
            .replace("{R}", "5")
    }
}

/// colloc's default ranking: log-likelihood.
fn ll_key() -> SortKey {
    "ll".parse().expect("ll is a measure")
}
