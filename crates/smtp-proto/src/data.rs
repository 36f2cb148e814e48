//! DATA content: the receiver that removes dot-stuffing and finds the end of
//! data (RFC 5321 §4.1.1.4, §4.5.2), and the sender-side encoder.
//!
//! Smuggling rules: only `CRLF . CRLF` ends the data, the CRLF that ended the
//! `DATA` command counts as the first CRLF (so a first line `.` ends an empty
//! message), and a bare CR or bare LF never ends the data nor a line. Bare
//! line endings are rejected by default or normalized to CRLF by
//! configuration.

use bytes::{BufMut, Bytes, BytesMut};

/// What to do with a bare CR or bare LF in message data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BareLineEndings {
    /// Fail the message (the rest of the data is read and discarded).
    #[default]
    Reject,
    /// Replace each bare CR or LF with CRLF in the delivered content. It
    /// still never ends a line for dot handling, nor the data.
    Normalize,
}

/// Why received data was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// A bare CR or LF at this offset of the data stream.
    #[error("bare CR or LF in data at offset {offset}")]
    BareLineEnding {
        /// Offset from the start of the data.
        offset: u64,
    },
    /// The message exceeded the size limit.
    #[error("message exceeds {limit} octets")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// A line exceeded the data line limit.
    #[error("data line exceeds {limit} octets")]
    LineTooLong {
        /// The limit.
        limit: usize,
    },
}

