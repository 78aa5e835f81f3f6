//! Calendar dates as news metadata writes them, read into one form:
//! [`Date`], written `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when the day or
//! month is not known).
//!
//! [`parse_value`] reads a field's value:
//! - ISO 8601 and its relatives: `2025-10-21`, `2025-10-21T20:43:00+07:00`,
//!   `2025/10/21 20:43`, `2025-10`, `2025`, `20251021` (eight digits
//!   alone or before `T`);
//! - numbers with the year last: `21/10/2025`, `10/21/2025 20:43`,
//!   `21-10-2025`, `21.10.2025`; a number above 12 is the day,
//!   whichever side it is on, and when both are 12 or less the
//!   [`Order`] decides (day first unless told otherwise, the order of
//!   Indonesian and European writing; `--by date:month:mdy` for US
//!   order);
//! - month names, English and Indonesian, full and short (`Okt`,
//!   `Oct.`, `Agustus`, `Agt`, `Nopember`, ...; see [`month_of`]):
//!   `21 Okt 2025`, `Selasa, 21 Oktober 2025 20:43 WIB`,
//!   `October 21, 2025`, `Tuesday, Oct 21, 2025 8:43 PM`, `21-Nov-2025`,
//!   `21Nov2025`, `Oktober 2025`; a leading weekday is passed over.
//!
//! What follows the date (a time, a zone such as `WIB` or `+07:00`) is
//! passed over: the date is the one written, not converted to another
//! zone. A day that the month does not have (`31/02/2025`, `2025-13-01`)
//! is no date. Years run from 1000 to 9999.
//!
//! [`parse_path`] finds a date in a file path: `01Nov2025` (a month
//! name only between digits: `17-agustus-1945` in a slug is the story's
//! words, not its date),
//! `2025/11/01`, `2025-11-01`, `2025_11_01`, `xml.2025.11.01.gz`,
//! `20251101`, none of them touching another digit (or, for a month
//! name, another letter); years 1900 to 2099 only, so that an id is
//! not read as a date. The last path component that holds a date gives
//! it (a file's own name says more than its folders), and in that
//! component the first date (what follows it there is a time or an id:
//! `xml.2025.11.01.19320101.md` is 1 November 2025).
//!
//! No crate reads Indonesian month names, and the validation is one
//! table of month lengths, so the parser is written here.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

/// A calendar date, as precise as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The year, 1000 to 9999.
    pub year: u16,
    /// The month, 1 to 12, if known.
    pub month: Option<u8>,
    /// The day of the month, if known (then the month is known too).
    pub day: Option<u8>,
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl Date {
    /// The date `year-month-day` if the calendar has it (Gregorian leap
    /// years).
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        let m = Date::month(year, month)?;
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { day: Some(day as u8), ..m })
    }

    /// The month `year-month`, if valid.
    pub fn month(year: u32, month: u32) -> Option<Date> {
        let y = Date::year(year)?;
        (1..=12)
            .contains(&month)
            .then_some(Date { month: Some(month as u8), ..y })
    }

    /// The year `year`, if it has four digits.
    pub fn year(year: u32) -> Option<Date> {
        (1000..=9999).contains(&year).then_some(Date {
            year: year as u16,
            month: None,
            day: None,
        })
    }
}

/// The days of `month` (1 to 12) in `year`.
fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year.is_multiple_of(4)
        && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// How `a/b/YYYY` is read when both `a` and `b` are 12 or less.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Day first: `06/09/2025` is 6 September (Indonesian, European).
    #[default]
    Dmy,
    /// Month first: `06/09/2025` is 9 June (US).
    Mdy,
}

/// The month a name gives (English or Indonesian, full or short, any
/// case, a final `.` allowed): 1 to 12.
pub fn month_of(word: &str) -> Option<u32> {
    const NAMES: [&[&str]; 12] = [
        &["january", "jan", "januari"],
        &["february", "feb", "februari", "pebruari", "peb"],
        &["march", "mar", "maret"],
        &["april", "apr"],
        &["may", "mei"],
        &["june", "jun", "juni"],
        &["july", "jul", "juli"],
        &["august", "aug", "agustus", "agu", "agt", "ags"],
        &["september", "sep", "sept"],
        &["october", "oct", "oktober", "okt"],
        &["november", "nov", "nopember", "nop"],
        &["december", "dec", "desember", "des"],
    ];
    let w = word.strip_suffix('.').unwrap_or(word);
    if w.len() > 9 || !w.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 9];
    let lower = &mut buf[..w.len()];
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).ok()?;
    NAMES.iter().position(|names| names.contains(&lower)).map(|i| i as u32 + 1)
}

