//! Address lists (RFC 5322 §3.4, obsolete forms of §4.4).
//!
//! ```
//! use mailwire_rfc5322::address::{Address, AddressList};
//!
//! let list = AddressList::parse(
//!     b"Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>, \
//!       A Group:Ed Jones <c@a.test>,joe@where.test;, <@route.test:x@y.test>",
//! );
//! assert!(list.defects.iter().all(|d| d.kind == mailwire_rfc5322::DefectKind::ObsoleteSyntax));
//! let list = list.value;
//! let first = list.mailboxes().next().unwrap();
//! assert_eq!(first.name.as_deref(), Some("Pete"));
//! assert_eq!(first.addr_spec(), "pete@silly.test");
//! let Address::Group(g) = &list.addresses[1] else { panic!() };
//! assert_eq!(g.name, "A Group");
//! assert_eq!(g.members.len(), 2);
//! assert_eq!(list.mailboxes().count(), 4);
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::encoded_word::{decode_words, has_ew_start};
use crate::error::{DefectKind, Parsed};
use crate::lexical::{Cursor, is_atext};

/// A mailbox: an optional display name and an address (RFC 5322 §3.4).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Mailbox<'a> {
    /// The display name, unfolded, comments removed, words joined by one
    /// space, quoted strings unescaped, encoded words decoded. `None` for a
    /// bare addr-spec or an angle-addr without a phrase.
    pub name: Option<Cow<'a, str>>,
    /// The local part as its semantic content: quoted strings unquoted and
    /// unescaped, CFWS removed (RFC 5322 §3.4.1).
    pub local_part: Cow<'a, str>,
    /// The domain (a domain literal keeps its brackets). `None` only when
    /// the input had no `@domain` (a [`DefectKind::MissingDomain`] defect).
    pub domain: Option<Cow<'a, str>>,
    /// An obs-route (`<@a,@b:user@host>`, RFC 5322 §4.4): the domains, to
    /// be ignored.
    pub route: Vec<Cow<'a, str>>,
}

/// A named group of mailboxes (RFC 5322 §3.4).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Group<'a> {
    /// The group's display name.
    pub name: Cow<'a, str>,
    /// The members (possibly none).
    pub members: Vec<Mailbox<'a>>,
}

/// One element of an address list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Address<'a> {
    /// A single mailbox.
    Mailbox(Mailbox<'a>),
    /// A group.
    Group(Group<'a>),
}

/// An address list (From, To, Cc, Bcc, Reply-To, Resent-*).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AddressList<'a> {
    /// The addresses in order.
    pub addresses: Vec<Address<'a>>,
}

fn own(c: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(c.into_owned())
}

impl Mailbox<'_> {
    /// A mailbox that owns its data.
    #[must_use]
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox {
            name: self.name.map(own),
            local_part: own(self.local_part),
            domain: self.domain.map(own),
            route: self.route.into_iter().map(own).collect(),
        }
    }

    /// The address as `local@domain`, the local part quoted when it is not
    /// a dot-atom (RFC 5322 §3.4.1).
    #[must_use]
    pub fn addr_spec(&self) -> String {
        let mut s = String::with_capacity(self.local_part.len() + 32);
        write_local_part(&mut s, &self.local_part);
        if let Some(d) = &self.domain {
            s.push('@');
            s.push_str(d);
        }
        s
    }
}

/// Append a local part, quoted if it is not a dot-atom-text.
pub(crate) fn write_local_part(out: &mut String, local: &str) {
    if is_dot_atom_text(local) {
        out.push_str(local);
    } else {
        out.push('"');
        for ch in local.chars() {
            if ch == '"' || ch == '\\' {
                out.push('\\');
            }
            out.push(ch);
        }
        out.push('"');
    }
}

/// Whether `s` is a dot-atom-text (RFC 5322 §3.2.3, RFC 6532 atext).
#[must_use]
pub fn is_dot_atom_text(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|a| !a.is_empty() && a.bytes().all(is_atext))
}

impl Group<'_> {
    /// A group that owns its data.
    #[must_use]
    pub fn into_owned(self) -> Group<'static> {
        Group {
            name: own(self.name),
            members: self.members.into_iter().map(Mailbox::into_owned).collect(),
        }
    }
}

impl Address<'_> {
    /// An address that owns its data.
    #[must_use]
    pub fn into_owned(self) -> Address<'static> {
        match self {
            Self::Mailbox(m) => Address::Mailbox(m.into_owned()),
            Self::Group(g) => Address::Group(g.into_owned()),
        }
    }
}

