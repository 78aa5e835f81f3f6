//! Built-in stopword lists for Indonesian and English.
//!
//! Written for korpus: the closed-class words (pronouns, prepositions,
//! conjunctions, particles, auxiliaries, determiners and the most common
//! adverbs) of each language. Content words that are merely frequent in
//! news (`pemerintah`, `presiden`) are deliberately left out: whether to
//! drop them is a research decision.

/// Indonesian stopwords.
pub const INDONESIAN: &[&str] = &[
    "ada", "adalah", "agar", "akan", "aku", "anda", "antara", "apa",
    "apabila", "atas", "atau", "bagai", "bagaimana", "bagi", "bahkan",
    "bahwa", "banyak", "beberapa", "begitu", "belum", "berbagai",
    "bersama", "beserta", "bila", "bisa", "boleh", "bukan", "cukup",
    "dalam", "dan", "dapat", "dari", "demi", "dengan", "di", "dia",
    "dirinya", "hal", "hampir", "hanya", "harus", "hingga", "ia", "ialah",
    "ini", "itu", "jadi", "jika", "juga", "kalau", "kami", "kamu", "kan",
    "karena", "ke", "kecuali", "kemudian", "kepada", "ketika", "kini",
    "kita", "lagi", "lain", "lalu", "lebih", "maka", "masih", "maupun",
    "melainkan", "meliputi", "melalui", "memang", "menjadi", "menurut",
    "mereka", "meski", "meskipun", "mungkin", "namun", "nya", "oleh",
    "pada", "padahal", "para", "pernah", "pula", "pun", "saat", "saja",
    "sambil", "sampai", "sangat", "saya", "se", "sebagai", "sebelum",
    "sebuah", "secara", "sedang", "sedangkan", "sehingga", "sejak",
    "sekitar", "selain", "selama", "seluruh", "semua", "sementara",
    "seorang", "seperti", "serta", "setelah", "setiap", "sudah", "supaya",
    "tanpa", "tapi", "telah", "tentang", "terhadap", "termasuk", "tetapi",
    "tidak", "untuk", "walau", "walaupun", "yaitu", "yakni", "yang",
];

/// English stopwords.
pub const ENGLISH: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "doing", "down", "during", "each", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here",
    "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "itself", "just", "me", "more", "most",
    "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "ours", "ourselves", "out", "over",
    "own", "same", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under",
    "until", "up", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you",
    "your", "yours", "yourself", "yourselves", "'s", "n't",
];
