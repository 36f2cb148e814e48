//! The client's response reader: splits server output into response units
//! (a line plus the literals it announces) under size budgets, and streams
//! large FETCH payload literals out as chunks instead of buffering them.
//!
//! A streamed literal is replaced in the unit by an empty literal of the
//! same kind (`{0}` or `~{0}`), so the finished unit still parses with
//! [`crate::response::Response::parse_with`].

use bytes::{Bytes, BytesMut};

use crate::primitive::is_tag_char;

/// Budgets of the reader (copied from [`super::Limits`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    pub(crate) max_line: usize,
    pub(crate) max_response: usize,
    pub(crate) max_literal: u64,
    pub(crate) max_literals: usize,
    pub(crate) stream_threshold: u64,
    pub(crate) max_streamed_literal: u64,
}

/// Why a unit was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Poison {
    LineTooLong,
    ResponseTooLarge,
    LiteralTooLarge(u64),
    StreamedTooLarge(u64),
    TooManyLiterals,
}

/// What [`Reader::next`] found.
#[derive(Debug)]
pub(crate) enum Read {
    /// A complete response unit (streamed literals replaced by empty ones).
    Unit(Bytes),
    /// A piece of a streamed FETCH literal.
    Chunk {
        seq: u32,
        item: Bytes,
        offset: u64,
        total: u64,
        data: Bytes,
    },
    /// A unit broke a budget; the reader skips the rest of it. `head` is the
    /// start of the unit (at most 64 bytes: tag or `*`/`+`).
    Poisoned { why: Poison, head: Bytes },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum St {
    Line,
    Literal {
        remaining: u64,
    },
    Stream {
        seq: u32,
        item: Bytes,
        offset: u64,
        total: u64,
    },
    SkipLine,
    SkipLiteral {
        remaining: u64,
    },
}

enum Step {
    Out(Option<Read>),
    Continue,
}

const HEAD: usize = 64;
const TAIL: usize = 32;

#[derive(Debug)]
pub(crate) struct Reader {
    budget: Budget,
    /// Unread input; the current unit (after `prefix`) starts at 0.
    buf: BytesMut,
    /// The part of the current unit before a streamed literal.
    prefix: BytesMut,
    line_start: usize,
    scanned: usize,
    literals: usize,
    state: St,
    skip_tail: Vec<u8>,
}

impl Reader {
    pub(crate) fn new(budget: Budget) -> Self {
        Reader {
            budget,
            buf: BytesMut::new(),
            prefix: BytesMut::new(),
            line_start: 0,
            scanned: 0,
            literals: 0,
            state: St::Line,
            skip_tail: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// Bytes received and not yet returned in a unit or chunk.
    pub(crate) fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// `true` when no unit is partially read.
    #[cfg(test)]
    pub(crate) fn at_unit_boundary(&self) -> bool {
        self.state == St::Line && self.prefix.is_empty() && self.line_start == 0
    }

    pub(crate) fn clear(&mut self) {
        self.buf.clear();
        self.prefix.clear();
        self.reset_unit();
        self.state = St::Line;
    }

    fn reset_unit(&mut self) {
        self.line_start = 0;
        self.scanned = 0;
        self.literals = 0;
        self.prefix.clear();
    }

    /// The first bytes of the current unit.
    fn head(&self) -> Bytes {
        let src: &[u8] = if self.prefix.is_empty() {
            &self.buf
        } else {
            &self.prefix
        };
        Bytes::copy_from_slice(src.get(..src.len().min(HEAD)).unwrap_or_default())
    }

    pub(crate) fn next(&mut self) -> Option<Read> {
        loop {
            match self.state.clone() {
                St::Literal { remaining } => {
                    let have = (self.buf.len() - self.line_start) as u64;
                    if have < remaining {
                        return None;
                    }
                    // remaining <= have, which is a usize.
                    self.line_start += remaining as usize;
                    self.scanned = self.line_start;
                    self.state = St::Line;
                }
                St::Stream {
                    seq,
                    item,
                    offset,
                    total,
                } => {
                    if self.buf.is_empty() && offset < total {
                        return None;
                    }
                    let left = total - offset;
                    let n = (self.buf.len() as u64).min(left) as usize;
                    let data = self.buf.split_to(n).freeze();
                    let next = offset + n as u64;
                    self.state = if next == total {
                        St::Line
                    } else {
                        St::Stream {
                            seq,
                            item: item.clone(),
                            offset: next,
                            total,
                        }
                    };
                    if n == 0 {
                        continue;
                    }
                    return Some(Read::Chunk {
                        seq,
                        item,
                        offset,
                        total,
                        data,
                    });
                }
                St::SkipLiteral { remaining } => {
                    let have = self.buf.len() as u64;
                    if have < remaining {
                        self.buf.clear();
                        self.state = St::SkipLiteral {
                            remaining: remaining - have,
                        };
                        return None;
                    }
                    let _ = self.buf.split_to(remaining as usize);
                    self.skip_tail.clear();
                    self.state = St::SkipLine;
                }
                St::SkipLine => match memchr::memchr(b'\n', &self.buf) {
                    None => {
                        let chunk = self.buf.split();
                        push_tail(&mut self.skip_tail, &chunk);
                        return None;
                    }
                    Some(i) => {
                        let chunk = self.buf.split_to(i + 1);
                        push_tail(&mut self.skip_tail, &chunk);
                        let ann = announcement(&self.skip_tail);
                        self.skip_tail.clear();
                        self.state = match ann {
                            Some(a) => St::SkipLiteral {
                                remaining: a.length,
                            },
                            None => St::Line,
                        };
                    }
                },
                St::Line => {
                    if let Step::Out(r) = self.line() {
                        return r;
                    }
                }
            }
        }
    }

    fn line(&mut self) -> Step {
        let from = self.scanned.max(self.line_start);
        let Some(rel) = self.buf.get(from..).and_then(|b| memchr::memchr(b'\n', b)) else {
            self.scanned = self.buf.len();
            let line_len = self.buf.len() - self.line_start;
            if line_len > self.budget.max_line {
                return Step::Out(Some(self.poison_mid_line(Poison::LineTooLong)));
            }
            if self.prefix.len() + self.buf.len() > self.budget.max_response {
                return Step::Out(Some(self.poison_mid_line(Poison::ResponseTooLarge)));
            }
            return Step::Out(None);
        };
        let end = from + rel + 1;
        if end - self.line_start > self.budget.max_line {
            return Step::Out(Some(self.poison_at(end, Poison::LineTooLong)));
        }
        if self.prefix.len() + end > self.budget.max_response {
            return Step::Out(Some(self.poison_at(end, Poison::ResponseTooLarge)));
        }
        let ann = self.buf.get(self.line_start..end).and_then(announcement);
        let Some(ann) = ann else {
            let rest = self.buf.split_to(end);
            let unit = if self.prefix.is_empty() {
                rest.freeze()
            } else {
                let mut u = std::mem::take(&mut self.prefix);
                u.extend_from_slice(&rest);
                u.freeze()
            };
            self.reset_unit();
            return Step::Out(Some(Read::Unit(unit)));
        };
        self.literals += 1;
        if self.literals > self.budget.max_literals {
            return Step::Out(Some(self.poison_at(end, Poison::TooManyLiterals)));
        }
        let n = ann.length;
        if n >= self.budget.stream_threshold
            && let Some((seq, item)) = self.streamable(end, ann.open)
        {
            if n > self.budget.max_streamed_literal {
                return Step::Out(Some(self.poison_at(end, Poison::StreamedTooLarge(n))));
            }
            // Move the unit so far into `prefix`, announcing `{0}` instead.
            let mut line = self.buf.split_to(end);
            line.truncate(ann.open);
            line.extend_from_slice(b"{0}\r\n");
            self.prefix.extend_from_slice(&line);
            self.line_start = 0;
            self.scanned = 0;
            self.state = St::Stream {
                seq,
                item,
                offset: 0,
                total: n,
            };
            return Step::Continue;
        }
        if n > self.budget.max_literal {
            return Step::Out(Some(self.poison_at(end, Poison::LiteralTooLarge(n))));
        }
        if (self.prefix.len() as u64)
            .saturating_add(end as u64)
            .saturating_add(n)
            > self.budget.max_response as u64
        {
            return Step::Out(Some(self.poison_at(end, Poison::ResponseTooLarge)));
        }
        self.line_start = end;
        self.scanned = end;
        self.state = St::Literal { remaining: n };
        Step::Continue
    }

    /// For an untagged FETCH whose literal at `open` (the index of `{` or
    /// `~` in `buf`) is the value of a body item, the message number and the
    /// item name as sent (`BODY[]<0>`, `BINARY[1]`, `RFC822`...).
    fn streamable(&self, end: usize, open: usize) -> Option<(u32, Bytes)> {
        let head: &[u8] = if self.prefix.is_empty() {
            self.buf.get(..end)?
        } else {
            &self.prefix
        };
        let seq = fetch_seq(head)?;
        let before = self.buf.get(self.line_start..open)?;
        let item = item_name(before)?;
        Some((seq, Bytes::copy_from_slice(item)))
    }

    fn poison_mid_line(&mut self, why: Poison) -> Read {
        let head = self.head();
        let chunk = self.buf.split();
        self.skip_tail.clear();
        push_tail(
            &mut self.skip_tail,
            chunk.get(self.line_start..).unwrap_or_default(),
        );
        self.reset_unit();
        self.state = St::SkipLine;
        Read::Poisoned { why, head }
    }

    fn poison_at(&mut self, end: usize, why: Poison) -> Read {
        let head = self.head();
        let ann = self.buf.get(self.line_start..end).and_then(announcement);
        let _ = self.buf.split_to(end);
        self.reset_unit();
        self.state = match ann {
            Some(a) => St::SkipLiteral {
                remaining: a.length,
            },
            None => St::Line,
        };
        Read::Poisoned { why, head }
    }
}

fn push_tail(tail: &mut Vec<u8>, chunk: &[u8]) {
    tail.extend_from_slice(chunk);
    if tail.len() > TAIL {
        tail.drain(..tail.len() - TAIL);
    }
}

struct Announcement {
    length: u64,
    /// Index of `{` (or of the `~` before it) in the line.
    open: usize,
}

/// A literal announcement `{n}`, `{n+}` or `~{n}` at the end of a line.
fn announcement(line: &[u8]) -> Option<Announcement> {
    let line = line.strip_suffix(b"\n")?;
    let line = line.strip_suffix(b"\r")?;
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let mut digits = inner.get(open + 1..)?;
    if let Some(d) = digits.strip_suffix(b"+") {
        digits = d;
    }
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut n: u64 = 0;
    for &d in digits {
        n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    let open = if open > 0 && inner.get(open - 1) == Some(&b'~') {
        open - 1
    } else {
        open
    };
    Some(Announcement { length: n, open })
}

/// `* <n> FETCH ` at the start of a unit.
fn fetch_seq(head: &[u8]) -> Option<u32> {
    let rest = head.strip_prefix(b"* ")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 10 {
        return None;
    }
    let num = std::str::from_utf8(rest.get(..digits)?)
        .ok()?
        .parse()
        .ok()?;
    let after = rest.get(digits..)?;
    let kw = after.get(..7)?;
    kw.eq_ignore_ascii_case(b" FETCH ").then_some(num)
}

/// The FETCH item name just before a literal: `before` ends with SP; the
/// name is `BODY[...]`, `BODY[...]<n>`, `BINARY[...]`, `RFC822`,
/// `RFC822.TEXT` or `RFC822.HEADER` (case-insensitive).
fn item_name(before: &[u8]) -> Option<&[u8]> {
    let before = before.strip_suffix(b" ")?;
    let mut i = before.len();
    // `<origin>`
    if before.last() == Some(&b'>') {
        i = before.iter().rposition(|&b| b == b'<')?;
    }
    // `[section]`, possibly with a parenthesized header list inside.
    let mut name_end = i;
    if i > 0 && before.get(i - 1) == Some(&b']') {
        let mut depth = 0usize;
        let mut j = i;
        loop {
            if j == 0 {
                return None;
            }
            j -= 1;
            match before.get(j) {
                Some(b']') => depth += 1,
                Some(b'[') => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        break;
                    }
                }
                Some(_) => {}
                None => return None,
            }
        }
        name_end = j;
    }
    let start = before
        .get(..name_end)?
        .iter()
        .rposition(|&b| b == b' ' || b == b'(')
        .map_or(0, |p| p + 1);
    let name = before.get(start..name_end)?;
    let has_section = name_end != i;
    let ok = if has_section {
        name.eq_ignore_ascii_case(b"BODY") || name.eq_ignore_ascii_case(b"BINARY")
    } else {
        name.eq_ignore_ascii_case(b"RFC822")
            || name.eq_ignore_ascii_case(b"RFC822.TEXT")
            || name.eq_ignore_ascii_case(b"RFC822.HEADER")
    };
    ok.then(|| before.get(start..)).flatten()
}

/// The tag of a unit head: tag characters followed by SP.
pub(crate) fn head_tag(head: &[u8]) -> Option<&[u8]> {
    let end = head.iter().position(|&b| !is_tag_char(b))?;
    if end == 0 || head.get(end) != Some(&b' ') {
        return None;
    }
    head.get(..end)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    fn budget() -> Budget {
        Budget {
            max_line: 100,
            max_response: 1000,
            max_literal: 50,
            max_literals: 4,
            stream_threshold: 10,
            max_streamed_literal: 10_000,
        }
    }

    #[test]
    fn item_names() {
        assert_eq!(item_name(b"(UID 5 BODY[] "), Some(&b"BODY[]"[..]));
        assert_eq!(item_name(b"(BODY[]<100> "), Some(&b"BODY[]<100>"[..]));
        assert_eq!(
            item_name(b"(BODY[HEADER.FIELDS (FROM [X])] "),
            Some(&b"BODY[HEADER.FIELDS (FROM [X])]"[..])
        );
        assert_eq!(item_name(b"(binary[1.2] "), Some(&b"binary[1.2]"[..]));
        assert_eq!(item_name(b" RFC822.TEXT "), Some(&b"RFC822.TEXT"[..]));
        assert_eq!(item_name(b"(ENVELOPE ("), None);
        assert_eq!(item_name(b"(X-GM-LABELS "), None);
        assert_eq!(item_name(b"]] "), None);
    }

    #[test]
    fn fetch_heads() {
        assert_eq!(fetch_seq(b"* 12 FETCH (BODY[] {5}\r\n"), Some(12));
        assert_eq!(fetch_seq(b"* 12 fetch ("), Some(12));
        assert_eq!(fetch_seq(b"* OK x"), None);
        assert_eq!(fetch_seq(b"* 99999999999 FETCH ("), None);
    }

    #[test]
    fn streams_and_rebuilds() {
        let mut r = Reader::new(budget());
        r.push(b"* 3 FETCH (UID 9 BODY[] {12}\r\nhello");
        let Some(Read::Chunk {
            seq,
            item,
            offset,
            total,
            data,
        }) = r.next()
        else {
            panic!()
        };
        assert_eq!(
            (seq, &item[..], offset, total, &data[..]),
            (3, &b"BODY[]"[..], 0, 12, &b"hello"[..])
        );
        assert!(r.next().is_none());
        r.push(b" world! FLAGS (\\Seen))\r\na1 OK done\r\n");
        let Some(Read::Chunk { offset, data, .. }) = r.next() else {
            panic!()
        };
        assert_eq!((offset, &data[..]), (5, &b" world!"[..]));
        let Some(Read::Unit(u)) = r.next() else {
            panic!()
        };
        assert_eq!(
            &u[..],
            b"* 3 FETCH (UID 9 BODY[] {0}\r\n FLAGS (\\Seen))\r\n"
        );
        let Some(Read::Unit(u)) = r.next() else {
            panic!()
        };
        assert_eq!(&u[..], b"a1 OK done\r\n");
        assert!(r.next().is_none());
        assert!(r.at_unit_boundary());
    }

    #[test]
    fn small_literals_stay_inline_and_limits_skip() {
        let mut r = Reader::new(budget());
        r.push(b"* 1 FETCH (BODY[] {3}\r\nabc)\r\n* LIST () \"/\" {51}\r\n");
        let Some(Read::Unit(u)) = r.next() else {
            panic!()
        };
        assert_eq!(&u[..], b"* 1 FETCH (BODY[] {3}\r\nabc)\r\n");
        let Some(Read::Poisoned { why, head }) = r.next() else {
            panic!()
        };
        assert_eq!(why, Poison::LiteralTooLarge(51));
        assert_eq!(head_tag(&head), None);
        r.push(&[b'x'; 51]);
        r.push(b" more {2}\r\nzz\r\na2 OK\r\n");
        let Some(Read::Unit(u)) = r.next() else {
            panic!()
        };
        assert_eq!(&u[..], b"a2 OK\r\n");
    }
}