impl DataError {
    /// The reply a server sends after the end of data.
    pub fn reply(&self) -> crate::Reply {
        match self {
            DataError::BareLineEnding { .. } => crate::Reply::from_code(
                554,
                Some((5, 6, 0)),
                "Bare CR or LF in message data not allowed",
            ),
            DataError::TooLarge { .. } => {
                crate::Reply::from_code(552, Some((5, 3, 4)), "Message size exceeds fixed maximum")
            }
            DataError::LineTooLong { .. } => {
                crate::Reply::from_code(554, Some((5, 6, 0)), "Message line too long")
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    LineStart,
    Dot,
    DotCr,
    Mid,
    Cr,
    Done,
}

/// Streaming DATA receiver: feed raw bytes, get unstuffed content.
///
/// ```
/// use bytes::BytesMut;
/// use mailwire_smtp_proto::data::{DataDecoder, BareLineEndings};
/// let mut d = DataDecoder::new(BareLineEndings::Reject, 1000, None);
/// let mut out = BytesMut::new();
/// let input = b"..hidden\r\nbody\r\n.\r\nMAIL FROM:<>\r\n";
/// let (used, done) = d.decode(input, &mut out);
/// assert!(done);
/// assert_eq!(&input[used..], b"MAIL FROM:<>\r\n");
/// assert_eq!(&out[..], b".hidden\r\nbody\r\n");
/// ```
#[derive(Debug, Clone)]
pub struct DataDecoder {
    state: State,
    bare: BareLineEndings,
    max_size: u64,
    max_line: Option<usize>,
    size: u64,
    consumed: u64,
    line_len: usize,
    error: Option<DataError>,
}

impl DataDecoder {
    /// A decoder positioned just after the CRLF of the `DATA` command.
    pub fn new(bare: BareLineEndings, max_size: u64, max_line: Option<usize>) -> DataDecoder {
        DataDecoder {
            state: State::LineStart,
            bare,
            max_size,
            max_line,
            size: 0,
            consumed: 0,
            line_len: 0,
            error: None,
        }
    }

    /// The first error met; once set, content is no longer produced.
    pub fn error(&self) -> Option<DataError> {
        self.error
    }

    /// Octets of content produced so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether the terminating `CRLF.CRLF` was seen.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    fn fail(&mut self, e: DataError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// Content `input[start..end]` (or its part within the size limit).
    fn emit<S: Sink>(&mut self, out: &mut S, input: &[u8], start: usize, end: usize) {
        if self.error.is_some() || end <= start {
            return;
        }
        let len = (end - start) as u64;
        let room = self.max_size - self.size;
        if len > room {
            // Produce exactly the first `max_size` octets, however the
            // input was split, then fail.
            let fit = usize::try_from(room).unwrap_or(usize::MAX).min(end - start);
            out.range(input, start, start + fit);
            self.size = self.max_size;
            self.fail(DataError::TooLarge {
                limit: self.max_size,
            });
            return;
        }
        self.size += len;
        out.range(input, start, end);
    }

    /// Content that is not a slice of the current input (a CRLF whose CR
    /// came in an earlier call, or one made by normalization).
    fn emit_lit<S: Sink>(&mut self, out: &mut S, bytes: &'static [u8]) {
        if self.error.is_some() {
            return;
        }
        let room = self.max_size - self.size;
        if bytes.len() as u64 > room {
            let fit = usize::try_from(room).unwrap_or(usize::MAX).min(bytes.len());
            out.lit(bytes.get(..fit).unwrap_or(&[]));
            self.size = self.max_size;
            self.fail(DataError::TooLarge {
                limit: self.max_size,
            });
            return;
        }
        self.size += bytes.len() as u64;
        out.lit(bytes);
    }

    fn line_exceeds(&self, n: usize) -> bool {
        self.max_line.is_some_and(|max| self.line_len + n + 2 > max)
    }

    fn bare<S: Sink>(&mut self, out: &mut S, offset: u64) {
        match self.bare {
            BareLineEndings::Reject => {
                self.fail(DataError::BareLineEnding { offset });
            }
            BareLineEndings::Normalize => self.emit_lit(out, b"\r\n"),
        }
    }

    fn grow_line(&mut self, n: usize) {
        self.line_len += n;
        if let Some(max) = self.max_line
            && self.line_len + 2 > max
        {
            self.fail(DataError::LineTooLong { limit: max });
        }
    }

    /// With a line limit: the end of the longest run of complete lines at
    /// `input[from..]` (in state `Mid`) that needs no per-byte handling:
    /// every LF is preceded by its CR, there is no other CR (checked by
    /// counting CRs over the whole run, so a bare CR anywhere sends the run
    /// to the precise path), no line exceeds the line limit, the run fits in
    /// the size limit, and it stops right after the CRLF before a line
    /// starting with `.`. Returns `from` when no such run exists; the
    /// precise path then handles the bytes and reports any error exactly as
    /// before.
    fn clean_run(&self, input: &[u8], from: usize) -> usize {
        let Some(hay) = input.get(from..) else {
            return from;
        };
        let mut good = 0;
        let mut lines = 0usize;
        let mut line_start = 0;
        let mut line_len = self.line_len;
        for lf in memchr::memchr_iter(b'\n', hay) {
            // The CR must be this line's own byte just before the LF.
            if lf <= line_start || hay.get(lf - 1) != Some(&b'\r') {
                break;
            }
            if self
                .max_line
                .is_some_and(|max| line_len + (lf - 1 - line_start) + 2 > max)
            {
                break;
            }
            lines += 1;
            good = lf + 1;
            line_start = good;
            line_len = 0;
            if hay.get(good) == Some(&b'.') {
                break;
            }
        }
        if good == 0 {
            return from;
        }
        let run = hay.get(..good).unwrap_or(&[]);
        if memchr::memchr_iter(b'\r', run).count() != lines {
            return from;
        }
        if self.error.is_none() && good as u64 > self.max_size.saturating_sub(self.size) {
            return from;
        }
        from + good
    }

    /// Consumes bytes from `input`, appending content to `out`. Returns the
    /// bytes consumed and whether the end of data was reached; bytes after
    /// the end are left to the caller. When an error is first detected the
    /// call returns early (just after the offending byte), so `out` holds
    /// exactly the content before the error; call again for the rest.
    pub fn decode(&mut self, input: &[u8], out: &mut BytesMut) -> (usize, bool) {
        self.run(input, out)
    }

    /// [`DataDecoder::decode`] without copying: the content is appended to
    /// `out` as slices of `input` (reference-counted views of the same
    /// buffer), one per stretch between removed stuffing dots. Only a CRLF
    /// whose CR ended the previous call, or one made by
    /// [`BareLineEndings::Normalize`], is a separate static chunk. Same
    /// checks, limits, errors and return value as `decode`; concatenated,
    /// the chunks are the octets `decode` would have produced.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use mailwire_smtp_proto::data::{DataDecoder, BareLineEndings};
    /// let mut d = DataDecoder::new(BareLineEndings::Reject, 1000, None);
    /// let input = Bytes::from_static(b"..hidden\r\nbody\r\n.\r\nQUIT\r\n");
    /// let mut chunks = Vec::new();
    /// let (used, done) = d.decode_bytes(&input, &mut chunks);
    /// assert!(done);
    /// assert_eq!(&input[used..], b"QUIT\r\n");
    /// assert_eq!(chunks, [Bytes::from_static(b".hidden\r\nbody\r\n")]);
    /// // The chunk is a view of `input`, not a copy.
    /// assert_eq!(chunks[0].as_ptr(), input[1..].as_ptr());
    /// ```
    pub fn decode_bytes(&mut self, input: &Bytes, out: &mut Vec<Bytes>) -> (usize, bool) {
        let mut sink = Slices {
            src: input,
            out,
            pending: None,
        };
        let r = self.run(input, &mut sink);
        sink.flush();
        r
    }

    fn run<S: Sink>(&mut self, input: &[u8], out: &mut S) -> (usize, bool) {
        let mut i = 0;
        let clean = self.error.is_none();
        while i < input.len() {
            if clean && self.error.is_some() {
                // Stop right after the first error so the caller can tell
                // content before it from content after it.
                break;
            }
            match self.state {
                State::Done => break,
                State::Mid => {
                    if self.max_line.is_none() {
                        // Fastest path: a stretch verified 32 octets at a
                        // time (see `clean_prefix`); what follows it goes
                        // to the precise path below.
                        let hay = input.get(i..).unwrap_or(&[]);
                        let hay = if self.error.is_none() {
                            let room = self.max_size - self.size;
                            hay.get(..usize::try_from(room).unwrap_or(usize::MAX))
                                .unwrap_or(hay)
                        } else {
                            hay
                        };
                        let n = clean_prefix(hay);
                        if n > 0 {
                            self.emit(out, input, i, i + n);
                            i += n;
                            if i >= input.len() {
                                break;
                            }
                        }
                    } else {
                        // A run of complete, clean lines verified with
                        // whole-run scans (see `clean_run`).
                        let end = self.clean_run(input, i);
                        if end > i {
                            self.emit(out, input, i, end);
                            self.line_len = 0;
                            self.state = State::LineStart;
                            i = end;
                            continue;
                        }
                    }
                    // Precise path: copy whole runs of ordinary CRLF-terminated
                    // lines at once; stop at a line starting with '.', a bare
                    // CR/LF, or the end of the input.
                    let start = i;
                    let mut pos = i;
                    let mut line_start = i;
                    loop {
                        let found = memchr::memchr2(b'\r', b'\n', &input[pos..]);
                        let at = found.map_or(input.len(), |j| pos + j);
                        if self.error.is_none() && self.line_exceeds(at - line_start) {
                            self.emit(out, input, start, line_start);
                            let limit = self.max_line.unwrap_or(0);
                            self.fail(DataError::LineTooLong { limit });
                            // Keep scanning for the end of data; nothing
                            // more is produced.
                        }
                        if found.is_none() {
                            self.emit(out, input, start, input.len());
                            self.line_len += input.len() - line_start;
                            i = input.len();
                            break;
                        }
                        if input[at] == b'\r' && input.get(at + 1) == Some(&b'\n') {
                            let next = at + 2;
                            self.line_len = 0;
                            line_start = next;
                            if next >= input.len() || input[next] == b'.' {
                                self.emit(out, input, start, next);
                                self.state = State::LineStart;
                                i = next;
                                break;
                            }
                            pos = next;
                        } else {
                            // A bare LF, or a CR whose LF is not here yet.
                            self.emit(out, input, start, at);
                            self.line_len += at - line_start;
                            i = at + 1;
                            if input[at] == b'\r' {
                                self.state = State::Cr;
                            } else {
                                self.bare(out, self.consumed + at as u64);
                            }
                            break;
                        }
                    }
                }
                State::Cr => {
                    if input[i] == b'\n' {
                        self.emit_lit(out, b"\r\n");
                        self.line_len = 0;
                        self.state = State::LineStart;
                        i += 1;
                    } else {
                        self.bare(out, (self.consumed + i as u64).saturating_sub(1));
                        self.state = State::Mid;
                    }
                }
                State::LineStart => {
                    if input[i] == b'.' {
                        self.state = State::Dot;
                        i += 1;
                    } else {
                        self.state = State::Mid;
                    }
                }
                State::Dot => match input[i] {
                    b'\r' => {
                        self.state = State::DotCr;
                        i += 1;
                    }
                    b'.' => {
                        // The second dot is the content: a slice of the
                        // input, adjacent to the rest of the line.
                        self.emit(out, input, i, i + 1);
                        self.grow_line(2);
                        self.state = State::Mid;
                        i += 1;
                    }
                    _ => {
                        // §4.5.2: a leading period followed by other text is deleted.
                        self.grow_line(1);
                        self.state = State::Mid;
                    }
                },
                State::DotCr => {
                    if input[i] == b'\n' {
                        i += 1;
                        self.state = State::Done;
                        self.consumed += i as u64;
                        return (i, true);
                    }
                    // ". CR x": the CR is bare; it ends nothing.
                    self.bare(out, (self.consumed + i as u64).saturating_sub(1));
                    self.grow_line(1);
                    self.state = State::Mid;
                }
            }
        }
        self.consumed += i as u64;
        (i, self.state == State::Done)
    }
}

/// Octets per step of [`clean_prefix`].
const BLOCK: usize = 64;

/// The length of the prefix of `hay` (the decoder in state `Mid` at
/// `hay[0]`) that needs no per-byte handling: every CR in it is followed by
/// LF and every LF preceded by CR, no line in it starts with `.`, and it
/// does not end between a CR and its LF. Checked `BLOCK` octets at a time by
/// a branch-free kernel that the compiler turns into vector compares: one
/// pass over the data looks at every CR and LF (bare line endings and
/// `CRLF .` included) without a call per line.
fn clean_prefix(hay: &[u8]) -> usize {
    // In state Mid a CR just before `hay` would have been consumed into
    // state Cr, so an LF first is bare.
    if hay.first() == Some(&b'\n') {
        return 0;
    }
    let mut i = 0;
    while let Some(w) = hay.get(i..i + BLOCK + 1) {
        let Ok(w) = <&[u8; BLOCK + 1]>::try_from(w) else {
            break;
        };
        if block_needs_care(w) {
            break;
        }
        i += BLOCK;
    }
    // Every pair (k, k + 1) with k < i was checked, including the one
    // across the end: do not stop between a CR and its LF.
    if i > 0 && hay.get(i - 1) == Some(&b'\r') {
        i -= 1;
    }
    i
}

/// Whether any of the `BLOCK` pairs `(w[k], w[k + 1])` is a CR not followed
/// by LF, an LF not preceded by CR, or an LF followed by `.`. The first pass
/// flags bad pairing and any `.` (three compares per lane, one branch per
/// block); only a flagged block is looked at again, for `LF .` exactly.
#[inline(always)]
fn block_needs_care(w: &[u8; BLOCK + 1]) -> bool {
    let (a, b) = (&w[..BLOCK], &w[1..]);
    let mut flag = 0u8;
    for (&x, &y) in a.iter().zip(b) {
        flag |= (u8::from(x == b'\r') ^ u8::from(y == b'\n')) | u8::from(y == b'.');
    }
    if flag == 0 {
        return false;
    }
    let mut bad = 0u8;
    for (&x, &y) in a.iter().zip(b) {
        bad |= (u8::from(x == b'\r') ^ u8::from(y == b'\n'))
            | (u8::from(x == b'\n') & u8::from(y == b'.'));
    }
    bad != 0
}

/// Where decoded content goes.
trait Sink {
    /// Content `input[start..end]`.
    fn range(&mut self, input: &[u8], start: usize, end: usize);
    /// Content that is not part of the current input.
    fn lit(&mut self, bytes: &'static [u8]);
}

impl Sink for BytesMut {
    fn range(&mut self, input: &[u8], start: usize, end: usize) {
        self.put_slice(input.get(start..end).unwrap_or(&[]));
    }
    fn lit(&mut self, bytes: &'static [u8]) {
        self.put_slice(bytes);
    }
}

/// Zero-copy sink: adjacent ranges are merged, then sliced from `src`.
struct Slices<'o> {
    src: &'o Bytes,
    out: &'o mut Vec<Bytes>,
    pending: Option<(usize, usize)>,
}

impl Slices<'_> {
    fn flush(&mut self) {
        if let Some((s, e)) = self.pending.take() {
            self.out.push(self.src.slice(s..e));
        }
    }
}

impl Sink for Slices<'_> {
    fn range(&mut self, _input: &[u8], start: usize, end: usize) {
        match &mut self.pending {
            Some((_, e)) if *e == start => *e = end,
            _ => {
                self.flush();
                self.pending = Some((start, end));
            }
        }
    }
    fn lit(&mut self, bytes: &'static [u8]) {
        self.flush();
        self.out.push(Bytes::from_static(bytes));
    }
}

/// Why a body could not be encoded for DATA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A bare CR or LF at this offset, with [`BareLineEndings::Reject`].
    #[error("bare CR or LF in message at offset {offset}")]
    BareLineEnding {
        /// Offset in the body.
        offset: usize,
    },
}

