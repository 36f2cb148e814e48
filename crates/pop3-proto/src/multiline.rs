//! Multi-line responses: byte-stuffing on the way out (with the TOP cut),
//! unstuffing and terminator detection on the way in (RFC 1939 section 3).

use bytes::{BufMut, BytesMut};

/// Streams message content into a multi-line response body.
///
/// Every line that starts with `.` gets a second `.`; bare LF line ends
/// become CRLF (so no peer, strict or lenient, can see a terminator inside
/// the content); [`Stuffer::finish`] ends an unterminated last line and
/// writes the terminating `.` line. With [`Stuffer::top`] only the header,
/// the blank line and the first `n` body lines pass (the TOP command).
///
/// ```
/// use mailwire_pop3_proto::multiline::Stuffer;
/// let mut out = Vec::new();
/// let mut s = Stuffer::new();
/// s.write(b"Subject: x\n\n.hidden\r\nlast", &mut out);
/// s.finish(&mut out);
/// assert_eq!(out, b"Subject: x\r\n\r\n..hidden\r\nlast\r\n.\r\n");
/// ```
#[derive(Debug, Clone)]
pub struct Stuffer {
    at_line_start: bool,
    last_cr: bool,
    /// The current line has a character other than CR.
    line_has_text: bool,
    /// `Some(n)`: TOP mode, n body lines left once the header has ended.
    top: Option<u32>,
    in_body: bool,
    done: bool,
}

impl Default for Stuffer {
    fn default() -> Self {
        Self::new()
    }
}

impl Stuffer {
    /// A stuffer for a whole message (RETR).
    #[must_use]
    pub fn new() -> Self {
        Self {
            at_line_start: true,
            last_cr: false,
            line_has_text: false,
            top: None,
            in_body: false,
            done: false,
        }
    }

    /// A stuffer that passes the header and `lines` body lines (TOP).
    #[must_use]
    pub fn top(lines: u32) -> Self {
        Self {
            top: Some(lines),
            ..Self::new()
        }
    }

    /// Whether further content would be cut (TOP has all it needs).
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Stuffs a chunk of content into `out`. Returns `false` once the TOP
    /// cut is reached (the rest of the message is not needed).
    pub fn write<B: BufMut>(&mut self, mut chunk: &[u8], out: &mut B) -> bool {
        while !chunk.is_empty() && !self.done {
            if self.at_line_start {
                if self.in_body && self.top == Some(0) {
                    self.done = true;
                    break;
                }
                if chunk[0] == b'.' {
                    out.put_u8(b'.');
                }
                self.at_line_start = false;
            }
            let (seg, has_lf) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (&chunk[..i], true),
                None => (chunk, false),
            };
            if !seg.is_empty() {
                out.put_slice(seg);
                // A line with only CRs counts as blank.
                if seg.iter().any(|&b| b != b'\r') {
                    self.line_has_text = true;
                }
                self.last_cr = seg[seg.len() - 1] == b'\r';
            }
            if has_lf {
                if !self.last_cr {
                    out.put_u8(b'\r');
                }
                out.put_u8(b'\n');
                self.end_line();
                chunk = &chunk[seg.len() + 1..];
            } else {
                chunk = &[];
            }
        }
        !self.done
    }

    fn end_line(&mut self) {
        if self.in_body {
            if let Some(n) = &mut self.top {
                *n = n.saturating_sub(1);
            }
        } else if !self.line_has_text {
            self.in_body = true;
        }
        self.at_line_start = true;
        self.last_cr = false;
        self.line_has_text = false;
    }

    /// Ends the body: CRLF if the last line is unterminated, then `.` CRLF.
    pub fn finish<B: BufMut>(&mut self, out: &mut B) {
        if !self.at_line_start && !self.done {
            if !self.last_cr {
                out.put_u8(b'\r');
            }
            out.put_u8(b'\n');
        }
        out.put_slice(b".\r\n");
        self.done = true;
    }
}

