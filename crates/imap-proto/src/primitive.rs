//! IMAP string primitives: atoms, astrings, quoted strings, literals, nstrings, tags, numbers (RFC 9051 §4, §9).
//!
//! API for the rest of the crate (stable; additions only):
//!
//! * Types: [`Atom`], [`Tag`], [`IString`] (the value of a `string`/`astring`,
//!   any bytes but NUL), [`Literal8`] (any bytes), [`Vec1`] (non-empty list).
//! * Parsers (`nom`, streaming, `&[u8]` in, [`PResult`] out): [`sp`], [`crlf`],
//!   [`nil`], [`number`], [`nz_number`], [`number64`], [`nz_number64`],
//!   [`atom`], [`tag`], [`quoted`], [`literal`], [`literal8`], [`string`],
//!   [`astring`], [`nstring`], [`nstring8`], [`text`], [`charset`], [`keyword`],
//!   [`base64()`], [`paren_list`], [`is_atom_char`], [`is_astring_char`].
//! * Writers: an [`Encoder`] collects bytes and remembers where a
//!   synchronizing literal forces the client to wait for `+`. Use
//!   [`Encoder::astring`], [`Encoder::string`], [`Encoder::nstring`],
//!   [`Encoder::literal`], [`Encoder::literal8`], [`Encoder::raw`],
//!   [`Encoder::number`]; they pick the cheapest correct form (atom, quoted,
//!   literal).
//!
//! Every parser is streaming: at the end of the input it returns
//! `nom::Err::Incomplete`, so a proper prefix of a valid unit is never a
//! syntax error.

use std::borrow::Cow;
use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};

use nom::bytes::streaming::{tag as ntag, tag_no_case, take, take_while, take_while1};

pub use crate::error::{NomError, PResult, expect, fail};

// ---------------------------------------------------------------------------
// Character classes (RFC 9051 §9)
// ---------------------------------------------------------------------------

/// `ATOM-CHAR`: any CHAR except atom-specials
/// (`(` `)` `{` SP CTL `%` `*` `"` `\` `]`).
#[must_use]
pub fn is_atom_char(b: u8) -> bool {
    matches!(b, 0x21..=0x7e) && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']')
}

/// `ASTRING-CHAR`: `ATOM-CHAR` or `]`.
#[must_use]
pub fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// Tag characters: `ASTRING-CHAR` except `+`.
#[must_use]
pub fn is_tag_char(b: u8) -> bool {
    is_astring_char(b) && b != b'+'
}

/// `TEXT-CHAR` in its 7-bit form: CHAR except CR and LF (and NUL).
#[must_use]
pub fn is_text_char(b: u8) -> bool {
    matches!(b, 0x01..=0x7f) && b != b'\r' && b != b'\n'
}

/// `list-char`: `ATOM-CHAR` / list-wildcards / resp-specials (RFC 9051 §9).
#[must_use]
pub fn is_list_char(b: u8) -> bool {
    is_atom_char(b) || matches!(b, b'%' | b'*' | b']')
}

fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Characters of keywords in this grammar (`BODY.PEEK`, `RFC822.SIZE`,
/// `X-GM-EXT-1`, `AUTH=PLAIN`, `UTF8=ACCEPT`).
fn is_keyword_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'=' | b'+')
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/// A non-empty list. Grammar rules of the form `x *(SP x)` map to this, so an
/// empty list (which could not be written) cannot be constructed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Vec1<T>(Vec<T>);

impl<T> Vec1<T> {
    /// `None` if `v` is empty.
    #[must_use]
    pub fn new(v: Vec<T>) -> Option<Self> {
        if v.is_empty() { None } else { Some(Vec1(v)) }
    }

    /// A list of one element.
    #[must_use]
    pub fn one(x: T) -> Self {
        Vec1(vec![x])
    }

    /// The elements.
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// The first element.
    #[must_use]
    pub fn first(&self) -> &T {
        // Invariant: never empty.
        &self.0[0]
    }

    /// Appends an element.
    pub fn push(&mut self, x: T) {
        self.0.push(x);
    }