/// Normalizes line endings to CRLF (or fails on a bare CR/LF with
/// `Reject`), appending to `out`. Ensures the result ends with CRLF unless
/// empty. With `dot_stuff`, doubles a leading `.` on every line, the first
/// included, and appends the terminating `.CRLF`.
///
/// ```
/// use mailwire_smtp_proto::data::{encode_body, BareLineEndings};
/// let mut out = Vec::new();
/// encode_body(b".first\nsecond", BareLineEndings::Normalize, true, &mut out).unwrap();
/// assert_eq!(out, b"..first\r\nsecond\r\n.\r\n");
/// ```
pub fn encode_body(
    body: &[u8],
    bare: BareLineEndings,
    dot_stuff: bool,
    out: &mut impl BufMut,
) -> Result<(), EncodeError> {
    let mut enc = BodyEncoder::new(bare, dot_stuff);
    enc.encode(body, out)?;
    enc.finish(out)
}

/// The streaming form of [`encode_body`]: the body arrives in chunks of
/// any size and the output is byte for byte what [`encode_body`] writes for
/// the concatenated body. A CR at the end of one chunk waits for the next
/// to tell CRLF from a bare CR, and a line that starts in a new chunk is
/// still dot-stuffed (RFC 5321 §4.5.2).
///
/// ```
/// use mailwire_smtp_proto::data::{BareLineEndings, BodyEncoder};
/// let mut enc = BodyEncoder::new(BareLineEndings::Normalize, true);
/// let mut out = Vec::new();
/// enc.encode(b"a\r", &mut out).unwrap();
/// enc.encode(b"\n.b", &mut out).unwrap();
/// enc.finish(&mut out).unwrap();
/// assert_eq!(out, b"a\r\n..b\r\n.\r\n");
/// ```
#[derive(Debug, Clone)]
pub struct BodyEncoder {
    bare: BareLineEndings,
    dot_stuff: bool,
    line_start: bool,
    pending_cr: bool,
    offset: usize,
    finished: bool,
}

