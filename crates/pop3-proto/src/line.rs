//! Bounded line framer: splits input into lines before any grammar runs.

use bytes::{Bytes, BytesMut};

/// The result of asking the framer for the next line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Line {
    /// A complete line, without its line ending.
    Complete(Bytes),
    /// A line longer than the limit was seen; its octets up to and
    /// including the next LF are discarded.
    TooLong,
}

/// A bounded line framer.
///
/// Lines end with CRLF; a bare LF is accepted as a line end too (the CR, if
/// any, is not part of the returned line). A line longer than the limit
/// (line ending included) is reported once as [`Line::TooLong`] and skipped.
///
/// ```
/// use mailwire_pop3_proto::line::{Line, LineReader};
/// let mut r = LineReader::new(8);
/// r.push(b"NOOP\r\nTOOLONGLINE\r\nQUIT\r\n");
/// assert_eq!(r.next_line(), Some(Line::Complete("NOOP".into())));
/// assert_eq!(r.next_line(), Some(Line::TooLong));
/// assert_eq!(r.next_line(), Some(Line::Complete("QUIT".into())));
/// assert_eq!(r.next_line(), None);
/// ```
#[derive(Debug, Default)]
pub struct LineReader {
    buf: BytesMut,
    max: usize,
    /// Octets already scanned for LF (avoids rescanning partial lines).
    scanned: usize,
    /// Inside an over-long line: discard up to the next LF.
    discarding: bool,
}

impl LineReader {
    /// A framer with the given maximum line length (line ending included).
    #[must_use]
    pub fn new(max: usize) -> Self {
        Self {
            buf: BytesMut::new(),
            max,
            scanned: 0,
            discarding: false,
        }
    }

    /// Changes the limit (e.g. while an AUTH exchange is running).
    pub fn set_max(&mut self, max: usize) {
        self.max = max;
    }

    /// The current limit.
    #[must_use]
    pub fn max(&self) -> usize {
        self.max
    }

    /// Appends input.
    pub fn push(&mut self, input: &[u8]) {
        self.buf.extend_from_slice(input);
    }

    /// Octets buffered and not yet returned.
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Drops everything buffered (STLS: no plaintext survives the upgrade).
    pub fn clear(&mut self) {
        self.buf.clear();
        self.scanned = 0;
        self.discarding = false;
    }

    /// Takes every buffered octet, raw (used to switch to body decoding).
    pub fn take_raw(&mut self) -> BytesMut {
        self.scanned = 0;
        self.buf.split()
    }

    /// The next line, if one is complete (or known to be too long).
    pub fn next_line(&mut self) -> Option<Line> {
        loop {
            let from = self.scanned;
            match memchr::memchr(b'\n', &self.buf[from..]) {
                Some(i) => {
                    let end = from + i; // index of LF
                    let line = self.buf.split_to(end + 1);
                    self.scanned = 0;
                    if self.discarding {
                        self.discarding = false;
                        continue;
                    }
                    if end + 1 > self.max {
                        return Some(Line::TooLong);
                    }
                    let mut line = line.freeze();
                    line.truncate(end);
                    if line.last() == Some(&b'\r') {
                        line.truncate(end - 1);
                    }
                    return Some(Line::Complete(line));
                }
                None => {
                    if self.discarding {
                        self.buf.clear();
                        self.scanned = 0;
                        return None;
                    }
                    // A partial line that can no longer fit: the CRLF still
                    // to come makes it at least len + 1 octets (len + 2 unless
                    // it already ends with CR).
                    let len = self.buf.len();
                    let min_total = if self.buf.last() == Some(&b'\r') {
                        len + 1
                    } else {
                        len + 2
                    };
                    if len > 0 && min_total > self.max {
                        self.buf.clear();
                        self.scanned = 0;
                        self.discarding = true;
                        return Some(Line::TooLong);
                    }
                    self.scanned = len;
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn exact_limit_and_one_over() {
        let mut r = LineReader::new(6);
        r.push(b"ABCD\r\nABCDE\r\nX\n");
        assert_eq!(r.next_line(), Some(Line::Complete("ABCD".into())));
        assert_eq!(r.next_line(), Some(Line::TooLong));
        assert_eq!(r.next_line(), Some(Line::Complete("X".into())));
    }

    #[test]
    fn partial_too_long_reported_early_and_skipped() {
        let mut r = LineReader::new(6);
        r.push(b"ABCDE");
        assert_eq!(r.next_line(), Some(Line::TooLong));
        r.push(b"FGH");
        assert_eq!(r.next_line(), None);
        assert_eq!(r.buffered(), 0);
        r.push(b"\r\nOK\r\n");
        assert_eq!(r.next_line(), Some(Line::Complete("OK".into())));
    }

    #[test]
    fn partial_at_limit_waits() {
        let mut r = LineReader::new(6);
        r.push(b"ABCD");
        assert_eq!(r.next_line(), None);
        r.push(b"\r");
        assert_eq!(r.next_line(), None);
        r.push(b"\n");
        assert_eq!(r.next_line(), Some(Line::Complete("ABCD".into())));
    }

    #[test]
    fn empty_lines_are_lines() {
        let mut r = LineReader::new(6);
        r.push(b"\r\n\n");
        assert_eq!(r.next_line(), Some(Line::Complete(Bytes::new())));
        assert_eq!(r.next_line(), Some(Line::Complete(Bytes::new())));
        assert_eq!(r.next_line(), None);
    }
}