    /// The elements as a `Vec`.
    #[must_use]
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }

    /// Maps every element.
    #[must_use]
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Vec1<U> {
        Vec1(self.0.into_iter().map(f).collect())
    }

    /// Iterates over the elements.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// Number of elements (at least one).
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`; present for API symmetry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl<T> std::ops::Deref for Vec1<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<'v, T> IntoIterator for &'v Vec1<T> {
    type Item = &'v T;
    type IntoIter = std::slice::Iter<'v, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Why a value cannot be represented in IMAP syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidValue {
    /// Empty where at least one character is required.
    #[error("empty value")]
    Empty,
    /// A byte that the rule does not allow (e.g. NUL in a string, SP in an atom).
    #[error("byte {byte:#04x} not allowed at index {index}")]
    Byte {
        /// The offending byte.
        byte: u8,
        /// Its index in the value.
        index: usize,
    },
    /// A number out of range.
    #[error("number out of range")]
    Range,
}

fn check_all(v: &[u8], ok: impl Fn(u8) -> bool) -> Result<(), InvalidValue> {
    if v.is_empty() {
        return Err(InvalidValue::Empty);
    }
    match v.iter().position(|&b| !ok(b)) {
        Some(index) => Err(InvalidValue::Byte {
            byte: v[index],
            index,
        }),
        None => Ok(()),
    }
}

macro_rules! str_newtype {
    ($(#[$m:meta])* $name:ident, $check:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name<'a>(Cow<'a, str>);

        impl<'a> $name<'a> {
            /// Checks `value` against the grammar rule.
            pub fn new(value: impl Into<Cow<'a, str>>) -> Result<Self, InvalidValue> {
                let value = value.into();
                check_all(value.as_bytes(), $check)?;
                Ok($name(value))
            }

            /// The text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Detaches from the input buffer.
            #[must_use]
            pub fn into_owned(self) -> $name<'static> {
                $name(Cow::Owned(self.0.into_owned()))
            }

            /// Used by parsers which already checked the characters.
            pub(crate) fn unchecked(value: Cow<'a, str>) -> Self {
                $name(value)
            }
        }

        impl fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'a> TryFrom<&'a str> for $name<'a> {
            type Error = InvalidValue;
            fn try_from(s: &'a str) -> Result<Self, InvalidValue> {
                $name::new(s)
            }
        }

        impl AsRef<str> for $name<'_> {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

str_newtype!(
    /// An `atom`: one or more `ATOM-CHAR`s.
    ///
    /// ```
    /// use mailwire_imap_proto::primitive::Atom;
    /// assert!(Atom::new("PLAIN").is_ok());
    /// assert!(Atom::new("two words").is_err());
    /// ```
    Atom,
    is_atom_char
);

str_newtype!(
    /// A command `tag`: one or more `ASTRING-CHAR`s except `+`.
    Tag,
    is_tag_char
);

/// The value of an IMAP `string` or `astring`: any bytes except NUL
/// (`CHAR8`, RFC 9051 §9). Non-UTF-8 bytes are kept as they are.
///
/// How it is written depends on the content: an atom where the rule is
/// `astring` and the bytes allow it, a quoted string when it is short text,
/// a literal otherwise ([`Encoder::astring`], [`Encoder::string`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IString<'a>(Cow<'a, [u8]>);

impl<'a> IString<'a> {
    /// Fails on NUL, which no IMAP string can carry.
    pub fn new(value: impl Into<Cow<'a, [u8]>>) -> Result<Self, InvalidValue> {
        let value = value.into();
        if let Some(index) = memchr::memchr(0, &value) {
            return Err(InvalidValue::Byte { byte: 0, index });
        }
        Ok(IString(value))
    }

    /// The bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The value as UTF-8 text, if it is.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// The inner `Cow`.
    #[must_use]
    pub fn into_inner(self) -> Cow<'a, [u8]> {
        self.0
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> IString<'static> {
        IString(Cow::Owned(self.0.into_owned()))
    }

    pub(crate) fn unchecked(value: Cow<'a, [u8]>) -> Self {
        IString(value)
    }
}

impl<'a> TryFrom<&'a str> for IString<'a> {
    type Error = InvalidValue;
    fn try_from(s: &'a str) -> Result<Self, InvalidValue> {
        IString::new(s.as_bytes())
    }
}

impl<'a> TryFrom<&'a [u8]> for IString<'a> {
    type Error = InvalidValue;
    fn try_from(s: &'a [u8]) -> Result<Self, InvalidValue> {
        IString::new(s)
    }
}

impl AsRef<[u8]> for IString<'_> {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// The content of a `literal8` (RFC 3516): any octets, NUL included.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Literal8<'a>(pub Cow<'a, [u8]>);

impl Literal8<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> Literal8<'static> {
        Literal8(Cow::Owned(self.0.into_owned()))
    }
}