impl<'a> AddressList<'a> {
    /// Parse an address-list field value leniently. Never fails: text that
    /// cannot be parsed is skipped with a defect.
    #[must_use]
    pub fn parse(value: &'a [u8]) -> Parsed<Self> {
        let mut c = Cursor::new(value);
        let addresses = list(&mut c, false, &mut Vec::new());
        Parsed {
            value: Self { addresses },
            defects: c.defects,
        }
    }

    /// Every mailbox, group members included, in order.
    pub fn mailboxes(&self) -> impl Iterator<Item = &Mailbox<'a>> {
        self.addresses.iter().flat_map(|a| match a {
            Address::Mailbox(m) => core::slice::from_ref(m),
            Address::Group(g) => g.members.as_slice(),
        })
    }

    /// A list that owns its data.
    #[must_use]
    pub fn into_owned(self) -> AddressList<'static> {
        AddressList {
            addresses: self
                .addresses
                .into_iter()
                .map(Address::into_owned)
                .collect(),
        }
    }
}

impl<'a> Mailbox<'a> {
    /// Parse a single mailbox (Sender, Resent-Sender). Extra addresses are
    /// ignored with a defect; `None` if there is no mailbox.
    #[must_use]
    pub fn parse(value: &'a [u8]) -> Parsed<Option<Self>> {
        let mut p = AddressList::parse(value);
        let mut it = p.value.addresses.into_iter();
        let first = match it.next() {
            Some(Address::Mailbox(m)) => Some(m),
            Some(Address::Group(g)) => {
                p.defects
                    .push(crate::Defect::new(DefectKind::UnexpectedText, 0));
                g.members.into_iter().next()
            }
            None => None,
        };
        if it.next().is_some() {
            p.defects
                .push(crate::Defect::new(DefectKind::UnexpectedText, 0));
        }
        Parsed {
            value: first,
            defects: p.defects,
        }
    }

    /// Parse a Return-Path value (RFC 5322 §3.6.7): `<>` gives `None`.
    #[must_use]
    pub fn parse_return_path(value: &'a [u8]) -> Parsed<Option<Self>> {
        let mut c = Cursor::new(value);
        c.skip_cfws();
        let mb = if c.peek() == Some(b'<') {
            let m = angle_addr(&mut c, None, &mut Vec::new());
            if m.local_part.is_empty() && m.domain.is_none() {
                None
            } else {
                if m.domain.is_none() {
                    c.defect(DefectKind::MissingDomain);
                }
                Some(m)
            }
        } else {
            c.defect(DefectKind::ObsoleteSyntax);
            match address(&mut c, true, &mut Vec::new()) {
                Some(Address::Mailbox(m)) => Some(m),
                _ => None,
            }
        };
        c.skip_cfws();
        if !c.at_end() {
            c.recover_to(b"");
        }
        Parsed {
            value: mb,
            defects: c.defects,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Atom,
    Quoted,
    Dot,
}

struct Tok<'a> {
    text: Cow<'a, str>,
    kind: Kind,
    ws_before: bool,
}

/// `*(word / "." / CFWS)`: the words of a phrase or local part.
/// The tokens go into `toks` (cleared first), a buffer reused across the
/// addresses of a list so that parsing a mailbox does not allocate for them.
fn words<'a>(c: &mut Cursor<'a>, toks: &mut Vec<Tok<'a>>) {
    toks.clear();
    loop {
        let ws_before = c.skip_cfws();
        let (text, kind) = match c.peek() {
            Some(b'"') => match c.quoted_string() {
                Some(t) => (t, Kind::Quoted),
                None => break,
            },
            Some(b'.') => {
                c.advance(1);
                (Cow::Borrowed("."), Kind::Dot)
            }
            Some(b) if is_atext(b) => match c.atom_text() {
                Some(t) => (t, Kind::Atom),
                None => break,
            },
            _ => break,
        };
        toks.push(Tok {
            text,
            kind,
            ws_before,
        });
    }
}

