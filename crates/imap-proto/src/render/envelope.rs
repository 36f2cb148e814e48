//! ENVELOPE from a message header (RFC 9051 §7.5.2, RFC 3501 §7.4.2).
//!
//! The envelope carries header text as it is in the message: RFC 2047
//! encoded words are not decoded (the client decodes them), folding is
//! removed (CR and LF dropped, the folding white space kept), and leading
//! and trailing white space is trimmed. Address lists are parsed at the
//! byte level (8-bit and non-UTF-8 bytes survive) into the IMAP address
//! structure: display name (quotes removed, escapes undone), source route
//! (`obs-route`), local part as written, and domain; groups become a start
//! marker `(NIL NIL "name" NIL)` and an end marker `(NIL NIL NIL NIL)`.
//! Values are borrowed from the message wherever no unquoting or unfolding
//! is needed.

use std::borrow::Cow;

use mailwire_mime::Part;

use crate::envelope::{Address, Envelope, NString};
use crate::primitive::IString;

/// The raw values of the header fields an envelope is made of (the first
/// occurrence of each).
#[derive(Default)]
pub(crate) struct EnvelopeFields<'a> {
    pub(crate) date: Option<&'a [u8]>,
    pub(crate) subject: Option<&'a [u8]>,
    pub(crate) from: Option<&'a [u8]>,
    pub(crate) sender: Option<&'a [u8]>,
    pub(crate) reply_to: Option<&'a [u8]>,
    pub(crate) to: Option<&'a [u8]>,
    pub(crate) cc: Option<&'a [u8]>,
    pub(crate) bcc: Option<&'a [u8]>,
    pub(crate) in_reply_to: Option<&'a [u8]>,
    pub(crate) message_id: Option<&'a [u8]>,
}

impl<'a> EnvelopeFields<'a> {
    /// One pass over the header of `part`.
    pub(crate) fn of(part: Part<'a>) -> Self {
        let mut e = EnvelopeFields::default();
        for f in part.headers() {
            let name = f.name_bytes();
            let slot = match name.len() {
                2 if name.eq_ignore_ascii_case(b"to") => &mut e.to,
                2 if name.eq_ignore_ascii_case(b"cc") => &mut e.cc,
                3 if name.eq_ignore_ascii_case(b"bcc") => &mut e.bcc,
                4 if name.eq_ignore_ascii_case(b"date") => &mut e.date,
                4 if name.eq_ignore_ascii_case(b"from") => &mut e.from,
                6 if name.eq_ignore_ascii_case(b"sender") => &mut e.sender,
                7 if name.eq_ignore_ascii_case(b"subject") => &mut e.subject,
                8 if name.eq_ignore_ascii_case(b"reply-to") => &mut e.reply_to,
                10 if name.eq_ignore_ascii_case(b"message-id") => &mut e.message_id,
                11 if name.eq_ignore_ascii_case(b"in-reply-to") => &mut e.in_reply_to,
                _ => continue,
            };
            // The first occurrence counts.
            if slot.is_none() {
                *slot = Some(f.raw_value());
            }
        }
        e
    }
}

/// Builds the ENVELOPE of the message whose header `part` holds (the root,
/// or the encapsulated message of a message/rfc822 part).
pub(crate) fn envelope<'a>(part: Part<'a>) -> Envelope<'a> {
    let f = EnvelopeFields::of(part);
    let from = f.from.map(addresses).unwrap_or_default();
    // RFC 9051 §7.5.2: Sender and Reply-To default to From when absent or
    // empty.
    let or_from = |v: Option<&'a [u8]>| match v.map(addresses) {
        Some(l) if !l.is_empty() => l,
        _ => from.clone(),
    };
    let sender = or_from(f.sender);
    let reply_to = or_from(f.reply_to);
    Envelope {
        date: f.date.map(unstructured),
        subject: f.subject.map(unstructured),
        sender,
        reply_to,
        from,
        to: f.to.map(addresses).unwrap_or_default(),
        cc: f.cc.map(addresses).unwrap_or_default(),
        bcc: f.bcc.map(addresses).unwrap_or_default(),
        in_reply_to: f.in_reply_to.map(unstructured),
        message_id: f.message_id.map(unstructured),
    }
}