/// How literals are announced when writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum LiteralMode {
    /// `{n}`: synchronizing; a client waits for `+` before sending the bytes.
    /// Also the form of every literal in server responses.
    #[default]
    Sync,
    /// `{n+}` for every literal (the server announced LITERAL+, RFC 7888).
    NonSync,
    /// `{n+}` up to 4096 octets, `{n}` above (LITERAL-, RFC 7888 §4).
    NonSyncUpTo4096,
}

/// Options of an [`Encoder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EncodeOptions {
    /// Literal announcement form.
    pub literal: LiteralMode,
    /// Quoted strings may carry UTF-8 (IMAP4rev2 or UTF8=ACCEPT, RFC 9051
    /// `QUOTED-CHAR`, RFC 6855). Off: only 7-bit text is quoted, anything
    /// else goes into a literal.
    pub utf8_quoted: bool,
}

/// A piece of an encoded unit. A client sends `bytes`; if `wait_for_continuation`
/// is set, the piece ends with a synchronizing literal announcement and the client
/// must wait for the server's `+` before it sends the next piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fragment<'e> {
    /// Bytes to send.
    pub bytes: &'e [u8],
    /// Wait for a continuation request before sending the next fragment.
    pub wait_for_continuation: bool,
}

/// Collects the bytes of a command or response and the points where a
/// synchronizing literal makes a client wait for `+`.
///
/// ```
/// use mailwire_imap_proto::primitive::{Encoder, EncodeOptions};
/// let mut enc = Encoder::new(EncodeOptions::default());
/// enc.raw(b"a1 LOGIN ");
/// enc.astring(b"joe");
/// enc.raw(b" ");
/// enc.astring(b"p\"w d");
/// enc.raw(b" ");
/// enc.astring(b"line\nbreak");
/// enc.raw(b"\r\n");
/// assert_eq!(enc.as_bytes(), b"a1 LOGIN joe \"p\\\"w d\" {10}\r\nline\nbreak\r\n");
/// let frags: Vec<_> = enc.fragments().collect();
/// assert_eq!(frags.len(), 2);
/// assert!(frags[0].wait_for_continuation);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Encoder {
    buf: Vec<u8>,
    waits: Vec<usize>,
    opts: EncodeOptions,
}

impl Encoder {
    /// An empty encoder.
    #[must_use]
    pub fn new(opts: EncodeOptions) -> Self {
        Encoder {
            buf: Vec::new(),
            waits: Vec::new(),
            opts,
        }
    }

    /// The options.
    #[must_use]
    pub fn options(&self) -> EncodeOptions {
        self.opts
    }

    /// Appends bytes as they are.
    pub fn raw(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// Appends a decimal number.
    pub fn number(&mut self, n: u64) {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        let mut n = n;
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&tmp[i..]);
    }

    /// Appends a `quoted` string. The caller has checked [`can_quote`].
    fn quoted(&mut self, v: &[u8]) {
        self.buf.reserve(v.len() + 2);
        self.buf.push(b'"');
        for &b in v {
            if b == b'"' || b == b'\\' {
                self.buf.push(b'\\');
            }
            self.buf.push(b);
        }
        self.buf.push(b'"');
    }

    /// Appends `{n}` CRLF data (or `{n+}` per [`LiteralMode`]).
    /// NUL must not be in `data` (it is an [`IString`]'s content).
    pub fn literal(&mut self, data: &[u8]) {
        self.literal_inner(data, false);
    }

    /// Appends a `literal8`: `~{n}` CRLF data (RFC 3516).
    pub fn literal8(&mut self, data: &[u8]) {
        self.literal_inner(data, true);
    }

    fn literal_inner(&mut self, data: &[u8], eight: bool) {
        let non_sync = match self.opts.literal {
            LiteralMode::Sync => false,
            LiteralMode::NonSync => true,
            LiteralMode::NonSyncUpTo4096 => data.len() <= 4096,
        };
        if eight {
            self.buf.push(b'~');
        }
        self.buf.push(b'{');
        self.number(data.len() as u64);
        if non_sync {
            self.buf.push(b'+');
        }
        self.buf.extend_from_slice(b"}\r\n");
        if !non_sync {
            self.waits.push(self.buf.len());
        }
        self.buf.extend_from_slice(data);
    }

    /// Writes a `string` (quoted or literal) in the cheapest correct form.
    pub fn string(&mut self, v: &[u8]) {
        if can_quote(v, self.opts.utf8_quoted) {
            self.quoted(v);
        } else {
            self.literal(v);
        }
    }

    /// Writes an `astring`: an atom when possible, else a `string`.
    pub fn astring(&mut self, v: &[u8]) {
        if !v.is_empty() && v.iter().all(|&b| is_astring_char(b)) {
            self.raw(v);
        } else {
            self.string(v);
        }
    }