impl BodyEncoder {
    /// A new encoder; `dot_stuff` for DATA, not for BDAT.
    pub fn new(bare: BareLineEndings, dot_stuff: bool) -> BodyEncoder {
        BodyEncoder {
            bare,
            dot_stuff,
            line_start: true,
            pending_cr: false,
            offset: 0,
            finished: false,
        }
    }

    /// Body octets consumed so far.
    pub fn consumed(&self) -> u64 {
        self.offset as u64
    }

    /// Encodes the next chunk, appending to `out`. With
    /// [`BareLineEndings::Reject`], a bare CR or LF is an error carrying
    /// its offset in the whole body (output before it may have been
    /// written; the message must be abandoned).
    pub fn encode(&mut self, chunk: &[u8], out: &mut impl BufMut) -> Result<(), EncodeError> {
        let base = self.offset;
        self.offset += chunk.len();
        let mut i = 0;
        if self.pending_cr && !chunk.is_empty() {
            self.pending_cr = false;
            if chunk.first() == Some(&b'\n') {
                i = 1;
            } else if self.bare == BareLineEndings::Reject {
                return Err(EncodeError::BareLineEnding {
                    offset: base.saturating_sub(1),
                });
            }
            out.put_slice(b"\r\n");
            self.line_start = true;
        }
        // Whether the last line ended with CRLF: then the lines after it
        // are likely clean too, and worth a look by the block kernel.
        let mut clean_so_far = true;
        while let Some(rest) = chunk.get(i..).filter(|r| !r.is_empty()) {
            if self.line_start && self.dot_stuff && rest.first() == Some(&b'.') {
                out.put_u8(b'.');
            }
            self.line_start = false;
            if clean_so_far {
                // Lines that need nothing (CRLF ends, no leading ".") are
                // copied in one go: the receiver's kernel finds them.
                let k = clean_prefix(rest);
                if k > 0 {
                    out.put_slice(rest.get(..k).unwrap_or_default());
                    i += k;
                    self.line_start = rest.get(k - 1) == Some(&b'\n');
                    continue;
                }
            }
            match memchr::memchr2(b'\r', b'\n', rest) {
                None => {
                    out.put_slice(rest);
                    i = chunk.len();
                }
                Some(j) => {
                    out.put_slice(rest.get(..j).unwrap_or_default());
                    let is_cr = rest.get(j) == Some(&b'\r');
                    if is_cr && j + 1 == rest.len() {
                        // Decided by the next chunk (or by finish).
                        self.pending_cr = true;
                        i = chunk.len();
                        continue;
                    }
                    let crlf = is_cr && rest.get(j + 1) == Some(&b'\n');
                    if !crlf && self.bare == BareLineEndings::Reject {
                        return Err(EncodeError::BareLineEnding {
                            offset: base + i + j,
                        });
                    }
                    out.put_slice(b"\r\n");
                    i += j + if crlf { 2 } else { 1 };
                    self.line_start = true;
                    clean_so_far = crlf;
                }
            }
        }
        Ok(())
    }

