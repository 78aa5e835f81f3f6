//! Generates a seeded news benchmark for near-duplicate detection:
//! distinct articles, planted syndicated copies and planted distinct
//! articles on the same story, as JSON Lines with the ground truth in
//! fields.
//!
//! `cargo run --release --example gen_syndicated -- STORIES OUT.jsonl [SEED] [sentences|words]`
//!
//! Every story has an original article (8 to 14 paragraphs of 2 to 4
//! sentences of 8 to 20 words: Indonesian function words and an open,
//! Zipf-distributed vocabulary of generated word forms, with the
//! story's three names and two quoted sentences). Then, drawn per
//! story:
//! - 0 to 3 syndicated copies (40%, 30%, 20%, 10%): a new headline, a
//!   byline line at the top, a footer ("Artikel ini telah tayang di
//!   ..."), a share `e` of the body's words edited, `e` uniform in
//!   5-20%, and two paragraphs swapped. Edits (`sentences`, the
//!   default): whole sentences rewritten, inserted or cut until `e` is
//!   reached, plus one to three single words changed (a spelling, a
//!   place), as editors syndicating a story work; `words`: single
//!   words changed at random places, the hardest case for shingles;
//! - with probability 5%, a verbatim repost (an exact duplicate);
//! - 0 to 2 distinct articles on the same story (50%, 30%, 20%): new
//!   text with the same names, headline words and one or both quotes.
//!
//! Fields: `id`, `source`, `title`, `text`, `story`, `role` (`original`,
//! `copy`, `repost`, `same-story`), `cluster` (the story number for an
//! original, its copies and reposts; the document's own id otherwise),
//! `copy_of` (the original's id, or empty) and `edited` (the share of
//! words edited, for copies). Documents are written in a seeded
//! shuffled order, so a copy can come before its original. The same
//! arguments always give the same bytes.

use std::io::{BufWriter, Write};

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Frequent Indonesian words, most frequent first.
const FUNCTION: [&str; 48] = [
    "yang",
    "dan",
    "di",
    "itu",
    "dengan",
    "untuk",
    "tidak",
    "ini",
    "dari",
    "dalam",
    "akan",
    "pada",
    "juga",
    "ke",
    "karena",
    "tersebut",
    "bisa",
    "ada",
    "mereka",
    "lebih",
    "kata",
    "tahun",
    "sudah",
    "saat",
    "oleh",
    "menjadi",
    "orang",
    "masih",
    "telah",
    "bahwa",
    "hari",
    "kami",
    "bagi",
    "para",
    "namun",
    "pemerintah",
    "setelah",
    "atau",
    "hingga",
    "warga",
    "kota",
    "menurut",
    "sebagai",
    "baru",
    "seperti",
    "antara",
    "harus",
    "presiden",
];

/// Syllables of generated word forms.
const SYLLABLES: [&str; 24] = [
    "ka", "ri", "ma", "su", "to", "ng", "wi", "jo", "ha", "di", "ra", "ta",
    "an", "be", "lu", "pra", "se", "no", "ya", "gu", "ni", "ba", "ko", "dra",
];

const OUTLETS: [&str; 6] =
    ["kompas", "detik", "tempo", "antaranews", "tribunnews", "republika"];

/// A word form of rank `r`: distinct for every rank.
fn form(mut r: u64) -> String {
    let mut w = String::new();
    loop {
        w.push_str(SYLLABLES[(r % 24) as usize]);
        r /= 24;
        if r == 0 {
            break;
        }
    }
    w
}

/// A rank with a Pareto tail, `⌊u^(−1/α)⌋`, α = 0.25 (Zipf exponent
/// 1.25), as in gen_corpus.
fn zipf_rank(rng: &mut Rng) -> u64 {
    rng.unit().max(1e-60).powf(-1.0 / 0.25).min(1e15).floor() as u64
}

fn word(rng: &mut Rng) -> String {
    if rng.below(100) < 45 {
        // Function words, Zipf-like over the list: rank ⌊48·u²⌋.
        let u = rng.unit();
        FUNCTION[((u * u) * FUNCTION.len() as f64) as usize].to_string()
    } else {
        form(zipf_rank(rng) + 24)
    }
}