    /// Writes an `nstring`: `NIL` for `None`, else a `string`.
    pub fn nstring(&mut self, v: Option<&[u8]>) {
        match v {
            None => self.raw(b"NIL"),
            Some(v) => self.string(v),
        }
    }

    /// The bytes so far.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Offsets just after each synchronizing literal announcement.
    #[must_use]
    pub fn sync_points(&self) -> &[usize] {
        &self.waits
    }

    /// The bytes.
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Splits the bytes at the synchronizing literals.
    pub fn fragments(&self) -> impl Iterator<Item = Fragment<'_>> + '_ {
        let mut start = 0usize;
        let mut waits = self.waits.iter();
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            match waits.next() {
                Some(&w) => {
                    let f = Fragment {
                        bytes: &self.buf[start..w],
                        wait_for_continuation: true,
                    };
                    start = w;
                    Some(f)
                }
                None => {
                    done = true;
                    if start == self.buf.len() && start != 0 {
                        None
                    } else {
                        Some(Fragment {
                            bytes: &self.buf[start..],
                            wait_for_continuation: false,
                        })
                    }
                }
            }
        })
    }
}

/// `true` if `v` can be a `quoted` string: 7-bit text without CR, LF, NUL, or
/// (with `utf8`) also valid UTF-8 multi-byte characters (RFC 9051 `QUOTED-CHAR`).
#[must_use]
pub fn can_quote(v: &[u8], utf8: bool) -> bool {
    if v.len() > 1024 {
        return false;
    }
    if v.iter().all(|&b| is_text_char(b)) {
        return true;
    }
    utf8 && std::str::from_utf8(v).is_ok() && !v.iter().any(|&b| b == 0 || b == b'\r' || b == b'\n')
}

// ---------------------------------------------------------------------------
// Parsers
// ---------------------------------------------------------------------------

/// A single space.
pub fn sp(input: &[u8]) -> PResult<'_, ()> {
    match input.first() {
        None => Err(nom::Err::Incomplete(nom::Needed::new(1))),
        Some(b' ') => Ok((&input[1..], ())),
        Some(_) => fail(input, "SP"),
    }
}

/// CRLF.
pub fn crlf(input: &[u8]) -> PResult<'_, ()> {
    match input {
        [] | [b'\r'] => Err(nom::Err::Incomplete(nom::Needed::Unknown)),
        [b'\r', b'\n', rest @ ..] => Ok((rest, ())),
        _ => fail(input, "CRLF"),
    }
}

/// A single expected byte.
pub fn byte(c: u8, expected: &'static str) -> impl Fn(&[u8]) -> PResult<'_, ()> {
    move |input: &[u8]| match input.first() {
        None => Err(nom::Err::Incomplete(nom::Needed::new(1))),
        Some(&b) if b == c => Ok((&input[1..], ())),
        Some(_) => fail(input, expected),
    }
}

/// The next byte without consuming it (Incomplete at the end).
pub fn peek(input: &[u8]) -> PResult<'_, u8> {
    match input.first() {
        None => Err(nom::Err::Incomplete(nom::Needed::new(1))),
        Some(&b) => Ok((input, b)),
    }
}

/// Case-insensitive literal keyword.
pub fn kw<'k>(k: &'static str) -> impl Fn(&'k [u8]) -> PResult<'k, ()> {
    move |input: &'k [u8]| match tag_no_case::<_, _, NomError>(k.as_bytes())(input) {
        Ok((rest, _)) => Ok((rest, ())),
        Err(nom::Err::Error(_)) => fail(input, k),
        Err(e) => Err(e),
    }
}

/// `nil`: the keyword `NIL`.
pub fn nil(input: &[u8]) -> PResult<'_, ()> {
    kw("NIL")(input)
}

/// An upper-cased copy of a short keyword on the stack (no allocation).
/// Keywords longer than 32 bytes come back empty (they match nothing).
#[derive(Clone, Copy)]
pub struct Upper {
    buf: [u8; 32],
    len: usize,
}

impl Upper {
    /// Upper-cases `k`.
    #[must_use]
    pub fn new(k: &[u8]) -> Self {
        let mut buf = [0u8; 32];
        if k.len() > buf.len() {
            return Upper { buf, len: 0 };
        }
        for (o, c) in buf.iter_mut().zip(k) {
            *o = c.to_ascii_uppercase();
        }
        Upper { buf, len: k.len() }
    }

