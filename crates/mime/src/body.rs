//! What users want from a message: the text body, the HTML body and the
//! attachments, chosen exactly as RFC 8621 §4.1.4 (JMAP `parseStructure`)
//! does.

use crate::message::{Message, Part, PartKind};

/// The RFC 8621 §4.1.4 body selection of a message.
#[derive(Debug, Clone, Default)]
pub struct BodyParts<'m> {
    /// `textBody`: parts to show when displaying as plain text.
    pub text: Vec<Part<'m>>,
    /// `htmlBody`: parts to show when displaying as HTML.
    pub html: Vec<Part<'m>>,
    /// `attachments`: everything else (inline images included when a body
    /// list cannot show them).
    pub attachments: Vec<Part<'m>>,
}

fn is_inline_media(main: &str) -> bool {
    matches!(main, "image" | "audio" | "video")
}

impl<'a> Message<'a> {
    /// Selects textBody, htmlBody and attachments (RFC 8621 §4.1.4).
    /// message/rfc822 parts are attachments, not descended into.
    ///
    /// ```
    /// use mailwire_mime::Message;
    /// let raw = b"Content-Type: multipart/alternative; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nplain\r\n--x\r\nContent-Type: text/html\r\n\r\n<b>html</b>\r\n--x--\r\n";
    /// let msg = Message::parse(raw).unwrap();
    /// let b = msg.body_parts();
    /// assert_eq!(b.text[0].text().text, "plain");
    /// assert_eq!(b.html[0].text().text, "<b>html</b>");
    /// assert!(b.attachments.is_empty());
    /// ```
    pub fn body_parts(&self) -> BodyParts<'_> {
        let mut text = Some(Vec::new());
        let mut html = Some(Vec::new());
        let mut attachments = Vec::new();
        parse_structure(
            &[self.root()],
            "mixed",
            false,
            &mut text,
            &mut html,
            &mut attachments,
        );
        BodyParts {
            text: text.unwrap_or_default(),
            html: html.unwrap_or_default(),
            attachments,
        }
    }
}

fn parse_structure<'m>(
    parts: &[Part<'m>],
    multipart_type: &str,
    in_alternative: bool,
    text_body: &mut Option<Vec<Part<'m>>>,
    html_body: &mut Option<Vec<Part<'m>>>,
    attachments: &mut Vec<Part<'m>>,
) {
    let text_len = text_body.as_ref().map(Vec::len);
    let html_len = html_body.as_ref().map(Vec::len);
    // `htmlBody = null` in the pseudo-code only affects this call.
    let mut local_text: Option<()> = text_body.as_ref().map(|_| ());
    let mut local_html: Option<()> = html_body.as_ref().map(|_| ());
    for (i, part) in parts.iter().enumerate() {
        let ct = part.content_type();
        let is_multipart = part.kind() == PartKind::Multipart;
        let main = ct.main_type();
        let plain = ct.is("text", "plain");
        let htm = ct.is("text", "html");
        let inline_media = is_inline_media(main);
        let disposition_attachment = part.disposition().is_some_and(|d| d.is_attachment());
        let is_inline = !disposition_attachment
            && (plain || htm || inline_media)
            && (i == 0
                || (multipart_type != "related" && (inline_media || part.filename().is_none())));
        if is_multipart {
            let sub = ct.subtype().to_string();
            let kids: Vec<Part<'m>> = part.children().collect();
            let mut t = if local_text.is_some() {
                text_body.take()
            } else {
                None
            };
            let mut h = if local_html.is_some() {
                html_body.take()
            } else {
                None
            };
            parse_structure(
                &kids,
                &sub,
                in_alternative || sub == "alternative",
                &mut t,
                &mut h,
                attachments,
            );
            if local_text.is_some() {
                *text_body = t;
            }
            if local_html.is_some() {
                *html_body = h;
            }
        } else if is_inline {
            if multipart_type == "alternative" {
                if plain {
                    if let Some(t) = text_body.as_mut().filter(|_| local_text.is_some()) {
                        t.push(*part);
                    }
                } else if htm {
                    if let Some(h) = html_body.as_mut().filter(|_| local_html.is_some()) {
                        h.push(*part);
                    }
                } else {
                    attachments.push(*part);
                }
                continue;
            } else if in_alternative {
                if plain {
                    local_html = None;
                }
                if htm {
                    local_text = None;
                }
            }
            if local_text.is_some()
                && let Some(t) = text_body.as_mut()
            {
                t.push(*part);
            }
            if local_html.is_some()
                && let Some(h) = html_body.as_mut()
            {
                h.push(*part);
            }
            if (local_text.is_none() || local_html.is_none()) && inline_media {
                attachments.push(*part);
            }
        } else {
            attachments.push(*part);
        }
    }
    if multipart_type == "alternative"
        && local_text.is_some()
        && local_html.is_some()
        && let (Some(t), Some(h), Some(tl), Some(hl)) =
            (text_body.as_mut(), html_body.as_mut(), text_len, html_len)
    {
        if tl == t.len() && hl != h.len() {
            t.extend(h[hl..].iter().copied());
        }
        if hl == h.len() && tl != t.len() {
            h.extend(t[tl..].iter().copied());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The RFC 8621 §4.1.4 example structure.
    #[test]
    fn rfc8621_example() {
        let raw = "Content-Type: multipart/mixed; boundary=m1\r\n\r\n\
--m1\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\nA\r\n\
--m1\r\nContent-Type: multipart/mixed; boundary=m2\r\n\r\n\
--m2\r\nContent-Type: multipart/alternative; boundary=alt\r\n\r\n\
--alt\r\nContent-Type: multipart/mixed; boundary=m3\r\n\r\n\
--m3\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\nB\r\n\
--m3\r\nContent-Type: image/jpeg\r\nContent-Disposition: inline\r\n\r\nC\r\n\
--m3\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\nD\r\n\
--m3--\r\n\
--alt\r\nContent-Type: multipart/related; boundary=rel\r\n\r\n\
--rel\r\nContent-Type: text/html\r\n\r\nE\r\n\
--rel\r\nContent-Type: image/jpeg\r\n\r\nF\r\n\
--rel--\r\n\
--alt--\r\n\
--m2\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment\r\n\r\nG\r\n\
--m2\r\nContent-Type: application/x-excel\r\n\r\nH\r\n\
--m2\r\nContent-Type: message/rfc822\r\n\r\nSubject: J\r\n\r\nJ\r\n\
--m2--\r\n\
--m1\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\nK\r\n\
--m1--\r\n";
        let msg = Message::parse(raw.as_bytes()).unwrap();
        assert!(msg.defects().is_empty(), "{:?}", msg.defects());
        let b = msg.body_parts();
        let names = |v: &[Part<'_>]| -> String {
            v.iter()
                .map(|p| {
                    let t = p.decoded().bytes.into_owned();
                    String::from_utf8(t)
                        .unwrap()
                        .lines()
                        .next()
                        .unwrap_or("")
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join("")
        };
        // RFC 8621: textBody => [ A, B, C, D, K ], htmlBody => [ A, E, K ],
        // attachments => [ C, F, G, H, J ]
        assert_eq!(names(&b.text), "ABCDK");
        assert_eq!(names(&b.html), "AEK");
        assert_eq!(names(&b.attachments), "CFGHSubject: J");
    }
}
