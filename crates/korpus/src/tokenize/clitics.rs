//! Indonesian clitic splitting (`--split-clitics`).
//!
//! UD Indonesian (since v2.9) splits the enclitics `-nya -ku -mu -lah
//! -kah -pun` and the proclitic `kau-` off their host as syntactic words.
//! korpus keeps them on the word by default (the counted item is then the
//! written word, as in every peer tool) and splits them on request.
//!
//! The rules, without a lexicon: an enclitic is split when the host left
//! over has at least 3 letters and the word is not in the exception list
//! of common words that merely end in those letters (`sekolah`,
//! `masalah`, `langkah`, `pemerintah`, `bertemu`, `meskipun`, ...). One
//! particle may follow `-nya` (`bukunyalah`). `kau-` is split before a
//! host of at least 4 letters (`kaubawa`), except in `kaum`, `kaus` and
//! their derivatives. `ku-` is not split: too many words start with it
//! (`kuat`, `kuasa`, `kuliah`).

/// The enclitics: `-nya`, the particles, the possessives `-ku` and `-mu`
/// (the one list of them; the hyphen rules read it too).
pub(crate) const ENCLITICS: &[&str] =
    &["nya", "lah", "kah", "pun", "ku", "mu"];
const PARTICLES: &[&str] = &["lah", "kah", "pun"];

/// Words that end in a clitic's letters without carrying the clitic,
/// and lexicalized forms that UD Indonesian keeps whole (adverbial
/// `-nya` as in `akhirnya` "finally", `adalah`, `setelah`).
const EXCEPTIONS: &[&str] = &[
    // lexicalized -nya and -lah
    "adalah",
    "setelah",
    "seolah",
    "seolah-olah",
    "silsilah",
    "salasilah",
    "akhirnya",
    "sebenarnya",
    "sesungguhnya",
    "biasanya",
    "umumnya",
    "selanjutnya",
    "berikutnya",
    "lainnya",
    "tampaknya",
    "rupanya",
    "makanya",
    "agaknya",
    "sepertinya",
    "misalnya",
    "sebaliknya",
    "seharusnya",
    "semestinya",
    "sebelumnya",
    "sesudahnya",
    "akibatnya",
    "khususnya",
    "kiranya",
    "terutamanya",
    "nampaknya",
    "kelihatannya",
    "pokoknya",
    "untungnya",
    "sayangnya",
    "sehingganya",
    "selebihnya",
    "seterusnya",
    "setidaknya",
    "sekurangnya",
    "sedikitnya",
    "setelahnya",
    "selamanya",
    "sendirinya",
    // -nya
    "bertanya",
    "ditanya",
    "menanya",
    "tanya",
    "punya",
    "hanya",
    "kenya",
    "mempunya",
    // -lah
    "sekolah",
    "bersekolah",
    "masalah",
    "salah",
    "bersalah",
    "jumlah",
    "sejumlah",
    "berjumlah",
    "kalah",
    "mengalah",
    "telah",
    "lelah",
    "istilah",
    "olah",
    "mengolah",
    "diolah",
    "pengolah",
    "belah",
    "sebelah",
    "membelah",
    "terbelah",
    "ulah",
    "celah",
    "galah",
    "wilayah",
    "allah",
    "kilah",
    "berkilah",
    "dalih",
    "sholah",
    "madrasah",
    "tulah",
    "halah",
    // -kah
    "langkah",
    "melangkah",
    "selangkah",
    "nikah",
    "menikah",
    "berkah",
    "mekah",
    "makkah",
    "sedekah",
    "dakwah",
    "kakah",
    // -pun
    "ampun",
    "rumpun",
    "maupun",
    "meskipun",
    "walaupun",
    "sekalipun",
    "adapun",
    "biarpun",
    "kendatipun",
    "sungguhpun",
    "apapun",
    "siapapun",
    "manapun",
    "bagaimanapun",
    "kapanpun",
    "dimanapun",
    "embun",
    "himpun",
    "menghimpun",
    "dihimpun",
    "tumpun",
    "lapun",
    // -ku
    "berlaku",
    "perilaku",
    "pelaku",
    "selaku",
    "mengaku",
    "diaku",
    "bangku",
    "tungku",
    "maluku",
    "teuku",
    "tengku",
    "pangku",
    "memangku",
    "kuku",
    "buku",
    "paku",
    "saku",
    "suku",
    "laku",
    "baku",
    "beku",
    "siku",
    "liku",
    "aku",
    "waktu",
    "tamaku",
    "rabuku",
    // -mu
    "bertemu",
    "ketemu",
    "temu",
    "berilmu",
    "ilmu",
    "bertamu",
    "tamu",
    "meramu",
    "ramu",
    "jamu",
    "jemu",
    "kamu",
    "umumu",
    "maksimu",
];

