//! Content-Transfer-Encoding (RFC 2045 §6): base64 and quoted-printable
//! decoders that never fail (garbage becomes a [`DecodeIssue`]) and encoders
//! that produce CRLF lines of at most 76 characters.

use std::borrow::Cow;

/// A transfer encoding named by `Content-Transfer-Encoding` (RFC 2045 §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TransferEncoding {
    /// `7bit`, also the default when the field is absent.
    #[default]
    SevenBit,
    /// `8bit`.
    EightBit,
    /// `binary`.
    Binary,
    /// `base64` (RFC 2045 §6.8).
    Base64,
    /// `quoted-printable` (RFC 2045 §6.7).
    QuotedPrintable,
    /// `x-uuencode` (also `uuencode`, `x-uue`, `uue`): not in RFC 2045 but
    /// still seen; decoded like Python's `email` package does.
    UuEncode,
    /// Any other token (typos, `x-binhex`): the body is left as it is and
    /// the part gets a defect.
    Unknown,
}

impl TransferEncoding {
    /// Parses a field value, case-insensitively, ignoring surrounding
    /// whitespace and comments' absence (a value with trailing junk is
    /// [`TransferEncoding::Unknown`]).
    ///
    /// ```
    /// use mailwire_mime::TransferEncoding;
    /// assert_eq!(TransferEncoding::parse(b" Base64\r\n"), TransferEncoding::Base64);
    /// assert_eq!(TransferEncoding::parse(b"x-uue"), TransferEncoding::UuEncode);
    /// assert_eq!(TransferEncoding::parse(b"x-binhex"), TransferEncoding::Unknown);
    /// ```
    pub fn parse(value: &[u8]) -> Self {
        let v = trim_ascii(value);
        // Strip a trailing comment, as in `7bit (plain)`.
        let v = match memchr::memchr(b'(', v) {
            Some(i) => trim_ascii(&v[..i]),
            None => v,
        };
        let v = v.strip_prefix(b"\"").unwrap_or(v);
        let v = v.strip_suffix(b"\"").unwrap_or(v);
        if v.eq_ignore_ascii_case(b"7bit") || v.is_empty() {
            Self::SevenBit
        } else if v.eq_ignore_ascii_case(b"8bit") {
            Self::EightBit
        } else if v.eq_ignore_ascii_case(b"binary") {
            Self::Binary
        } else if v.eq_ignore_ascii_case(b"base64") {
            Self::Base64
        } else if v.eq_ignore_ascii_case(b"quoted-printable") {
            Self::QuotedPrintable
        } else if [&b"x-uuencode"[..], b"uuencode", b"x-uue", b"uue"]
            .iter()
            .any(|t| v.eq_ignore_ascii_case(t))
        {
            Self::UuEncode
        } else {
            Self::Unknown
        }
    }

    /// The canonical lowercase token (`"unknown"` for unknown encodings).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SevenBit => "7bit",
            Self::EightBit => "8bit",
            Self::Binary => "binary",
            Self::Base64 => "base64",
            Self::QuotedPrintable => "quoted-printable",
            Self::UuEncode => "x-uuencode",
            Self::Unknown => "unknown",
        }
    }

    /// Decodes `body` according to this encoding. Identity encodings borrow.
    pub fn decode(self, body: &[u8]) -> (Cow<'_, [u8]>, Option<DecodeIssue>) {
        match self {
            Self::Base64 => {
                let (out, issue) = decode_base64(body);
                (Cow::Owned(out), issue)
            }
            Self::QuotedPrintable => {
                let (out, issue) = decode_quoted_printable(body);
                (Cow::Owned(out), issue)
            }
            Self::UuEncode => {
                let (out, issue) = decode_uuencode(body);
                (Cow::Owned(out), issue)
            }
            _ => (Cow::Borrowed(body), None),
        }
    }
}

