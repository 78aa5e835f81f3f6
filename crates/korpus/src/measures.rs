//! Association and keyness measures: pure functions on a 2×2 contingency
//! table, each with its formula and source (the rows of
//! `reference/statistics.md`, sections 2 to 4, which the doc comments
//! cite).
//!
//! Notation (Evert 2004/2008):
//!
//! ```text
//!                  collocate w2    other words
//!  node window     O11             O12            R1 = O11 + O12
//!  elsewhere       O21             O22            R2 = O21 + O22
//!                  C1              C2             N  = R1 + R2
//!  E_ij = R_i · C_j / N
//! ```
//!
//! For keyness (target vs reference, UCREL notation): `a` = frequency in
//! the target, `b` in the reference, `c` and `d` their sizes;
//! `O11 = a, O12 = b, O21 = c − a, O22 = d − b`, so `C1 = c`, `C2 = d`.
//! See [`Contingency::keyness`].
//!
//! Zero cells: `0 · ln 0 = 0` in every log-likelihood; measures that
//! would divide by zero or take the log of zero return `None` unless the
//! doc comment names a documented substitution (Log Ratio's 0.5, the
//! Haldane correction of the odds ratio). Callers print `None` as an
//! empty cell, never as NaN or inf.

/// A 2×2 table of observed frequencies (floats, so the NLTK convention's
/// fractional counts fit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contingency {
    /// Node and collocate (target frequency `a`).
    pub o11: f64,
    /// Node, other words (reference frequency `b`).
    pub o12: f64,
    /// Collocate elsewhere (`c − a`).
    pub o21: f64,
    /// Neither (`d − b`).
    pub o22: f64,
}

impl Contingency {
    /// The table of a keyness comparison: frequency `a` in a target of
    /// `c` tokens, `b` in a reference of `d` tokens.
    pub fn keyness(a: f64, b: f64, c: f64, d: f64) -> Contingency {
        Contingency { o11: a, o12: b, o21: c - a, o22: d - b }
    }

    /// `R1 = O11 + O12`.
    pub fn r1(&self) -> f64 {
        self.o11 + self.o12
    }

    /// `R2 = O21 + O22`.
    pub fn r2(&self) -> f64 {
        self.o21 + self.o22
    }

    /// `C1 = O11 + O21`.
    pub fn c1(&self) -> f64 {
        self.o11 + self.o21
    }

    /// `C2 = O12 + O22`.
    pub fn c2(&self) -> f64 {
        self.o12 + self.o22
    }

    /// `N`, the sum of the four cells.
    pub fn n(&self) -> f64 {
        self.r1() + self.r2()
    }

    /// The expected frequencies `E_ij = R_i · C_j / N`, in the order
    /// E11, E12, E21, E22.
    pub fn expected(&self) -> [f64; 4] {
        let n = self.n();
        [
            self.r1() * self.c1() / n,
            self.r1() * self.c2() / n,
            self.r2() * self.c1() / n,
            self.r2() * self.c2() / n,
        ]
    }

    fn cells(&self) -> [f64; 4] {
        [self.o11, self.o12, self.o21, self.o22]
    }

    /// `+1` if `O11 > E11`, `−1` if below, `0` if equal.
    pub fn direction(&self) -> f64 {
        let e = self.expected()[0];
        if self.o11 > e {
            1.0
        } else if self.o11 < e {
            -1.0
        } else {
            0.0
        }
    }
}

/// `x · ln(x / e)`, with `0 · ln 0 = 0`.
/// Mutual information, `log2(O11 / E11)`.
/// Church & Hanks 1990 (statistics.md §2, "MI (PMI)"). `None` if O11 = 0.
pub fn mi(t: &Contingency) -> Option<f64> {
    (is_possible(t) && t.o11 > 0.0).then(|| (t.o11 / t.expected()[0]).log2())
}

/// MI², `log2(O11² / E11)`. Daille 1994 (§2). `None` if O11 = 0.
pub fn mi2(t: &Contingency) -> Option<f64> {
    (is_possible(t) && t.o11 > 0.0)
        .then(|| (t.o11 * t.o11 / t.expected()[0]).log2())
}

/// MI³, `log2(O11³ / E11)`. Daille 1994; Manatee, CQPweb (§2). `None`
/// if O11 = 0.
pub fn mi3(t: &Contingency) -> Option<f64> {
    (is_possible(t) && t.o11 > 0.0)
        .then(|| (t.o11.powi(3) / t.expected()[0]).log2())
}

/// t-score, `(O11 − E11) / sqrt(O11)`. Church et al. 1991 (§2). `None`
/// if O11 = 0.
pub fn t_score(t: &Contingency) -> Option<f64> {
    (is_possible(t) && t.o11 > 0.0)
        .then(|| (t.o11 - t.expected()[0]) / t.o11.sqrt())
}

/// z-score, `(O11 − E11) / sqrt(E11)`. Evert 2004 (§2). `None` if
/// E11 = 0.
pub fn z_score(t: &Contingency) -> Option<f64> {
    let e = t.expected()[0];
    (is_possible(t) && e > 0.0).then(|| (t.o11 - e) / e.sqrt())
}

/// `O − E` of the four cells, in the order of [`Contingency::expected`]:
/// `±(O11·O22 − O12·O21) / N`, the determinant exact in integers when
/// the cells are whole (so `O − E` keeps its relative precision at any
/// `N`, where `O11 − R1·C1/N` would cancel).
fn deviations(t: &Contingency) -> [f64; 4] {
    let d = det(t) / t.n();
    [d, -d, -d, d]
}

/// `O11·O22 − O12·O21`, exact in integers when the cells are whole.
fn det(t: &Contingency) -> f64 {
    let whole = t.cells().iter().all(|&x| x.fract() == 0.0 && x.abs() < 9e18);
    if whole {
        let [a, b, c, d] = t.cells().map(|x| x as i128);
        (a * d - b * c) as f64
    } else {
        t.o11 * t.o22 - t.o12 * t.o21
    }
}

