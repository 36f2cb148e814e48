//! Message identifiers (RFC 5322 §3.6.4, obsolete forms of §4.5.4).
//!
//! ```
//! use mailwire_rfc5322::msgid::parse_msg_id_list;
//! let ids = parse_msg_id_list(b"<1234@local.machine.example>\r\n <3456@example.net>").value;
//! assert_eq!(ids.len(), 2);
//! assert_eq!(ids[1].to_string(), "<3456@example.net>");
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::error::{DefectKind, Parsed};
use crate::lexical::{Cursor, is_atext};

/// A msg-id: `<id-left@id-right>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MsgId<'a> {
    /// id-left (dot-atom-text; an obsolete quoted local part is unquoted).
    pub left: Cow<'a, str>,
    /// id-right (dot-atom-text or `[no-fold-literal]`); empty when the
    /// input had no `@` (a [`DefectKind::MissingDomain`] defect).
    pub right: Cow<'a, str>,
}

impl MsgId<'_> {
    /// A msg-id that owns its data.
    #[must_use]
    pub fn into_owned(self) -> MsgId<'static> {
        MsgId {
            left: Cow::Owned(self.left.into_owned()),
            right: Cow::Owned(self.right.into_owned()),
        }
    }
}

impl fmt::Display for MsgId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.right.is_empty() {
            write!(f, "<{}>", self.left)
        } else {
            write!(f, "<{}@{}>", self.left, self.right)
        }
    }
}

/// Parse one msg-id (Message-ID, Content-ID). `None` if there is none; more
/// than one is a defect.
#[must_use]
pub fn parse_msg_id(value: &[u8]) -> Parsed<Option<MsgId<'_>>> {
    let mut p = parse_msg_id_list(value);
    if p.value.len() > 1 {
        p.defects
            .push(crate::Defect::new(DefectKind::UnexpectedText, 0));
    }
    Parsed {
        value: p.value.into_iter().next(),
        defects: p.defects,
    }
}

/// Parse a list of msg-ids (References, In-Reply-To). Lenient: commas
/// between ids, ids without angle brackets and obs-phrase words (RFC 5322
/// §4.5.4) are accepted with defects; other text is skipped with a defect.
#[must_use]
pub fn parse_msg_id_list(value: &[u8]) -> Parsed<Vec<MsgId<'_>>> {
    let mut c = Cursor::new(value);
    let mut ids = Vec::new();
    loop {
        c.skip_cfws();
        let Some(b) = c.peek() else { break };
        let before = c.pos();
        match b {
            b'<' => {
                c.advance(1);
                if let Some(id) = id_body(&mut c) {
                    ids.push(id);
                }
                c.skip_cfws();
                if !c.eat(b'>') {
                    if c.at_end() {
                        c.defect_at(DefectKind::Unterminated, before);
                    } else {
                        c.recover_to(b">");
                        c.eat(b'>');
                    }
                }
            }
            b',' => {
                c.defect(DefectKind::ObsoleteSyntax);
                c.advance(1);
            }
            b'"' => {
                // obs-phrase word in In-Reply-To.
                c.defect(DefectKind::ObsoleteSyntax);
                c.quoted_string();
            }
            b if is_atext(b) || b == b'.' => {
                // A bare id-left@id-right, or an obs-phrase word.
                let save = c.pos();
                let saved_defects = c.defects.len();
                let id = id_body(&mut c);
                match id {
                    Some(id) if !id.right.is_empty() => {
                        c.defect_at(DefectKind::UnexpectedText, save);
                        ids.push(id);
                    }
                    _ => {
                        // A word of an obs-phrase: only that is reported.
                        c.defects.truncate(saved_defects);
                        c.defect_at(DefectKind::ObsoleteSyntax, save);
                    }
                }
            }
            _ => c.recover_to(b"<"),
        }
        if c.pos() == before {
            c.advance(1);
        }
    }
    Parsed {
        value: ids,
        defects: c.defects,
    }
}

/// `id-left "@" id-right` (without the brackets), CFWS tolerated.
fn id_body<'a>(c: &mut Cursor<'a>) -> Option<MsgId<'a>> {
    c.skip_cfws();
    let start = c.pos();
    let left = if c.peek() == Some(b'"') {
        c.defect(DefectKind::ObsoleteSyntax);
        c.quoted_string()
    } else {
        c.dot_atom()
    };
    let left = match left {
        Some(l) => l,
        None if c.peek() == Some(b'@') => Cow::Borrowed(""),
        None => return None,
    };
    c.skip_cfws();
    if !c.eat(b'@') {
        c.defect_at(DefectKind::MissingDomain, start);
        return Some(MsgId {
            left,
            right: Cow::Borrowed(""),
        });
    }
    c.skip_cfws();
    let right = if c.peek() == Some(b'[') {
        let s = c.pos();
        let input = c.input();
        let end = input[s..]
            .iter()
            .position(|&b| b == b']')
            .map_or(input.len(), |p| s + p + 1);
        c.advance(end - s);
        String::from_utf8_lossy(&input[s..end])
    } else {
        c.dot_atom().unwrap_or_else(|| {
            c.defect(DefectKind::MissingDomain);
            Cow::Borrowed("")
        })
    };
    Some(MsgId { left, right })
}