/// What went wrong while decoding a transfer encoding. Decoding always
/// produces output; this says where the input first stopped making sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeIssue {
    /// A byte outside the base64 alphabet (and not whitespace) at this
    /// offset of the encoded body; it was skipped.
    InvalidBase64 {
        /// Offset in the encoded body.
        offset: usize,
    },
    /// The base64 data ended with a dangling group (1 extra character) or
    /// had data after the padding.
    TruncatedBase64 {
        /// Offset in the encoded body.
        offset: usize,
    },
    /// uuencoded data without a `begin` line, or a malformed line.
    InvalidUuencode {
        /// Offset in the encoded body.
        offset: usize,
    },
    /// An `=` not followed by two hex digits or a line break; kept literally.
    InvalidQuotedPrintable {
        /// Offset in the encoded body.
        offset: usize,
    },
}

impl std::fmt::Display for DecodeIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidBase64 { offset } => write!(f, "invalid base64 byte at offset {offset}"),
            Self::TruncatedBase64 { offset } => {
                write!(f, "truncated or over-long base64 at offset {offset}")
            }
            Self::InvalidUuencode { offset } => {
                write!(f, "invalid uuencoded data at offset {offset}")
            }
            Self::InvalidQuotedPrintable { offset } => {
                write!(f, "invalid quoted-printable escape at offset {offset}")
            }
        }
    }
}

const INVALID: u8 = 0xFF;
const SKIP: u8 = 0xFE;
const PAD: u8 = 0xFD;

const BAD: u32 = 1 << 31;

/// Decoding tables with each sextet pre-shifted to its place in a 24-bit
/// group; bytes outside the alphabet carry [`BAD`].
const fn shifted_table(shift: u32) -> [u32; 256] {
    let mut t = [BAD; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = (i as u32) << shift;
        i += 1;
    }
    t
}
static D0: [u32; 256] = shifted_table(18);
static D1: [u32; 256] = shifted_table(12);
static D2: [u32; 256] = shifted_table(6);
static D3: [u32; 256] = shifted_table(0);

const B64_TABLE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t[b' ' as usize] = SKIP;
    t[b'\t' as usize] = SKIP;
    t[b'\r' as usize] = SKIP;
    t[b'\n' as usize] = SKIP;
    t[0x0B] = SKIP;
    t[0x0C] = SKIP;
    t[b'=' as usize] = PAD;
    t
};

/// Decodes base64 leniently (RFC 2045 §6.8): whitespace and line lengths
/// are ignored, bytes outside the alphabet are skipped and reported, and
/// decoding stops at the first padding character (data after it is
/// reported and ignored, as Python's `email` package does).
///
/// ```
/// use mailwire_mime::transfer::decode_base64;
/// assert_eq!(decode_base64(b"aGVs\r\nbG8=\r\n").0, b"hello");
/// ```
pub fn decode_base64(input: &[u8]) -> (Vec<u8>, Option<DecodeIssue>) {
    // Fast path: eight (or four) alphabet characters at a time into a
    // preallocated buffer, line breaks skipped; anything else (padding,
    // garbage) hands over to the lenient loop at a group boundary.
    let n = input.len();
    let mut out = vec![0u8; n / 4 * 3 + 6];
    let mut o = 0;
    let mut i = 0;
    while i + 8 <= n {
        let c: [u8; 8] = match input[i..i + 8].try_into() {
            Ok(c) => c,
            Err(_) => break,
        };
        let x = D0[c[0] as usize] | D1[c[1] as usize] | D2[c[2] as usize] | D3[c[3] as usize];
        if x & BAD == 0 {
            let y = D0[c[4] as usize] | D1[c[5] as usize] | D2[c[6] as usize] | D3[c[7] as usize];
            if y & BAD == 0 {
                let w = (u64::from(x) << 24) | u64::from(y);
                out[o..o + 6].copy_from_slice(&w.to_be_bytes()[2..8]);
                o += 6;
                i += 8;
            } else {
                out[o..o + 3].copy_from_slice(&x.to_be_bytes()[1..4]);
                o += 3;
                i += 4;
            }
            continue;
        }
        if matches!(c[0], b'\r' | b'\n') {
            i += 1;
            continue;
        }
        break;
    }
    out.truncate(o);
    if i >= n {
        return (out, None);
    }
    let issue = decode_base64_lenient(&input[i..], &mut out);
    (out, issue.map(|e| e.shifted(i)))
}

