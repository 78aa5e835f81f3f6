//! Apache Parquet output: the rows a command prints, as a typed table for
//! Spark, DataFusion, DuckDB and Polars.
//!
//! The column types come from the cells: a column with any text is
//! `Utf8`, one with any float is `Float64`, one with whole numbers only
//! is `UInt64`, and a column with no value at all is `Float64` (an
//! undefined statistic). Every column is nullable; an undefined value is
//! a null. Floats are stored at full double precision (text formats round
//! them to the column's decimals). Types are fixed from the first row
//! group (up to [`ROW_GROUP_ROWS`] rows); a later cell of another kind is
//! an error, except whole numbers in a `Float64` column.
//!
//! Row groups are compressed with Snappy (read by every Parquet reader)
//! and written out as they fill, so memory stays bounded by one row
//! group. The file's `created_by` names korpus and its version, and no
//! time stamp is written: the same rows give the same bytes.

use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::Cell;

/// Rows per row group.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// A Parquet file being written from rows of [`Cell`]s.
pub struct ParquetRows {
    columns: Vec<String>,
    /// Rows of the row group being filled.
    pending: Vec<Vec<Cell>>,
    writer: Option<ArrowWriter<Vec<u8>>>,
    schema: Option<SchemaRef>,
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

fn parquet_error(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(format!("writing Parquet: {e}"))
}

impl ParquetRows {
    /// A table with these column names.
    pub fn new(columns: &[String]) -> ParquetRows {
        ParquetRows {
            columns: columns.to_vec(),
            pending: Vec::new(),
            writer: None,
            schema: None,
        }
    }

    /// Adds one row; a full row group is encoded and its bytes written to
    /// `out`.
    pub fn row(
        &mut self,
        cells: &[Cell],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.pending.push(cells.to_vec());
        if self.pending.len() >= ROW_GROUP_ROWS {
            self.flush_group(out)?;
        }
        Ok(())
    }

    /// Writes the last row group and the footer to `out`.
    pub fn finish(mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.pending.is_empty() || self.writer.is_none() {
            self.flush_group(out)?;
        }
        let writer = self.writer.take().expect("a writer after a flush");
        // `into_inner` writes the footer.
        out.write_all(&writer.into_inner().map_err(parquet_error)?)?;
        Ok(())
    }

    fn flush_group(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let schema = match &self.schema {
            Some(s) => s.clone(),
            None => {
                let s = infer_schema(&self.columns, &self.pending);
                self.schema = Some(s.clone());
                s
            }
        };
        let batch = self.batch(&schema)?;
        self.pending.clear();
        if self.writer.is_none() {
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!(
                    "korpus version {}",
                    env!("CARGO_PKG_VERSION")
                ))
                .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
                .build();
            let w = ArrowWriter::try_new(Vec::new(), schema, Some(props))
                .map_err(parquet_error)?;
            self.writer = Some(w);
        }
        let writer = self.writer.as_mut().expect("set above");
        writer.write(&batch).map_err(parquet_error)?;
        writer.flush().map_err(parquet_error)?;
        // The writer counts the bytes it wrote itself, so the buffer can
        // be handed on and emptied after every row group.
        let buf = writer.inner_mut();
        out.write_all(buf)?;
        buf.clear();
        Ok(())
    }

    fn batch(&self, schema: &SchemaRef) -> io::Result<RecordBatch> {
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.columns.len());
        for (c, field) in schema.fields().iter().enumerate() {
            let name = field.name();
            let kind_error = |cell: &Cell| {
                invalid(format!(
                    "Parquet column '{name}' is {} but a row has {cell:?}",
                    field.data_type()
                ))
            };
            let cells = self.pending.iter().map(|r| &r[c]);
            let array: ArrayRef = match field.data_type() {
                DataType::Utf8 => {
                    let mut b = StringBuilder::new();
                    for cell in cells {
                        match cell {
                            Cell::Null => b.append_null(),
                            Cell::Str(s) => b.append_value(s),
                            other => b.append_value(text_of(other)),
                        }
                    }
                    Arc::new(b.finish())
                }
                DataType::UInt64 => {
                    let mut b = UInt64Builder::new();
                    for cell in cells {
                        match cell {
                            Cell::Null => b.append_null(),
                            Cell::Int(n) => b.append_value(*n),
                            other => return Err(kind_error(other)),
                        }
                    }
                    Arc::new(b.finish())
                }
                _ => {
                    let mut b = Float64Builder::new();
                    for cell in cells {
                        match cell {
                            Cell::Null => b.append_null(),
                            Cell::Int(n) => b.append_value(*n as f64),
                            Cell::Float(v, _) => b.append_value(*v),
                            other => return Err(kind_error(other)),
                        }
                    }
                    Arc::new(b.finish())
                }
            };
            arrays.push(array);
        }
        RecordBatch::try_new(schema.clone(), arrays)
            .map_err(|e| invalid(format!("building a Parquet row group: {e}")))
    }
}

