//! Scoring the tokenizer against gold tokenization in CoNLL-U.
//!
//! For each sentence, the gold surface tokens (multiword-token ranges,
//! plus the words no range covers) are joined with a space unless MISC
//! says `SpaceAfter=No` (or gives `SpacesAfter`); the result must
//! reproduce `# text` exactly (the round-trip check), which gives every
//! gold token its byte span. Sentences that fail the check are counted
//! and left out. The korpus tokenizer then runs on `# text` (every token
//! class), and a predicted token is correct when its start and end both
//! match a gold token. Precision, recall and F1 follow.
//!
//! With `split_clitics`, scoring is against the syntactic words instead:
//! the words of a multiword token get spans when their forms spell the
//! surface exactly (`bukunya` = `buku` + `nya`); otherwise the multiword
//! token is scored as one unit.
//!
//! A hyphen disagreement is a token with an internal hyphen that is in
//! the gold or the prediction but not both; they are counted apart
//! because treebanks disagree on hyphens.

use crate::hash::{Set, new_set};
use crate::tokenize::{TokenizerOptions, tokenize};

/// The score of one gold file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalScore {
    /// Sentences read and scored or failed (malformed ones not
    /// included).
    pub sentences: u64,
    /// Sentences left out because the round-trip check failed.
    pub roundtrip_failures: u64,
    /// Gold units in the scored sentences.
    pub gold: u64,
    /// Predicted tokens in the scored sentences.
    pub predicted: u64,
    /// Predicted tokens whose span matches a gold unit.
    pub correct: u64,
    /// Tokens with an internal hyphen in only one of gold and prediction.
    pub hyphen_disagreements: u64,
    /// Sentences left out because they are malformed (a token line
    /// without 10 columns, a bad ID, an empty or blank FORM, a range past
    /// the sentence's last word), as `(line, what is wrong)`.
    pub malformed: Vec<(u64, String)>,
    /// Up to the requested number of disagreements, as
    /// `(sentence id, gold tokens, predicted tokens)` around the first
    /// difference.
    pub examples: Vec<(String, String, String)>,
}