impl DecodeIssue {
    fn shifted(self, by: usize) -> Self {
        match self {
            Self::InvalidBase64 { offset } => Self::InvalidBase64 {
                offset: offset + by,
            },
            Self::TruncatedBase64 { offset } => Self::TruncatedBase64 {
                offset: offset + by,
            },
            Self::InvalidQuotedPrintable { offset } => Self::InvalidQuotedPrintable {
                offset: offset + by,
            },
            Self::InvalidUuencode { offset } => Self::InvalidUuencode {
                offset: offset + by,
            },
        }
    }
}

/// The lenient base64 loop: appends to `out`.
fn decode_base64_lenient(input: &[u8], out: &mut Vec<u8>) -> Option<DecodeIssue> {
    let mut issue = None;
    let mut acc: u32 = 0;
    let mut n = 0u8;
    let mut i = 0;
    // Fast path: four alphabet bytes at a time.
    while i < input.len() {
        if n == 0 && i + 4 <= input.len() {
            let a = B64_TABLE[input[i] as usize];
            let b = B64_TABLE[input[i + 1] as usize];
            let c = B64_TABLE[input[i + 2] as usize];
            let d = B64_TABLE[input[i + 3] as usize];
            if (a | b | c | d) < 64 {
                let v = (u32::from(a) << 18)
                    | (u32::from(b) << 12)
                    | (u32::from(c) << 6)
                    | u32::from(d);
                out.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
                i += 4;
                continue;
            }
        }
        let c = input[i];
        match B64_TABLE[c as usize] {
            SKIP => {}
            PAD => {
                // End of data (RFC 2045 §6.8). Flush what we have; anything
                // but padding and whitespace after it is ignored and reported.
                match n {
                    2 => out.push((acc >> 4) as u8),
                    3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
                    1 if issue.is_none() => {
                        issue = Some(DecodeIssue::TruncatedBase64 { offset: i });
                    }
                    _ => {}
                }
                let mut j = i + 1;
                while j < input.len() && matches!(B64_TABLE[input[j] as usize], SKIP | PAD) {
                    j += 1;
                }
                if j < input.len() && issue.is_none() {
                    issue = Some(DecodeIssue::TruncatedBase64 { offset: j });
                }
                return issue;
            }
            INVALID => {
                if issue.is_none() {
                    issue = Some(DecodeIssue::InvalidBase64 { offset: i });
                }
            }
            v => {
                acc = (acc << 6) | u32::from(v);
                n += 1;
                if n == 4 {
                    out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
                    n = 0;
                    acc = 0;
                }
            }
        }
        i += 1;
    }
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        1 if issue.is_none() => {
            issue = Some(DecodeIssue::TruncatedBase64 {
                offset: input.len(),
            });
        }
        _ => {}
    }
    issue
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// Decodes quoted-printable (RFC 2045 §6.7): soft line breaks (`=` at the
/// end of a line, trailing whitespace allowed) are removed, `=XX` escapes
/// decoded (lowercase hex accepted), and an invalid escape kept literally
/// and reported.
///
/// Trailing whitespace on a line is kept, although rule 3 says a decoder
/// must delete it as transport padding: transports no longer pad lines,
/// but non-conforming encoders do write literal trailing spaces, and
/// Python's `email` package and most readers keep them.
///
/// ```
/// use mailwire_mime::transfer::decode_quoted_printable;
/// assert_eq!(decode_quoted_printable(b"Caf=C3=A9 =\r\nok").0, "Café ok".as_bytes());
/// ```
pub fn decode_quoted_printable(input: &[u8]) -> (Vec<u8>, Option<DecodeIssue>) {
    let mut out = Vec::with_capacity(input.len());
    let mut issue = None;
    let mut i = 0;
    while i < input.len() {
        // Copy a run of ordinary bytes.
        let rest = &input[i..];
        let stop = memchr::memchr3(b'=', b'\n', b'\r', rest).unwrap_or(rest.len());
        if stop > 0 {
            out.extend_from_slice(&rest[..stop]);
            i += stop;
            continue;
        }
        match input[i] {
            b'=' => {
                let a = input.get(i + 1).copied();
                let b = input.get(i + 2).copied();
                if let (Some(x), Some(y)) = (a.and_then(hex_val), b.and_then(hex_val)) {
                    out.push((x << 4) | y);
                    i += 3;
                    continue;
                }
                // Soft line break: '=' then optional whitespace then EOL or EOF.
                let mut j = i + 1;
                while j < input.len() && (input[j] == b' ' || input[j] == b'\t') {
                    j += 1;
                }
                if j >= input.len() {
                    i = j;
                } else if input[j] == b'\n' {
                    i = j + 1;
                } else if input[j] == b'\r' && input.get(j + 1) == Some(&b'\n') {
                    i = j + 2;
                } else if input[j] == b'\r' && j + 1 == input.len() {
                    i = j + 1;
                } else {
                    if issue.is_none() {
                        issue = Some(DecodeIssue::InvalidQuotedPrintable { offset: i });
                    }
                    out.push(b'=');
                    i += 1;
                }
            }
            _ => {
                out.push(input[i]);
                i += 1;
            }
        }
    }
    (out, issue)
}

