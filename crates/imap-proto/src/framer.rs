//! The framer: splits input into command or response units (lines plus literals) before any grammar runs.
//!
//! A unit is one command (server side) or one response (client side): a line
//! ending in CRLF, or several lines joined by literals (`{n}`, `{n+}`,
//! `~{n}`). The framer finds unit boundaries by counting literal octets, so
//! literal bytes are never scanned as commands. It enforces a per-line and a
//! per-unit size budget, a per-unit literal count (zero-length literal floods
//! count too), and the LITERAL- limit for non-synchronizing literals.
//!
//! On the server side every literal announcement is reported as
//! [`FrameEvent::Literal`] before its bytes are read. For a synchronizing
//! literal the framer then waits until the caller calls
//! [`Framer::accept_literal`] (and sends `+ ...`) or
//! [`Framer::reject_literal`] (and sends a tagged `NO`/`BAD`).
//!
//! When a unit breaks a limit it is *poisoned*: the framer reports
//! [`FrameEvent::Error`] with the unit's tag (if it could be read) and then
//! skips the rest of the unit, including the bytes of non-synchronizing
//! literals announced in it, so the connection can go on after a tagged BAD.
//!
//! ```
//! use mailwire_imap_proto::framer::{Framer, FramerConfig, FrameEvent};
//!
//! let mut f = Framer::new(FramerConfig::server());
//! f.feed(b"a1 LOGIN joe {6}\r\n");
//! let Some(FrameEvent::Literal(ann)) = f.poll() else { panic!() };
//! assert_eq!(ann.length, 6);
//! assert!(ann.needs_continuation);
//! assert_eq!(f.poll(), None); // waiting for the decision
//! f.accept_literal(); // ... and send "+ Ready"
//! f.feed(b"secret\r\na2 NOOP\r\n");
//! assert_eq!(f.poll(), Some(FrameEvent::Unit(b"a1 LOGIN joe {6}\r\nsecret\r\n"[..].into())));
//! assert_eq!(f.poll(), Some(FrameEvent::Unit(b"a2 NOOP\r\n"[..].into())));
//! assert_eq!(f.poll(), None);
//! ```

use bytes::{Bytes, BytesMut};

use crate::primitive::is_tag_char;

/// Which side's input is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Role {
    /// A server framing client commands: synchronizing literals wait for a decision.
    Server,
    /// A client framing server responses: literal data follows at once.
    Client,
}

/// Limits and behaviour of a [`Framer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FramerConfig {
    /// Whose input this is.
    pub role: Role,
    /// Longest line (between literals), CRLF included. Default 64 KiB.
    pub max_line_length: usize,
    /// Largest unit, literals included. Default 32 MiB.
    pub max_unit_size: usize,
    /// Most literals in one unit (zero-length ones included). Default 1024.
    pub max_literals_per_unit: usize,
    /// Largest non-synchronizing literal accepted: `None` with LITERAL+,
    /// `Some(4096)` with LITERAL- (RFC 7888 §4), `Some(0)` if neither was announced.
    pub max_non_sync_literal: Option<u64>,
    /// Largest poisoned literal the framer will read and discard to keep the
    /// connection; above it the error is marked fatal. Default 64 MiB.
    pub max_skip: u64,
}

impl FramerConfig {
    /// Defaults for a server that announced LITERAL+.
    #[must_use]
    pub fn server() -> Self {
        FramerConfig {
            role: Role::Server,
            max_line_length: 64 * 1024,
            max_unit_size: 32 * 1024 * 1024,
            max_literals_per_unit: 1024,
            max_non_sync_literal: None,
            max_skip: 64 * 1024 * 1024,
        }
    }

    /// Defaults for a client reading responses (large units: FETCH of big messages).
    #[must_use]
    pub fn client() -> Self {
        FramerConfig {
            role: Role::Client,
            max_line_length: 1024 * 1024,
            max_unit_size: 256 * 1024 * 1024,
            max_literals_per_unit: 100_000,
            max_non_sync_literal: None,
            max_skip: 1024 * 1024 * 1024,
        }
    }
}

impl Default for FramerConfig {
    fn default() -> Self {
        FramerConfig::server()
    }
}