/// The host given to an address without a domain (Dovecot's placeholder;
/// UW-IMAP used `.MISSING-HOST-NAME.`): never NIL, which would mark a group.
const MISSING_DOMAIN: &[u8] = b"MISSING_DOMAIN";

fn is_wsp(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn trim(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|&b| !is_wsp(b)).unwrap_or(v.len());
    let end = v.iter().rposition(|&b| !is_wsp(b)).map_or(start, |e| e + 1);
    v.get(start..end).unwrap_or_default()
}

/// An IMAP string from header bytes: borrowed unless CR, LF or NUL must go
/// (NUL cannot be in an IMAP string; CR LF is folding).
pub(crate) fn header_string(v: &[u8]) -> IString<'_> {
    if v.iter().any(|&b| matches!(b, b'\r' | b'\n' | 0)) {
        let owned: Vec<u8> = v
            .iter()
            .copied()
            .filter(|&b| !matches!(b, b'\r' | b'\n' | 0))
            .collect();
        IString::unchecked(Cow::Owned(owned))
    } else {
        IString::unchecked(Cow::Borrowed(v))
    }
}

/// Date, Subject, In-Reply-To, Message-ID: the value unfolded and trimmed;
/// present but empty is the empty string (RFC 9051 §7.5.2).
pub(crate) fn unstructured(v: &[u8]) -> IString<'_> {
    header_string(trim(v))
}

// ---------------------------------------------------------------------------
// Address lists

/// Parses an address list (From, To, ...) into IMAP address structures.
pub(crate) fn addresses(v: &[u8]) -> Vec<Address<'_>> {
    let mut out = Vec::new();
    for_each_address(v, &mut |a| out.push(a));
    out
}

