//! `korpus dispersion`.

use crate::util::*;

const SEED: &str = "corpus/seed/000_45b6498bc7b02e87.txt";

#[test]
fn positions_agree_with_kwic_and_arf_by_hand() {
    let kwic = ok(&["kwic", SEED, "Tiongkok", "--format", "tsv"]);
    let positions: Vec<u64> =
        tsv(&kwic)[1..].iter().map(|r| r[1].parse().unwrap()).collect();
    assert_eq!(positions, [36, 45, 62, 71, 104, 124, 188, 214, 242]);
    let out = ok(&["dispersion", SEED, "Tiongkok", "--format", "tsv"]);
    let rows = tsv(&out);
    assert_eq!(
        rows[0],
        ["part", "tokens", "hits", "per_million", "positions"]
    );
    let want: Vec<String> = positions
        .iter()
        .map(|p| format!("{:.4}", *p as f64 / 376.0))
        .collect();
    assert_eq!(rows[1][4], want.join(" "));
    // ARF: N = 376, f = 9, v = 41.78; gaps 170 (cyclic: 36 + 376 − 242),
    // 9, 17, 9, 33, 20, 64, 26, 28; min(d, v) sums to 225.56; ARF = 5.40.
    let summary =
        ok(&["dispersion", SEED, "Tiongkok", "--summary", "--format", "tsv"]);
    assert_eq!(
        cell(&summary, "query", "Tiongkok", "arf").as_deref(),
        Some("5.40")
    );
    assert_eq!(
        cell(&summary, "query", "Tiongkok", "juilland_d").as_deref(),
        Some("")
    );
}

#[test]
fn groups_as_parts() {
    // The 2008 Leipzig sample has no "Tiongkok" (corpora/LICENSES.md).
    let out = ok(&[
        "dispersion",
        "corpus",
        "Tiongkok",
        "--by",
        "path~_(\\d{4})_",
        "--all-parts",
        "--format",
        "tsv",
    ]);
    assert_eq!(cell(&out, "part", "2008", "hits").as_deref(), Some("0"));
    assert_eq!(cell(&out, "part", "(none)", "hits").as_deref(), Some("9"));
    let summary = ok(&[
        "dispersion",
        "corpus",
        "Tiongkok",
        "--by",
        "path~_(\\d{4})_",
        "--summary",
        "--format",
        "tsv",
    ]);
    // Sizes 376, 19241, 15706 (N = 35323); hits 9, 0, 2 (f = 11).
    // DP = ½(|9/11 − 376/35323| + |0 − 19241/35323| + |2/11 − 15706/35323|)
    //    = ½(0.80753 + 0.54472 + 0.26282) = 0.8075.
    assert_eq!(
        cell(&summary, "query", "Tiongkok", "dp").as_deref(),
        Some("0.8075")
    );
    assert_eq!(
        cell(&summary, "query", "Tiongkok", "range").as_deref(),
        Some("2")
    );
}

#[test]
fn identical_for_any_thread_count() {
    let a = ok(&[
        "--threads",
        "1",
        "dispersion",
        "corpus",
        "Tiongkok|China|Cina",
        "--format",
        "tsv",
    ]);
    let b = ok(&[
        "--threads",
        "7",
        "dispersion",
        "corpus",
        "Tiongkok|China|Cina",
        "--format",
        "tsv",
    ]);
    assert!(a == b);
    assert_eq!(tsv(&a).len() - 1, 17);
}