/// A display name from phrase tokens (RFC 5322 §3.2.5, obs-phrase §4.1).
fn phrase<'a>(c: &mut Cursor<'a>, toks: &mut Vec<Tok<'a>>, offset: usize) -> Option<Cow<'a, str>> {
    if toks.is_empty() {
        return None;
    }
    if toks.iter().any(|t| t.kind == Kind::Dot) {
        c.defect_at(DefectKind::ObsoleteSyntax, offset);
    }
    let has_ew = toks.iter().any(|t| has_ew_start(&t.text));
    let quoted_ew = toks
        .iter()
        .any(|t| t.kind == Kind::Quoted && has_ew_start(&t.text));
    let mut text: Cow<'a, str> = if toks.len() == 1 {
        toks.pop().map(|t| t.text).unwrap_or_default()
    } else {
        let mut s = String::new();
        for (i, t) in toks.iter().enumerate() {
            if i > 0 && t.ws_before {
                s.push(' ');
            }
            s.push_str(&t.text);
        }
        Cow::Owned(s)
    };
    if has_ew {
        let mut defects = Vec::new();
        let decoded = decode_words(text.as_bytes(), &mut defects, true);
        for d in defects {
            c.defect_at(d.kind, offset);
        }
        if quoted_ew && decoded != *text {
            // RFC 2047 §5(3): not allowed inside a quoted-string, but
            // common; decoded like most readers do.
            c.defect_at(DefectKind::EncodedWordInQuotedString, offset);
        }
        text = Cow::Owned(decoded);
    }
    Some(text)
}

/// A local part from its tokens: words joined by their dots, CFWS dropped.
fn local_part<'a>(c: &mut Cursor<'a>, toks: &mut Vec<Tok<'a>>, offset: usize) -> Cow<'a, str> {
    let strict_shape = toks.len() % 2 == 1
        && toks
            .iter()
            .enumerate()
            .all(|(i, t)| !t.ws_before && (t.kind == Kind::Dot) == (i % 2 == 1));
    if !strict_shape || (toks.len() > 1 && toks.iter().any(|t| t.kind == Kind::Quoted)) {
        c.defect_at(DefectKind::ObsoleteSyntax, offset);
    }
    if toks.len() == 1 {
        return toks.pop().map(|t| t.text).unwrap_or_default();
    }
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        // Words not separated by a dot (a phrase where a local part was
        // expected) are joined with a space, as written.
        if i > 0 && t.kind != Kind::Dot && toks[i - 1].kind != Kind::Dot {
            s.push(' ');
        }
        s.push_str(&t.text);
    }
    Cow::Owned(s)
}

/// A domain after `@` (dot-atom, obs-domain or domain-literal), CFWS
/// around it skipped.
fn domain<'a>(c: &mut Cursor<'a>) -> Option<Cow<'a, str>> {
    c.skip_cfws();
    let d = if c.peek() == Some(b'[') {
        Some(domain_literal(c))
    } else {
        c.dot_atom()
    };
    if d.is_none() {
        c.defect(DefectKind::MissingDomain);
    }
    c.skip_cfws();
    d
}

/// `"[" *([FWS] dtext) [FWS] "]"`, kept with brackets, unfolded.
fn domain_literal<'a>(c: &mut Cursor<'a>) -> Cow<'a, str> {
    let input = c.input();
    let start = c.pos();
    c.advance(1);
    let mut closed = false;
    while let Some(b) = c.peek() {
        match b {
            b']' => {
                c.advance(1);
                closed = true;
                break;
            }
            b'[' => break,
            b'\\' => {
                c.defect(DefectKind::ObsoleteSyntax);
                c.advance(2);
            }
            _ => c.advance(1),
        }
    }
    let raw = &input[start..c.pos()];
    let mut s: Cow<'a, str> = match core::str::from_utf8(raw) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            c.defect_at(DefectKind::InvalidUtf8, start);
            String::from_utf8_lossy(raw)
        }
    };
    // FWS inside the brackets is not part of the literal (RFC 5322
    // §3.4.1: `*([FWS] dtext) [FWS]`).
    if s.contains(['\r', '\n', ' ', '\t']) {
        s = Cow::Owned(s.replace(['\r', '\n', ' ', '\t'], ""));
    }
    if !closed {
        c.defect_at(DefectKind::Unterminated, start);
        s.to_mut().push(']');
    }
    s
}

