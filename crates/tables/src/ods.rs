//! OpenDocument spreadsheets (ODS, ISO/IEC 26300), the open standard Dutch
//! government is asked to use ("pas toe of leg uit").
//!
//! The XML is our own: the Rust ODS writers that exist are either
//! unmaintained or bring a whole spreadsheet model (formulas, styles, dates,
//! a tree of their own dependencies) for what here is a few hundred lines of
//! plain tables. Reading is left to real readers: the tests open every file
//! with `calamine`.
//!
//! An ODS file is a zip whose first entry is an uncompressed `mimetype` file
//! without extra fields (so a file sniffer finds the type at a fixed offset,
//! byte 38), plus `META-INF/manifest.xml` listing the parts, and
//! `content.xml` with the tables; those are deflated. Numbers are `float`
//! cells with their value in `office:value`, so they sort and sum; text is
//! `string` cells, never formulas.

use crate::xml::escape;
use crate::zip::Archive;
use crate::{number_text, sheet_names, Cell, Sheet, TableError};
use ::zip::CompressionMethod;

pub const MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

const NS: &str = concat!(
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
    r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" "#,
    r#"office:version="1.2""#
);

/// The sheets as an `.ods` file. Sheet names are cleaned as
/// [`crate::sheet_names`] says, as for XLSX.
pub fn workbook_ods(sheets: &[Sheet]) -> Result<Vec<u8>, TableError> {
    let mut zip = Archive::new();
    // ODF 1.2 part 3, 3.3: first, and stored, so it can be read without
    // inflating anything.
    zip.add("mimetype", MIME.as_bytes(), CompressionMethod::Stored)?;
    let deflated = CompressionMethod::Deflated;
    zip.add("META-INF/manifest.xml", manifest().as_bytes(), deflated)?;
    zip.add("meta.xml", meta().as_bytes(), deflated)?;
    zip.add("styles.xml", styles().as_bytes(), deflated)?;
    zip.add("content.xml", content(sheets).as_bytes(), deflated)?;
    zip.finish()
}

fn manifest() -> String {
    let mut m = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
    ));
    m.push_str(&format!(
        r#"<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{MIME}"/>"#
    ));
    for part in ["content.xml", "styles.xml", "meta.xml"] {
        m.push_str(&format!(
            r#"<manifest:file-entry manifest:full-path="{part}" manifest:media-type="text/xml"/>"#
        ));
    }
    m.push_str("</manifest:manifest>");
    m
}

fn meta() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {NS}><office:meta><meta:generator>Koers</meta:generator></office:meta></office:document-meta>"#
    )
}

fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}><office:styles/></office:document-styles>"#
    )
}

/// Column styles: the second column (the statement, the step, the value)
/// gets room to be read; headers are bold.
const AUTOMATIC_STYLES: &str = concat!(
    "<office:automatic-styles>",
    r#"<style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="2.5cm"/></style:style>"#,
    r#"<style:style style:name="co2" style:family="table-column"><style:table-column-properties style:column-width="10cm"/></style:style>"#,
    r#"<style:style style:name="kop" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>"#,
    "</office:automatic-styles>"
);

fn content(sheets: &[Sheet]) -> String {
    let mut x = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS}>{AUTOMATIC_STYLES}<office:body><office:spreadsheet>"#
    );
    for (sheet, name) in sheets.iter().zip(sheet_names(sheets)) {
        x.push_str(&format!(r#"<table:table table:name="{}">"#, escape(&name)));
        let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
        if width > 0 {
            x.push_str(r#"<table:table-column table:style-name="co1"/>"#);
        }
        if width > 1 {
            x.push_str(r#"<table:table-column table:style-name="co2"/>"#);
        }
        if width > 2 {
            x.push_str(&format!(
                r#"<table:table-column table:style-name="co1" table:number-columns-repeated="{}"/>"#,
                width - 2
            ));
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            x.push_str("<table:table-row>");
            for cell in row {
                push_cell(&mut x, cell, r == 0);
            }
            x.push_str("</table:table-row>");
        }
        x.push_str("</table:table>");
    }
    x.push_str("</office:spreadsheet></office:body></office:document-content>");
    x
}

fn push_cell(x: &mut String, cell: &Cell, header: bool) {
    let style = if header {
        r#" table:style-name="kop""#
    } else {
        ""
    };
    let number = match cell {
        Cell::Empty => None,
        Cell::Int(n) => Some(n.to_string()),
        Cell::Number(v) => number_text(*v),
        Cell::Text(s) => {
            x.push_str(&format!(
                r#"<table:table-cell{style} office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                paragraph(s)
            ));
            return;
        }
    };
    match number {
        Some(v) => x.push_str(&format!(
            r#"<table:table-cell{style} office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
        )),
        None => x.push_str("<table:table-cell/>"),
    }
}

/// Text for inside `<text:p>`. ODF (1.2 part 1, 6.1.2) collapses white space
/// in paragraphs: a run of spaces counts as one, and a space at the start of
/// the paragraph or after a tab or line break counts as none. So line breaks,
/// tabs and the spaces that would be lost get elements of their own, as
/// LibreOffice writes them. Carriage returns are dropped (a CRLF line break
/// stays one break); characters XML cannot hold are dropped by [`escape`].
fn paragraph(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut spaces = 0usize;
    // Whether a space here would be ignored.
    let mut at_start = true;
    let flush = |out: &mut String, spaces: &mut usize, at_start: bool| {
        let mut n = std::mem::take(spaces);
        if n > 0 && !at_start {
            out.push(' ');
            n -= 1;
        }
        match n {
            0 => {}
            1 => out.push_str("<text:s/>"),
            n => out.push_str(&format!(r#"<text:s text:c="{n}"/>"#)),
        }
    };
    for c in s.chars() {
        match c {
            ' ' => spaces += 1,
            '\n' | '\t' => {
                flush(&mut out, &mut spaces, at_start);
                out.push_str(if c == '\n' {
                    "<text:line-break/>"
                } else {
                    "<text:tab/>"
                });
                at_start = true;
            }
            '\r' => {}
            c => {
                flush(&mut out, &mut spaces, at_start);
                let mut buf = [0u8; 4];
                out.push_str(&escape(c.encode_utf8(&mut buf)));
                at_start = false;
            }
        }
    }
    flush(&mut out, &mut spaces, at_start);
    out
}