/// A literal announcement `{n}`, `{n+}` or `~{n}` at the end of a line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LiteralAnnouncement {
    /// Announced octets.
    pub length: u64,
    /// `{n+}`: the bytes follow without waiting.
    pub non_sync: bool,
    /// `~{n}`: a literal8 (RFC 3516), may contain NUL.
    pub binary: bool,
    /// The server must answer (accept: `+`, reject: tagged NO/BAD) before the
    /// client sends the bytes; the framer waits for [`Framer::accept_literal`]
    /// or [`Framer::reject_literal`].
    pub needs_continuation: bool,
    /// The tag of the unit, if readable.
    pub tag: Option<Bytes>,
    /// Bytes of the unit so far (before the literal data).
    pub unit_so_far: usize,
}

/// Why a unit was poisoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum FrameErrorKind {
    /// A line longer than `max_line_length`.
    #[error("line too long")]
    LineTooLong,
    /// The unit exceeds `max_unit_size`.
    #[error("command too large")]
    UnitTooLarge,
    /// A literal that would exceed `max_unit_size`.
    #[error("literal too large ({0} octets)")]
    LiteralTooLarge(u64),
    /// A non-synchronizing literal above `max_non_sync_literal` (LITERAL-).
    #[error("non-synchronizing literal too large ({0} octets)")]
    NonSyncLiteralTooLarge(u64),
    /// More than `max_literals_per_unit` literals.
    #[error("too many literals")]
    TooManyLiterals,
    /// The caller rejected a synchronizing literal.
    #[error("literal rejected")]
    LiteralRejected,
}

/// A poisoned unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FrameError {
    /// What went wrong.
    pub kind: FrameErrorKind,
    /// The unit's tag, if it could be read (for a tagged BAD).
    pub tag: Option<Bytes>,
    /// The rest of the unit cannot be skipped (a non-synchronizing literal
    /// larger than `max_skip`); the connection should be closed.
    pub fatal: bool,
}

impl FrameError {
    /// Response code and text for the BAD/NO reply, e.g. `("TOOBIG", "literal too large ...")`.
    #[must_use]
    pub fn reply_text(&self) -> String {
        match self.kind {
            FrameErrorKind::LineTooLong
            | FrameErrorKind::UnitTooLarge
            | FrameErrorKind::LiteralTooLarge(_)
            | FrameErrorKind::NonSyncLiteralTooLarge(_) => format!("[TOOBIG] {}", self.kind),
            _ => self.kind.to_string(),
        }
    }
}

/// What [`Framer::poll`] found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FrameEvent {
    /// A complete unit, CRLF included, literals inline.
    Unit(Bytes),
    /// A literal announcement (server role).
    Literal(LiteralAnnouncement),
    /// A poisoned unit; the framer skips the rest of it.
    Error(FrameError),
    /// Octets of a literal passed through by [`Framer::stream_literal`]
    /// (never empty). After the last one the framer reads the rest of the
    /// unit: the line after the literal comes as [`FrameEvent::Unit`] (or
    /// [`FrameEvent::Literal`] if it announces another literal), holding
    /// only the bytes after the streamed literal.
    LiteralData(Bytes),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Scanning for the end of the line that starts at `line_start`.
    Line,
    /// Reading `remaining` literal octets.
    Literal { remaining: u64 },
    /// A sync literal was announced; waiting for accept/reject.
    Decide { length: u64 },
    /// Discarding the rest of a poisoned line (looking at its end for a literal).
    SkipLine,
    /// Discarding the octets of a literal of a poisoned unit.
    SkipLiteral { remaining: u64 },
    /// Passing the octets of a literal through as [`FrameEvent::LiteralData`].
    Stream { remaining: u64 },
}

/// The framer. See the [module documentation](self).
#[derive(Debug)]
pub struct Framer {
    cfg: FramerConfig,
    buf: BytesMut,
    state: State,
    /// Start of the current line within `buf`.
    line_start: usize,
    /// Bytes of `buf` already scanned for LF in the current line.
    scanned: usize,
    literals: usize,
    /// Last bytes of a line being skipped, to find a literal announcement.
    skip_tail: Vec<u8>,
    pending: Option<FrameEvent>,
    /// Tag of the unit being skipped.
    poison_tag: Option<Bytes>,
    units: u64,
}

