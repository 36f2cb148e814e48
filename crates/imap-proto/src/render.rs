//! FETCH rendering from a parsed message: ENVELOPE, BODYSTRUCTURE,
//! `BODY[section]<partial>`, BINARY, sizes and dates (RFC 9051 §6.4.5,
//! §7.5.2; RFC 3501 §6.4.5, §7.4.2; RFC 3516; RFC 7162 MODSEQ).
//!
//! Pure functions over a [`StoredMessage`]: the application keeps its
//! messages wherever it likes, parses each one once with
//! [`mailwire_mime::Message::parse`] (a server caches that), and asks:
//!
//! - [`render`]: the FETCH data items as typed [`FetchItem`]s borrowing
//!   from the message (`BODY[]` and sections are slices of the stored
//!   bytes; only decoded BINARY data and non-contiguous `HEADER.FIELDS`
//!   subsets are owned);
//! - [`write_fetch`]: the fast path, `* n FETCH (...)\r\n` written straight
//!   into an [`Encoder`].
//!
//! Both report whether the fetch implicitly sets `\Seen` (a non-PEEK
//! `BODY[...]`, `BINARY[...]`, `RFC822` or `RFC822.TEXT` on a message without
//! it, RFC 9051 §6.4.5): the caller stores the flag. The rendered FLAGS
//! already include it, and FLAGS is added when it was not asked for ("if
//! this causes the flags to change, they SHOULD be included as part of the
//! FETCH responses").
//!
//! ```
//! use mailwire_imap_proto::datetime::DateTime;
//! use mailwire_imap_proto::fetch::{fetch_items, FetchAttribute};
//! use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
//! use mailwire_imap_proto::primitive::Encoder;
//! use mailwire_imap_proto::render::{render, write_fetch, RenderOptions};
//! use mailwire_imap_proto::response::FetchItem;
//!
//! let raw = b"From: Ann <ann@example.org>\r\nSubject: hi\r\n\r\nHello\r\n";
//! let parsed = mailwire_mime::Message::parse(raw).unwrap();
//! let (internal_date, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
//! let meta = MessageMeta { seq: 1, uid: 7, flags: &[], recent: false, internal_date, modseq: 0 };
//! let msg = StoredMessage { raw, parsed: &parsed, meta };
//!
//! let (_, items) = fetch_items(b"(UID BODY[TEXT] BODYSTRUCTURE)\r\n").unwrap();
//! let attrs = items.expand();
//! let out = render(&msg, &attrs, &RenderOptions::default()).unwrap();
//! assert_eq!(out.items[0], FetchItem::Uid(7));
//! assert!(out.set_seen); // BODY[TEXT] without .PEEK, message not \Seen yet
//!
//! let mut enc = Encoder::default();
//! write_fetch(&mut enc, &msg, &attrs, &RenderOptions::default()).unwrap();
//! assert_eq!(
//!     String::from_utf8_lossy(enc.as_bytes()),
//!     "* 1 FETCH (UID 7 BODY[TEXT] {7}\r\nHello\r\n BODYSTRUCTURE (\"TEXT\" \"PLAIN\" \
//!      (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 7 1 NIL NIL NIL NIL) FLAGS (\\Seen))\r\n",
//! );
//! ```

mod envelope;
mod section;
mod structure;
mod write;

use std::borrow::Cow;

use crate::body::Body;
use crate::code::Code;
use crate::envelope::Envelope;
use crate::fetch::FetchAttribute;
use crate::flag::{Flag, FlagFetch};
use crate::message::StoredMessage;
use crate::primitive::Encoder;
use crate::response::FetchItem;
use crate::section::{Part, Partial, Section};

/// How to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderOptions {
    /// The mailbox is read-only (EXAMINE): fetching never sets `\Seen`
    /// (RFC 9051 §6.3.3). Default false.
    pub read_only: bool,
    /// Always include `UID` (a `UID FETCH`, RFC 9051 §6.4.9: "UID FETCH ...
    /// MUST include the UID"), first when not asked for. Default false.
    pub uid: bool,
    /// Deepest BODY/BODYSTRUCTURE nesting written (default 32, what
    /// [`ResponseOptions::max_depth`](crate::response::ResponseOptions::max_depth)
    /// accepts); deeper structure is cut (see the module docs of the
    /// structure rules).
    pub max_depth: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            read_only: false,
            uid: false,
            max_depth: 32,
        }
    }
}