/// The text of a number cell in a text column.
fn text_of(cell: &Cell) -> String {
    match cell {
        Cell::Int(n) => n.to_string(),
        Cell::Float(v, d) => format!("{v:.d$}"),
        Cell::Str(s) => s.clone(),
        Cell::Null => String::new(),
    }
}

/// Column types from the cells of the first row group.
fn infer_schema(columns: &[String], rows: &[Vec<Cell>]) -> SchemaRef {
    let fields: Vec<Field> = columns
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let (mut text, mut float, mut int) = (false, false, false);
            for row in rows {
                match row[c] {
                    Cell::Str(_) => text = true,
                    Cell::Float(..) => float = true,
                    Cell::Int(_) => int = true,
                    Cell::Null => {}
                }
            }
            let ty = if text {
                DataType::Utf8
            } else if int && !float {
                DataType::UInt64
            } else {
                DataType::Float64
            };
            Field::new(name, ty, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, Float64Array, StringArray, UInt64Array};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn read(bytes: Vec<u8>) -> Vec<RecordBatch> {
        let b = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(
            bytes,
        ))
        .unwrap();
        b.build().unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn rows_read_back_with_types_and_nulls() {
        let cols: Vec<String> =
            ["item", "freq", "dp", "undefined"].map(String::from).to_vec();
        let mut p = ParquetRows::new(&cols);
        let mut out = Vec::new();
        // More than one row group, to cover the streaming path.
        let n = ROW_GROUP_ROWS + 3;
        for i in 0..n {
            let dp = if i.is_multiple_of(2) {
                Cell::Float(i as f64 / 3.0, 2)
            } else {
                Cell::Int(i as u64)
            };
            let row = [
                Cell::Str(format!("w{i}\t<x>")),
                Cell::Int(i as u64),
                dp,
                Cell::Null,
            ];
            p.row(&row, &mut out).unwrap();
        }
        p.finish(&mut out).unwrap();
        let batches = read(out);
        assert!(batches.len() >= 2);
        let schema = batches[0].schema();
        let types: Vec<_> =
            schema.fields().iter().map(|f| f.data_type().clone()).collect();
        assert_eq!(
            types,
            [
                DataType::Utf8,
                DataType::UInt64,
                DataType::Float64,
                DataType::Float64
            ]
        );
        let mut i = 0usize;
        for b in &batches {
            let item =
                b.column(0).as_any().downcast_ref::<StringArray>().unwrap();
            let freq =
                b.column(1).as_any().downcast_ref::<UInt64Array>().unwrap();
            let dp =
                b.column(2).as_any().downcast_ref::<Float64Array>().unwrap();
            let undef = b.column(3);
            for r in 0..b.num_rows() {
                assert_eq!(item.value(r), format!("w{i}\t<x>"));
                assert_eq!(freq.value(r), i as u64);
                // Full precision, not the 2 decimals of text output.
                let want = if i.is_multiple_of(2) {
                    i as f64 / 3.0
                } else {
                    i as f64
                };
                assert_eq!(dp.value(r), want);
                assert!(undef.is_null(r));
                i += 1;
            }
        }
        assert_eq!(i, n);
    }

    #[test]
    fn empty_table_has_the_columns() {
        let cols: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let p = ParquetRows::new(&cols);
        let mut out = Vec::new();
        p.finish(&mut out).unwrap();
        let b =
            ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(out))
                .unwrap();
        let names: Vec<_> =
            b.schema().fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn same_rows_same_bytes_and_kind_errors() {
        let cols: Vec<String> = ["n"].map(String::from).to_vec();
        let write = || {
            let mut p = ParquetRows::new(&cols);
            let mut out = Vec::new();
            p.row(&[Cell::Int(1)], &mut out).unwrap();
            p.finish(&mut out).unwrap();
            out
        };
        assert_eq!(write(), write());
        // A text cell in a whole-number column (after the first group).
        let mut p = ParquetRows::new(&cols);
        let mut out = Vec::new();
        for _ in 0..ROW_GROUP_ROWS {
            p.row(&[Cell::Int(1)], &mut out).unwrap();
        }
        p.row(&[Cell::Str("x".into())], &mut out).unwrap();
        let err = p.finish(&mut out).unwrap_err();
        assert!(err.to_string().contains("column 'n' is UInt64"), "{err}");
    }
}