const TAIL: usize = 32;

/// Longest tag the framer reports in errors and announcements.
const MAX_TAG: usize = 64;

impl Framer {
    /// A framer.
    #[must_use]
    pub fn new(cfg: FramerConfig) -> Self {
        Framer {
            cfg,
            buf: BytesMut::new(),
            state: State::Line,
            line_start: 0,
            scanned: 0,
            literals: 0,
            skip_tail: Vec::new(),
            pending: None,
            poison_tag: None,
            units: 0,
        }
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &FramerConfig {
        &self.cfg
    }

    /// Changes the non-synchronizing literal limit (e.g. after the capability set changes).
    pub fn set_max_non_sync_literal(&mut self, limit: Option<u64>) {
        self.cfg.max_non_sync_literal = limit;
    }

    /// Adds input. Call [`Framer::poll`] until it returns `None` afterwards.
    pub fn feed(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// Bytes buffered and not yet returned.
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Units returned so far (empty lines included).
    #[must_use]
    pub fn units(&self) -> u64 {
        self.units
    }

    /// `true` while a synchronizing literal waits for [`Framer::accept_literal`]
    /// or [`Framer::reject_literal`].
    #[must_use]
    pub fn awaiting_decision(&self) -> bool {
        matches!(self.state, State::Decide { .. })
    }

    /// Accepts the announced synchronizing literal: the caller sends a
    /// continuation request and the framer reads the bytes.
    pub fn accept_literal(&mut self) {
        if let State::Decide { length } = self.state {
            self.state = State::Literal { remaining: length };
        }
    }

    /// Rejects the announced synchronizing literal: the caller sends a tagged
    /// NO/BAD; the client will not send the bytes, so the unit ends here.
    pub fn reject_literal(&mut self) {
        if let State::Decide { .. } = self.state {
            self.drop_unit_upto(self.line_start);
            self.state = State::Line;
        }
    }

    /// The bytes of the current unit before the literal just announced
    /// (the whole unit so far; after a streamed literal, only the line
    /// after it). Empty unless a literal was just announced and its bytes
    /// have not been read yet.
    #[must_use]
    pub fn unit_prefix(&self) -> &[u8] {
        match self.state {
            State::Decide { .. } | State::Literal { .. } => {
                self.buf.get(..self.line_start).unwrap_or_default()
            }
            _ => &[],
        }
    }

    /// Streams the literal just announced (after [`FrameEvent::Literal`]:
    /// accepted with [`Framer::accept_literal`], or non-synchronizing)
    /// instead of buffering it: its octets come as
    /// [`FrameEvent::LiteralData`] chunks as they arrive, so memory stays
    /// bounded whatever its size. Returns the bytes of the unit before the
    /// literal (as [`Framer::unit_prefix`]), which the framer drops.
    /// Returns `None` (and changes nothing) if no announced literal is
    /// about to be read.
    pub fn stream_literal(&mut self) -> Option<Bytes> {
        let State::Literal { remaining } = self.state else {
            return None;
        };
        if (self.buf.len() as u64) < self.line_start as u64 {
            return None;
        }
        let prefix = self.buf.split_to(self.line_start).freeze();
        self.line_start = 0;
        self.scanned = 0;
        self.state = State::Stream { remaining };
        Some(prefix)
    }

    /// Skips the rest of the current unit as if it were poisoned (no
    /// error event): an announced non-synchronizing literal is read and
    /// discarded, a synchronizing one waiting for a decision is rejected.
    pub fn skip_unit(&mut self) {
        match self.state {
            State::Decide { .. } => self.reject_literal(),
            State::Literal { remaining } | State::Stream { remaining } => {
                let _ = self.buf.split_to(self.line_start.min(self.buf.len()));
                self.reset_unit();
                self.state = State::SkipLiteral { remaining };
            }
            _ => {}
        }
    }

    /// The next event, or `None` if more input (or a decision) is needed.
    pub fn poll(&mut self) -> Option<FrameEvent> {
        if let Some(e) = self.pending.take() {
            return Some(e);
        }
        loop {
            match self.state {
                State::Decide { .. } => return None,
                State::Stream { remaining } => {
                    if remaining == 0 {
                        self.state = State::Line;
                        continue;
                    }
                    if self.buf.is_empty() {
                        return None;
                    }
                    let take = usize::try_from(remaining)
                        .unwrap_or(usize::MAX)
                        .min(self.buf.len());
                    let chunk = self.buf.split_to(take).freeze();
                    self.state = State::Stream {
                        remaining: remaining - take as u64,
                    };
                    return Some(FrameEvent::LiteralData(chunk));
                }
                State::Literal { remaining } => {
                    let have = (self.buf.len() - self.line_start) as u64;
                    if have < remaining {
                        return None;
                    }
                    // remaining <= have <= buf.len(), so it fits usize.
                    self.line_start += remaining as usize;
                    self.scanned = self.line_start;
                    self.state = State::Line;
                }
                State::SkipLiteral { remaining } => {
                    let have = self.buf.len() as u64;
                    if have < remaining {
                        let _ = self.buf.split_to(self.buf.len());
                        self.state = State::SkipLiteral {
                            remaining: remaining - have,
                        };
                        return None;
                    }
                    let _ = self.buf.split_to(remaining as usize);
                    self.skip_tail.clear();
                    self.state = State::SkipLine;
                }
                State::SkipLine => {
                    match memchr::memchr(b'\n', &self.buf) {
                        None => {
                            let n = self.buf.len();
                            let chunk = self.buf.split_to(n);
                            push_tail(&mut self.skip_tail, &chunk);
                            return None;
                        }
                        Some(i) => {
                            let chunk = self.buf.split_to(i + 1);
                            push_tail(&mut self.skip_tail, &chunk);
                            let ann = announcement(&self.skip_tail);
                            self.skip_tail.clear();
                            self.reset_unit();
                            match ann {
                                // The client sends a non-sync literal's bytes anyway.
                                Some((n, true, _)) => {
                                    self.state = State::SkipLiteral { remaining: n };
                                    if n > self.cfg.max_skip {
                                        return Some(self.fatal_skip(n));
                                    }
                                }
                                // A sync literal will not be sent (no `+`): the unit ends.
                                _ => self.state = State::Line,
                            }
                        }
                    }
                }
                State::Line => {
                    let from = self.scanned.max(self.line_start);
                    let Some(rel) = memchr::memchr(b'\n', &self.buf[from..]) else {
                        self.scanned = self.buf.len();
                        if let Some(kind) = self.crossed(self.buf.len()) {
                            return Some(self.poison_mid_line(kind));
                        }
                        return None;
                    };
                    let end = from + rel + 1; // index after LF
                    if let Some(kind) = self.crossed(end) {
                        return Some(self.poison_at_line_end(end, kind));
                    }
                    let line = &self.buf[self.line_start..end];
                    match announcement(line) {
                        None => {
                            let unit = self.buf.split_to(end).freeze();
                            self.reset_unit();
                            self.units += 1;
                            return Some(FrameEvent::Unit(unit));
                        }
                        Some((n, non_sync, binary)) => {
                            self.literals += 1;
                            if self.literals > self.cfg.max_literals_per_unit {
                                return Some(
                                    self.poison_at_line_end(end, FrameErrorKind::TooManyLiterals),
                                );
                            }
                            if (end as u64).saturating_add(n) > self.cfg.max_unit_size as u64 {
                                return Some(
                                    self.poison_at_line_end(
                                        end,
                                        FrameErrorKind::LiteralTooLarge(n),
                                    ),
                                );
                            }
                            if non_sync
                                && self.cfg.role == Role::Server
                                && self.cfg.max_non_sync_literal.is_some_and(|m| n > m)
                            {
                                return Some(self.poison_at_line_end(
                                    end,
                                    FrameErrorKind::NonSyncLiteralTooLarge(n),
                                ));
                            }
                            self.line_start = end;
                            self.scanned = end;
                            if self.cfg.role == Role::Client {
                                self.state = State::Literal { remaining: n };
                                continue;
                            }
                            let ann = LiteralAnnouncement {
                                length: n,
                                non_sync,
                                binary,
                                needs_continuation: !non_sync,
                                tag: self.tag(),
                                unit_so_far: end,
                            };
                            self.state = if non_sync {
                                State::Literal { remaining: n }
                            } else {
                                State::Decide { length: n }
                            };
                            return Some(FrameEvent::Literal(ann));
                        }
                    }
                }
            }
        }
    }

    /// Which budget the current line crossed first, if any, with `len` bytes
    /// of the unit present. "First" in arrival order, so the verdict is the
    /// same however the input was chunked.
    fn crossed(&self, len: usize) -> Option<FrameErrorKind> {
        let line_cross = self
            .line_start
            .saturating_add(self.cfg.max_line_length)
            .saturating_add(1);
        let unit_cross = self.cfg.max_unit_size.saturating_add(1);
        match (line_cross <= len, unit_cross <= len) {
            (true, true) if unit_cross < line_cross => Some(FrameErrorKind::UnitTooLarge),
            (true, _) => Some(FrameErrorKind::LineTooLong),
            (false, true) => Some(FrameErrorKind::UnitTooLarge),
            (false, false) => None,
        }
    }

    fn reset_unit(&mut self) {
        self.line_start = 0;
        self.scanned = 0;
        self.literals = 0;
    }

    fn drop_unit_upto(&mut self, end: usize) {
        let _ = self.buf.split_to(end.min(self.buf.len()));
        self.reset_unit();
    }

    /// The unit's tag: tag characters followed by SP, at most 64 bytes (and
    /// shorter than a line, so the answer never depends on how much of a long
    /// line has arrived).
    fn tag(&self) -> Option<Bytes> {
        let limit = MAX_TAG.min(self.cfg.max_line_length.saturating_sub(1));
        let window = &self.buf[..self.buf.len().min(limit + 1)];
        let end = window.iter().position(|&b| !is_tag_char(b))?;
        if end == 0 || window.get(end) != Some(&b' ') {
            return None;
        }
        Some(Bytes::copy_from_slice(&self.buf[..end]))
    }

    /// Poisons the unit while its current line has no end yet.
    fn poison_mid_line(&mut self, kind: FrameErrorKind) -> FrameEvent {
        let tag = self.tag();
        self.poison_tag.clone_from(&tag);
        let n = self.buf.len();
        let chunk = self.buf.split_to(n);
        self.skip_tail.clear();
        push_tail(
            &mut self.skip_tail,
            &chunk[self.line_start.min(chunk.len())..],
        );
        self.reset_unit();
        self.state = State::SkipLine;
        FrameEvent::Error(FrameError {
            kind,
            tag,
            fatal: false,
        })
    }

    /// Poisons the unit whose current line ends at `end`.
    fn poison_at_line_end(&mut self, end: usize, kind: FrameErrorKind) -> FrameEvent {
        let tag = self.tag();
        self.poison_tag.clone_from(&tag);
        let ann = announcement(&self.buf[self.line_start..end]);
        self.drop_unit_upto(end);
        let mut fatal = false;
        self.state = match ann {
            Some((n, true, _)) => {
                if n > self.cfg.max_skip {
                    // Errors found only at the line end know the literal now; a long
                    // line may have been reported before its end was seen, so for
                    // those the fatal verdict is a separate event (the same in both
                    // cases, whatever the chunking).
                    if matches!(
                        kind,
                        FrameErrorKind::LineTooLong | FrameErrorKind::UnitTooLarge
                    ) {
                        self.pending = Some(self.fatal_skip(n));
                    } else {
                        fatal = true;
                    }
                }
                State::SkipLiteral { remaining: n }
            }
            _ => State::Line,
        };
        FrameEvent::Error(FrameError { kind, tag, fatal })
    }

    /// The poisoned unit announced a non-synchronizing literal too large to skip.
    fn fatal_skip(&self, n: u64) -> FrameEvent {
        FrameEvent::Error(FrameError {
            kind: FrameErrorKind::LiteralTooLarge(n),
            tag: self.poison_tag.clone(),
            fatal: true,
        })
    }
}

fn push_tail(tail: &mut Vec<u8>, chunk: &[u8]) {
    if chunk.len() >= TAIL {
        tail.clear();
        tail.extend_from_slice(&chunk[chunk.len() - TAIL..]);
    } else {
        tail.extend_from_slice(chunk);
        if tail.len() > TAIL {
            tail.drain(..tail.len() - TAIL);
        }
    }
}

/// If `line` (ending in LF, normally CRLF) ends with a literal announcement,
/// returns (length, non-sync, literal8).
fn announcement(line: &[u8]) -> Option<(u64, bool, bool)> {
    let line = line.strip_suffix(b"\n")?;
    let line = line.strip_suffix(b"\r")?;
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let mut digits = &inner[open + 1..];
    let non_sync = if let Some(d) = digits.strip_suffix(b"+") {
        digits = d;
        true
    } else {
        false
    };
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut n: u64 = 0;
    for &d in digits {
        n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    let binary = open > 0 && inner[open - 1] == b'~';
    Some((n, non_sync, binary))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn announcements() {
        assert_eq!(announcement(b"a {5}\r\n"), Some((5, false, false)));
        assert_eq!(announcement(b"a {5+}\r\n"), Some((5, true, false)));
        assert_eq!(announcement(b"a ~{5}\r\n"), Some((5, false, true)));
        assert_eq!(announcement(b"a {}\r\n"), None);
        assert_eq!(announcement(b"a {5}x\r\n"), None);
        assert_eq!(announcement(b"a {99999999999999999999}\r\n"), None);
        assert_eq!(announcement(b"a {5}\n"), None);
    }

    #[test]
    fn byte_by_byte_equals_whole() {
        let input: &[u8] = b"a1 NOOP\r\na2 LOGIN {3+}\r\nabc {2+}\r\nde\r\n\r\na3 X\r\n";
        let mut whole = Framer::new(FramerConfig::server());
        whole.feed(input);
        let mut a = Vec::new();
        while let Some(e) = whole.poll() {
            a.push(e);
        }
        let mut split = Framer::new(FramerConfig::server());
        let mut b = Vec::new();
        for &x in input {
            split.feed(&[x]);
            while let Some(e) = split.poll() {
                b.push(e);
            }
        }
        assert_eq!(a, b);
        let units: Vec<_> = a
            .iter()
            .filter_map(|e| match e {
                FrameEvent::Unit(u) => Some(u.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(units.len(), 4);
        assert_eq!(&units[1][..], b"a2 LOGIN {3+}\r\nabc {2+}\r\nde\r\n");
        assert_eq!(&units[2][..], b"\r\n");
    }

    #[test]
    fn streamed_literal_then_rest_of_unit() {
        let input: &[u8] = b"a APPEND X {10+}\r\n0123456789 {3+}\r\nabc\r\nb NOOP\r\n";
        for step in [1, 3, input.len()] {
            let mut f = Framer::new(FramerConfig::server());
            let mut data = Vec::new();
            let mut units = Vec::new();
            let mut streams = 0;
            for piece in input.chunks(step) {
                f.feed(piece);
                while let Some(e) = f.poll() {
                    match e {
                        FrameEvent::Literal(ann) => {
                            assert!(!f.unit_prefix().is_empty());
                            if ann.length == 10 {
                                let prefix = f.stream_literal().unwrap();
                                assert_eq!(&prefix[..], b"a APPEND X {10+}\r\n");
                                streams += 1;
                            } else {
                                // The rest of the unit, skipped.
                                assert_eq!(f.unit_prefix(), b" {3+}\r\n");
                                f.skip_unit();
                            }
                        }
                        FrameEvent::LiteralData(d) => {
                            assert!(!d.is_empty() && d.len() <= step);
                            data.extend_from_slice(&d);
                        }
                        FrameEvent::Unit(u) => units.push(u),
                        FrameEvent::Error(e) => panic!("{e:?}"),
                    }
                }
            }
            assert_eq!(streams, 1);
            assert_eq!(data, b"0123456789");
            assert_eq!(units, vec![Bytes::from_static(b"b NOOP\r\n")]);
            assert_eq!(f.buffered(), 0);
        }
    }
}
