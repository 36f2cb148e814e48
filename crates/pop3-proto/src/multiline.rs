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
    pub fn write<B: BufMut>(&mut self, chunk: &[u8], out: &mut B) -> bool {
        if self.top.is_none() {
            // A whole message: no header/body bookkeeping, so the chunk is
            // copied in runs between the line ends that need work.
            self.write_all_lines(chunk, out);
            return true;
        }
        self.write_by_line(chunk, out)
    }

    /// [`Stuffer::write`] line by line, with the header/body bookkeeping
    /// the TOP cut needs.
    fn write_by_line<B: BufMut>(&mut self, mut chunk: &[u8], out: &mut B) -> bool {
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

    /// [`Stuffer::write`] without the TOP cut: copies the runs between the
    /// LFs that need work (a bare LF becomes CRLF; a line starting with `.`
    /// gets a second one), found with one vector search for LF.
    fn write_all_lines<B: BufMut>(&mut self, chunk: &[u8], out: &mut B) {
        let Some(&last) = chunk.last() else {
            return;
        };
        let mut from = 0;
        if self.at_line_start && chunk[0] == b'.' {
            out.put_u8(b'.');
        }
        for lf in memchr::memchr_iter(b'\n', chunk) {
            let bare = match lf.checked_sub(1) {
                Some(p) => chunk[p] != b'\r',
                // The CR, if any, ended the previous chunk.
                None => !self.last_cr || self.at_line_start,
            };
            let dot = chunk.get(lf + 1) == Some(&b'.');
            if bare || dot {
                out.put_slice(&chunk[from..lf]);
                out.put_slice(if bare { b"\r\n" } else { b"\n" });
                if dot {
                    out.put_u8(b'.');
                }
                from = lf + 1;
            }
        }
        out.put_slice(&chunk[from..]);
        self.at_line_start = last == b'\n';
        self.last_cr = last == b'\r';
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
    /// Finds CRLF "." (the only place a dot is removed or the body ends).
    crlf_dot: memchr::memmem::Finder<'static>,
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
            crlf_dot: memchr::memmem::Finder::new(b"\r\n."),
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
                    // Everything before the next CRLF "." is copied in one
                    // go: no line in it starts with a dot, so nothing in it
                    // is removed and none of it ends the body.
                    let rest = &input[i..];
                    match self.crlf_dot.find(rest) {
                        Some(j) => {
                            out.put_slice(&rest[..j + 2]);
                            self.line_len = 0;
                            self.state = UState::LineStart;
                            i += j + 2;
                        }
                        None => {
                            out.put_slice(rest);
                            self.after_copy(rest);
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

    /// The state after `copied` (the rest of the input, which holds no
    /// CRLF "."), as the octet-by-octet rules leave it: a line starts after
    /// its last CRLF; a trailing CR is not counted yet.
    fn after_copy(&mut self, copied: &[u8]) {
        let tail = match memchr::memmem::rfind(copied, b"\r\n") {
            Some(p) => {
                self.line_len = 0;
                &copied[p + 2..]
            }
            None => copied,
        };
        if tail.is_empty() {
            // `copied` ends with CRLF.
            self.state = UState::LineStart;
        } else if tail.ends_with(b"\r") {
            self.line_len += tail.len() - 1;
            self.state = UState::MidCr;
        } else {
            self.line_len += tail.len();
            self.state = UState::Mid;
        }
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The run-copying stuffer (RETR) and the line-by-line one agree on
        /// every input over the octets that matter, cut anywhere.
        #[test]
        fn run_stuffer_equals_line_by_line(
            body in proptest::collection::vec(proptest::sample::select(&b"a.\r\n"[..]), 0..120),
            cuts in proptest::collection::vec(0usize..120, 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(body.len())).collect();
            cuts.push(0);
            cuts.push(body.len());
            cuts.sort_unstable();
            let (mut fast, mut slow) = (Stuffer::new(), Stuffer::new());
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for w in cuts.windows(2) {
                let piece = &body[w[0]..w[1]];
                proptest::prop_assert!(fast.write(piece, &mut a));
                proptest::prop_assert!(slow.write_by_line(piece, &mut b));
                proptest::prop_assert_eq!(&a, &b);
            }
            fast.finish(&mut a);
            slow.finish(&mut b);
            proptest::prop_assert_eq!(&a, &b);
            // And the result unstuffs back to the body with CRLF line ends.
            let mut back = Vec::new();
            proptest::prop_assert_eq!(Unstuffer::new().decode(&a, &mut back), Some(a.len()));
        }
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The bulk decoder gives what it gives fed one octet at a time
        /// (where the CRLF "." search never spans a call, so every line end
        /// goes through the octet states), on every input over the octets
        /// that matter, cut anywhere: same output, same end, same line
        /// length and state after every piece.
        #[test]
        fn bulk_unstuffer_equals_octet_by_octet(
            body in proptest::collection::vec(proptest::sample::select(&b"a.\r\n"[..]), 0..120),
            cuts in proptest::collection::vec(0usize..120, 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(body.len())).collect();
            cuts.push(0);
            cuts.push(body.len());
            cuts.sort_unstable();
            let (mut fast, mut slow) = (Unstuffer::new(), Unstuffer::new());
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for w in cuts.windows(2) {
                let piece = &body[w[0]..w[1]];
                let ea = fast.decode(piece, &mut a);
                let mut eb = None;
                for (k, octet) in piece.iter().enumerate() {
                    if slow.decode(std::slice::from_ref(octet), &mut b).is_some() {
                        eb = Some(k + 1);
                        break;
                    }
                }
                proptest::prop_assert_eq!(ea, eb);
                proptest::prop_assert_eq!(&a, &b);
                proptest::prop_assert_eq!(fast.line_len, slow.line_len);
                // And as defined: the octets written since the last CRLF,
                // a trailing CR not counted yet.
                let tail = a
                    .windows(2)
                    .rposition(|w| w == b"\r\n")
                    .map_or(&a[..], |p| &a[p + 2..]);
                proptest::prop_assert_eq!(
                    fast.line_len,
                    tail.len() - usize::from(tail.ends_with(b"\r"))
                );
                proptest::prop_assert_eq!(fast.state, slow.state);
                if ea.is_some() {
                    break;
                }
            }
        }
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
