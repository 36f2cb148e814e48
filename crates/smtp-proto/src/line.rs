//! A bounded CRLF line framer: splits command lines off the input before any
//! grammar runs, so memory stays bounded and an over-long line is skipped as
//! one unit and answered once (RFC 5321 §4.5.3.1.4).

use bytes::{Bytes, BytesMut};

/// One framed unit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frame {
    /// A complete line, without its CRLF.
    Line(Bytes),
    /// A line longer than the limit ended; its bytes were discarded.
    TooLong,
    /// A line ended by a bare LF (rejected unless allowed).
    BareLineEnding,
}

/// The framer; keeps only the "discarding an over-long line" state.
#[derive(Debug, Clone)]
pub struct LineFramer {
    max: usize,
    bare_lf_ok: bool,
    discarding: bool,
}

impl LineFramer {
    /// `max` is the maximum line length including CRLF; `bare_lf_ok`
    /// accepts a lone LF as the terminator.
    pub fn new(max: usize, bare_lf_ok: bool) -> LineFramer {
        LineFramer {
            max: max.max(2),
            bare_lf_ok,
            discarding: false,
        }
    }

    /// Whether an over-long line is being skipped.
    pub fn is_discarding(&self) -> bool {
        self.discarding
    }

    /// Forgets any partial state.
    pub fn reset(&mut self) {
        self.discarding = false;
    }

    /// Takes the next frame from the front of `buf`, or `None` when more
    /// input is needed. Never keeps more than `max` bytes of one line.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use mailwire_smtp_proto::line::{Frame, LineFramer};
    /// let mut f = LineFramer::new(8, false);
    /// let mut buf = BytesMut::from(&b"NOOP\r\nTOO LONG LINE\r\nQUIT\r\n"[..]);
    /// assert_eq!(f.next_frame(&mut buf), Some(Frame::Line("NOOP".into())));
    /// assert_eq!(f.next_frame(&mut buf), Some(Frame::TooLong));
    /// assert_eq!(f.next_frame(&mut buf), Some(Frame::Line("QUIT".into())));
    /// assert_eq!(f.next_frame(&mut buf), None);
    /// ```
    pub fn next_frame(&mut self, buf: &mut BytesMut) -> Option<Frame> {
        if self.discarding {
            match memchr::memchr(b'\n', buf) {
                None => {
                    buf.clear();
                    return None;
                }
                Some(i) => {
                    let _ = buf.split_to(i + 1);
                    self.discarding = false;
                    return Some(Frame::TooLong);
                }
            }
        }
        let window = &buf[..buf.len().min(self.max)];
        match memchr::memchr(b'\n', window) {
            Some(i) => {
                if i > 0 && buf[i - 1] == b'\r' {
                    let mut line = buf.split_to(i + 1);
                    line.truncate(i - 1);
                    Some(Frame::Line(line.freeze()))
                } else if self.bare_lf_ok {
                    let mut line = buf.split_to(i + 1);
                    line.truncate(i);
                    Some(Frame::Line(line.freeze()))
                } else {
                    let _ = buf.split_to(i + 1);
                    Some(Frame::BareLineEnding)
                }
            }
            None if buf.len() >= self.max => {
                let _ = buf.split_to(self.max);
                self.discarding = true;
                self.next_frame(buf)
            }
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn n_and_n_plus_one() {
        // max 10 including CRLF: 8 chars ok, 9 chars too long.
        let mut f = LineFramer::new(10, false);
        let mut b = BytesMut::from(&b"12345678\r\n"[..]);
        assert_eq!(f.next_frame(&mut b), Some(Frame::Line("12345678".into())));
        let mut b = BytesMut::from(&b"123456789\r\nX\r\n"[..]);
        assert_eq!(f.next_frame(&mut b), Some(Frame::TooLong));
        assert_eq!(f.next_frame(&mut b), Some(Frame::Line("X".into())));
    }

    #[test]
    fn split_long_line_bounded() {
        let mut f = LineFramer::new(10, false);
        let mut b = BytesMut::new();
        for _ in 0..100 {
            b.extend_from_slice(b"abcdefgh");
            assert_eq!(f.next_frame(&mut b), None);
            assert!(b.len() < 10);
        }
        b.extend_from_slice(b"\r\nNOOP\r\n");
        assert_eq!(f.next_frame(&mut b), Some(Frame::TooLong));
        assert_eq!(f.next_frame(&mut b), Some(Frame::Line("NOOP".into())));
    }

    #[test]
    fn bare_lf() {
        let mut f = LineFramer::new(100, false);
        let mut b = BytesMut::from(&b"NOOP\nQUIT\r\n"[..]);
        assert_eq!(f.next_frame(&mut b), Some(Frame::BareLineEnding));
        assert_eq!(f.next_frame(&mut b), Some(Frame::Line("QUIT".into())));
        let mut f = LineFramer::new(100, true);
        let mut b = BytesMut::from(&b"NOOP\n"[..]);
        assert_eq!(f.next_frame(&mut b), Some(Frame::Line("NOOP".into())));
    }
}
