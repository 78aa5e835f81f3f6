//! `--format parquet`: the Parquet file of every table command reads
//! back (with the parquet crate) as the same rows as its TSV output.

use std::path::Path;

use arrow_array::{Array, Float64Array, StringArray, UInt64Array};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::util::*;

/// The column names and types, and the rows: text as is, whole numbers
/// in decimal, floats as f64, nulls as `None`.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Int(u64),
    Float(f64),
    Null,
}

fn read_parquet(path: &Path) -> (Vec<(String, DataType)>, Vec<Vec<Value>>) {
    let file = std::fs::File::open(path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = builder.schema().clone();
    let columns: Vec<(String, DataType)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone()))
        .collect();
    let mut rows = Vec::new();
    for batch in builder.build().unwrap() {
        let batch = batch.unwrap();
        for r in 0..batch.num_rows() {
            let row = (0..batch.num_columns())
                .map(|c| {
                    let col = batch.column(c);
                    if col.is_null(r) {
                        return Value::Null;
                    }
                    let any = col.as_any();
                    if let Some(a) = any.downcast_ref::<StringArray>() {
                        Value::Text(a.value(r).to_string())
                    } else if let Some(a) = any.downcast_ref::<UInt64Array>() {
                        Value::Int(a.value(r))
                    } else {
                        let a = any.downcast_ref::<Float64Array>().unwrap();
                        Value::Float(a.value(r))
                    }
                })
                .collect();
            rows.push(row);
        }
    }
    (columns, rows)
}

/// Whether a Parquet value is what the TSV cell shows (a float rounded
/// to the TSV's decimals).
fn shows_as(v: &Value, tsv_cell: &str) -> bool {
    match v {
        Value::Text(s) => s == tsv_cell,
        Value::Int(n) => n.to_string() == tsv_cell,
        Value::Null => tsv_cell.is_empty(),
        Value::Float(f) => {
            let d = tsv_cell.split_once('.').map_or(0, |(_, frac)| frac.len());
            format!("{f:.d$}") == tsv_cell
        }
    }
}

fn same_rows(args: &[&str], types: &[(&str, DataType)]) {
    let dir = tempdir();
    let file = dir.path().join("out.parquet");
    let file_s = file.to_str().unwrap();
    let mut a: Vec<&str> = args.to_vec();
    a.extend(["-q", "--format", "tsv"]);
    let text = ok(&a);
    let mut a: Vec<&str> = args.to_vec();
    // The format comes from the extension.
    a.extend(["-q", "-o", file_s]);
    ok(&a);
    let (columns, rows) = read_parquet(&file);
    let want = tsv(&text);
    let header: Vec<&String> = columns.iter().map(|(n, _)| n).collect();
    assert_eq!(header, want[0].iter().collect::<Vec<_>>(), "{args:?}");
    for (name, ty) in types {
        let got = columns.iter().find(|(n, _)| n == name).unwrap();
        assert_eq!(&got.1, ty, "{args:?}: column {name}");
    }
    assert_eq!(rows.len(), want.len() - 1, "{args:?}");
    assert!(!rows.is_empty(), "{args:?}: no rows to compare");
    for (i, (row, cells)) in rows.iter().zip(&want[1..]).enumerate() {
        for (c, (v, cell)) in row.iter().zip(cells).enumerate() {
            assert!(
                shows_as(v, cell),
                "{args:?} row {i} column {}: parquet {v:?}, tsv {cell:?}",
                want[0][c]
            );
        }
    }
}

#[test]
fn freq_ngrams_colloc_keyness_read_back_as_printed() {
    use DataType::*;
    same_rows(
        &["freq", "corpus", "--by", "file"],
        &[("item", Utf8), ("freq", UInt64), ("dp", Float64)],
    );
    same_rows(
        &["ngrams", "corpus", "-n", "2..3", "--min-freq", "2"],
        &[("freq", UInt64)],
    );
    same_rows(
        &["colloc", "corpus", "Tiongkok", "--measure", "all", "--positions"],
        &[("collocate", Utf8), ("mi", Float64)],
    );
    same_rows(
        &["keyness", "corpus/seed", "--ref", "corpus/leipzig"],
        &[("item", Utf8), ("log_ratio", Float64)],
    );
}

#[test]
fn token_table_with_metadata() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("news.jsonl"),
        concat!(
            r#"{"id":"a","date":"2016-01-02","source":"kompas","text":"Tiongkok dan China."}"#, "\n",
            r#"{"id":"b","date":"2025-05-06","text":"China <lagi>."}"#, "\n",
        ),
    )
    .unwrap();
    let args = ["tokens", "news.jsonl", "--meta", "source,date"];
    let r =
        run_in(dir.path(), &[&args[..], &["--format", "tsv"]].concat(), None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r2 =
        run_in(dir.path(), &[&args[..], &["-o", "t.parquet"]].concat(), None);
    assert_eq!(r2.code, 0, "{}", r2.stderr);
    let (columns, rows) = read_parquet(&dir.path().join("t.parquet"));
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "doc", "source", "date", "sentence", "start", "end", "surface",
            "norm", "class"
        ]
    );
    let want = tsv(&r.stdout);
    assert_eq!(rows.len(), want.len() - 1);
    assert_eq!(rows.len(), 9, "{:?}", want);
    for (row, cells) in rows.iter().zip(&want[1..]) {
        for (v, cell) in row.iter().zip(cells) {
            assert!(shows_as(v, cell), "{v:?} vs {cell:?}");
        }
    }
    // The second document has no source: a null, not an empty string.
    assert_eq!(rows[4][1], Value::Null);
    assert_eq!(rows[4][2], Value::Text("2025-05-06".into()));
    assert_eq!(rows[0][1], Value::Text("kompas".into()));
    assert_eq!(rows[4][4], Value::Int(0));
}

#[test]
fn parquet_format_errors_and_atomicity() {
    // Unknown format names list parquet.
    let r = run(&["freq", "corpus", "--format", "parket"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("parquet"), "{}", r.stderr);
    // A failing run leaves no Parquet file.
    let dir = tempdir();
    let r =
        run_in(dir.path(), &["freq", "missing-dir", "-o", "x.parquet"], None);
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