/// Writes one body line of a generated listing (LIST, UIDL, CAPA), stuffed.
pub(crate) fn put_line(out: &mut BytesMut, line: &[u8]) {
    if line.first() == Some(&b'.') {
        out.put_u8(b'.');
    }
    out.put_slice(line);
    out.put_slice(b"\r\n");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UState {
    /// After CRLF (or at the start of the body).
    LineStart,
    /// A `.` at line start.
    Dot,
    /// `.` CR at line start.
    DotCr,
    /// Inside a line.
    Mid,
    /// Inside a line, after a CR.
    MidCr,
}

/// Decodes a multi-line response body: removes the stuffed `.` and finds
/// the terminator, recognized only as CRLF `.` CRLF (the status line's
/// CRLF counts as the first one).
///
/// ```
/// use mailwire_pop3_proto::multiline::Unstuffer;
/// let mut u = Unstuffer::new();
/// let mut out = Vec::new();
/// let end = u.decode(b"..a\r\n.b\n.\n\r\n.\r\nNEXT", &mut out);
/// assert_eq!(out, b".a\r\nb\n.\n\r\n");
/// assert_eq!(end, Some(15)); // octets consumed, terminator included
/// ```
#[derive(Debug, Clone)]
pub struct Unstuffer {
    state: UState,
    /// Octets of the current line (for the optional line limit).
    line_len: usize,
}

impl Default for Unstuffer {
    fn default() -> Self {
        Self::new()
    }
}

impl Unstuffer {
    /// A decoder positioned at the start of a body.
    #[must_use]
    pub fn new() -> Self {
        Self {
            state: UState::LineStart,
            line_len: 0,
        }
    }

    /// Length of the current (unfinished) line so far, line ending and a
    /// trailing CR not counted.
    #[must_use]
    pub fn line_len(&self) -> usize {
        self.line_len
    }

    /// Decodes `input` into `out`. Returns `Some(consumed)` when the
    /// terminator was found (the octets after it are not part of the body),
    /// `None` when all of `input` was consumed and more is needed.
    pub fn decode<B: BufMut>(&mut self, input: &[u8], out: &mut B) -> Option<usize> {
        let mut i = 0;
        while i < input.len() {
            match self.state {
                UState::Mid => {
                    // Copy up to the next CR in one go.
                    let rest = &input[i..];
                    match memchr::memchr(b'\r', rest) {
                        Some(j) => {
                            out.put_slice(&rest[..=j]);
                            // The CR is counted once we know it is not a line end.
                            self.line_len += j;
                            self.state = UState::MidCr;
                            i += j + 1;
                        }
                        None => {
                            out.put_slice(rest);
                            self.line_len += rest.len();
                            i = input.len();
                        }
                    }
                }
                UState::MidCr => {
                    let b = input[i];
                    out.put_u8(b);
                    i += 1;
                    match b {
                        b'\n' => {
                            self.state = UState::LineStart;
                            self.line_len = 0;
                        }
                        b'\r' => self.line_len += 1,
                        _ => {
                            self.line_len += 2;
                            self.state = UState::Mid;
                        }
                    }
                }
                UState::LineStart => {
                    if input[i] == b'.' {
                        self.state = UState::Dot;
                        i += 1;
                    } else {
                        self.state = UState::Mid;
                    }
                }
                UState::Dot => {
                    // The dot is dropped either way (stuffed, or terminator).
                    if input[i] == b'\r' {
                        self.state = UState::DotCr;
                        i += 1;
                    } else {
                        self.state = UState::Mid;
                    }
                }
                UState::DotCr => {
                    if input[i] == b'\n' {
                        self.state = UState::LineStart;
                        return Some(i + 1);
                    }
                    // ".\r" then something else: the dot is stuffing; the CR stays.
                    out.put_u8(b'\r');
                    self.state = UState::MidCr;
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn stuff(parts: &[&[u8]], top: Option<u32>) -> Vec<u8> {
        let mut s = top.map_or_else(Stuffer::new, Stuffer::top);
        let mut out = Vec::new();
        for p in parts {
            s.write(p, &mut out);
        }
        s.finish(&mut out);
        out
    }

    #[test]
    fn stuffing() {
        assert_eq!(stuff(&[b""], None), b".\r\n");
        assert_eq!(stuff(&[b".\r\n"], None), b"..\r\n.\r\n");
        assert_eq!(stuff(&[b"a\r", b"\n.", b"b"], None), b"a\r\n..b\r\n.\r\n");
        assert_eq!(stuff(&[b"a\r"], None), b"a\r\n.\r\n");
        assert_eq!(stuff(&[b"a\n.\n"], None), b"a\r\n..\r\n.\r\n");
    }

    #[test]
    fn top_cut() {
        let msg: &[u8] = b"A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n";
        assert_eq!(stuff(&[msg], Some(0)), b"A: 1\r\nB: 2\r\n\r\n.\r\n");
        assert_eq!(
            stuff(&[msg], Some(2)),
            b"A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n.\r\n"
        );
        assert_eq!(stuff(&[msg], Some(10)), [msg, b".\r\n"].concat());
        // Split byte by byte gives the same result.
        let parts: Vec<&[u8]> = msg.chunks(1).collect();
        assert_eq!(stuff(&parts, Some(1)), b"A: 1\r\nB: 2\r\n\r\nl1\r\n.\r\n");
        // No blank line: all header.
        assert_eq!(stuff(&[b"A: 1\r\nB"], Some(0)), b"A: 1\r\nB\r\n.\r\n");
    }

    #[test]
    fn unstuffing_only_crlf_dot_crlf_terminates() {
        let mut u = Unstuffer::new();
        let mut out = Vec::new();
        assert_eq!(u.decode(b"a\n.\nb\r.\r\nc\r\n.x\r\n", &mut out), None);
        assert_eq!(out, b"a\n.\nb\r.\r\nc\r\nx\r\n");
        assert_eq!(u.decode(b".\r", &mut out), None);
        assert_eq!(u.decode(b"\n", &mut out), Some(1));
        // Empty body.
        let mut u = Unstuffer::new();
        let mut out = Vec::new();
        assert_eq!(u.decode(b".\r\n", &mut out), Some(3));
        assert!(out.is_empty());
        // ".\rX": dot dropped, CR kept.
        let mut u = Unstuffer::new();
        let mut out = Vec::new();
        assert_eq!(u.decode(b".\rX\r\n.\r\n", &mut out), Some(8));
        assert_eq!(out, b"\rX\r\n");
    }
}
