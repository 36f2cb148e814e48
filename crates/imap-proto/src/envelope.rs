//! The ENVELOPE structure (RFC 9051 §7.5.2, §9 `envelope`).
//!
//! Every field is an `nstring`: `None` is `NIL`. Bytes are kept exactly as the
//! server sent them (RFC 2047 encoded words are not decoded here), borrowed
//! from the input where possible.

use crate::primitive::{Encoder, IString};

use crate::response::lex::{Cursor, PResult};

/// An `nstring` value: `None` is `NIL`.
pub type NString<'a> = Option<IString<'a>>;

fn nstring_owned(s: NString<'_>) -> NString<'static> {
    s.map(IString::into_owned)
}

/// The ENVELOPE of a message (RFC 9051 §7.5.2).
///
/// Address lists are empty when the server sent `NIL`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Envelope<'a> {
    /// The Date header field, unparsed.
    pub date: NString<'a>,
    /// The Subject header field.
    pub subject: NString<'a>,
    /// From addresses.
    pub from: Vec<Address<'a>>,
    /// Sender addresses.
    pub sender: Vec<Address<'a>>,
    /// Reply-To addresses.
    pub reply_to: Vec<Address<'a>>,
    /// To addresses.
    pub to: Vec<Address<'a>>,
    /// Cc addresses.
    pub cc: Vec<Address<'a>>,
    /// Bcc addresses.
    pub bcc: Vec<Address<'a>>,
    /// The In-Reply-To header field.
    pub in_reply_to: NString<'a>,
    /// The Message-ID header field.
    pub message_id: NString<'a>,
}

/// One address of an envelope address list (RFC 9051 §9 `address`).
///
/// RFC 5322 groups are encoded as a start marker (`host` is `None`, `mailbox`
/// holds the group name) and an end marker (`host` and `mailbox` both `None`);
/// see [`Address::is_group_start`] and [`Address::is_group_end`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address<'a> {
    /// The display name (phrase), without RFC 5322 quoting.
    pub name: NString<'a>,
    /// The source route (obsolete `obs-route`), usually `None`.
    pub adl: NString<'a>,
    /// The local part, or the group name for a group start marker.
    pub mailbox: NString<'a>,
    /// The domain; `None` marks group syntax.
    pub host: NString<'a>,
}

impl<'a> Address<'a> {
    /// True for the marker that opens an RFC 5322 group (its name is in `mailbox`).
    pub fn is_group_start(&self) -> bool {
        self.host.is_none() && self.mailbox.is_some()
    }

    /// True for the marker that closes an RFC 5322 group.
    pub fn is_group_end(&self) -> bool {
        self.host.is_none() && self.mailbox.is_none()
    }

    /// Converts into a value that owns all its data.
    pub fn into_owned(self) -> Address<'static> {
        Address {
            name: nstring_owned(self.name),
            adl: nstring_owned(self.adl),
            mailbox: nstring_owned(self.mailbox),
            host: nstring_owned(self.host),
        }
    }

    pub(crate) fn parse(c: &mut Cursor<'a>) -> PResult<Self> {
        c.byte(b'(', "address")?;
        let name = c.nstring()?;
        c.sp()?;
        let adl = c.nstring()?;
        c.sp()?;
        let mailbox = c.nstring()?;
        c.sp()?;
        let host = c.nstring()?;
        c.byte(b')', ")")?;
        Ok(Address {
            name,
            adl,
            mailbox,
            host,
        })
    }

    /// Writes the address in IMAP syntax.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(b"(");
        enc.nstring(self.name.as_ref().map(IString::as_bytes));
        enc.raw(b" ");
        enc.nstring(self.adl.as_ref().map(IString::as_bytes));
        enc.raw(b" ");
        enc.nstring(self.mailbox.as_ref().map(IString::as_bytes));
        enc.raw(b" ");
        enc.nstring(self.host.as_ref().map(IString::as_bytes));
        enc.raw(b")");
    }
}