/// `"<" [obs-route] addr-spec ">"` at `<`.
fn angle_addr<'a>(
    c: &mut Cursor<'a>,
    name: Option<Cow<'a, str>>,
    toks: &mut Vec<Tok<'a>>,
) -> Mailbox<'a> {
    let open = c.pos();
    c.advance(1);
    c.skip_cfws();
    let mut route = Vec::new();
    if matches!(c.peek(), Some(b'@' | b',')) {
        c.defect(DefectKind::ObsoleteSyntax);
        loop {
            c.skip_cfws();
            if c.eat(b',') {
                continue;
            }
            if c.eat(b'@') {
                if let Some(d) = domain(c) {
                    route.push(d);
                }
                continue;
            }
            break;
        }
        if !c.eat(b':') {
            c.recover_to(b":>");
            c.eat(b':');
        }
        c.skip_cfws();
    }
    let at = c.pos();
    words(c, toks);
    let mut local = Cow::Borrowed("");
    let mut dom = None;
    if !toks.is_empty() {
        local = local_part(c, toks, at);
    }
    if c.eat(b'@') {
        dom = domain(c);
    } else if !local.is_empty() {
        c.defect(DefectKind::MissingDomain);
    }
    c.skip_cfws();
    if !c.eat(b'>') {
        if c.at_end() || c.peek() == Some(b',') {
            c.defect_at(DefectKind::Unterminated, open);
        } else {
            c.recover_to(b">,");
            c.eat(b'>');
        }
    }
    c.skip_cfws();
    Mailbox {
        name,
        local_part: local,
        domain: dom,
        route,
    }
}

/// One address, or `None` if there is none at the cursor.
fn address<'a>(c: &mut Cursor<'a>, in_group: bool, toks: &mut Vec<Tok<'a>>) -> Option<Address<'a>> {
    c.skip_cfws();
    let start = c.pos();
    words(c, toks);
    match c.peek() {
        Some(b'<') => {
            let name = phrase(c, toks, start);
            let m = angle_addr(c, name, toks);
            if m.local_part.is_empty() && m.domain.is_none() {
                c.defect_at(DefectKind::MissingDomain, start);
            }
            Some(Address::Mailbox(m))
        }
        Some(b':') if !toks.is_empty() || !in_group => {
            if toks.is_empty() {
                // A group without a display name: not RFC 5322, accepted.
                c.defect_at(DefectKind::NonStandardSyntax, start);
            }
            let name = phrase(c, toks, start).unwrap_or_default();
            c.advance(1);
            if in_group {
                // Groups do not nest: flatten with a defect.
                c.defect_at(DefectKind::UnexpectedText, start);
            }
            let members = list(c, true, toks)
                .into_iter()
                .flat_map(|a| match a {
                    Address::Mailbox(m) => vec![m],
                    Address::Group(g) => g.members,
                })
                .collect();
            Some(Address::Group(Group { name, members }))
        }
        Some(b'@') if !toks.is_empty() => {
            let local = local_part(c, toks, start);
            c.advance(1);
            let dom = domain(c);
            Some(Address::Mailbox(Mailbox {
                name: None,
                local_part: local,
                domain: dom,
                route: Vec::new(),
            }))
        }
        _ if toks.is_empty() => None,
        _ => {
            // A word with no @domain: `undisclosed-recipients`, `root`.
            c.defect_at(DefectKind::MissingDomain, start);
            let local = local_part(c, toks, start);
            Some(Address::Mailbox(Mailbox {
                name: None,
                local_part: local,
                domain: None,
                route: Vec::new(),
            }))
        }
    }
}

/// `address *("," address)` with obs empty elements; in a group, up to and
/// including the closing `;`.
fn list<'a>(c: &mut Cursor<'a>, in_group: bool, toks: &mut Vec<Tok<'a>>) -> Vec<Address<'a>> {
    let stops: &[u8] = if in_group { b",;" } else { b"," };
    let mut out = Vec::new();
    let mut expect_item = true;
    let mut any_comma = false;
    loop {
        c.skip_cfws();
        match c.peek() {
            None => {
                if in_group {
                    c.defect(DefectKind::Unterminated);
                }
                break;
            }
            Some(b';') if in_group => {
                c.advance(1);
                c.skip_cfws();
                break;
            }
            Some(b',') => {
                if expect_item && !in_group {
                    c.defect(DefectKind::EmptyListElement);
                }
                any_comma = true;
                c.advance(1);
                expect_item = true;
                continue;
            }
            _ => {}
        }
        let before = c.pos();
        match address(c, in_group, toks) {
            Some(a) => out.push(a),
            None => {
                c.recover_to(stops);
                if c.pos() == before {
                    c.advance(1);
                }
            }
        }
        expect_item = false;
        c.skip_cfws();
        match c.peek() {
            None | Some(b',') => {}
            Some(b';') if in_group => {}
            _ => c.recover_to(stops),
        }
    }
    if expect_item && any_comma && !in_group {
        c.defect(DefectKind::EmptyListElement);
    }
    out
}

impl fmt::Display for Mailbox<'_> {
    /// Writes the mailbox in RFC 6532 form (UTF-8 kept, display name quoted
    /// when needed); see [`crate::writer`] for 7-bit output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        crate::writer::write_mailbox(&mut s, self, true);
        f.write_str(&s)
    }
}