/// Parses an address list and hands each IMAP address structure (group
/// markers included) to `sink`, in order.
pub(crate) fn for_each_address<'a>(v: &'a [u8], sink: &mut dyn FnMut(Address<'a>)) {
    let mut p = AddrParser {
        s: v,
        i: 0,
        comment: None,
    };
    let mut words = WordBuf::new();
    // Every turn consumes at least one byte or ends, so this terminates;
    // the bound is a second guard.
    let mut guard = v.len() + 2;
    while guard > 0 {
        guard -= 1;
        p.skip_cfws();
        match p.peek() {
            None => break,
            Some(b',') => {
                p.i += 1;
                continue;
            }
            Some(_) => {}
        }
        let before = p.i;
        p.address(&mut words, sink, true);
        if p.i == before {
            // Stray special (`>`, `;`, `]`, ...): skip it.
            p.i += 1;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum WordKind {
    Atom,
    /// A quoted string; `escaped` when it holds a backslash escape.
    Quoted {
        escaped: bool,
    },
}

#[derive(Clone, Copy)]
struct Word {
    /// Raw range, quotes included.
    start: usize,
    end: usize,
    kind: WordKind,
}

/// A short list of words kept on the stack (a phrase rarely has more than
/// eight), spilling to the heap beyond.
struct WordBuf {
    inline: [Word; 8],
    len: usize,
    spill: Vec<Word>,
}

impl WordBuf {
    fn new() -> Self {
        const EMPTY: Word = Word {
            start: 0,
            end: 0,
            kind: WordKind::Atom,
        };
        WordBuf {
            inline: [EMPTY; 8],
            len: 0,
            spill: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.len = 0;
        self.spill.clear();
    }

    fn push(&mut self, w: Word) {
        if self.spill.is_empty() {
            if let Some(slot) = self.inline.get_mut(self.len) {
                *slot = w;
                self.len += 1;
                return;
            }
            self.spill.extend_from_slice(&self.inline);
        }
        self.spill.push(w);
    }

    fn as_slice(&self) -> &[Word] {
        if self.spill.is_empty() {
            self.inline.get(..self.len).unwrap_or_default()
        } else {
            &self.spill
        }
    }
}

struct AddrParser<'a> {
    s: &'a [u8],
    i: usize,
    /// Content range of the last comment met by `skip_cfws`.
    comment: Option<(usize, usize)>,
}

fn is_atom_byte(b: u8) -> bool {
    // atext plus `.` (dot-atoms and obs-phrase) plus 8-bit (RFC 6532).
    b >= 0x80
        || (b.is_ascii_graphic()
            && !matches!(
                b,
                b'(' | b')' | b'<' | b'>' | b'[' | b']' | b':' | b';' | b'@' | b'\\' | b',' | b'"'
            ))
}

impl<'a> AddrParser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn bytes(&self, start: usize, end: usize) -> &'a [u8] {
        self.s.get(start..end).unwrap_or_default()
    }

    /// Skips white space and comments; remembers the last comment.
    fn skip_cfws(&mut self) {
        while let Some(b) = self.peek() {
            if is_wsp(b) {
                self.i += 1;
            } else if b == b'(' {
                let start = self.i + 1;
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    self.i += 1;
                    match c {
                        b'\\' => self.i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                self.i = self.i.min(self.s.len());
                let end = if depth == 0 {
                    self.i.saturating_sub(1)
                } else {
                    self.i
                };
                self.comment = Some((start, end.max(start)));
            } else {
                break;
            }
        }
    }

    /// A quoted string starting at `self.i` (on the `"`).
    fn quoted(&mut self) -> Word {
        let start = self.i;
        self.i += 1;
        let mut escaped = false;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'\\' => {
                    escaped = true;
                    self.i = (self.i + 1).min(self.s.len());
                }
                b'"' => break,
                _ => {}
            }
        }
        Word {
            start,
            end: self.i,
            kind: WordKind::Quoted { escaped },
        }
    }

    fn atom(&mut self) -> Option<Word> {
        let start = self.i;
        while self.peek().is_some_and(is_atom_byte) {
            self.i += 1;
        }
        (self.i > start).then_some(Word {
            start,
            end: self.i,
            kind: WordKind::Atom,
        })
    }

    /// `*(word / CFWS)` into `words` (cleared first).
    fn words(&mut self, words: &mut WordBuf) {
        words.clear();
        loop {
            self.skip_cfws();
            let w = match self.peek() {
                Some(b'"') => self.quoted(),
                Some(b) if is_atom_byte(b) => match self.atom() {
                    Some(w) => w,
                    None => break,
                },
                _ => break,
            };
            words.push(w);
        }
    }

    /// A display name from phrase words: quoted strings unquoted, words
    /// joined by one space; borrowed when the source already reads so.
    fn phrase(&self, words: &[Word]) -> NString<'a> {
        let name = self.phrase_text(words)?;
        // An empty display name (`"" <a@b>`) is no display name (as Dovecot).
        (!name.as_bytes().is_empty()).then_some(name)
    }

    fn phrase_text(&self, words: &[Word]) -> NString<'a> {
        let (first, last) = (words.first()?, words.last()?);
        if words.len() == 1 {
            return Some(self.word_text(*first));
        }
        let plain = words.iter().all(|w| w.kind == WordKind::Atom)
            && words.windows(2).all(
                |p| matches!(p, [a, b] if b.start == a.end + 1 && self.s.get(a.end) == Some(&b' ')),
            );
        if plain {
            return Some(header_string(self.bytes(first.start, last.end)));
        }
        let mut out = Vec::new();
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(self.word_text(*w).as_bytes());
        }
        Some(header_string_owned(out))
    }

    fn word_text(&self, w: Word) -> IString<'a> {
        match w.kind {
            WordKind::Atom => header_string(self.bytes(w.start, w.end)),
            WordKind::Quoted { escaped } => {
                let inner_end = if w.end > w.start + 1 && self.s.get(w.end - 1) == Some(&b'"') {
                    w.end - 1
                } else {
                    w.end
                };
                let inner = self.bytes(w.start + 1, inner_end);
                if !escaped {
                    return header_string(inner);
                }
                let mut out = Vec::with_capacity(inner.len());
                let mut it = inner.iter();
                while let Some(&c) = it.next() {
                    if c == b'\\' {
                        if let Some(&n) = it.next() {
                            out.push(n);
                        }
                    } else {
                        out.push(c);
                    }
                }
                header_string_owned(out)
            }
        }
    }

    /// Words as written, CFWS between them dropped (local part, domain).
    fn raw_words(&self, words: &[Word]) -> IString<'a> {
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return IString::unchecked(Cow::Borrowed(b""));
        };
        if words
            .windows(2)
            .all(|p| matches!(p, [a, b] if a.end == b.start))
        {
            return header_string(self.bytes(first.start, last.end));
        }
        let mut out = Vec::new();
        for w in words {
            out.extend_from_slice(self.bytes(w.start, w.end));
        }
        header_string_owned(out)
    }

    /// `domain`: dot-atom or domain literal, CFWS removed.
    fn domain(&mut self) -> IString<'a> {
        let mut parts = WordBuf::new();
        loop {
            self.skip_cfws();
            match self.peek() {
                Some(b'[') => {
                    let start = self.i;
                    while let Some(c) = self.peek() {
                        self.i += 1;
                        match c {
                            b'\\' => self.i = (self.i + 1).min(self.s.len()),
                            b']' => break,
                            _ => {}
                        }
                    }
                    parts.push(Word {
                        start,
                        end: self.i,
                        kind: WordKind::Atom,
                    });
                }
                Some(b) if is_atom_byte(b) => {
                    if let Some(w) = self.atom() {
                        parts.push(w);
                    }
                }
                _ => break,
            }
        }
        self.raw_words(parts.as_slice())
    }

    /// One address (mailbox or group) at the cursor, appended to `out`.
    /// `allow_group` is false inside a group (no nesting).
    fn address(
        &mut self,
        words: &mut WordBuf,
        out: &mut dyn FnMut(Address<'a>),
        allow_group: bool,
    ) {
        self.comment = None;
        self.words(words);
        match self.peek() {
            Some(b'<') => {
                let name = self.phrase(words.as_slice());
                self.i += 1;
                self.angle_addr(name, words, out);
            }
            Some(b':') if allow_group => {
                let name = self
                    .phrase(words.as_slice())
                    .or(Some(IString::unchecked(Cow::Borrowed(b""))));
                self.i += 1;
                out(Address {
                    name: None,
                    adl: None,
                    mailbox: name,
                    host: None,
                });
                let mut guard = self.s.len() + 2;
                while guard > 0 {
                    guard -= 1;
                    self.skip_cfws();
                    match self.peek() {
                        None => break,
                        Some(b';') => {
                            self.i += 1;
                            break;
                        }
                        Some(b',') => self.i += 1,
                        Some(_) => {
                            let before = self.i;
                            self.address(words, out, false);
                            if self.i == before {
                                self.i += 1;
                            }
                        }
                    }
                }
                out(Address::default());
            }
            Some(b'@') => {
                let local = self.raw_words(words.as_slice());
                self.i += 1;
                self.comment = None;
                let host = self.domain();
                self.skip_cfws();
                let name = self.trailing_comment();
                out(Address {
                    name,
                    adl: None,
                    mailbox: Some(local),
                    host: Some(host),
                });
            }
            _ if !words.as_slice().is_empty() => {
                // A local part without a domain (malformed): keep it, with
                // Dovecot's placeholder host so that it does not read as
                // group syntax (a NIL host marks a group).
                let local = self.raw_words(words.as_slice());
                let name = self.trailing_comment();
                out(Address {
                    name,
                    adl: None,
                    mailbox: Some(local),
                    host: Some(IString::unchecked(Cow::Borrowed(MISSING_DOMAIN))),
                });
            }
            _ => {}
        }
    }

    fn trailing_comment(&self) -> NString<'a> {
        let (s, e) = self.comment?;
        let v = trim(self.bytes(s, e));
        (!v.is_empty()).then(|| header_string(v))
    }

    /// After `<`: `[obs-route] addr-spec ">"`.
    fn angle_addr(
        &mut self,
        name: NString<'a>,
        words: &mut WordBuf,
        out: &mut dyn FnMut(Address<'a>),
    ) {
        self.skip_cfws();
        let mut adl = None;
        if self.peek() == Some(b'@') {
            // obs-route: "@a,@b:" — kept as written, CFWS removed at the ends.
            let start = self.i;
            while let Some(c) = self.peek() {
                if c == b':' || c == b'>' {
                    break;
                }
                self.i += 1;
            }
            adl = Some(header_string(trim(self.bytes(start, self.i))));
            if self.peek() == Some(b':') {
                self.i += 1;
            }
        }
        self.words(words);
        let local = self.raw_words(words.as_slice());
        let has_at = self.peek() == Some(b'@');
        let host = if has_at {
            self.i += 1;
            self.domain()
        } else {
            IString::unchecked(Cow::Borrowed(MISSING_DOMAIN))
        };
        self.skip_cfws();
        // Skip to the closing `>` (junk inside the brackets is dropped).
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == b'>' {
                break;
            }
        }
        if local.as_bytes().is_empty() && !has_at && adl.is_none() {
            // `<>`: nothing to report.
            return;
        }
        out(Address {
            name,
            adl,
            mailbox: Some(local),
            host: Some(host),
        });
    }
}