/// Loader's deviance term `bd0(x, m) = x · ln(x/m) + m − x ≥ 0` (Loader
/// 2000, "Fast and accurate computation of binomial probabilities", as R's
/// `bd0`), given `dev = x − m` exactly: a series in `v = dev/(x + m)` when
/// `x` is near `m`, where the direct form cancels. `bd0(0, m) = m`.
fn bd0(x: f64, m: f64, dev: f64) -> f64 {
    if x == 0.0 {
        return m;
    }
    if dev.abs() < 0.1 * (x + m) {
        let v = dev / (x + m);
        let v2 = v * v;
        let mut s = dev * v;
        let mut ej = 2.0 * x * v;
        for j in 1..1000 {
            ej *= v2;
            let s1 = s + ej / f64::from(2 * j + 1);
            if s1 == s {
                break;
            }
            s = s1;
        }
        return s;
    }
    x * (x / m).ln() + m - x
}

/// Whether every cell is a finite count `≥ 0` and `N > 0`: a table a
/// corpus can give. No 2×2 measure is computed on any other table.
pub fn is_possible(t: &Contingency) -> bool {
    t.cells().iter().all(|&x| x.is_finite() && x >= 0.0) && t.n() > 0.0
}

/// Log-likelihood G², four cells: `2 · Σ O_ij · ln(O_ij / E_ij)`, with
/// `0 · ln 0 = 0`, signed by [`Contingency::direction`] when `signed`.
/// Dunning 1993; CQPweb, AntConc 4, quanteda (§2, §3 "LL, 4-term").
/// Computed as `2 · Σ [O · ln(O/E) − (O − E)]` (the same value, since
/// `Σ (O − E) = 0`), whose terms are each `≥ 0` (`bd0`, with `O − E`
/// from the exact determinant), so nothing cancels at large `N`. `None`
/// for an impossible table ([`is_possible`]).
pub fn log_likelihood(t: &Contingency, signed: bool) -> Option<f64> {
    if !is_possible(t) {
        return None;
    }
    let e = t.expected();
    let dev = deviations(t);
    let g2: f64 =
        (0..4).map(|i| bd0(t.cells()[i], e[i], dev[i])).sum::<f64>() * 2.0;
    Some(if signed { g2 * t.direction() } else { g2 })
}

/// Log-likelihood, two terms (UCREL log-likelihood wizard, WordSmith):
/// `2 · (a · ln(a/E1) + b · ln(b/E2))` with `E1 = c(a+b)/(c+d)`,
/// `E2 = d(a+b)/(c+d)`; a zero term is 0. Rayson & Garside 2000 (§3
/// "LL, 2-term"). Unsigned. Computed as `2 · (bd0(a, E1) + bd0(b, E2))`,
/// the same value since `a + b = E1 + E2`, without cancellation. `None`
/// for an impossible table.
pub fn log_likelihood_two_term(t: &Contingency) -> Option<f64> {
    if !is_possible(t) {
        return None;
    }
    let e = t.expected();
    let dev = deviations(t);
    Some(2.0 * (bd0(t.o11, e[0], dev[0]) + bd0(t.o12, e[1], dev[1])))
}

/// Simple-ll, `2 · (O11 · ln(O11/E11) − (O11 − E11))`. Evert 2004 (§2).
/// `None` for an impossible table.
pub fn simple_ll(t: &Contingency) -> Option<f64> {
    if !is_possible(t) {
        return None;
    }
    Some(2.0 * bd0(t.o11, t.expected()[0], deviations(t)[0]))
}

/// Pearson's χ², `N · (O11·O22 − O12·O21)² / (R1·R2·C1·C2)`; with
/// `yates`, `N · (|O11·O22 − O12·O21| − N/2)² / (R1·R2·C1·C2)`
/// (§2 "χ² (Pearson)", "χ², Yates"). `None` if a margin is 0.
pub fn chi_squared(t: &Contingency, yates: bool) -> Option<f64> {
    let n = t.n();
    let den = t.r1() * t.r2() * t.c1() * t.c2();
    if den == 0.0 || !is_possible(t) {
        return None;
    }
    let mut diff = det(t).abs();
    if yates {
        diff = (diff - n / 2.0).max(0.0);
    }
    Some(n * diff * diff / den)
}

/// Dice, `2·O11 / (R1 + C1)`. Smadja et al. 1996 (§2). `None` if both
/// margins are 0. On the node-frequency table (`R1 = f(node)`, O11 the
/// lines holding the collocate) this is the published `2·O / (f_node +
/// f_coll)`; the collocation registry takes it there ([`Measure::lines`]).
pub fn dice(t: &Contingency) -> Option<f64> {
    let den = t.r1() + t.c1();
    (is_possible(t) && den > 0.0).then(|| 2.0 * t.o11 / den)
}

/// logDice, `14 + log2(2·O11 / (R1 + C1))`, at most 14 on a possible
/// table with `O11 ≤ R1`. Rychlý 2008; Sketch Engine (§2), where `R1` is
/// the node's frequency and O11 the concordance lines holding the
/// collocate ([`Measure::lines`]). `None` if O11 = 0.
pub fn log_dice(t: &Contingency) -> Option<f64> {
    dice(t).filter(|&d| d > 0.0).map(|d| 14.0 + d.log2())
}

/// Minimum sensitivity, `min(O11/R1, O11/C1)`. Pedersen & Bruce 1996
/// (§2), with `R1 = f(node)` as Manatee ([`Measure::lines`]). `None` if
/// a margin is 0.
pub fn min_sensitivity(t: &Contingency) -> Option<f64> {
    (is_possible(t) && t.r1() > 0.0 && t.c1() > 0.0)
        .then(|| (t.o11 / t.r1()).min(t.o11 / t.c1()))
}