fn capital(w: &str) -> String {
    let mut c = w.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// One sentence: 8 to 20 words, now and then one of `names`.
fn sentence(rng: &mut Rng, names: &[String]) -> Vec<String> {
    let n = rng.range(8, 20);
    let mut s: Vec<String> = (0..n).map(|_| word(rng)).collect();
    if rng.below(3) == 0 {
        let at = rng.below(n) as usize;
        s[at] = names[rng.below(names.len() as u64) as usize].clone();
    }
    s[0] = capital(&s[0]);
    s.last_mut().unwrap().push('.');
    s
}

/// A story: its names, its two quotes and its headline words.
struct Story {
    names: Vec<String>,
    quotes: Vec<Vec<String>>,
    headline: Vec<String>,
}

fn story(rng: &mut Rng) -> Story {
    let names: Vec<String> =
        (0..3).map(|_| capital(&form(1000 + rng.below(500_000)))).collect();
    let quotes = (0..2).map(|_| sentence(rng, &names)).collect();
    let mut headline: Vec<String> = (0..7).map(|_| word(rng)).collect();
    headline[0] = capital(&headline[0]);
    headline.push(names[0].clone());
    Story { names, quotes, headline }
}

/// Paragraphs of sentences: the body of an article on `st`, with
/// `quotes` of its quotes placed in random paragraphs.
fn body(rng: &mut Rng, st: &Story, quotes: usize) -> Vec<Vec<Vec<String>>> {
    let mut paras: Vec<Vec<Vec<String>>> = (0..rng.range(8, 14))
        .map(|_| {
            (0..rng.range(2, 4)).map(|_| sentence(rng, &st.names)).collect()
        })
        .collect();
    for q in st.quotes.iter().take(quotes) {
        let p = rng.below(paras.len() as u64) as usize;
        paras[p].push(q.clone());
    }
    paras
}

fn words_of(paras: &[Vec<Vec<String>>]) -> usize {
    paras.iter().flatten().map(Vec::len).sum()
}

/// Changes one word at a random place.
fn change_word(rng: &mut Rng, paras: &mut [Vec<Vec<String>>]) {
    let p = rng.below(paras.len() as u64) as usize;
    let s = rng.below(paras[p].len() as u64) as usize;
    let w = rng.below(paras[p][s].len() as u64) as usize;
    paras[p][s][w] = word(rng);
}

/// Edits `paras`, `share` (5-20%) of its words: whole sentences
/// rewritten, inserted or cut while the next one keeps the edited
/// words within `share` (or, below 5%, within 20%), then 1 to 3 single words
/// changed (`by_sentence`); or only single words changed at random
/// places. Returns the share edited (a rewritten sentence counts the
/// longer of the two).
fn edit(
    rng: &mut Rng,
    paras: &mut [Vec<Vec<String>>],
    st: &Story,
    share: f64,
    by_sentence: bool,
) -> f64 {
    let total = words_of(paras) as f64;
    let singles = if by_sentence {
        rng.range(1, 3) as usize
    } else {
        (share * total).round() as usize
    };
    let goal = share * total - singles as f64;
    let mut edited = 0usize;
    let mut tries = 0;
    while by_sentence && (edited as f64) < goal && tries < 1000 {
        tries += 1;
        let p = rng.below(paras.len() as u64) as usize;
        let s = rng.below(paras[p].len() as u64) as usize;
        let new = sentence(rng, &st.names);
        let op = rng.below(3);
        let cost = match op {
            0 => paras[p][s].len(),
            1 => new.len(),
            _ => new.len().max(paras[p][s].len()),
        };
        let floor = 0.05 * total - singles as f64;
        if (edited + cost) as f64 > goal && edited as f64 >= floor {
            break;
        }
        if (edited + cost) as f64 > 0.20 * total - singles as f64 {
            continue;
        }
        edited += cost;
        match op {
            0 if paras[p].len() > 1 => drop(paras[p].remove(s)),
            0 => paras[p][s] = new,
            1 => paras[p].insert(s, new),
            _ => paras[p][s] = new,
        }
    }
    for _ in 0..singles {
        change_word(rng, paras);
    }
    (edited + singles) as f64 / total
}

fn text_of(
    lead: &[String],
    paras: &[Vec<Vec<String>>],
    tail: &[String],
) -> String {
    let mut blocks: Vec<String> = lead.to_vec();
    for p in paras {
        let sents: Vec<String> = p.iter().map(|s| s.join(" ")).collect();
        blocks.push(sents.join(" "));
    }
    blocks.extend(tail.iter().cloned());
    blocks.join("\n\n")
}

struct Article {
    story: u64,
    role: &'static str,
    source: &'static str,
    title: String,
    text: String,
    /// Index of the original in the list, for copies and reposts.
    copy_of: Option<usize>,
    edited: f64,
}

/// A syndicated copy of `orig_paras` (of story `st`, number `n`).
fn copy(
    rng: &mut Rng,
    n: u64,
    st: &Story,
    orig_paras: &[Vec<Vec<String>>],
    by_sentence: bool,
) -> Article {
    let mut paras = orig_paras.to_vec();
    let share = 0.05 + 0.15 * rng.unit();
    let edited = edit(rng, &mut paras, st, share, by_sentence);
    let a = rng.below(paras.len() as u64 - 1) as usize;
    paras.swap(a, a + 1);
    let source = OUTLETS[rng.below(6) as usize];
    let mut head: Vec<String> = st.headline.iter().take(3).cloned().collect();
    head.extend((0..5).map(|_| word(rng)));
    head.push(st.names[rng.below(3) as usize].clone());
    let title = head.join(" ");
    let byline = format!(
        "Penulis: {} | Editor: {}",
        capital(&form(rng.range(600, 90_000))),
        capital(&form(rng.range(600, 90_000)))
    );
    let footer = format!(
        "Artikel ini telah tayang di {source}.example dengan judul \"{title}\". Klik untuk baca: https://{source}.example/read/{n}"
    );
    let text = text_of(&[title.clone(), byline], &paras, &[footer]);
    Article {
        story: n,
        role: "copy",
        source,
        title,
        text,
        copy_of: None,
        edited,
    }
}

/// The articles of story `n`.
fn articles_of(
    rng: &mut Rng,
    n: u64,
    by_sentence: bool,
    out: &mut Vec<Article>,
) {
    let st = story(rng);
    let paras = body(rng, &st, 2);
    let title = st.headline.join(" ");
    let source = OUTLETS[rng.below(6) as usize];
    let orig = out.len();
    let text = text_of(std::slice::from_ref(&title), &paras, &[]);
    out.push(Article {
        story: n,
        role: "original",
        source,
        title,
        text,
        copy_of: None,
        edited: 0.0,
    });
    let copies = match rng.below(10) {
        0..4 => 0,
        4..7 => 1,
        7..9 => 2,
        _ => 3,
    };
    for _ in 0..copies {
        let mut a = copy(rng, n, &st, &paras, by_sentence);
        a.copy_of = Some(orig);
        out.push(a);
    }
    if rng.below(20) == 0 {
        let o = &out[orig];
        let (title, text) = (o.title.clone(), o.text.clone());
        let source = OUTLETS[rng.below(6) as usize];
        out.push(Article {
            story: n,
            role: "repost",
            source,
            title,
            text,
            copy_of: Some(orig),
            edited: 0.0,
        });
    }
    let others = match rng.below(10) {
        0..5 => 0,
        5..8 => 1,
        _ => 2,
    };
    for _ in 0..others {
        let quotes = 1 + rng.below(2) as usize;
        let paras = body(rng, &st, quotes);
        let mut head: Vec<String> =
            st.headline.iter().take(4).cloned().collect();
        head.extend((0..4).map(|_| word(rng)));
        let title = head.join(" ");
        let text = text_of(std::slice::from_ref(&title), &paras, &[]);
        let source = OUTLETS[rng.below(6) as usize];
        out.push(Article {
            story: n,
            role: "same-story",
            source,
            title,
            text,
            copy_of: None,
            edited: 0.0,
        });
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!(
            "usage: gen_syndicated STORIES OUT.jsonl [SEED] [sentences|words]"
        );
        std::process::exit(2);
    }
    let stories: u64 = args[1].parse().expect("STORIES is a number");
    let seed: u64 =
        args.get(3).map_or(1, |s| s.parse().expect("SEED is a number"));
    let by_sentence = match args.get(4).map(String::as_str) {
        None | Some("sentences") => true,
        Some("words") => false,
        Some(other) => panic!("edits are 'sentences' or 'words', not {other}"),
    };
    let mut rng = Rng(seed);
    let mut arts = Vec::new();
    for n in 0..stories {
        articles_of(&mut rng, n, by_sentence, &mut arts);
    }
    // A seeded shuffle (Fisher-Yates) of the writing order.
    let mut order: Vec<usize> = (0..arts.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let id = |i: usize| format!("a{i:07}");
    let mut out = BufWriter::new(
        std::fs::File::create(&args[2]).expect("OUT is writable"),
    );
    for &i in &order {
        let a = &arts[i];
        let cluster = match (a.role, a.copy_of) {
            ("original", _) | (_, Some(_)) => format!("s{}", a.story),
            _ => id(i),
        };
        let line = serde_json::json!({
            "id": id(i),
            "source": a.source,
            "title": a.title,
            "text": a.text,
            "story": a.story,
            "role": a.role,
            "cluster": cluster,
            "copy_of": a.copy_of.map(id).unwrap_or_default(),
            "edited": format!("{:.3}", a.edited),
        });
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
    eprintln!("wrote {} documents of {stories} stories", arts.len());
}