impl RenderOptions {
    /// Sets [`RenderOptions::read_only`].
    #[must_use]
    pub fn read_only(mut self, yes: bool) -> Self {
        self.read_only = yes;
        self
    }

    /// Sets [`RenderOptions::uid`].
    #[must_use]
    pub fn uid(mut self, yes: bool) -> Self {
        self.uid = yes;
        self
    }

    /// Sets [`RenderOptions::max_depth`] (at least 1).
    #[must_use]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth.max(1);
        self
    }
}

/// Why a FETCH cannot be answered for a message. Each maps to a tagged `NO`
/// ([`RenderError::code`] gives the response code, if any).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// BINARY or BINARY.SIZE of a part whose Content-Transfer-Encoding is not
    /// known: RFC 3516 §4.2/§4.3 and RFC 9051 §7.5.2 require `NO
    /// [UNKNOWN-CTE]`.
    #[error("unknown content-transfer-encoding in part {part}")]
    UnknownCte {
        /// The part number.
        part: String,
    },
    /// A decoded section larger than BINARY.SIZE can express (4 GiB).
    #[error("part {part} is too large")]
    TooLarge {
        /// The part number.
        part: String,
    },
    /// A data item this renderer has no data for (EMAILID, THREADID: the
    /// store keeps object ids, RFC 8474).
    #[error("{item} is not available")]
    Unsupported {
        /// The data item name.
        item: &'static str,
    },
}

impl RenderError {
    /// The response code for the tagged `NO`, if the RFCs name one.
    #[must_use]
    pub fn code(&self) -> Option<Code<'static>> {
        match self {
            RenderError::UnknownCte { .. } => Some(Code::UnknownCte),
            _ => None,
        }
    }
}

/// The data items of one FETCH response, and the `\Seen` side effect.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rendered<'a> {
    /// The items, in the order asked for (FLAGS appended when `\Seen` was
    /// set and FLAGS not asked for; UID first when [`RenderOptions::uid`]
    /// added it).
    pub items: Vec<FetchItem<'a>>,
    /// The fetch sets `\Seen`: the caller stores it.
    pub set_seen: bool,
}

/// What [`write_fetch`] did besides writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchOutcome {
    /// The fetch sets `\Seen`: the caller stores it.
    pub set_seen: bool,
}

/// True for a data item that implicitly sets `\Seen` (RFC 9051 §6.4.5;
/// RFC 3501 §6.4.5 for RFC822 and RFC822.TEXT; RFC822.HEADER is PEEK).
fn sets_seen(a: &FetchAttribute<'_>) -> bool {
    matches!(
        a,
        FetchAttribute::BodySection { peek: false, .. }
            | FetchAttribute::Binary { peek: false, .. }
            | FetchAttribute::Rfc822
            | FetchAttribute::Rfc822Text
    )
}

fn will_set_seen(
    msg: &StoredMessage<'_>,
    attrs: &[FetchAttribute<'_>],
    opts: &RenderOptions,
) -> bool {
    !opts.read_only && attrs.iter().any(sets_seen) && !msg.has_flag(&Flag::Seen)
}

/// Renders the FETCH data items `attrs` (expand macros first with
/// [`FetchItems::expand`](crate::fetch::FetchItems::expand)) for one
/// message.
///
/// Nothing is rendered on error: the caller answers the command with a
/// tagged `NO` ([`RenderError::code`]).
pub fn render<'a>(
    msg: &StoredMessage<'a>,
    attrs: &[FetchAttribute<'_>],
    opts: &RenderOptions,
) -> Result<Rendered<'a>, RenderError> {
    let set_seen = will_set_seen(msg, attrs, opts);
    let mut items = Vec::with_capacity(attrs.len() + 2);
    let asked_uid = attrs.iter().any(|a| matches!(a, FetchAttribute::Uid));
    if opts.uid && !asked_uid {
        items.push(FetchItem::Uid(msg.meta.uid));
    }
    for a in attrs {
        items.push(item(msg, a, set_seen, opts)?);
    }
    if set_seen && !attrs.iter().any(|a| matches!(a, FetchAttribute::Flags)) {
        items.push(FetchItem::Flags(flags(msg, true)));
    }
    Ok(Rendered { items, set_seen })
}