    /// Ends the body: a last line without CRLF gets one, and with dot
    /// stuffing the terminating `.CRLF` follows. Calling it again writes
    /// nothing.
    pub fn finish(&mut self, out: &mut impl BufMut) -> Result<(), EncodeError> {
        if self.finished {
            return Ok(());
        }
        if self.pending_cr {
            if self.bare == BareLineEndings::Reject {
                return Err(EncodeError::BareLineEnding {
                    offset: self.offset.saturating_sub(1),
                });
            }
            self.pending_cr = false;
            out.put_slice(b"\r\n");
            self.line_start = true;
        }
        self.finished = true;
        if !self.line_start {
            out.put_slice(b"\r\n");
        }
        if self.dot_stuff {
            out.put_slice(b".\r\n");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn decode_all(d: &mut DataDecoder, input: &[u8], out: &mut BytesMut) -> (usize, bool) {
        let mut pos = 0;
        loop {
            let (n, done) = d.decode(&input[pos..], out);
            pos += n;
            if done || n == 0 || pos == input.len() {
                return (pos, done);
            }
        }
    }

    fn run(input: &[u8], bare: BareLineEndings) -> (Vec<u8>, bool, Option<DataError>, usize) {
        let mut d = DataDecoder::new(bare, 1 << 20, None);
        let mut out = BytesMut::new();
        let (n, done) = decode_all(&mut d, input, &mut out);
        (out.to_vec(), done, d.error(), n)
    }

    #[test]
    fn first_line_dot_is_empty_message() {
        let (out, done, err, n) = run(b".\r\nQUIT\r\n", BareLineEndings::Reject);
        assert!(done && out.is_empty() && err.is_none());
        assert_eq!(n, 3);
    }

    #[test]
    fn unstuffing() {
        let (out, done, err, _) = run(b"..a\r\n.b\r\n...\r\nc\r\n.\r\n", BareLineEndings::Reject);
        assert!(done && err.is_none());
        assert_eq!(out, b".a\r\nb\r\n..\r\nc\r\n");
    }

    #[test]
    fn smuggling_never_ends() {
        for seq in [
            &b"a\n.\nb"[..],
            b"a\n.\r\nb",
            b"a\r\n.\nb",
            b"a\r.\r\nb",
            b"a\r\n.\rb",
            b"a\r\n.\r\r\nb",
            b"a\r\n\r.\r\nb",
        ] {
            let (_, done, err, n) = run(seq, BareLineEndings::Reject);
            assert!(!done, "{seq:?}");
            assert_eq!(n, seq.len());
            assert!(
                matches!(err, Some(DataError::BareLineEnding { .. })),
                "{seq:?}"
            );
            let (_, done, err, _) = run(seq, BareLineEndings::Normalize);
            assert!(!done && err.is_none(), "{seq:?}");
        }
    }

    #[test]
    fn size_n_and_n_plus_one() {
        let mut d = DataDecoder::new(BareLineEndings::Reject, 5, None);
        let mut out = BytesMut::new();
        assert!(d.decode(b"abc\r\n.\r\n", &mut out).1);
        assert_eq!(d.error(), None);
        let mut d = DataDecoder::new(BareLineEndings::Reject, 5, None);
        let mut out = BytesMut::new();
        assert!(decode_all(&mut d, b"abcd\r\n.\r\n", &mut out).1);
        assert_eq!(d.error(), Some(DataError::TooLarge { limit: 5 }));
    }

    #[test]
    fn line_limit() {
        let mut d = DataDecoder::new(BareLineEndings::Reject, 100, Some(5));
        let mut out = BytesMut::new();
        d.decode(b"abc\r\n.\r\n", &mut out);
        assert_eq!(d.error(), None);
        let mut d = DataDecoder::new(BareLineEndings::Reject, 100, Some(5));
        decode_all(&mut d, b"abcd\r\n.\r\n", &mut out);
        assert_eq!(d.error(), Some(DataError::LineTooLong { limit: 5 }));
    }

    #[test]
    fn split_equivalence() {
        let inputs: [&[u8]; 5] = [
            b"abc\r\n..d\r\n.e\r\nfff\r\n\r\n.\r\nX",
            b"line one\r\nbare\nlf\r\n.\r\n",
            b"0123456789012345678901234567890123456789\r\n.\r\n",
            b"a\r\n.\rb\r\n\r.\r\n\r\n.\r\n",
            b"short\r\nthis line is long\r\nx\r\n.\r\n",
        ];
        for input in inputs {
            for (max_size, max_line) in [(1 << 20, None), (17, None), (1 << 20, Some(12))] {
                for bare in [BareLineEndings::Reject, BareLineEndings::Normalize] {
                    let mut whole = DataDecoder::new(bare, max_size, max_line);
                    let mut out_whole = BytesMut::new();
                    let r_whole = decode_all(&mut whole, input, &mut out_whole);
                    for step in 1..5 {
                        let mut d = DataDecoder::new(bare, max_size, max_line);
                        let mut out = BytesMut::new();
                        let mut pos = 0;
                        let mut done = false;
                        while pos < input.len() && !done {
                            let end = (pos + step).min(input.len());
                            let (n, dn) = decode_all(&mut d, &input[pos..end], &mut out);
                            pos += n;
                            done = dn;
                        }
                        assert_eq!((pos, done), r_whole, "{input:?} {step}");
                        assert_eq!(d.error(), whole.error(), "{input:?} {step}");
                        // On an error, content after the last complete line
                        // depends on the split; the server drops it.
                        let cut =
                            |o: &BytesMut| match (d.error(), o.iter().rposition(|&b| b == b'\n')) {
                                (Some(_), Some(i)) => o[..=i].to_vec(),
                                (Some(_), None) => Vec::new(),
                                (None, _) => o.to_vec(),
                            };
                        assert_eq!(
                            cut(&out),
                            cut(&out_whole),
                            "{input:?} {step} {max_size} {max_line:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn encode_roundtrip() {
        let body = b".a\r\n..b\r\nc";
        let mut enc = Vec::new();
        encode_body(body, BareLineEndings::Reject, true, &mut enc).unwrap();
        let mut d = DataDecoder::new(BareLineEndings::Reject, 1000, None);
        let mut out = BytesMut::new();
        assert!(d.decode(&enc, &mut out).1);
        assert_eq!(&out[..], b".a\r\n..b\r\nc\r\n");
        assert!(encode_body(b"a\nb", BareLineEndings::Reject, true, &mut enc).is_err());
        let mut e = Vec::new();
        encode_body(b"", BareLineEndings::Reject, true, &mut e).unwrap();
        assert_eq!(e, b".\r\n");
    }
}