/// Decodes uuencoded data: the lines between `begin MODE NAME` and `end`.
/// Without a `begin` line nothing is decoded (as Python does).
pub fn decode_uuencode(input: &[u8]) -> (Vec<u8>, Option<DecodeIssue>) {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut issue = None;
    let mut pos = 0;
    let mut started = false;
    while pos < input.len() {
        let end = memchr::memchr(b'\n', &input[pos..]).map_or(input.len(), |i| pos + i + 1);
        // Only the line break is stripped: trailing spaces are data.
        let mut line = &input[pos..end];
        while let [rest @ .., b'\r' | b'\n'] = line {
            line = rest;
        }
        pos = end;
        if !started {
            if line.starts_with(b"begin ") || line == b"begin" {
                started = true;
            }
            continue;
        }
        if trim_ascii_end(line) == b"end" {
            return (out, issue);
        }
        let Some((&first, rest)) = line.split_first() else {
            continue;
        };
        let n = usize::from(first.wrapping_sub(b' ') & 63);
        if n == 0 {
            continue;
        }
        let mut bytes = Vec::with_capacity(n + 3);
        // Spaces lost at the end of the line read as zeros.
        let mut padded;
        let mut rest = rest;
        if rest.len() * 3 / 4 < n {
            padded = rest.to_vec();
            padded.resize(n.div_ceil(3) * 4, b' ');
            rest = &padded;
        }
        for chunk in rest.chunks(4) {
            let mut v = 0u32;
            for k in 0..4 {
                let c = chunk.get(k).copied().unwrap_or(b' ');
                v = (v << 6) | u32::from(c.wrapping_sub(b' ') & 63);
            }
            bytes.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
        }
        bytes.truncate(n);
        out.extend_from_slice(&bytes);
    }
    if issue.is_none() {
        issue = Some(DecodeIssue::InvalidUuencode {
            offset: input.len(),
        });
    }
    (out, issue)
}

fn trim_ascii_end(v: &[u8]) -> &[u8] {
    let mut e = v.len();
    while e > 0 && v[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    &v[..e]
}

const B64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes `data` as base64 in CRLF-terminated lines of 76 characters
/// (the last line also ends in CRLF unless `data` is empty).
pub fn encode_base64(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() * 4 / 3 + data.len() / 38 + 8);
    encode_base64_into(data, 76, &mut out);
    out
}