/// ΔP(w2 | w1) = `O11/R1 − O21/R2` (how much the node predicts the
/// collocate). Ellis 2007; Gries 2013 (§2). `None` if a row is empty.
pub fn delta_p_collocate_given_node(t: &Contingency) -> Option<f64> {
    (is_possible(t) && t.r1() > 0.0 && t.r2() > 0.0)
        .then(|| t.o11 / t.r1() - t.o21 / t.r2())
}

/// ΔP(w1 | w2) = `O11/C1 − O12/C2` (how much the collocate predicts the
/// node). Ellis 2007; Gries 2013 (§2). `None` if a column is empty.
pub fn delta_p_node_given_collocate(t: &Contingency) -> Option<f64> {
    (is_possible(t) && t.c1() > 0.0 && t.c2() > 0.0)
        .then(|| t.o11 / t.c1() - t.o12 / t.c2())
}

/// Odds ratio, `(O11·O22) / (O12·O21)`, with the Haldane correction
/// (0.5 added to every cell) when any cell is 0, as in mclm (§2). For
/// keyness this is `(a/(c−a)) / (b/(d−b))` (§3). `None` for an
/// impossible table.
pub fn odds_ratio(t: &Contingency) -> Option<f64> {
    if !is_possible(t) {
        return None;
    }
    let [a, b, c, d] = t.cells();
    Some(if a == 0.0 || b == 0.0 || c == 0.0 || d == 0.0 {
        ((a + 0.5) * (d + 0.5)) / ((b + 0.5) * (c + 0.5))
    } else {
        (a * d) / (b * c)
    })
}

/// Log Ratio for keyness, `log2((a/c) / (b/d))`. Hardie 2014 (§3). A
/// zero frequency is replaced by 0.5 (CQPweb's convention, §7.4), so the
/// value stays finite; `None` only if both are 0 or a size is 0.
pub fn log_ratio(a: f64, b: f64, c: f64, d: f64) -> Option<f64> {
    if (a == 0.0 && b == 0.0) || c == 0.0 || d == 0.0 {
        return None;
    }
    let a = if a == 0.0 { 0.5 } else { a };
    let b = if b == 0.0 { 0.5 } else { b };
    Some(((a / c) / (b / d)).log2())
}

/// Relative risk, `(a/c) / (b/d)`. UCREL wizard (§3). `None` if b = 0.
pub fn relative_risk(a: f64, b: f64, c: f64, d: f64) -> Option<f64> {
    (b > 0.0 && c > 0.0).then(|| (a / c) / (b / d))
}

/// %DIFF, `100 · (NF1 − NF2) / NF2` with normalized frequencies
/// `NF1 = a/c`, `NF2 = b/d`. Gabrielatos & Marchi 2011 (§3). `None`
/// (infinite) if b = 0.
pub fn pct_diff(a: f64, b: f64, c: f64, d: f64) -> Option<f64> {
    (b > 0.0).then(|| 100.0 * (a / c - b / d) / (b / d))
}

/// Difference coefficient, `(NF1 − NF2) / (NF1 + NF2)`, in [−1, 1].
/// Hofland & Johansson 1982 (§3). `None` if both are 0.
pub fn difference_coefficient(a: f64, b: f64, c: f64, d: f64) -> Option<f64> {
    let (nf1, nf2) = (a / c, b / d);
    (nf1 + nf2 > 0.0).then(|| (nf1 - nf2) / (nf1 + nf2))
}

/// Simple maths, `(fpm_target + k) / (fpm_ref + k)` with frequencies per
/// million. Kilgarriff 2009 (§3); k = 1 by default.
pub fn simple_maths(a: f64, b: f64, c: f64, d: f64, k: f64) -> f64 {
    (a * 1e6 / c + k) / (b * 1e6 / d + k)
}

/// BIC, `LL − df · ln(N)` with df = 1 and `N = c + d`, from the given
/// log-likelihood. Wilson 2013 (§3).
pub fn bic(ll: f64, n: f64) -> f64 {
    ll - n.ln()
}

/// The p-value of a χ² (or G²) statistic with 1 degree of freedom,
/// `erfc(sqrt(x / 2))` (§4).
pub fn p_chi2_1df(x: f64) -> f64 {
    erfc((x.max(0.0) / 2.0).sqrt())
}

/// The p-value of a χ² (or G²) statistic with `df` degrees of freedom:
/// the upper tail `Q(df/2, x/2)` of the regularized incomplete gamma
/// function.
pub fn p_chi2(x: f64, df: f64) -> f64 {
    if df <= 0.0 {
        return 1.0;
    }
    gamma_q(df / 2.0, x.max(0.0) / 2.0)
}

/// The Wilson score interval of a proportion `k / n` at the normal
/// quantile `z` (1.959964 for 95%): `(p̂ + z²/2n ± z·sqrt(p̂(1−p̂)/n +
/// z²/4n²)) / (1 + z²/n)`. Wilson 1927. `None` for `n = 0`.
pub fn wilson(k: f64, n: f64, z: f64) -> Option<(f64, f64)> {
    if n <= 0.0 {
        return None;
    }
    let p = k / n;
    let z2 = z * z;
    let den = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / den;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / den;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The regularized incomplete beta function `I_x(a, b)` (continued
/// fraction, Numerical Recipes `betai`/`betacf`).
pub fn beta_inc(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b)
        + a * x.ln()
        + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(x, a, b) / a
    } else {
        1.0 - front * beta_cf(1.0 - x, b, a) / b
    }
}