    /// The upper-cased bytes.
    #[must_use]
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// A keyword: letters, digits, `.`, `-`, `_`, `=`, `+`. Returned as given.
pub fn keyword(input: &[u8]) -> PResult<'_, &[u8]> {
    match take_while1::<_, _, NomError>(is_keyword_char)(input) {
        Err(nom::Err::Error(_)) => fail(input, "keyword"),
        other => other,
    }
}

fn digits(input: &[u8]) -> PResult<'_, &[u8]> {
    match take_while1::<_, _, NomError>(|b: u8| b.is_ascii_digit())(input) {
        Err(nom::Err::Error(_)) => fail(input, "number"),
        other => other,
    }
}

fn parse_u64(d: &[u8]) -> Option<u64> {
    let mut n: u64 = 0;
    for &b in d {
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(n)
}

/// `number`: 1*DIGIT, fitting 32 bits.
pub fn number(input: &[u8]) -> PResult<'_, u32> {
    let (rest, d) = digits(input)?;
    match parse_u64(d).and_then(|n| u32::try_from(n).ok()) {
        Some(n) => Ok((rest, n)),
        None => fail(input, "number below 2^32"),
    }
}

/// `nz-number`: a non-zero `number`.
pub fn nz_number(input: &[u8]) -> PResult<'_, NonZeroU32> {
    let (rest, n) = number(input)?;
    match NonZeroU32::new(n) {
        Some(n) => Ok((rest, n)),
        None => fail(input, "non-zero number"),
    }
}

/// `number64` (RFC 9051): 1*DIGIT up to 2^63-1; also `mod-sequence-value` (RFC 7162).
pub fn number64(input: &[u8]) -> PResult<'_, u64> {
    let (rest, d) = digits(input)?;
    match parse_u64(d).filter(|&n| n <= i64::MAX as u64) {
        Some(n) => Ok((rest, n)),
        None => fail(input, "number below 2^63"),
    }
}

/// `nz-number64`, also `mod-sequence-valzer` without zero.
pub fn nz_number64(input: &[u8]) -> PResult<'_, NonZeroU64> {
    let (rest, n) = number64(input)?;
    match NonZeroU64::new(n) {
        Some(n) => Ok((rest, n)),
        None => fail(input, "non-zero number"),
    }
}

fn ascii_cow(b: &[u8]) -> Cow<'_, str> {
    // Callers only pass ASCII; the lossy path never allocates for ASCII.
    String::from_utf8_lossy(b)
}

/// `atom`.
pub fn atom(input: &[u8]) -> PResult<'_, Atom<'_>> {
    match take_while1::<_, _, NomError>(is_atom_char)(input) {
        Ok((rest, a)) => Ok((rest, Atom::unchecked(ascii_cow(a)))),
        Err(nom::Err::Error(_)) => fail(input, "atom"),
        Err(e) => Err(e),
    }
}

/// `tag`.
pub fn tag(input: &[u8]) -> PResult<'_, Tag<'_>> {
    match take_while1::<_, _, NomError>(is_tag_char)(input) {
        Ok((rest, a)) => Ok((rest, Tag::unchecked(ascii_cow(a)))),
        Err(nom::Err::Error(_)) => fail(input, "tag"),
        Err(e) => Err(e),
    }
}

/// `quoted`: `"` *QUOTED-CHAR `"`. 8-bit bytes are accepted and kept
/// (IMAP4rev2 allows UTF-8 here); CR, LF and NUL are not.
pub fn quoted(input: &[u8]) -> PResult<'_, Cow<'_, [u8]>> {
    let (body, ()) = byte(b'"', "quoted string")(input)?;
    let mut i = 0;
    let mut owned: Option<Vec<u8>> = None;
    loop {
        let Some(&b) = body.get(i) else {
            return Err(nom::Err::Incomplete(nom::Needed::Unknown));
        };
        match b {
            b'"' => {
                let rest = &body[i + 1..];
                return Ok((
                    rest,
                    match owned {
                        Some(v) => Cow::Owned(v),
                        None => Cow::Borrowed(&body[..i]),
                    },
                ));
            }
            b'\\' => {
                let Some(&e) = body.get(i + 1) else {
                    return Err(nom::Err::Incomplete(nom::Needed::Unknown));
                };
                if e != b'"' && e != b'\\' {
                    return fail(&body[i..], "quoted-specials after backslash");
                }
                let v = owned.get_or_insert_with(|| body[..i].to_vec());
                v.push(e);
                i += 2;
            }
            0 | b'\r' | b'\n' => return fail(&body[i..], "QUOTED-CHAR"),
            _ => {
                if let Some(v) = owned.as_mut() {
                    v.push(b);
                }
                i += 1;
            }
        }
    }
}