/// Writes `* n FETCH (...)\r\n` for one message into `enc`.
///
/// On error nothing is written. Literals are written as `{n}` (or
/// `~{n}` for BINARY data holding NUL), as a server sends them.
pub fn write_fetch(
    enc: &mut Encoder,
    msg: &StoredMessage<'_>,
    attrs: &[FetchAttribute<'_>],
    opts: &RenderOptions,
) -> Result<FetchOutcome, RenderError> {
    // Items that can fail are rendered first, so that nothing is written
    // on error.
    let fallible = attrs.iter().any(|a| {
        matches!(
            a,
            FetchAttribute::Binary { .. }
                | FetchAttribute::BinarySize { .. }
                | FetchAttribute::EmailId
                | FetchAttribute::ThreadId
        )
    });
    if fallible {
        let r = render(msg, attrs, opts)?;
        enc.raw(b"* ");
        enc.number(u64::from(msg.meta.seq));
        enc.raw(b" FETCH (");
        for (i, it) in r.items.iter().enumerate() {
            if i > 0 {
                enc.raw(b" ");
            }
            it.write(enc);
        }
        enc.raw(b")\r\n");
        return Ok(FetchOutcome {
            set_seen: r.set_seen,
        });
    }
    let set_seen = will_set_seen(msg, attrs, opts);
    enc.raw(b"* ");
    enc.number(u64::from(msg.meta.seq));
    enc.raw(b" FETCH (");
    let mut first = true;
    let mut sep = |enc: &mut Encoder| {
        if !first {
            enc.raw(b" ");
        }
        first = false;
    };
    if opts.uid && !attrs.iter().any(|a| matches!(a, FetchAttribute::Uid)) {
        sep(enc);
        FetchItem::Uid(msg.meta.uid).write(enc);
    }
    for a in attrs {
        sep(enc);
        match a {
            FetchAttribute::Envelope => {
                enc.raw(b"ENVELOPE ");
                write::write_envelope(enc, msg.parsed.root());
            }
            FetchAttribute::BodyStructure => {
                enc.raw(b"BODYSTRUCTURE ");
                structure::write_body(enc, msg.parsed.root(), true, opts.max_depth);
            }
            FetchAttribute::Body => {
                enc.raw(b"BODY ");
                structure::write_body(enc, msg.parsed.root(), false, opts.max_depth);
            }
            FetchAttribute::Flags => write_flags(enc, msg, set_seen),
            other => item(msg, other, set_seen, opts)?.write(enc),
        }
    }
    if set_seen && !attrs.iter().any(|a| matches!(a, FetchAttribute::Flags)) {
        sep(enc);
        write_flags(enc, msg, true);
    }
    enc.raw(b")\r\n");
    Ok(FetchOutcome { set_seen })
}

fn write_flags(enc: &mut Encoder, msg: &StoredMessage<'_>, add_seen: bool) {
    enc.raw(b"FLAGS (");
    let mut first = true;
    for f in msg.meta.flags {
        if !first {
            enc.raw(b" ");
        }
        first = false;
        f.write(enc);
    }
    if add_seen && !msg.has_flag(&Flag::Seen) {
        if !first {
            enc.raw(b" ");
        }
        first = false;
        enc.raw(b"\\Seen");
    }
    if msg.meta.recent {
        if !first {
            enc.raw(b" ");
        }
        enc.raw(b"\\Recent");
    }
    enc.raw(b")");
}

fn flags<'a>(msg: &StoredMessage<'a>, add_seen: bool) -> Vec<FlagFetch<'a>> {
    let mut v: Vec<FlagFetch<'a>> = Vec::with_capacity(msg.meta.flags.len() + 2);
    v.extend(msg.meta.flags.iter().cloned().map(FlagFetch::Flag));
    if add_seen && !msg.has_flag(&Flag::Seen) {
        v.push(FlagFetch::Flag(Flag::Seen));
    }
    if msg.meta.recent {
        v.push(FlagFetch::Recent);
    }
    v
}

