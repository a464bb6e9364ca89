//! CRC-32 (IEEE 802.3, as zlib's), the checksum that closes every checkpoint.

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

/// CRC-32 (IEEE 802.3; reflected polynomial `0xEDB88320`, initial value and
/// final XOR `0xFFFFFFFF`), as zlib's `crc32` and Python's `zlib.crc32`.
/// `crc32(b"123456789") == 0xCBF43926`.
///
/// # Examples
///
/// ```
/// assert_eq!(saorsa_nn::crc32(b"123456789"), 0xCBF4_3926);
/// assert_eq!(saorsa_nn::crc32(b""), 0);
/// ```
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32_update(0, bytes)
}

/// Continues a [`crc32`] over more bytes: `crc32_update(crc32(a), b)` is
/// `crc32` of `a` followed by `b` (for data written in pieces).
///
/// # Examples
///
/// ```
/// use saorsa_nn::{crc32, crc32_update};
///
/// assert_eq!(crc32_update(crc32(b"1234"), b"56789"), crc32(b"123456789"));
/// ```
pub fn crc32_update(crc: u32, bytes: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in bytes {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}