/// Which literal announcement was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiteralKind {
    /// `{n}`.
    Sync,
    /// `{n+}` (LITERAL+ / LITERAL-).
    NonSync,
}

/// A literal header `{n}` / `{n+}` followed by CRLF; returns the length and kind.
pub fn literal_header(input: &[u8]) -> PResult<'_, (u64, LiteralKind)> {
    let (i, ()) = byte(b'{', "literal")(input)?;
    let (i, n) = number64(i)?;
    let (i, kind) = match peek(i)? {
        (_, b'+') => (&i[1..], LiteralKind::NonSync),
        _ => (i, LiteralKind::Sync),
    };
    let (i, ()) = byte(b'}', "}")(i)?;
    let (i, ()) = crlf(i)?;
    Ok((i, (n, kind)))
}

fn literal_body(input: &[u8], n: u64) -> PResult<'_, &[u8]> {
    let Ok(n) = usize::try_from(n) else {
        return Err(nom::Err::Failure(NomError::limit(
            input,
            "literal too large",
        )));
    };
    take::<_, _, NomError>(n)(input)
}

/// `literal`: `{n}` CRLF n*CHAR8 (NUL not allowed).
pub fn literal(input: &[u8]) -> PResult<'_, &[u8]> {
    let (i, (n, _)) = literal_header(input)?;
    let (rest, data) = literal_body(i, n)?;
    if let Some(p) = memchr::memchr(0, data) {
        return fail(&i[p..], "CHAR8 (no NUL in a literal)");
    }
    Ok((rest, data))
}

/// `literal8`: `~{n}` CRLF n*OCTET (RFC 3516; `{n+}` with LITERAL+).
pub fn literal8(input: &[u8]) -> PResult<'_, &[u8]> {
    let (i, ()) = byte(b'~', "literal8")(input)?;
    let (i, (n, _)) = literal_header(i)?;
    literal_body(i, n)
}

/// `string`: quoted / literal.
pub fn string(input: &[u8]) -> PResult<'_, IString<'_>> {
    match peek(input)? {
        (_, b'"') => {
            let (r, q) = quoted(input)?;
            Ok((r, IString::unchecked(q)))
        }
        (_, b'{') => {
            let (r, l) = literal(input)?;
            Ok((r, IString::unchecked(Cow::Borrowed(l))))
        }
        _ => fail(input, "string"),
    }
}

/// `astring`: 1*ASTRING-CHAR / string.
pub fn astring(input: &[u8]) -> PResult<'_, IString<'_>> {
    match peek(input)? {
        (_, b'"' | b'{') => string(input),
        _ => match take_while1::<_, _, NomError>(is_astring_char)(input) {
            Ok((r, a)) => Ok((r, IString::unchecked(Cow::Borrowed(a)))),
            Err(nom::Err::Error(_)) => fail(input, "astring"),
            Err(e) => Err(e),
        },
    }
}

/// `nstring`: string / NIL.
pub fn nstring(input: &[u8]) -> PResult<'_, Option<IString<'_>>> {
    match peek(input)? {
        (_, b'N' | b'n') => {
            let (r, ()) = nil(input)?;
            Ok((r, None))
        }
        _ => match string(input) {
            Ok((r, s)) => Ok((r, Some(s))),
            Err(nom::Err::Error(_)) => fail(input, "nstring"),
            Err(e) => Err(e),
        },
    }
}

/// `nstring` / `literal8` (RFC 3516 `nstring8` in BINARY responses).
pub fn nstring8(input: &[u8]) -> PResult<'_, Option<Literal8<'_>>> {
    match peek(input)? {
        (_, b'~') => {
            let (r, l) = literal8(input)?;
            Ok((r, Some(Literal8(Cow::Borrowed(l)))))
        }
        _ => {
            let (r, s) = nstring(input)?;
            Ok((r, s.map(|s| Literal8(s.into_inner()))))
        }
    }
}

/// `text`: 1*TEXT-CHAR (8-bit bytes other than CR/LF/NUL accepted and kept,
/// as IMAP4rev2 allows UTF-8 in `text`). Stops before CR.
pub fn text(input: &[u8]) -> PResult<'_, &[u8]> {
    match take_while1::<_, _, NomError>(|b: u8| b != b'\r' && b != b'\n' && b != 0)(input) {
        Err(nom::Err::Error(_)) => fail(input, "text"),
        other => other,
    }
}

