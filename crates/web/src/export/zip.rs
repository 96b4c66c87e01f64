//! A minimal zip writer: stored (uncompressed) entries with CRC-32, which is all
//! that ODS, XLSX and a bundle of CSV files need. Our own ~100 lines instead of
//! the `zip` crate keeps the dependency tree lean; compression would only save
//! download size on files that are small anyway.
//!
//! Format facts from PKWARE's APPNOTE.TXT: a local file header before each
//! entry's bytes, a central directory after them, and the end-of-central-
//! directory record last. All integers are little-endian. No zip64: an export
//! over 4 GiB or 65,535 entries is refused instead.

use super::ExportError;

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table built at compile
/// time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 of `data`, as zip (and PNG, gzip) define it.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for b in data {
        c = CRC_TABLE[((c ^ u32::from(*b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

/// Bit 11: names are UTF-8.
const FLAG_UTF8: u16 = 0x0800;
/// 1.0: stored entries need nothing newer.
const VERSION_NEEDED: u16 = 10;
/// A fixed modification time, 1980-01-01 00:00 (the DOS epoch), so the same
/// data always gives the same bytes.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;

/// Builds a zip archive in memory. Entries keep the order they are added in,
/// which ODS relies on (`mimetype` must come first).
#[derive(Default)]
pub struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

fn too_large() -> ExportError {
    ExportError::TooLarge
}

impl ZipWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one stored entry.
    pub fn add(&mut self, name: &str, data: &[u8]) -> Result<(), ExportError> {
        let crc = crc32(data);
        let size = u32::try_from(data.len()).map_err(|_| too_large())?;
        let offset = u32::try_from(self.out.len()).map_err(|_| too_large())?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_large())?;
        self.entries = self.entries.checked_add(1).ok_or_else(too_large)?;

        let out = &mut self.out;
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
        out.extend_from_slice(&FLAG_UTF8.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // method: stored
        out.extend_from_slice(&DOS_TIME.to_le_bytes());
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes()); // compressed size
        out.extend_from_slice(&size.to_le_bytes()); // uncompressed size
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&VERSION_NEEDED.to_le_bytes()); // version made by (MS-DOS, 1.0)
        c.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
        c.extend_from_slice(&FLAG_UTF8.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&DOS_TIME.to_le_bytes());
        c.extend_from_slice(&DOS_DATE.to_le_bytes());
        c.extend_from_slice(&crc.to_le_bytes());
        c.extend_from_slice(&size.to_le_bytes());
        c.extend_from_slice(&size.to_le_bytes());
        c.extend_from_slice(&name_len.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        c.extend_from_slice(&0u16.to_le_bytes()); // comment length
        c.extend_from_slice(&0u16.to_le_bytes()); // disk number
        c.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        c.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        Ok(())
    }

    /// Appends the central directory and returns the archive.
    pub fn finish(mut self) -> Result<Vec<u8>, ExportError> {
        let cd_offset = u32::try_from(self.out.len()).map_err(|_| too_large())?;
        let cd_size = u32::try_from(self.central.len()).map_err(|_| too_large())?;
        // The end record stores the offset in 32 bits too.
        cd_offset.checked_add(cd_size).ok_or_else(too_large)?;
        self.out.extend_from_slice(&self.central);
        let out = &mut self.out;
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // this disk
        out.extend_from_slice(&0u16.to_le_bytes()); // disk with the directory
        out.extend_from_slice(&self.entries.to_le_bytes());
        out.extend_from_slice(&self.entries.to_le_bytes());
        out.extend_from_slice(&cd_size.to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // comment length
        Ok(self.out)
    }
}
