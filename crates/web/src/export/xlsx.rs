//! Office Open XML workbooks (XLSX, ECMA-376), for those on Excel.
//!
//! The smallest package Excel opens without a repair prompt: content types,
//! the package and workbook relationships, the workbook, a stylesheet (one
//! normal and one bold cell format) and one worksheet per sheet. Text goes in
//! inline strings (`t="inlineStr"`), which spares a shared-strings table;
//! numbers are plain `<v>` cells.

use super::xml::escape;
use super::zip::ZipWriter;
use super::{number_text, Cell, ExportError, Sheet};

pub const MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Excel's limit on the characters in one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// The sheets as an `.xlsx` file.
pub fn workbook_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, ExportError> {
    let mut zip = ZipWriter::new();
    zip.add(
        "[Content_Types].xml",
        content_types(sheets.len()).as_bytes(),
    )?;
    zip.add("_rels/.rels", package_rels().as_bytes())?;
    zip.add("xl/workbook.xml", workbook(sheets).as_bytes())?;
    zip.add(
        "xl/_rels/workbook.xml.rels",
        workbook_rels(sheets.len()).as_bytes(),
    )?;
    zip.add("xl/styles.xml", STYLES.as_bytes())?;
    for (i, sheet) in sheets.iter().enumerate() {
        zip.add(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            worksheet(sheet).as_bytes(),
        )?;
    }
    zip.finish()
}

fn content_types(n: usize) -> String {
    let mut x = format!(
        r#"{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
    );
    for i in 1..=n {
        x.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
    }
    x.push_str("</Types>");
    x
}

fn package_rels() -> String {
    format!(
        r#"{HEAD}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    )
}

/// Sheet names: at most 31 characters, none of `[]:*?/\`, unique (case-
/// insensitively) and not empty, or Excel refuses the file.
fn sheet_names(sheets: &[Sheet]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let clean: String = sheet
            .name
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        let clean = clean.trim_matches('\'').to_owned();
        let taken = |n: &str| names.iter().any(|o| o.eq_ignore_ascii_case(n));
        let name = if clean.is_empty() || taken(&clean) {
            format!("Blad{}", i + 1)
        } else {
            clean
        };
        names.push(name);
    }
    names
}

fn workbook(sheets: &[Sheet]) -> String {
    let mut x = format!(r#"{HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>"#);
    for (i, name) in sheet_names(sheets).iter().enumerate() {
        x.push_str(&format!(
            r#"<sheet name="{}" sheetId="{}" r:id="rId{}"/>"#,
            escape(name),
            i + 1,
            i + 1
        ));
    }
    x.push_str("</sheets></workbook>");
    x
}

fn workbook_rels(n: usize) -> String {
    let mut x = format!(r#"{HEAD}<Relationships xmlns="{PKG_REL_NS}">"#);
    for i in 1..=n {
        x.push_str(&format!(
            r#"<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>"#
        ));
    }
    x.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>"#,
        n + 1
    ));
    x
}

/// Cell format 0 is normal, 1 bold (headers).
const STYLES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    "</styleSheet>"
);

/// `A`, `B`, …, `Z`, `AA`, … for a zero-based column.
pub fn column_name(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8_lossy(&name).into_owned()
}

fn worksheet(sheet: &Sheet) -> String {
    let mut x = format!(
        r#"{HEAD}<worksheet xmlns="{MAIN_NS}"><cols><col min="1" max="1" width="10" customWidth="1"/><col min="2" max="2" width="60" customWidth="1"/></cols><sheetData>"#
    );
    for (r, row) in sheet.rows.iter().enumerate() {
        let n = r + 1;
        x.push_str(&format!(r#"<row r="{n}">"#));
        let style = if r == 0 { r#" s="1""# } else { "" };
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{n}", column_name(c));
            match cell {
                Cell::Empty => {}
                Cell::Int(v) => x.push_str(&format!(r#"<c r="{at}"{style}><v>{v}</v></c>"#)),
                Cell::Number(v) => {
                    if let Some(v) = number_text(*v) {
                        x.push_str(&format!(r#"<c r="{at}"{style}><v>{v}</v></c>"#));
                    }
                }
                Cell::Text(s) => {
                    let s: String = s.chars().take(MAX_CELL_CHARS).collect();
                    x.push_str(&format!(
                        r#"<c r="{at}"{style} t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                        escape(&s)
                    ));
                }
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}