/// Whether `word` names a weekday (English or Indonesian, full or
/// short).
fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 24] = [
        "monday",
        "mon",
        "tuesday",
        "tue",
        "tues",
        "wednesday",
        "wed",
        "thursday",
        "thu",
        "thurs",
        "friday",
        "fri",
        "saturday",
        "sat",
        "sunday",
        "sun",
        "senin",
        "selasa",
        "rabu",
        "kamis",
        "jumat",
        "sabtu",
        "minggu",
        "ahad",
    ];
    let w = word.strip_suffix('.').unwrap_or(word).replace('\'', "");
    DAYS.iter().any(|d| d.eq_ignore_ascii_case(&w))
}

/// The date a field's value gives, if it is one of the forms in the
/// module's doc.
pub fn parse_value(value: &str, order: Order) -> Option<Date> {
    let v = value.trim();
    iso(v).or_else(|| numeric(v, order)).or_else(|| named(v))
}

/// The digits at the start of `s` and their value (at most 9 digits).
fn leading_number(s: &str) -> Option<(u32, usize)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 9 {
        return None;
    }
    Some((s[..n].parse().ok()?, n))
}

/// Whether `rest` may follow a date: the end, or no digit.
fn ends_date(rest: &str) -> bool {
    !rest.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` (one separator throughout),
/// `YYYY-MM`, `YYYY`, `YYYYMMDD` alone or before `T`.
fn iso(v: &str) -> Option<Date> {
    let (year, n) = leading_number(v)?;
    if n == 8 {
        let rest = &v[8..];
        if !(rest.is_empty() || rest.starts_with('T')) {
            return None;
        }
        return Date::new(year / 10_000, year / 100 % 100, year % 100);
    }
    if n != 4 {
        return None;
    }
    let rest = &v[4..];
    let Some(sep) =
        rest.chars().next().filter(|c| matches!(c, '-' | '/' | '.'))
    else {
        return rest.is_empty().then(|| Date::year(year))?;
    };
    let (month, m) = leading_number(&rest[1..]).filter(|(_, m)| *m <= 2)?;
    let rest = &rest[1 + m..];
    match rest.strip_prefix(sep) {
        Some(r) => {
            let (day, d) = leading_number(r).filter(|(_, d)| *d <= 2)?;
            ends_date(&r[d..]).then(|| Date::new(year, month, day))?
        }
        None if rest.is_empty() => Date::month(year, month),
        None => None,
    }
}

/// `a/b/YYYY`, `a-b-YYYY`, `a.b.YYYY` (see [`Order`]).
fn numeric(v: &str, order: Order) -> Option<Date> {
    let (a, na) = leading_number(v).filter(|(_, n)| *n <= 2)?;
    let sep =
        v[na..].chars().next().filter(|c| matches!(c, '/' | '-' | '.'))?;
    let rest = &v[na + 1..];
    let (b, nb) = leading_number(rest).filter(|(_, n)| *n <= 2)?;
    let rest = rest[nb..].strip_prefix(sep)?;
    let (year, ny) = leading_number(rest).filter(|(_, n)| *n == 4)?;
    if !ends_date(&rest[ny..]) {
        return None;
    }
    let month_first = if a > 12 {
        false
    } else if b > 12 {
        true
    } else {
        order == Order::Mdy
    };
    let (month, day) = if month_first { (a, b) } else { (b, a) };
    Date::new(year, month, day)
}

/// Dates with a month name: `21 Okt 2025`, `October 21, 2025`,
/// `21-Nov-2025`, `21Nov2025`, `Oktober 2025`, after an optional
/// weekday.
fn named(v: &str) -> Option<Date> {
    let mut words = v
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '/'))
        .filter(|w| !w.is_empty())
        .peekable();
    if words.peek().is_some_and(|w| is_weekday(w)) {
        words.next();
    }
    let first = words.next()?;
    if let Some(date) = glued(first) {
        return Some(date);
    }
    let second = words.next()?;
    let number = |w: &str| {
        let w = w.strip_suffix('.').unwrap_or(w);
        leading_number(w).filter(|&(_, n)| n == w.len()).map(|(x, _)| x)
    };
    let year_of = |w: &str| number(w).filter(|_| w.len() == 4);
    if let Some(month) = month_of(first) {
        if let Some(year) = year_of(second) {
            return Date::month(year, month);
        }
        let day = number(second).filter(|_| second.len() <= 3)?;
        return Date::new(year_of(words.next()?)?, month, day);
    }
    let day = number(first).filter(|_| first.len() <= 3)?;
    let month = month_of(second)?;
    Date::new(year_of(words.next()?)?, month, day)
}

/// `21Nov2025`: a day, a month name and a year without spaces.
fn glued(w: &str) -> Option<Date> {
    let (day, nd) = leading_number(w).filter(|(_, n)| *n <= 2)?;
    let rest = &w[nd..];
    let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let month = month_of(&rest[..letters])?;
    let year = &rest[letters..];
    let (year, ny) = leading_number(year).filter(|(_, n)| *n == 4)?;
    (letters + nd + ny == w.len()).then(|| Date::new(year, month, day))?
}

/// The date a file path gives (see the module's doc), if any.
pub fn parse_path(path: &str) -> Option<Date> {
    static NUMBERS: LazyLock<Regex> = LazyLock::new(|| {
        let re = r"^((?:19|20)[0-9]{2})([-/_.\\]?)([0-9]{2})([-/_.\\]?)([0-9]{2})(?:$|[^0-9])";
        Regex::new(re).expect("a valid regex")
    });
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        let re =
            r"^([0-9]{1,2})([A-Za-z]{3,9})((?:19|20)[0-9]{2})(?:$|[^0-9])";
        Regex::new(re).expect("a valid regex")
    });
    let b = path.as_bytes();
    // (the path component it starts in, the date)
    let mut best: Option<(usize, Date)> = None;
    let mut component = 0;
    // Each run of digits is tried where it starts (the regexes are
    // anchored there), so a date never starts inside a number.
    for (i, c) in b.iter().enumerate() {
        if matches!(c, b'/' | b'\\') {
            component += 1;
        }
        let after = i.checked_sub(1).map(|p| b[p]);
        if !c.is_ascii_digit() || after.is_some_and(|a| a.is_ascii_digit()) {
            continue;
        }
        // The first date of a component: what follows it there is a
        // time or an id (`xml.2025.11.01.19320101.md`).
        if best.is_some_and(|(k, _)| k == component) {
            continue;
        }
        let hay = &path[i..];
        let mut date = None;
        if let Some(m) = NUMBERS.captures(hay)
            && m[2] == m[4]
        {
            let num = |k: usize| m[k].parse::<u32>().unwrap_or(0);
            date = Date::new(num(1), num(3), num(5));
        }
        if date.is_none()
            && !after.is_some_and(|a| a.is_ascii_alphabetic())
            && let Some(m) = NAMED.captures(hay)
        {
            let (day, year) =
                (m[1].parse().unwrap_or(0), m[3].parse().unwrap_or(0));
            date = month_of(&m[2]).and_then(|mo| Date::new(year, mo, day));
        }
        if let Some(d) = date {
            best = Some((component, d));
        }
    }
    best.map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(v: &str) -> Option<String> {
        parse_value(v, Order::Dmy).map(|d| d.to_string())
    }

    #[test]
    fn field_values_in_the_common_forms() {
        // (value, the date: worked out by reading the value)
        let rows: [(&str, Option<&str>); 34] = [
            ("2025-10-21", Some("2025-10-21")),
            ("2025-10-21T20:43:00+07:00", Some("2025-10-21")),
            // The date as written: 23:30 UTC is not moved to WIB.
            ("2025-10-21T23:30:00Z", Some("2025-10-21")),
            (" 2025/10/21 20:43 ", Some("2025-10-21")),
            ("2025.1.5", Some("2025-01-05")),
            ("2025-10", Some("2025-10")),
            ("2016", Some("2016")),
            ("20251021", Some("2025-10-21")),
            ("20251021T204300", Some("2025-10-21")),
            ("10/21/2025 20:43", Some("2025-10-21")), // 21 > 12: the day
            ("21/10/2025", Some("2025-10-21")),
            ("06/09/2025", Some("2025-09-06")), // both <= 12: day first
            ("6-9-2025", Some("2025-09-06")),
            ("21.10.2025", Some("2025-10-21")),
            ("21 Okt 2025", Some("2025-10-21")),
            ("21 Oktober 2025", Some("2025-10-21")),
            ("Selasa, 21 Oktober 2025 20:43 WIB", Some("2025-10-21")),
            ("Jumat, 1 Agustus 2025", Some("2025-08-01")),
            ("Jum'at, 3 Agt 2025", Some("2025-08-03")),
            ("Tuesday, 21 October 2025", Some("2025-10-21")),
            ("October 21, 2025", Some("2025-10-21")),
            ("Oct. 21, 2025 8:43 PM", Some("2025-10-21")),
            ("21-Nov-2025", Some("2025-11-21")),
            ("21Nov2025", Some("2025-11-21")),
            ("5 Nopember 2025", Some("2025-11-05")),
            ("Mei 2025", Some("2025-05")),
            ("29 Feb 2024", Some("2024-02-29")), // a leap year
            // Not dates.
            ("31/02/2025", None),
            ("29 Feb 2025", None),
            ("2025-13-01", None),
            ("2025-02-30T10:00", None),
            ("32 Okt 2025", None),
            ("kemarin sore", None),
            ("1234567", None),
        ];
        for (v, want) in rows {
            assert_eq!(value(v).as_deref(), want, "{v:?}");
        }
    }

    #[test]
    fn the_order_decides_only_when_both_numbers_could_be_months() {
        let mdy = |v: &str| parse_value(v, Order::Mdy).map(|d| d.to_string());
        assert_eq!(mdy("06/09/2025").as_deref(), Some("2025-06-09"));
        assert_eq!(mdy("21/10/2025").as_deref(), Some("2025-10-21"));
        assert_eq!(mdy("10/21/2025").as_deref(), Some("2025-10-21"));
    }

    #[test]
    fn dates_in_paths() {
        // (path, the date)
        let rows: [(&str, Option<&str>); 16] = [
            ("kompas/01Nov2025/banjir.md", Some("2025-11-01")),
            ("kompas/30May2025/x.md", Some("2025-05-30")),
            ("news/2025/11/01/story.html", Some("2025-11-01")),
            ("news/20251101.txt", Some("2025-11-01")),
            ("news/kompas_2025-11-01.jsonl", Some("2025-11-01")),
            ("dump/xml.2025.11.01.gz", Some("2025-11-01")),
            ("a/1Okt2025-b.md", Some("2025-10-01")),
            // A slug's words are the story's, not its date.
            ("k/01Nov2025/hut-ri-17-agustus-1945.md", Some("2025-11-01")),
            // The last component with a date wins, and in it the first.
            ("2024/01/31/rerun-20250102.md", Some("2025-01-02")),
            ("01Nov2025/xml.2025.10.31.19320101.md", Some("2025-10-31")),
            // Not dates: inside a longer number, an id, a bad day,
            // mixed separators, a year out of range, a word before.
            ("ids/1202511011.txt", None),
            ("ind_news_2008_300K-sentences.txt", None),
            ("news/2025-02-30.md", None),
            ("news/2025-11_01.md", None),
            ("scan/18991231.txt", None),
            ("x/abc01Nov2025.md", None),
        ];
        for (p, want) in rows {
            let got = parse_path(p).map(|d| d.to_string());
            assert_eq!(got.as_deref(), want, "{p:?}");
        }
    }

    #[test]
    fn month_names_english_and_indonesian() {
        let rows = [
            ("Januari", 1),
            ("peb", 2),
            ("MARET", 3),
            ("Mei", 5),
            ("Agustus", 8),
            ("Sept.", 9),
            ("Okt", 10),
            ("Nop", 11),
            ("Desember", 12),
        ];
        for (w, m) in rows {
            assert_eq!(month_of(w), Some(m), "{w}");
        }
        assert_eq!(month_of("Oktoberfest"), None);
        assert_eq!(month_of("Maj"), None);
    }
}