pub(crate) fn encode_base64_into(data: &[u8], line_len: usize, out: &mut Vec<u8>) {
    let mut col = 0;
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64_ALPHABET[(v >> 18) as usize & 63]);
        out.push(B64_ALPHABET[(v >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 {
            B64_ALPHABET[(v >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            B64_ALPHABET[v as usize & 63]
        } else {
            b'='
        });
        col += 4;
        if col >= line_len {
            out.extend_from_slice(b"\r\n");
            col = 0;
        }
    }
    if col > 0 {
        out.extend_from_slice(b"\r\n");
    }
}

/// Encodes `data` as quoted-printable (RFC 2045 §6.7) with CRLF line
/// breaks and lines of at most 76 characters. Line breaks in `data` (LF or
/// CRLF) become CRLF hard breaks; a lone CR is escaped. Trailing spaces,
/// `=`, non-ASCII and control bytes are escaped, as is a leading `.` and
/// `From ` for safe transport.
pub fn encode_quoted_printable(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 8 + 8);
    let mut col = 0usize;
    let mut i = 0;
    let hex = b"0123456789ABCDEF";
    while i < data.len() {
        let c = data[i];
        // Hard line break.
        if c == b'\n' || (c == b'\r' && data.get(i + 1) == Some(&b'\n')) {
            out.extend_from_slice(b"\r\n");
            col = 0;
            i += if c == b'\r' { 2 } else { 1 };
            continue;
        }
        let at_eol = match data.get(i + 1) {
            None => true,
            Some(b'\n') => true,
            Some(b'\r') => data.get(i + 2) == Some(&b'\n'),
            _ => false,
        };
        let literal = match c {
            b'=' => false,
            b' ' | b'\t' => !at_eol,
            b'.' if col == 0 => false,
            b'F' if col == 0 && data[i..].starts_with(b"From ") => false,
            33..=126 => true,
            _ => false,
        };
        let width = if literal { 1 } else { 3 };
        // Keep room for a soft break '=' (76 total) unless this is the
        // last character of the line.
        let limit = if at_eol { 76 } else { 75 };
        if col + width > limit {
            out.extend_from_slice(b"=\r\n");
            col = 0;
            // A '.' or "From " now at the start of a line must be escaped.
            if c == b'.' || (c == b'F' && data[i..].starts_with(b"From ")) {
                out.extend_from_slice(&[b'=', hex[(c >> 4) as usize], hex[(c & 15) as usize]]);
                col = 3;
                i += 1;
                continue;
            }
        }
        if literal {
            out.push(c);
        } else {
            out.extend_from_slice(&[b'=', hex[(c >> 4) as usize], hex[(c & 15) as usize]]);
        }
        col += width;
        i += 1;
    }
    out
}

pub(crate) fn trim_ascii(v: &[u8]) -> &[u8] {
    let start = v
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &v[start..end.max(start)]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn base64_known_answers() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"", b""),
            (b"Zg==", b"f"),
            (b"Zm8=", b"fo"),
            (b"Zm9v", b"foo"),
            (b"Zm9vYg==", b"foob"),
            (b"Zm9vYmE=", b"fooba"),
            (b"Zm9vYmFy", b"foobar"),
            (b"Zm9v\r\nYmFy\r\n", b"foobar"),
            (b" Z m 9 v ", b"foo"),
            (b"Zm9vYg", b"foob"),
        ];
        for (enc, dec) in cases {
            let (out, issue) = decode_base64(enc);
            assert_eq!(out, *dec, "{:?}", std::str::from_utf8(enc));
            assert_eq!(issue, None);
        }
    }

    #[test]
    fn base64_garbage_is_reported_and_skipped() {
        let (out, issue) = decode_base64(b"Zm9v!YmFy");
        assert_eq!(out, b"foobar");
        assert_eq!(issue, Some(DecodeIssue::InvalidBase64 { offset: 4 }));
        let (out, issue) = decode_base64(b"Zm9vY");
        assert_eq!(out, b"foo");
        assert_eq!(issue, Some(DecodeIssue::TruncatedBase64 { offset: 5 }));
        let (out, issue) = decode_base64(b"Zg==Zm8=");
        assert_eq!(out, b"f");
        assert_eq!(issue, Some(DecodeIssue::TruncatedBase64 { offset: 4 }));
    }

    #[test]
    fn base64_roundtrip_lines() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let enc = encode_base64(&data);
        for line in enc.split(|&c| c == b'\n') {
            assert!(line.len() <= 77);
        }
        assert!(enc.ends_with(b"\r\n"));
        assert_eq!(decode_base64(&enc), (data, None));
    }

    #[test]
    fn qp_known_answers() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"a=3Db", b"a=b"),
            (b"a=3db", b"a=b"),
            (b"soft=\r\nbreak", b"softbreak"),
            (b"soft=  \r\nbreak", b"softbreak"),
            (b"soft=\nbreak", b"softbreak"),
            (b"trail  \r\nx", b"trail  \r\nx"),
            (b"end=", b"end"),
            (b"keep=20\r\n", b"keep \r\n"),
        ];
        for (enc, dec) in cases {
            let (out, issue) = decode_quoted_printable(enc);
            assert_eq!(out, *dec, "{:?}", std::str::from_utf8(enc));
            assert_eq!(issue, None);
        }
    }

    #[test]
    fn qp_invalid_escape_kept() {
        let (out, issue) = decode_quoted_printable(b"a=ZZb=4");
        assert_eq!(out, b"a=ZZb=4");
        assert_eq!(
            issue,
            Some(DecodeIssue::InvalidQuotedPrintable { offset: 1 })
        );
    }

    #[test]
    fn qp_encode_roundtrip_and_line_length() {
        let mut data = Vec::new();
        for i in 0..2000u32 {
            data.push((i * 7 % 256) as u8);
            if i % 97 == 0 {
                data.extend_from_slice(b" \r\n");
            }
        }
        data.extend_from_slice(b"From me\n.dot\nend ");
        let enc = encode_quoted_printable(&data);
        for line in enc.split(|&c| c == b'\n') {
            assert!(line.len() <= 77, "{}", line.len());
            assert!(!line.starts_with(b"From ") && !line.starts_with(b"."));
            assert!(line.iter().all(|&c| c < 128));
        }
        // LF in input becomes CRLF; compare after normalising.
        let norm: Vec<u8> = {
            let s = data.clone();
            let mut o = Vec::new();
            let mut i = 0;
            while i < s.len() {
                if s[i] == b'\n' && (i == 0 || s[i - 1] != b'\r') {
                    o.extend_from_slice(b"\r\n");
                } else {
                    o.push(s[i]);
                }
                i += 1;
            }
            o
        };
        assert_eq!(decode_quoted_printable(&enc).0, norm);
    }

    #[test]
    fn cte_parse() {
        assert_eq!(
            TransferEncoding::parse(b"QUOTED-PRINTABLE"),
            TransferEncoding::QuotedPrintable
        );
        assert_eq!(
            TransferEncoding::parse(b" 7bit (comment)"),
            TransferEncoding::SevenBit
        );
        assert_eq!(
            TransferEncoding::parse(b"\"base64\""),
            TransferEncoding::Base64
        );
        assert_eq!(TransferEncoding::parse(b"8BIT"), TransferEncoding::EightBit);
        assert_eq!(
            TransferEncoding::parse(b"uuencode"),
            TransferEncoding::UuEncode
        );
        assert_eq!(
            TransferEncoding::parse(b"binhex"),
            TransferEncoding::Unknown
        );
    }

    #[test]
    fn uuencode() {
        // Python: binascii.b2a_uu(b"hello world") == b"+:&5L;&\\@=V]R;&0 \n"
        let (out, issue) = decode_uuencode(b"begin 644 f\n+:&5L;&\\@=V]R;&0 \n`\nend\n");
        assert_eq!(out, b"hello world");
        assert_eq!(issue, None);
        assert_eq!(decode_uuencode(b"begin 644 f\nend\n"), (Vec::new(), None));
        assert!(decode_uuencode(b"no begin").1.is_some());
        // Trailing spaces are data; lost ones read as zeros.
        let (out, _) = decode_uuencode(b"begin 644 f\r\n#80  \r\nend\r\n");
        assert_eq!(out, [b'a', 0, 0]);
        let (out, _) = decode_uuencode(b"begin 644 f\n#80\nend\n");
        assert_eq!(out, [b'a', 0, 0]);
    }
}