fn header_string_owned(v: Vec<u8>) -> IString<'static> {
    if v.iter().any(|&b| matches!(b, b'\r' | b'\n' | 0)) {
        IString::unchecked(Cow::Owned(
            v.into_iter()
                .filter(|&b| !matches!(b, b'\r' | b'\n' | 0))
                .collect(),
        ))
    } else {
        IString::unchecked(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn show(v: &[u8]) -> String {
        let mut out = String::new();
        for a in addresses(v) {
            let f = |s: &NString<'_>| match s {
                None => "NIL".to_string(),
                Some(s) => format!("{:?}", String::from_utf8_lossy(s.as_bytes())),
            };
            out.push_str(&format!(
                "({} {} {} {})",
                f(&a.name),
                f(&a.adl),
                f(&a.mailbox),
                f(&a.host)
            ));
        }
        out
    }

    #[test]
    fn address_forms() {
        assert_eq!(
            show(b" Terry Gray <gray@cac.washington.edu>"),
            r#"("Terry Gray" NIL "gray" "cac.washington.edu")"#
        );
        assert_eq!(show(b"joe@x.test"), r#"(NIL NIL "joe" "x.test")"#);
        assert_eq!(
            show(b"\"Doe, Jane\" <jane@x.test>, b@y"),
            r#"("Doe, Jane" NIL "jane" "x.test")(NIL NIL "b" "y")"#
        );
        assert_eq!(
            show(b"A Group:Ed Jones <c@a.test>,joe@where.test;, x@y"),
            r#"(NIL NIL "A Group" NIL)("Ed Jones" NIL "c" "a.test")(NIL NIL "joe" "where.test")(NIL NIL NIL NIL)(NIL NIL "x" "y")"#
        );
        assert_eq!(
            show(b"undisclosed-recipients:;"),
            r#"(NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)"#
        );
        assert_eq!(
            show(b"<@route.test,@b.test:x@y.test>"),
            r#"(NIL "@route.test,@b.test" "x" "y.test")"#
        );
        assert_eq!(
            show(b"Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>"),
            r#"("Pete" NIL "pete" "silly.test")"#
        );
        assert_eq!(
            show(b"joe@x.test (Joe Q. Public)"),
            r#"("Joe Q. Public" NIL "joe" "x.test")"#
        );
        assert_eq!(
            show(b"=?UTF-8?Q?Andr=C3=A9?= <a@b>"),
            r#"("=?UTF-8?Q?Andr=C3=A9?=" NIL "a" "b")"#
        );
        assert_eq!(
            show(b"\"a\\\"b\" <\"x y\"@z>"),
            r#"("a\"b" NIL "\"x y\"" "z")"#
        );
        assert_eq!(show(b"joe"), r#"(NIL NIL "joe" "MISSING_DOMAIN")"#);
        assert_eq!(show(b"\"\" <a@b>"), r#"(NIL NIL "a" "b")"#);
        assert_eq!(show(b"<>, ,,"), "");
        assert_eq!(
            show(b"Mary\r\n Smith <m@[1.2.3.4]>"),
            r#"("Mary Smith" NIL "m" "[1.2.3.4]")"#
        );
    }

    #[test]
    fn borrowed_when_possible() {
        let v = b"Terry Gray <gray@cac.washington.edu>";
        let a = addresses(v);
        assert!(matches!(
            a[0].name.as_ref().unwrap().clone().into_inner(),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            a[0].host.as_ref().unwrap().clone().into_inner(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn junk_never_panics() {
        for v in [
            &b"<"[..],
            b"\"",
            b"(",
            b"a@",
            b"@",
            b":",
            b"a:b:c;;",
            b"<@a",
            b"[",
            b"a@[",
            b"\\",
            b"((()",
            b"\"\\",
        ] {
            let _ = addresses(v);
        }
    }
}