fn beta_cf(x: f64, a: f64, b: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..1000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// The quantile of the Beta(a, b) distribution at probability `p`, by
/// bisection on [`beta_inc`] (to 1e-14).
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if beta_inc(mid, a, b) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-15 {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// LRC, the conservative Log Ratio (Evert 2022; R `corpora::keyness`,
/// statistics.md §3): the exact two-sided Clopper-Pearson interval at
/// level `alpha` for `π = a / (a + b)` (lower = Beta quantile(α/2; a,
/// b + 1), 0 when a = 0; upper = Beta quantile(1 − α/2; a + 1, b), 1
/// when b = 0), each bound mapped to `log2((d/c) · π / (1 − π))`; the
/// bound nearer 0 is reported, or 0 when the interval holds 0. Pass the
/// corrected α (Bonferroni over the candidates, as R `corpora` does).
/// `None` when a + b = 0.
pub fn lrc(a: f64, b: f64, c: f64, d: f64, alpha: f64) -> Option<f64> {
    if a + b <= 0.0 || c <= 0.0 || d <= 0.0 {
        return None;
    }
    let lower =
        if a > 0.0 { beta_quantile(alpha / 2.0, a, b + 1.0) } else { 0.0 };
    let upper = if b > 0.0 {
        beta_quantile(1.0 - alpha / 2.0, a + 1.0, b)
    } else {
        1.0
    };
    let to_lr = |pi: f64| ((d / c) * pi / (1.0 - pi)).log2();
    let (lo, hi) = (to_lr(lower), to_lr(upper));
    Some(if lo > 0.0 {
        lo
    } else if hi < 0.0 {
        hi
    } else {
        0.0
    })
}

/// The complementary error function, by the continued fraction /
/// series of Numerical Recipes (`erffc` via the incomplete gamma
/// function), accurate to about 1e-15 relative.
pub fn erfc(x: f64) -> f64 {
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    // erfc(x) = Q(1/2, x²), the regularized upper incomplete gamma.
    gamma_q(0.5, x * x)
}

/// The regularized upper incomplete gamma function Q(a, x).
fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let ln_gamma_a = ln_gamma(a);
    if x < a + 1.0 {
        // Series for P(a, x).
        let (mut sum, mut del, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..1000 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
            if del.abs() < sum.abs() * 1e-17 {
                break;
            }
        }
        1.0 - sum * (-x + a * x.ln() - ln_gamma_a).exp()
    } else {
        // Continued fraction for Q(a, x) (Lentz).
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (-x + a * x.ln() - ln_gamma_a).exp() * h
    }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// `ln(n!) − ln(sqrt(2πn) · (n/e)^n)`, the error of Stirling's formula,
/// for whole `n ≥ 0` (Loader 2000, R's `stirlerr`): a table to 15
/// (values from mpmath at 40 digits), the asymptotic series above.
fn stirlerr(n: f64) -> f64 {
    const TABLE: [f64; 16] = [
        0.0,
        0.081_061_466_795_327_26,
        0.041_340_695_955_409_3,
        0.027_677_925_684_998_34,
        0.020_790_672_103_765_093,
        0.016_644_691_189_821_192,
        0.013_876_128_823_070_748,
        0.011_896_709_945_891_77,
        0.010_411_265_261_972_096,
        0.009_255_462_182_712_733,
        0.008_330_563_433_362_87,
        0.007_573_675_487_951_841,
        0.006_942_840_107_209_53,
        0.006_408_994_188_004_207,
        0.005_951_370_112_758_848,
        0.005_554_733_551_962_801,
    ];
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n <= 15.0 {
        return TABLE[n as usize];
    }
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// The binomial probability `C(n, x) p^x q^(n−x)` (`q = 1 − p`) in
/// Loader's saddle-point form (R's `dbinom_raw`), which keeps its
/// relative precision for large `n`; whole `0 ≤ x ≤ n`.
fn dbinom_raw(x: f64, n: f64, p: f64, q: f64) -> f64 {
    use std::f64::consts::PI;
    if p == 0.0 {
        return if x == 0.0 { 1.0 } else { 0.0 };
    }
    if q == 0.0 {
        return if x == n { 1.0 } else { 0.0 };
    }
    if x == 0.0 {
        if n == 0.0 {
            return 1.0;
        }
        let lc =
            if p < 0.1 { -bd0(n, n * q, n * p) - n * p } else { n * q.ln() };
        return lc.exp();
    }
    if x == n {
        let lc =
            if q < 0.1 { -bd0(n, n * p, n * q) - n * q } else { n * p.ln() };
        return lc.exp();
    }
    if x < 0.0 || x > n {
        return 0.0;
    }
    let lc = stirlerr(n)
        - stirlerr(x)
        - stirlerr(n - x)
        - bd0(x, n * p, x - n * p)
        - bd0(n - x, n * q, (n - x) - n * q);
    let lf = (2.0 * PI).ln() + x.ln() + (-x / n).ln_1p();
    (lc - 0.5 * lf).exp()
}

/// The hypergeometric probability of `x` successes in `draws` from `good`
/// successes and `bad` failures, `C(good,x)·C(bad,draws−x) /
/// C(good+bad,draws)`, as R's `dhyper`: three [`dbinom_raw`] terms, so
/// the relative precision holds at any size (no log-gamma of numbers
/// near `N` followed by `exp`).
fn dhyper(x: f64, good: f64, bad: f64, draws: f64) -> f64 {
    if x < 0.0 || x > good || draws - x > bad || draws - x < 0.0 {
        return 0.0;
    }
    if draws == 0.0 {
        return if x == 0.0 { 1.0 } else { 0.0 };
    }
    let total = good + bad;
    let p = draws / total;
    let q = (total - draws) / total;
    let p1 = dbinom_raw(x, good, p, q);
    let p2 = dbinom_raw(draws - x, bad, p, q);
    let p3 = dbinom_raw(draws, total, p, q);
    p1 * p2 / p3
}

/// Fisher's exact test, one-sided (attraction): `p = Σ_{k ≥ O11}
/// C(C1,k)·C(C2,R1−k) / C(N,R1)`, the hypergeometric upper tail.
/// Pedersen 1996 (§2). Counts must be whole numbers (`None` otherwise,
/// and for an impossible table).
///
/// The first term is `dhyper` (Loader's saddle-point form, as R); the
/// others follow by the exact ratio `P(k+1)/P(k) = (C1−k)(R1−k) /
/// ((k+1)(C2−R1+k+1))`, summed from the term of `O11` away from the mode
/// until they no longer change the sum. When `O11` is at or below the
/// mode, `p = 1 − P(X < O11)`, the lower tail summed the same way
/// (`p ≥ 1/2` roughly there, so no precision is lost).
pub fn fisher_right(t: &Contingency) -> Option<f64> {
    let whole = |x: f64| x >= 0.0 && x.fract() == 0.0;
    if !is_possible(t) || !t.cells().iter().all(|&x| whole(x)) {
        return None;
    }
    let (r1, c1, c2) = (t.r1(), t.c1(), t.c2());
    let lo = (r1 - c2).max(0.0);
    let hi = r1.min(c1);
    let k0 = t.o11;
    // The mode of the hypergeometric distribution.
    let mode = ((r1 + 1.0) * (c1 + 1.0) / (t.n() + 2.0)).floor();
    let up = |k: f64| (c1 - k) * (r1 - k) / ((k + 1.0) * (c2 - r1 + k + 1.0));
    if k0 > mode {
        let mut term = dhyper(k0, c1, c2, r1);
        let mut p = term;
        let mut k = k0;
        while k < hi {
            term *= up(k);
            k += 1.0;
            let next = p + term;
            if next == p {
                break;
            }
            p = next;
        }
        Some(p.min(1.0))
    } else {
        if k0 <= lo {
            return Some(1.0);
        }
        // P(X < k0): from k0 − 1 down.
        let mut k = k0 - 1.0;
        let mut term = dhyper(k, c1, c2, r1);
        let mut below = term;
        while k > lo {
            // P(k−1) = P(k) / up(k−1).
            term /= up(k - 1.0);
            k -= 1.0;
            let next = below + term;
            if next == below {
                break;
            }
            below = next;
        }
        Some((1.0 - below).clamp(0.0, 1.0))
    }
}

/// The ranking order of scores: descending by [`f64::total_cmp`], an
/// undefined score (`None`) after every defined one. Callers break ties
/// by frequency and then by the item, so rankings are total orders.
pub fn cmp_desc(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// A named association measure, for choosing by name on the command
/// line.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    /// The name on the command line and in output headers.
    pub name: &'static str,
    /// The score; `yates` applies to χ² only.
    pub score: fn(&Contingency, bool) -> Option<f64>,
    /// Decimals in output.
    pub decimals: usize,
    /// Whether the score is taken on the node-frequency table (O11 =
    /// concordance lines whose window holds the collocate, R1 = node
    /// hits, C1 = the collocate's frequency) whatever the convention, as
    /// logDice, Dice and MS are defined (Rychlý 2008; Sketch Engine).
    pub lines: bool,
}

impl Measure {
    /// The score of a collocate: on `lines`, the node-frequency table, if
    /// the measure is defined on it ([`Measure::lines`]), else on `table`,
    /// the table of the convention in use. Never NaN or infinite: such a
    /// value is `None`.
    pub fn of(
        &self,
        table: &Contingency,
        lines: &Contingency,
        yates: bool,
    ) -> Option<f64> {
        (self.score)(if self.lines { lines } else { table }, yates)
            .filter(|v| v.is_finite())
    }
}

/// Every association measure, in a fixed order.
pub const ASSOCIATION: &[Measure] = &[
    Measure {
        name: "expected",
        score: |t, _| is_possible(t).then(|| t.expected()[0]),
        decimals: 4,
        lines: false,
    },
    Measure { name: "mi", score: |t, _| mi(t), decimals: 4, lines: false },
    Measure { name: "mi2", score: |t, _| mi2(t), decimals: 4, lines: false },
    Measure { name: "mi3", score: |t, _| mi3(t), decimals: 4, lines: false },
    Measure { name: "t", score: |t, _| t_score(t), decimals: 4, lines: false },
    Measure { name: "z", score: |t, _| z_score(t), decimals: 4, lines: false },
    Measure {
        name: "ll",
        score: |t, _| log_likelihood(t, true),
        decimals: 4,
        lines: false,
    },
    Measure {
        name: "simple_ll",
        score: |t, _| simple_ll(t),
        decimals: 4,
        lines: false,
    },
    Measure {
        name: "logdice",
        score: |t, _| log_dice(t),
        decimals: 4,
        lines: true,
    },
    Measure { name: "dice", score: |t, _| dice(t), decimals: 6, lines: true },
    Measure {
        name: "ms",
        score: |t, _| min_sensitivity(t),
        decimals: 6,
        lines: true,
    },
    Measure {
        name: "logdice_slots",
        score: |t, _| log_dice(t),
        decimals: 4,
        lines: false,
    },
    Measure {
        name: "dice_slots",
        score: |t, _| dice(t),
        decimals: 6,
        lines: false,
    },
    Measure {
        name: "ms_slots",
        score: |t, _| min_sensitivity(t),
        decimals: 6,
        lines: false,
    },
    Measure {
        name: "dp_node",
        score: |t, _| delta_p_collocate_given_node(t),
        decimals: 6,
        lines: false,
    },
    Measure {
        name: "dp_coll",
        score: |t, _| delta_p_node_given_collocate(t),
        decimals: 6,
        lines: false,
    },
    Measure {
        name: "log_ratio",
        score: |t, _| {
            is_possible(t)
                .then(|| log_ratio(t.o11, t.o21, t.r1(), t.r2()))
                .flatten()
        },
        decimals: 4,
        lines: false,
    },
    Measure {
        name: "odds_ratio",
        score: |t, _| odds_ratio(t),
        decimals: 4,
        lines: false,
    },
    Measure { name: "chi2", score: chi_squared, decimals: 4, lines: false },
    Measure {
        name: "fisher",
        score: |t, _| fisher_right(t),
        decimals: 6,
        lines: false,
    },
];

/// The association measure named `name`.
pub fn association(name: &str) -> Option<&'static Measure> {
    ASSOCIATION.iter().find(|m| m.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    /// The keyness test vector of statistics.md §3 (a = 10, b = 5,
    /// c = 1,000, d = 2,000; E1 = 5, E2 = 10), values from SciPy.
    #[test]
    fn keyness_test_vector() {
        let t = Contingency::keyness(10.0, 5.0, 1000.0, 2000.0);
        let e = t.expected();
        assert!(close(e[0], 5.0, 1e-15) && close(e[1], 10.0, 1e-15));
        let rows: [(&str, f64, f64); 9] = [
            (
                "LL 2-term",
                log_likelihood_two_term(&t).unwrap(),
                6.931471805599453,
            ),
            // mpmath at 30 digits (SciPy's four-term sum: ...2806).
            (
                "G2 4-term",
                log_likelihood(&t, false).unwrap(),
                6.969191931933027,
            ),
            ("chi2", chi_squared(&t, false).unwrap(), 7.5376884422110555),
            ("chi2 Yates", chi_squared(&t, true).unwrap(), 6.105527638190955),
            ("Log Ratio", log_ratio(10.0, 5.0, 1000.0, 2000.0).unwrap(), 2.0),
            ("%DIFF", pct_diff(10.0, 5.0, 1000.0, 2000.0).unwrap(), 300.0),
            (
                "diff coef",
                difference_coefficient(10.0, 5.0, 1000.0, 2000.0).unwrap(),
                0.6,
            ),
            (
                "simple maths",
                simple_maths(10.0, 5.0, 1000.0, 2000.0, 1.0),
                3.998800479808077,
            ),
            (
                "BIC",
                bic(log_likelihood_two_term(&t).unwrap(), 3000.0),
                -1.0748957620507928,
            ),
        ];
        for (name, got, want) in rows {
            assert!(close(got, want, 1e-12), "{name}: {got} vs {want}");
        }
        // LL 2-term by hand: 2·(10·ln 2 + 5·ln 0.5) = 10·ln 2.
        assert!(close(
            log_likelihood_two_term(&t).unwrap(),
            10.0 * 2f64.ln(),
            1e-15
        ));
        // Relative risk (10/1000)/(5/2000) = 4; odds ratio (10/990)/(5/1995).
        assert!(close(
            relative_risk(10.0, 5.0, 1000.0, 2000.0).unwrap(),
            4.0,
            1e-15
        ));
        assert!(close(
            odds_ratio(&t).unwrap(),
            (10.0 / 990.0) / (5.0 / 1995.0),
            1e-15
        ));
    }

    /// A collocation table worked out by hand: O11 = 20, R1 = 100,
    /// C1 = 50, N = 1,000, so O12 = 80, O21 = 30, O22 = 870, E11 = 5.
    #[test]
    fn association_by_hand() {
        let t = Contingency { o11: 20.0, o12: 80.0, o21: 30.0, o22: 870.0 };
        assert!(close(t.expected()[0], 5.0, 1e-15));
        let rows: [(&str, f64, f64); 11] = [
            // log2(20/5) = 2
            ("MI", mi(&t).unwrap(), 2.0),
            // log2(400/5) = log2 80
            ("MI2", mi2(&t).unwrap(), 80f64.log2()),
            // log2(8000/5) = log2 1600
            ("MI3", mi3(&t).unwrap(), 1600f64.log2()),
            // (20 − 5)/sqrt(20)
            ("t", t_score(&t).unwrap(), 15.0 / 20f64.sqrt()),
            // (20 − 5)/sqrt(5)
            ("z", z_score(&t).unwrap(), 15.0 / 5f64.sqrt()),
            // 2·40/150
            ("Dice", dice(&t).unwrap(), 40.0 / 150.0),
            // 14 + log2(40/150)
            (
                "logDice",
                log_dice(&t).unwrap(),
                14.0 + (40.0f64 / 150.0).log2(),
            ),
            // min(20/100, 20/50)
            ("MS", min_sensitivity(&t).unwrap(), 0.2),
            // 20/100 − 30/900
            (
                "dP w2|w1",
                delta_p_collocate_given_node(&t).unwrap(),
                0.2 - 30.0 / 900.0,
            ),
            // 20/50 − 80/950
            (
                "dP w1|w2",
                delta_p_node_given_collocate(&t).unwrap(),
                0.4 - 80.0 / 950.0,
            ),
            // 2·(20·ln 4 − 15)
            (
                "simple-ll",
                simple_ll(&t).unwrap(),
                2.0 * (20.0 * 4f64.ln() - 15.0),
            ),
        ];
        for (name, got, want) in rows {
            assert!(close(got, want, 1e-12), "{name}: {got} vs {want}");
        }
        // G² by hand: E = 5, 95, 45, 855.
        let g2 = 2.0
            * (20.0 * (20.0f64 / 5.0).ln()
                + 80.0 * (80.0f64 / 95.0).ln()
                + 30.0 * (30.0f64 / 45.0).ln()
                + 870.0 * (870.0f64 / 855.0).ln());
        assert!(close(log_likelihood(&t, true).unwrap(), g2, 1e-12));
        // Odds ratio 20·870 / (80·30).
        assert!(close(odds_ratio(&t).unwrap(), 17400.0 / 2400.0, 1e-15));
    }

    #[test]
    fn invariants_and_zero_cells() {
        // O = E: G², χ², MI, t, z are 0.
        let even = Contingency { o11: 10.0, o12: 90.0, o21: 90.0, o22: 810.0 };
        assert!(close(even.expected()[0], 10.0, 1e-15));
        for v in [
            log_likelihood(&even, true).unwrap(),
            chi_squared(&even, false).unwrap(),
            mi(&even).unwrap(),
            t_score(&even).unwrap(),
            z_score(&even).unwrap(),
        ] {
            assert!(v.abs() < 1e-12, "{v}");
        }
        // O11 = 0: repelled, negative G² when signed, no MI/log-based value.
        let zero = Contingency { o11: 0.0, o12: 100.0, o21: 50.0, o22: 850.0 };
        assert!(log_likelihood(&zero, true).unwrap() < 0.0);
        assert!(log_likelihood(&zero, false).unwrap().is_finite());
        assert_eq!(mi(&zero), None);
        assert_eq!(log_dice(&zero), None);
        // Odds ratio with a zero cell: Haldane, (0.5·850.5)/(100.5·50.5).
        assert!(close(
            odds_ratio(&zero).unwrap(),
            0.5 * 850.5 / (100.5 * 50.5),
            1e-15
        ));
        // Keyness with b = 0: Log Ratio uses 0.5 (log2((10/1000)/(0.5/2000))
        // = log2 40); %DIFF and relative risk are undefined.
        assert!(close(
            log_ratio(10.0, 0.0, 1000.0, 2000.0).unwrap(),
            40f64.log2(),
            1e-12
        ));
        assert_eq!(pct_diff(10.0, 0.0, 1000.0, 2000.0), None);
        assert_eq!(relative_risk(10.0, 0.0, 1000.0, 2000.0), None);
        let t = Contingency::keyness(10.0, 0.0, 1000.0, 2000.0);
        assert!(
            log_likelihood(&t, false).unwrap() > 0.0
                && log_likelihood_two_term(&t).unwrap() > 0.0
        );
        // A zero on the target side.
        assert!(close(
            log_ratio(0.0, 10.0, 1000.0, 2000.0).unwrap(),
            (0.5f64 / 1000.0 / (10.0 / 2000.0)).log2(),
            1e-12
        ));
        assert_eq!(log_ratio(0.0, 0.0, 1000.0, 2000.0), None);
    }

    #[test]
    fn registry_names_are_unique_and_found() {
        let mut names: Vec<&str> =
            ASSOCIATION.iter().map(|m| m.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ASSOCIATION.len());
        let t = Contingency { o11: 20.0, o12: 80.0, o21: 30.0, o22: 870.0 };
        assert_eq!((association("mi").unwrap().score)(&t, false), mi(&t));
        assert_eq!(
            (association("chi2").unwrap().score)(&t, true),
            chi_squared(&t, true)
        );
        assert!(association("nope").is_none());
    }

    #[test]
    fn p_values() {
        // Critical values of χ² with 1 df (§4).
        for (x, p) in [
            (3.841458820694124, 0.05),
            (6.634896601021214, 0.01),
            (10.827566170662733, 0.001),
        ] {
            assert!(close(p_chi2_1df(x), p, 1e-10), "{x}: {}", p_chi2_1df(x));
        }
        assert!(close(erfc(0.0), 1.0, 1e-15));
        assert!(close(erfc(1.0), 0.15729920705028513, 1e-13));
        assert!(close(erfc(-1.0), 1.8427007929497148, 1e-13));
    }

    #[test]
    fn chi2_p_with_df_and_wilson() {
        // χ²(2) survival is exp(−x/2): p(5.991464547107979, 2) = 0.05.
        assert!(close(p_chi2(5.991464547107979, 2.0), 0.05, 1e-10));
        assert!(close(p_chi2(3.841458820694124, 1.0), 0.05, 1e-10));
        // χ²(3) critical value at 0.01: 11.344866730144373.
        assert!(close(p_chi2(11.344866730144373, 3.0), 0.01, 1e-9));
        // Wilson for 8 of 10 at 95%: centre (0.8 + 0.19208)/1.38415 =
        // 0.71674, half 1.96·sqrt(0.016 + 0.0009604)/1.38415 = 0.18444.
        let (lo, hi) = wilson(8.0, 10.0, 1.959963984540054).unwrap();
        assert!(
            (lo - 0.4901624).abs() < 1e-6 && (hi - 0.9433178).abs() < 1e-6,
            "{lo} {hi}"
        );
        assert_eq!(wilson(0.0, 0.0, 1.96), None);
    }

    #[test]
    fn beta_and_lrc() {
        // I_x(1, n) = 1 − (1 − x)^n, so its quantile is 1 − (1 − p)^(1/n).
        for n in [1.0, 5.0, 40.0] {
            let q = beta_quantile(0.025, 1.0, n);
            assert!(close(q, 1.0 - 0.975f64.powf(1.0 / n), 1e-10), "{n}: {q}");
        }
        // I_x(a, b) + I_{1−x}(b, a) = 1.
        assert!(close(
            beta_inc(0.3, 2.5, 4.0) + beta_inc(0.7, 4.0, 2.5),
            1.0,
            1e-13
        ));
        // Symmetric Beta(3, 3): the median is 0.5.
        assert!(close(beta_quantile(0.5, 3.0, 3.0), 0.5, 1e-10));
        // LRC with a = 1, b = 0 (c = d): lower π = 1 − 0.975^(1/1) = 0.025,
        // LR = log2(0.025/0.975) < 0, upper = 1 (inf): the interval holds
        // 0, so LRC = 0.
        assert_eq!(lrc(1.0, 0.0, 1000.0, 1000.0, 0.05), Some(0.0));
        // The test vector (a = 10, b = 5, c = 1000, d = 2000): Log Ratio 2;
        // LRC is between 0 and 2 and is the lower bound.
        let v = lrc(10.0, 5.0, 1000.0, 2000.0, 0.05).unwrap();
        assert!(v > 0.0 && v < 2.0, "{v}");
        // A strong negative keyword gives a negative LRC.
        assert!(lrc(5.0, 200.0, 1000.0, 1000.0, 0.05).unwrap() < -3.0);
        assert_eq!(lrc(0.0, 0.0, 1.0, 1.0, 0.05), None);
    }

    #[test]
    fn fisher_by_hand() {
        // Table [[3, 1], [1, 3]]: N = 8, R1 = 4, C1 = 4. P(X ≥ 3) =
        // (C(4,3)·C(4,1) + C(4,4)·C(4,0)) / C(8,4) = (16 + 1)/70.
        let t = Contingency { o11: 3.0, o12: 1.0, o21: 1.0, o22: 3.0 };
        assert!(close(fisher_right(&t).unwrap(), 17.0 / 70.0, 1e-12));
        let all = Contingency { o11: 0.0, o12: 4.0, o21: 4.0, o22: 0.0 };
        assert!(close(fisher_right(&all).unwrap(), 1.0, 1e-12));
        assert_eq!(
            fisher_right(&Contingency {
                o11: 0.5,
                o12: 1.0,
                o21: 1.0,
                o22: 1.0
            }),
            None
        );
    }

    /// G² (four- and two-term) at large N, where the plain sum of
    /// `O·ln(O/E)` cancels. Expected values: mpmath at 60 digits,
    /// `2·Σ O·ln(O/E)` over the cells (two-term: the first row only).
    #[test]
    fn g2_precise_at_large_n() {
        // (The old four-term sum was off by 7.9e-9 and 1.4e-8 relative on
        // the first two.)
        let rows: [([f64; 4], f64, f64); 5] = [
            (
                [40_000.0, 40_300.0, 39_960_000.0, 39_959_700.0],
                1.121_925_748_852_626_2,
                1.120_799_618_499_281_2,
            ),
            (
                [300.0, 320.0, 39_999_700.0, 39_999_680.0],
                0.645_278_227_575_620_7,
                0.645_273_227_536_870_4,
            ),
            (
                [4000.0, 4100.0, 39_996_000.0, 39_995_900.0],
                1.234_724_277_077_956_3,
                1.234_599_264_420_424_7,
            ),
            (
                [123_456.0, 98_765.0, 39_876_544.0, 49_901_235.0],
                11_046.778_187_114_085,
                11_019.274_851_223_307,
            ),
            (
                [30.0, 99_970.0, 1000.0, 99_899_000.0],
                145.190_112_856_435_8,
                144.366_708_271_261_8,
            ),
        ];
        for ([o11, o12, o21, o22], four, two) in rows {
            let t = Contingency { o11, o12, o21, o22 };
            let g = log_likelihood(&t, false).unwrap();
            assert!((g - four).abs() <= 1e-13 * four, "{o11}: {g} vs {four}");
            let g = log_likelihood_two_term(&t).unwrap();
            assert!((g - two).abs() <= 1e-13 * two, "{o11}: {g} vs {two}");
        }
        // Equal rates: exactly 0, not a rounding residue.
        let even = Contingency::keyness(4000.0, 5000.0, 4e7, 5e7);
        assert_eq!(log_likelihood(&even, false), Some(0.0));
    }

    /// Fisher's one-sided p at N = 10^5 … 10^8. Expected values: mpmath
    /// at 60 digits, the upper tail summed from `exp` of exact log
    /// binomials (loggamma) and the exact term ratio.
    #[test]
    fn fisher_precise_at_large_n() {
        // (O11, R1, C1, N, p)
        let rows: [(f64, f64, f64, f64, f64); 6] = [
            (12.0, 1000.0, 300.0, 1e5, 6.059_189_230_974_052e-05),
            (40.0, 10_000.0, 2000.0, 1e6, 4.715_852_960_087_681e-05),
            (150.0, 1e5, 1000.0, 1e7, 2.516_109_679_535_774e-122),
            (520.0, 1e6, 50_000.0, 1e8, 0.189_857_800_573_919_82),
            (480.0, 1e6, 50_000.0, 1e8, 0.821_367_067_674_214_7),
            (700.0, 1e6, 50_000.0, 1e8, 1.260_734_695_621_671_2e-17),
        ];
        for (o11, r1, c1, n, want) in rows {
            let t = Contingency {
                o11,
                o12: r1 - o11,
                o21: c1 - o11,
                o22: n - r1 - c1 + o11,
            };
            let got = fisher_right(&t).unwrap();
            assert!(
                (got - want).abs() <= 1e-12 * want,
                "N = {n}, O11 = {o11}: {got} vs {want}, relative {}",
                (got - want).abs() / want
            );
        }
    }

    /// A table with a negative cell (a collocate counted more often in
    /// windows than in the corpus) has no 2×2 measure at all.
    #[test]
    fn impossible_tables_give_no_measure() {
        // O11 = 2 > C1 = 1: O21 = −1.
        let t = Contingency { o11: 2.0, o12: 0.0, o21: -1.0, o22: 25.0 };
        assert!(!is_possible(&t));
        for m in ASSOCIATION {
            assert_eq!((m.score)(&t, false), None, "{}", m.name);
            assert_eq!((m.score)(&t, true), None, "{}", m.name);
        }
        assert_eq!(log_likelihood(&t, false), None);
        assert_eq!(log_likelihood_two_term(&t), None);
        assert_eq!(simple_ll(&t), None);
        assert_eq!(odds_ratio(&t), None);
    }
}