/// Zero or more text characters (for `resp-text` where text may be empty).
pub fn text0(input: &[u8]) -> PResult<'_, &[u8]> {
    take_while::<_, _, NomError>(|b: u8| b != b'\r' && b != b'\n' && b != 0)(input)
}

/// `charset`: atom / quoted. Returned as the bytes given.
pub fn charset(input: &[u8]) -> PResult<'_, Cow<'_, [u8]>> {
    match peek(input)? {
        (_, b'"') => quoted(input),
        _ => {
            let (r, a) = atom(input)?;
            Ok((r, Cow::Owned(a.as_str().as_bytes().to_vec())))
        }
    }
}

/// `base64` (RFC 9051 §9): 4-char groups with `=` padding. Returned undecoded.
pub fn base64(input: &[u8]) -> PResult<'_, &[u8]> {
    let (rest, body) = take_while::<_, _, NomError>(is_base64_char)(input)?;
    let (rest, pad) = take_while::<_, _, NomError>(|b| b == b'=')(rest)?;
    let total = body.len() + pad.len();
    if total == 0 || total % 4 != 0 || pad.len() > 2 {
        return fail(input, "base64");
    }
    Ok((rest, &input[..total]))
}

/// `"(" [x *(SP x)] ")"`, allowing an empty list.
pub fn paren_list<'a, O>(
    mut item: impl FnMut(&'a [u8]) -> PResult<'a, O>,
) -> impl FnMut(&'a [u8]) -> PResult<'a, Vec<O>> {
    move |input: &'a [u8]| {
        let (mut i, ()) = byte(b'(', "(")(input)?;
        let mut out = Vec::new();
        if let (_, b')') = peek(i)? {
            return Ok((&i[1..], out));
        }
        loop {
            let (r, x) = item(i)?;
            out.push(x);
            match peek(r)? {
                (_, b')') => return Ok((&r[1..], out)),
                (_, b' ') => i = &r[1..],
                _ => return fail(r, "SP or )"),
            }
        }
    }
}

/// `x *(SP x)` separated by single spaces (at least one).
pub fn sp_list1<'a, O>(
    mut item: impl FnMut(&'a [u8]) -> PResult<'a, O>,
) -> impl FnMut(&'a [u8]) -> PResult<'a, Vec1<O>> {
    move |input: &'a [u8]| {
        let (mut i, first) = item(input)?;
        let mut out = vec![first];
        loop {
            match i.first() {
                Some(b' ') => match item(&i[1..]) {
                    Ok((r, x)) => {
                        out.push(x);
                        i = r;
                    }
                    Err(nom::Err::Error(_)) => return Ok((i, Vec1(out))),
                    Err(e) => return Err(e),
                },
                _ => return Ok((i, Vec1(out))),
            }
        }
    }
}

/// Parses `"(" x *(SP x) ")"` requiring at least one element.
pub fn paren_list1<'a, O>(
    item: impl FnMut(&'a [u8]) -> PResult<'a, O>,
) -> impl FnMut(&'a [u8]) -> PResult<'a, Vec1<O>> {
    let mut p = paren_list(item);
    move |input: &'a [u8]| {
        let (r, v) = p(input)?;
        match Vec1::new(v) {
            Some(v) => Ok((r, v)),
            None => fail(&input[1..], "at least one element"),
        }
    }
}

