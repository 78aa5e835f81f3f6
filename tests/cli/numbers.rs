//! Issue 23, "Right numbers II": each number worked out by hand (the
//! arithmetic is in the comments and in the test, never korpus's own
//! output).

use crate::util::*;

/// The reproduction: `x a x b c …` (27 tokens), node x, window 1
/// and 1. The two hits' windows share `a`; it is counted once (for the
/// first hit), so `a` has O11 = 1 = C1, R1 = 2 slots (a, b), N = 27: the
/// table [[1, 1], [0, 25]], E = [2/27, 52/27, 25/27, 650/27]. Before, O11
/// was 2 > C1 = 1 (O21 = −1) and ll read 0.
#[test]
fn overlapping_windows_give_a_possible_table() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("r.txt"),
        "x a x b c d e f g h i j k l m n o p q r s t u v w y z\n",
    )
    .unwrap();
    for convention in ["window", "node"] {
        let r = run_in(
            dir.path(),
            &[
                "colloc",
                "r.txt",
                "x",
                "--left",
                "1",
                "--right",
                "1",
                "--measure",
                "all",
                "--convention",
                convention,
                "--format",
                "tsv",
            ],
            None,
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stdout.to_lowercase().contains("nan"), "{}", r.stdout);
        let get = |col: &str| cell(&r.stdout, "collocate", "a", col).unwrap();
        assert_eq!(get("freq"), "1", "{convention}");
        assert_eq!(get("coll_freq"), "1");
        // G² = 2·(ln(27/2) + ln(27/52) + 25·ln(27/26)), positive.
        let g2 = 2.0
            * ((27.0f64 / 2.0).ln()
                + (27.0f64 / 52.0).ln()
                + 25.0 * (27.0f64 / 26.0).ln());
        assert_eq!(get("ll"), format!("{g2:.4}"), "{convention}");
        // logDice = 14 + log2(2·1 / (2 hits + 1)), Dice 2/3 ≤ 1.
        let log_dice = 14.0 + (2.0f64 / 3.0).log2();
        assert_eq!(get("logdice"), format!("{log_dice:.4}"));
        assert_eq!(get("dice"), format!("{:.6}", 2.0 / 3.0));
        // Odds ratio with a zero cell (Haldane): 1.5·25.5 / (1.5·0.5) = 51.
        assert_eq!(get("odds_ratio"), "51.0000");
        // Fisher: P(X ≥ 1) drawing 2 of 27 with 1 success = 2/27.
        assert_eq!(get("fisher"), format!("{:.6}", 2.0 / 27.0));
        assert!(
            r.stderr.contains("2 hits of the node, 2 window slots, 27 tokens"),
            "{}",
            r.stderr
        );
    }
}

/// logDice as Rychlý (2008) and Sketch Engine define it: from f(node),
/// not the window slots. `c n a b d e f g`: one hit of n, 6 slots (c |
/// a b d e f), c in its one line: logDice = 14 + log2(2·1/(1 + 1)) = 14;
/// on the slots 14 + log2(2/(6 + 1)) = 12.1926, what `logdice` printed
/// before.
#[test]
fn log_dice_is_sketch_engines() {
    let dir = tempdir();
    std::fs::write(dir.path().join("t.txt"), "c n a b d e f g").unwrap();
    let r = run_in(
        dir.path(),
        &[
            "colloc",
            "t.txt",
            "n",
            "--measure",
            "logdice,dice,ms,logdice_slots,dice_slots,ms_slots",
            "--format",
            "tsv",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let get = |col: &str| cell(&r.stdout, "collocate", "c", col).unwrap();
    assert_eq!(get("logdice"), "14.0000");
    assert_eq!(get("dice"), "1.000000");
    // MS = min(1/1, 1/1); on the slots min(1/6, 1/1).
    assert_eq!(get("ms"), "1.000000");
    assert_eq!(
        get("logdice_slots"),
        format!("{:.4}", 14.0 + (2.0f64 / 7.0).log2())
    );
    assert_eq!(get("dice_slots"), format!("{:.6}", 2.0 / 7.0));
    assert_eq!(get("ms_slots"), format!("{:.6}", 1.0 / 6.0));
}

/// Equal rates are neither positive nor negative: `eq` is 1 of 4 tokens
/// in the target and 2 of 8 in the reference.
#[test]
fn keyness_equal_rates_have_no_direction() {
    let dir = tempdir();
    std::fs::write(dir.path().join("t.txt"), "eq a b c").unwrap();
    std::fs::write(dir.path().join("r.txt"), "eq eq d e f g h i").unwrap();
    let base = ["keyness", "t.txt", "--ref", "r.txt", "--format", "tsv"];
    let r = run_in(dir.path(), &base, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(cell(&r.stdout, "item", "eq", "direction").unwrap(), "=");
    assert_eq!(cell(&r.stdout, "item", "eq", "ll").unwrap(), "0.0000");
    assert_eq!(cell(&r.stdout, "item", "a", "direction").unwrap(), "+");
    for kind in ["positive", "negative"] {
        let mut args = base.to_vec();
        args.extend(["--direction", kind]);
        let r = run_in(dir.path(), &args, None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(cell(&r.stdout, "item", "eq", "ll"), None, "{kind}");
    }
}

/// `variants --test`: `groups` counts the groups that enter the test.
/// Three files, the third without either variant: 2 groups, df =
/// (2 − 1)(2 − 1) = 1.
#[test]
fn variants_test_counts_the_groups_tested() {
    let dir = tempdir();
    std::fs::write(dir.path().join("1.txt"), "china china tiongkok").unwrap();
    std::fs::write(dir.path().join("2.txt"), "tiongkok tiongkok china")
        .unwrap();
    std::fs::write(dir.path().join("3.txt"), "beras naik").unwrap();
    let r = run_in(
        dir.path(),
        &[
            "variants",
            ".",
            "--set",
            "China|Tiongkok",
            "--by",
            "file",
            "--test",
            "--format",
            "tsv",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let get = |col: &str| cell(&r.stdout, "set", "China|Tiongkok", col);
    assert_eq!(get("groups").as_deref(), Some("2"));
    assert_eq!(get("df").as_deref(), Some("1"));
    assert_eq!(get("total").as_deref(), Some("6"));
}

/// A node that never occurs is a result with no rows, as in kwic and
/// dispersion: exit 0, the header, and the hits (0) on stderr.
#[test]
fn absent_nodes_give_no_rows_like_kwic() {
    let dir = tempdir();
    std::fs::write(dir.path().join("t.txt"), "a b c").unwrap();
    for args in [
        &["colloc", "t.txt", "zzz", "--format", "tsv"][..],
        &["kwic", "t.txt", "zzz", "--format", "tsv"][..],
        &["dispersion", "t.txt", "zzz", "--format", "tsv"][..],
    ] {
        let r = run_in(dir.path(), args, None);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_eq!(tsv(&r.stdout).len(), 1, "{args:?}: header only");
    }
    let r = run_in(dir.path(), &["colloc", "t.txt", "zzz"], None);
    assert!(r.stderr.contains("0 hits of the node"), "{}", r.stderr);
    assert!(r.stderr.contains("never occurs"), "{}", r.stderr);
    let r = run_in(
        dir.path(),
        &["colloc", "t.txt", "zzz", "--format", "json"],
        None,
    );
    assert_eq!(r.stdout.trim(), "[]");
}