impl EvalScore {
    /// `correct / predicted`.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// `correct / gold`.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[derive(Default)]
struct Sentence {
    id: String,
    text: Option<String>,
    /// (form, misc, words) per surface token; words are the forms of a
    /// multiword token's syntactic words.
    tokens: Vec<(String, String, Vec<String>)>,
    /// Last word id covered by the current multiword range.
    range_end: u64,
    /// The last word id seen.
    last_word: u64,
    /// The line of the current range, for the message if it ends past
    /// the last word.
    range_line: u64,
    /// The first thing wrong with the sentence, and its line.
    malformed: Option<(u64, String)>,
}

impl Sentence {
    fn fail(&mut self, line: u64, message: String) {
        self.malformed.get_or_insert((line, message));
    }
}

/// Scores `opts` against the CoNLL-U text `conllu`.
pub fn score(
    conllu: &str,
    opts: &TokenizerOptions,
    examples: usize,
) -> EvalScore {
    let mut out = EvalScore::default();
    let mut sent = Sentence::default();
    let mut spans = Vec::new();
    for (i, line) in conllu.lines().chain(std::iter::once("")).enumerate() {
        let n = i as u64 + 1;
        if line.trim().is_empty() {
            if sent.range_end > sent.last_word {
                let (end, last) = (sent.range_end, sent.last_word);
                sent.fail(
                    sent.range_line,
                    format!(
                        "the multiword range ends at word {end}, past the \
                         sentence's last word ({last})"
                    ),
                );
            }
            if let Some(bad) = sent.malformed.take() {
                out.malformed.push(bad);
            } else if sent.text.is_some() || !sent.tokens.is_empty() {
                score_sentence(&sent, opts, examples, &mut out, &mut spans);
            }
            sent = Sentence::default();
            continue;
        }
        if let Some(v) = line.strip_prefix("# text =") {
            sent.text = Some(v.strip_prefix(' ').unwrap_or(v).to_string());
            continue;
        }
        if let Some(v) = line.strip_prefix("# sent_id =") {
            sent.id = v.trim().to_string();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            let k = cols.len();
            sent.fail(
                n,
                format!("a token line has 10 tab-separated columns, not {k}"),
            );
            continue;
        }
        let (id, form, misc) = (cols[0], cols[1], cols[9]);
        let word = |v: &str| v.parse::<u64>().ok().filter(|&w| w > 0);
        if let Some((a, b)) = id.split_once('.') {
            // An empty node: not a token.
            if word(a).is_none() && a != "0" || b.parse::<u64>().is_err() {
                sent.fail(n, format!("malformed empty-node ID '{id}'"));
            }
            continue;
        }
        if form.trim().is_empty() {
            sent.fail(n, format!("token {id} has an empty or blank FORM"));
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            match (word(a), word(b)) {
                (Some(a), Some(b)) if a <= b && a > sent.last_word => {
                    sent.range_end = b;
                    sent.range_line = n;
                }
                _ => {
                    sent.fail(n, format!("malformed range ID '{id}'"));
                    continue;
                }
            }
            sent.tokens.push((form.to_string(), misc.to_string(), Vec::new()));
            continue;
        }
        let Some(w) = word(id) else {
            sent.fail(n, format!("malformed token ID '{id}'"));
            continue;
        };
        sent.last_word = w;
        if w <= sent.range_end {
            if let Some(last) = sent.tokens.last_mut() {
                last.2.push(form.to_string());
            }
        } else {
            sent.tokens.push((form.to_string(), misc.to_string(), Vec::new()));
        }
    }
    out
}

/// Decodes a `SpacesAfter` value (`\s`, `\t`, `\n`, `\p`, `\\`,
/// `\uXXXX`).
fn spaces_after(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('s') => out.push(' '),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('p') => out.push('|'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if let Some(ch) =
                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                {
                    out.push(ch);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn score_sentence(
    sent: &Sentence,
    opts: &TokenizerOptions,
    examples: usize,
    out: &mut EvalScore,
    spans: &mut Vec<crate::tokenize::Token>,
) {
    out.sentences += 1;
    let Some(text) = &sent.text else {
        out.roundtrip_failures += 1;
        return;
    };
    // Rebuild the text and the gold spans.
    let mut rebuilt = String::new();
    let mut gold: Vec<(usize, usize)> = Vec::new();
    for (form, misc, words) in &sent.tokens {
        let start = rebuilt.len();
        rebuilt.push_str(form);
        let end = rebuilt.len();
        if opts.split_clitics && !words.is_empty() && words.concat() == *form {
            let mut s = start;
            for w in words {
                gold.push((s, s + w.len()));
                s += w.len();
            }
        } else {
            gold.push((start, end));
        }
        let fields: Vec<&str> = misc.split('|').collect();
        if let Some(v) =
            fields.iter().find_map(|f| f.strip_prefix("SpacesAfter="))
        {
            rebuilt.push_str(&spaces_after(v));
        } else if !fields.contains(&"SpaceAfter=No") {
            rebuilt.push(' ');
        }
    }
    // (Spans past the end of the text, from trailing white space in
    // forms, fail too.)
    if rebuilt.trim_end() != text.trim_end()
        || gold.iter().any(|&(_, e)| e > text.trim_end().len())
    {
        out.roundtrip_failures += 1;
        return;
    }
    tokenize(text, opts, spans);
    let pred: Vec<(usize, usize)> =
        spans.iter().map(|t| (t.start, t.end)).collect();
    let mut gold_set: Set<(usize, usize)> = new_set();
    gold_set.extend(gold.iter().copied());
    let mut pred_set: Set<(usize, usize)> = new_set();
    pred_set.extend(pred.iter().copied());
    let correct = pred.iter().filter(|s| gold_set.contains(*s)).count() as u64;
    out.gold += gold.len() as u64;
    out.predicted += pred.len() as u64;
    out.correct += correct;
    let hyphenated = |&(s, e): &(usize, usize)| {
        let t = &text[s..e];
        t.chars().skip(1).any(|c| c == '-')
    };
    out.hyphen_disagreements += gold
        .iter()
        .filter(|s| hyphenated(s) && !pred_set.contains(*s))
        .count() as u64
        + pred
            .iter()
            .filter(|s| hyphenated(s) && !gold_set.contains(*s))
            .count() as u64;
    if out.examples.len() < examples
        && correct as usize != gold.len().max(pred.len())
    {
        let show = |v: &[(usize, usize)]| -> String {
            v.iter().map(|&(s, e)| &text[s..e]).collect::<Vec<_>>().join(" ")
        };
        let first =
            gold.iter().zip(&pred).position(|(g, p)| g != p).unwrap_or(0);
        let lo = first.saturating_sub(2);
        let g_hi = (first + 4).min(gold.len());
        let p_hi = (first + 4).min(pred.len());
        out.examples.push((
            sent.id.clone(),
            show(&gold[lo.min(g_hi)..g_hi]),
            show(&pred[lo.min(p_hi)..p_hi]),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = "# sent_id = s1
# text = Bukunya di DPRK-Tiongkok.
1-2\tBukunya\t_\t_\t_\t_\t_\t_\t_\t_
1\tBuku\tbuku\tNOUN\t_\t_\t0\troot\t_\t_
2\tnya\tia\tPRON\t_\t_\t1\tnmod\t_\t_
3\tdi\tdi\tADP\t_\t_\t4\tcase\t_\t_
4\tDPRK-Tiongkok\t_\tPROPN\t_\t_\t1\tnmod\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_

# sent_id = s2
# text = broken
1\tnot\t_\t_\t_\t_\t0\troot\t_\t_
";

    #[test]
    fn scores_by_hand() {
        // Gold surface: Bukunya, di, DPRK-Tiongkok, . (4 units).
        // Predicted (auto hyphens): Bukunya, di, DPRK, -, Tiongkok, . (6).
        // Correct: Bukunya, di, . = 3. P = 3/6, R = 3/4.
        let s = score(GOLD, &TokenizerOptions::default(), 5);
        assert_eq!((s.sentences, s.roundtrip_failures), (2, 1));
        assert_eq!((s.gold, s.predicted, s.correct), (4, 6, 3));
        assert!((s.f1() - 2.0 * 0.5 * 0.75 / 1.25).abs() < 1e-12);
        assert_eq!(s.hyphen_disagreements, 1);
        assert_eq!(s.examples.len(), 1);
        // Syntactic words: Buku, nya, di, DPRK-Tiongkok, . (5 units);
        // with clitics split and hyphens kept, all 5 match.
        let opts = TokenizerOptions {
            split_clitics: true,
            hyphens: crate::tokenize::HyphenPolicy::Keep,
            ..Default::default()
        };
        let s = score(GOLD, &opts, 0);
        assert_eq!((s.gold, s.predicted, s.correct), (5, 5, 5));
    }

    #[test]
    fn spaces_after_escapes() {
        assert_eq!(spaces_after("\\s\\s"), "  ");
        assert_eq!(spaces_after("\\u00A0"), "\u{A0}");
        assert_eq!(spaces_after("\\n"), "\n");
    }
}
