//! Zip archives in memory, written with the `zip` crate (the same build that
//! `rust_xlsxwriter` uses, so it costs nothing extra): a bundle of files for
//! exports that are several files at once, and the container of [`crate::ods`].
//!
//! Entries carry a fixed modification time (1980-01-01, the zip epoch), so
//! the same data always gives the same bytes.

use crate::TableError;
use ::zip::write::SimpleFileOptions;
use ::zip::{CompressionMethod, DateTime, ZipWriter};
use std::io::{Cursor, Write};

/// The media type of [`zip_files`]'s output.
pub const MIME: &str = "application/zip";

/// The files, in order, deflated, as one zip archive. Names are paths inside
/// the archive (`votes.csv`, `data/votes.csv`), stored as UTF-8.
pub fn zip_files(entries: &[(&str, &[u8])]) -> Result<Vec<u8>, TableError> {
    let mut zip = Archive::new();
    for (name, data) in entries {
        zip.add(name, data, CompressionMethod::Deflated)?;
    }
    zip.finish()
}

fn write_error(e: impl std::fmt::Display) -> TableError {
    TableError::Write(e.to_string())
}

/// An archive being written; entries keep the order they are added in, which
/// ODS relies on (`mimetype` must come first).
pub(crate) struct Archive {
    zip: ZipWriter<Cursor<Vec<u8>>>,
}

impl Archive {
    pub(crate) fn new() -> Archive {
        Archive {
            zip: ZipWriter::new(Cursor::new(Vec::new())),
        }
    }

    /// Adds one entry, stored or deflated.
    pub(crate) fn add(
        &mut self,
        name: &str,
        data: &[u8],
        method: CompressionMethod,
    ) -> Result<(), TableError> {
        let options = SimpleFileOptions::default()
            .compression_method(method)
            // Explicit, so that another crate turning on zip's `time`
            // feature cannot make the output depend on the clock.
            .last_modified_time(DateTime::default())
            // Zip64 only where an entry needs it: it adds an extra field,
            // and ODF wants none on `mimetype`.
            .large_file(u32::try_from(data.len()).is_err());
        self.zip.start_file(name, options).map_err(write_error)?;
        self.zip.write_all(data).map_err(write_error)
    }

    /// Writes the central directory and returns the archive.
    pub(crate) fn finish(self) -> Result<Vec<u8>, TableError> {
        self.zip
            .finish()
            .map(Cursor::into_inner)
            .map_err(write_error)
    }
}