fn item<'a>(
    msg: &StoredMessage<'a>,
    a: &FetchAttribute<'_>,
    set_seen: bool,
    opts: &RenderOptions,
) -> Result<FetchItem<'a>, RenderError> {
    Ok(match a {
        FetchAttribute::Flags => FetchItem::Flags(flags(msg, set_seen)),
        FetchAttribute::Uid => FetchItem::Uid(msg.meta.uid),
        FetchAttribute::ModSeq => FetchItem::ModSeq(msg.meta.modseq),
        FetchAttribute::InternalDate => FetchItem::InternalDate(msg.meta.internal_date),
        FetchAttribute::Rfc822Size => FetchItem::Rfc822Size(msg.size()),
        FetchAttribute::Envelope => FetchItem::Envelope(Box::new(envelope(msg))),
        FetchAttribute::Body => FetchItem::Body(Box::new(body_structure(msg, false, opts))),
        FetchAttribute::BodyStructure => {
            FetchItem::BodyStructure(Box::new(body_structure(msg, true, opts)))
        }
        FetchAttribute::Rfc822 => FetchItem::Rfc822(Some(Cow::Borrowed(msg.raw))),
        FetchAttribute::Rfc822Header => {
            FetchItem::Rfc822Header(Some(Cow::Borrowed(msg.parsed.root().header_bytes())))
        }
        FetchAttribute::Rfc822Text => {
            FetchItem::Rfc822Text(Some(Cow::Borrowed(msg.parsed.root().body())))
        }
        FetchAttribute::BodySection {
            section, partial, ..
        } => FetchItem::BodySection {
            section: section.clone().into_owned(),
            origin: partial.map(|p| p.offset),
            data: Some(section_data(msg, section, *partial)),
        },
        FetchAttribute::Binary { part, partial, .. } => FetchItem::Binary {
            part: part.clone(),
            origin: partial.map(|p| p.offset),
            data: Some(binary(msg, part.as_ref(), *partial)?),
        },
        FetchAttribute::BinarySize { part } => FetchItem::BinarySize {
            part: part.clone(),
            size: binary_size(msg, part.as_ref())?,
        },
        FetchAttribute::EmailId => return Err(RenderError::Unsupported { item: "EMAILID" }),
        FetchAttribute::ThreadId => return Err(RenderError::Unsupported { item: "THREADID" }),
    })
}

/// The ENVELOPE of the message (RFC 9051 §7.5.2), borrowing from it.
#[must_use]
pub fn envelope<'a>(msg: &StoredMessage<'a>) -> Envelope<'a> {
    envelope::envelope(msg.parsed.root())
}

/// BODYSTRUCTURE (`extensible`) or BODY of the message (RFC 9051 §7.5.2).
#[must_use]
pub fn body_structure<'a>(
    msg: &StoredMessage<'a>,
    extensible: bool,
    opts: &RenderOptions,
) -> Body<'a> {
    structure::body(msg.parsed.root(), extensible, opts.max_depth)
}

/// The data of `BODY[section]<partial>`: a slice of the message except for
/// non-contiguous `HEADER.FIELDS` subsets. A part the message does not have,
/// or `HEADER`/`TEXT` of a part that is not a message/rfc822 (RFC 9051
/// §6.4.5.1 allows those only on MESSAGE parts), gives the empty string, as
/// Dovecot and Cyrus answer. A partial range past the end gives the empty
/// string (RFC 9051 §6.4.5).
#[must_use]
pub fn section_data<'a>(
    msg: &StoredMessage<'a>,
    section: &Section<'_>,
    partial: Option<Partial>,
) -> Cow<'a, [u8]> {
    section::apply_partial(section::section_data(msg.raw, msg.parsed, section), partial)
}

/// The data of `BINARY[part]<partial>`, decoded from its transfer encoding
/// (RFC 3516, RFC 9051 §7.5.2); the empty string for a part that does not
/// exist.
pub fn binary<'a>(
    msg: &StoredMessage<'a>,
    part: Option<&Part>,
    partial: Option<Partial>,
) -> Result<Cow<'a, [u8]>, RenderError> {
    Ok(section::apply_partial(
        section::binary_data(msg.raw, msg.parsed, part)?,
        partial,
    ))
}

/// `BINARY.SIZE[part]`: the size [`binary`] returns without partial (0 for
/// a part that does not exist).
pub fn binary_size(msg: &StoredMessage<'_>, part: Option<&Part>) -> Result<u32, RenderError> {
    let n = section::binary_data(msg.raw, msg.parsed, part)?.len();
    u32::try_from(n).map_err(|_| RenderError::TooLarge {
        part: part.map(ToString::to_string).unwrap_or_default(),
    })
}