/// Matches a fixed prefix, exactly (case-sensitive), e.g. `"["`.
pub fn lit<'k>(k: &'static [u8], expected: &'static str) -> impl Fn(&'k [u8]) -> PResult<'k, ()> {
    move |input: &'k [u8]| match ntag::<_, _, NomError>(k)(input) {
        Ok((r, _)) => Ok((r, ())),
        Err(nom::Err::Error(_)) => fail(input, expected),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[allow(clippy::needless_pass_by_value)]
    fn incomplete<T: fmt::Debug>(r: PResult<'_, T>) -> bool {
        matches!(r, Err(nom::Err::Incomplete(_)))
    }

    #[test]
    fn atoms_and_tags() {
        assert_eq!(
            atom(b"FOO BAR").unwrap(),
            (&b" BAR"[..], Atom::new("FOO").unwrap())
        );
        assert!(incomplete(atom(b"FOO")));
        assert!(atom(b"(x").is_err());
        assert_eq!(tag(b"a+b").unwrap().1.as_str(), "a");
        assert!(tag(b"+").is_err());
        assert!(Tag::new("A001").is_ok());
        assert!(Tag::new("A+1").is_err());
        assert!(Atom::new("").is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(number(b"4294967295 ").unwrap().1, u32::MAX);
        assert!(!incomplete(number(b"4294967296 ")) && number(b"4294967296 ").is_err());
        assert!(nz_number(b"0 ").is_err());
        assert_eq!(
            number64(b"9223372036854775807 ").unwrap().1,
            i64::MAX as u64
        );
        assert!(number64(b"9223372036854775808 ").is_err());
        assert!(incomplete(number(b"12")));
    }

    #[test]
    fn quoted_strings() {
        let (r, q) = quoted(b"\"a\\\"b\\\\c\" ").unwrap();
        assert_eq!((r, &q[..]), (&b" "[..], &b"a\"b\\c"[..]));
        assert!(matches!(quoted(b"\"abc\"").unwrap().1, Cow::Borrowed(_)));
        assert!(incomplete(quoted(b"\"abc")));
        assert!(incomplete(quoted(b"\"abc\\")));
        assert!(quoted(b"\"a\\b\"").is_err());
        assert!(quoted(b"\"a\r\n\"").is_err());
        // 8-bit bytes are preserved
        assert_eq!(&quoted(b"\"\xff\xfe\" ").unwrap().1[..], b"\xff\xfe");
    }

    #[test]
    fn literals() {
        assert_eq!(literal(b"{3}\r\nabc)").unwrap(), (&b")"[..], &b"abc"[..]));
        assert_eq!(literal(b"{3+}\r\nabc)").unwrap(), (&b")"[..], &b"abc"[..]));
        assert_eq!(literal(b"{0}\r\n)").unwrap().1, b"");
        assert!(incomplete(literal(b"{3}\r\nab")));
        assert!(incomplete(literal(b"{3}\r")));
        assert!(literal(b"{3}\r\na\0c").is_err());
        assert_eq!(literal8(b"~{3}\r\na\0c").unwrap().1, b"a\0c");
        assert!(literal(b"{x}\r\n").is_err());
    }

    #[test]
    fn astrings_and_nstrings() {
        assert_eq!(astring(b"foo]bar ").unwrap().1.as_bytes(), b"foo]bar");
        assert_eq!(astring(b"\"\" ").unwrap().1.as_bytes(), b"");
        assert_eq!(nstring(b"NIL ").unwrap().1, None);
        assert_eq!(nstring(b"\"NIL\" ").unwrap().1.unwrap().as_bytes(), b"NIL");
        assert!(nstring(b"foo ").is_err());
        assert!(incomplete(nstring(b"NI")));
    }

    #[test]
    fn cheapest_form() {
        let w = |v: &[u8], utf8: bool| {
            let mut e = Encoder::new(EncodeOptions {
                literal: LiteralMode::Sync,
                utf8_quoted: utf8,
            });
            e.astring(v);
            e.into_bytes()
        };
        assert_eq!(w(b"INBOX", false), b"INBOX");
        assert_eq!(w(b"", false), b"\"\"");
        assert_eq!(w(b"a b", false), b"\"a b\"");
        assert_eq!(w(b"a\"b", false), b"\"a\\\"b\"");
        assert_eq!(w(b"a\r\nb", false), b"{4}\r\na\r\nb");
        assert_eq!(w("ü".as_bytes(), false), b"{2}\r\n\xc3\xbc");
        assert_eq!(w("ü".as_bytes(), true), b"\"\xc3\xbc\"");
        assert_eq!(w(b"\xff", true), b"{1}\r\n\xff");
        let mut e = Encoder::new(EncodeOptions {
            literal: LiteralMode::NonSyncUpTo4096,
            utf8_quoted: false,
        });
        e.literal(&[b'a'; 4096]);
        e.literal(&[b'a'; 4097]);
        assert!(e.as_bytes().starts_with(b"{4096+}\r\n"));
        assert_eq!(e.sync_points().len(), 1);
    }

    #[test]
    fn istring_rejects_nul() {
        assert!(IString::new(&b"a\0"[..]).is_err());
        assert!(IString::new(&b"\xff"[..]).is_ok());
    }

    #[test]
    fn base64_groups() {
        assert_eq!(base64(b"AGZvbwBiYXI= ").unwrap().1, b"AGZvbwBiYXI=");
        assert!(base64(b"abc ").is_err());
        assert!(incomplete(base64(b"abcd")));
    }

    #[test]
    fn lists() {
        let (_, v) = paren_list(atom)(b"(a b c) ").unwrap();
        assert_eq!(v.len(), 3);
        assert!(paren_list(atom)(b"() ").unwrap().1.is_empty());
        assert!(paren_list1(atom)(b"() ").is_err());
        assert!(incomplete(paren_list(atom)(b"(a b")));
    }
}