fn parse_addr_list<'a>(c: &mut Cursor<'a>) -> PResult<Vec<Address<'a>>> {
    if c.nil()? {
        return Ok(Vec::new());
    }
    c.byte(b'(', "address list or NIL")?;
    let mut v = Vec::new();
    loop {
        match c.peek()? {
            b'(' => v.push(Address::parse(c)?),
            b')' if !v.is_empty() || c.opts.empty_lists => {
                c.pos += 1;
                return Ok(v);
            }
            // Some servers separate addresses with a space.
            b' ' if !v.is_empty() && c.opts.empty_lists => c.pos += 1,
            _ => return c.err("address"),
        }
    }
}

fn write_addr_list(enc: &mut Encoder, v: &[Address<'_>]) {
    if v.is_empty() {
        enc.raw(b"NIL");
        return;
    }
    enc.raw(b"(");
    for a in v {
        a.write(enc);
    }
    enc.raw(b")");
}

impl<'a> Envelope<'a> {
    /// Converts into a value that owns all its data.
    pub fn into_owned(self) -> Envelope<'static> {
        let own = |v: Vec<Address<'a>>| v.into_iter().map(Address::into_owned).collect();
        Envelope {
            date: nstring_owned(self.date),
            subject: nstring_owned(self.subject),
            from: own(self.from),
            sender: own(self.sender),
            reply_to: own(self.reply_to),
            to: own(self.to),
            cc: own(self.cc),
            bcc: own(self.bcc),
            in_reply_to: nstring_owned(self.in_reply_to),
            message_id: nstring_owned(self.message_id),
        }
    }

    /// Parses an envelope, e.g. the value after `ENVELOPE `.
    ///
    /// Returns the envelope and the number of bytes consumed.
    ///
    /// ```
    /// use mailwire_imap_proto::envelope::Envelope;
    /// let (env, n) = Envelope::parse(
    ///     b"(NIL \"hi\" ((\"A\" NIL \"a\" \"x.org\")) NIL NIL NIL NIL NIL NIL \"<1@x>\")",
    /// ).unwrap();
    /// assert_eq!(env.subject.as_ref().map(|s| s.as_bytes()), Some(&b"hi"[..]));
    /// assert_eq!(env.from[0].host.as_ref().map(|s| s.as_bytes()), Some(&b"x.org"[..]));
    /// assert_eq!(n, 66);
    /// ```
    pub fn parse(input: &'a [u8]) -> Result<(Self, usize), crate::error::ParseError> {
        let mut c = Cursor::new(input, crate::response::ResponseOptions::default());
        match Self::parse_at(&mut c) {
            Ok(e) => Ok((e, c.pos)),
            Err(e) => Err(crate::response::lex_to_error(e)),
        }
    }

    pub(crate) fn parse_at(c: &mut Cursor<'a>) -> PResult<Self> {
        c.byte(b'(', "envelope")?;
        let date = c.nstring()?;
        c.sp()?;
        let subject = c.nstring()?;
        c.sp()?;
        let from = parse_addr_list(c)?;
        c.sp()?;
        let sender = parse_addr_list(c)?;
        c.sp()?;
        let reply_to = parse_addr_list(c)?;
        c.sp()?;
        let to = parse_addr_list(c)?;
        c.sp()?;
        let cc = parse_addr_list(c)?;
        c.sp()?;
        let bcc = parse_addr_list(c)?;
        c.sp()?;
        let in_reply_to = c.nstring()?;
        c.sp()?;
        let message_id = c.nstring()?;
        c.byte(b')', ")")?;
        Ok(Envelope {
            date,
            subject,
            from,
            sender,
            reply_to,
            to,
            cc,
            bcc,
            in_reply_to,
            message_id,
        })
    }

    /// Writes the envelope in IMAP syntax.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(b"(");
        enc.nstring(self.date.as_ref().map(IString::as_bytes));
        enc.raw(b" ");
        enc.nstring(self.subject.as_ref().map(IString::as_bytes));
        for l in [
            &self.from,
            &self.sender,
            &self.reply_to,
            &self.to,
            &self.cc,
            &self.bcc,
        ] {
            enc.raw(b" ");
            write_addr_list(enc, l);
        }
        enc.raw(b" ");
        enc.nstring(self.in_reply_to.as_ref().map(IString::as_bytes));
        enc.raw(b" ");
        enc.nstring(self.message_id.as_ref().map(IString::as_bytes));
        enc.raw(b")");
    }
}