/// Writes into `cuts` the byte offsets where `word` splits into host and
/// clitics, and returns how many there are (0 if none).
pub fn split_points(word: &str, cuts: &mut [usize; 4]) -> usize {
    if !word.is_ascii() || word.contains(['-', '.', '\'']) {
        return 0;
    }
    let lower = word.to_ascii_lowercase();
    let mut n = 0;
    // Proclitic kau-.
    let mut host_start = 0;
    if let Some(rest) = lower.strip_prefix("kau")
        && rest.len() >= 4
        && !lower.starts_with("kaum")
        && !lower.starts_with("kaus")
        && !lower.starts_with("kaukus")
    {
        cuts[n] = 3;
        n += 1;
        host_start = 3;
    }
    let mut end = lower.len();
    let mut tail: [usize; 2] = [0; 2];
    let mut t = 0;
    // A particle after -nya first, then one enclitic.
    for round in 0..2 {
        let list = if round == 0 { PARTICLES } else { ENCLITICS };
        let word_here = &lower[host_start..end];
        if EXCEPTIONS.contains(&word_here) || word_here.ends_with("llah") {
            break;
        }
        let Some(cl) = list.iter().find(|c| word_here.ends_with(**c)) else {
            continue;
        };
        let host = word_here.len() - cl.len();
        if host < 3 {
            continue;
        }
        if round == 0 && !word_here[..host].ends_with("nya") {
            // A bare particle is handled as an enclitic in round 1.
            continue;
        }
        end = host_start + host;
        tail[t] = end;
        t += 1;
    }
    for &cut in tail[..t].iter().rev() {
        cuts[n] = cut;
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(word: &str) -> Vec<&str> {
        let mut cuts = [0; 4];
        let n = split_points(word, &mut cuts);
        let mut out = Vec::new();
        let mut s = 0;
        for &c in &cuts[..n] {
            out.push(&word[s..c]);
            s = c;
        }
        out.push(&word[s..]);
        out
    }

    #[test]
    fn clitic_table() {
        let rows: &[(&str, &[&str])] = &[
            ("bukunya", &["buku", "nya"]),
            ("rumahku", &["rumah", "ku"]),
            ("dirimu", &["diri", "mu"]),
            ("pergilah", &["pergi", "lah"]),
            ("apakah", &["apa", "kah"]),
            ("diapun", &["dia", "pun"]),
            ("bukunyalah", &["buku", "nya", "lah"]),
            ("kaubawa", &["kau", "bawa"]),
            ("Negaranya", &["Negara", "nya"]),
            ("sekolah", &["sekolah"]),
            ("masalah", &["masalah"]),
            ("pemerintah", &["pemerintah"]),
            ("bertemu", &["bertemu"]),
            ("meskipun", &["meskipun"]),
            ("hanya", &["hanya"]),
            ("kaum", &["kaum"]),
            ("Abdullah", &["Abdullah"]),
            ("langkah", &["langkah"]),
        ];
        for (word, want) in rows {
            assert_eq!(split(word), *want, "{word}");
        }
    }
}
