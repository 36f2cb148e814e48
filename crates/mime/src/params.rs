//! `Content-Type` (RFC 2045 §5), `Content-Disposition` (RFC 2183) and their
//! parameters, with RFC 2231 continuations, charsets and percent-encoding.

use std::borrow::Cow;

use crate::charset;
use crate::encoded_word::{bytes_to_text, decode_header_text};

/// One parameter as written: a section of a possibly RFC 2231-split value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawParam<'a> {
    /// Attribute name without the `*N*` suffix.
    pub(crate) name: &'a [u8],
    /// RFC 2231 section number (`name*3=`).
    pub(crate) section: Option<u32>,
    /// True for `name*=` / `name*N*=` (charset'lang'percent-encoded).
    pub(crate) extended: bool,
    /// The value with quotes and backslash escapes removed.
    pub(crate) value: Cow<'a, [u8]>,
}

/// Problems found while parsing a structured MIME field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ParamIssues {
    pub(crate) malformed: bool,
}

fn skip_cfws(v: &[u8], mut i: usize) -> usize {
    loop {
        while i < v.len() && matches!(v[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if i < v.len() && v[i] == b'(' {
            // Nested comment with quoted-pairs.
            let mut depth = 0usize;
            while i < v.len() {
                match v[i] {
                    b'\\' => i += 1,
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            continue;
        }
        return i.min(v.len());
    }
}

/// Whether `c` is an RFC 2045 §5.1 `token` octet: printable US-ASCII but
/// SPACE and the `tspecials` `()<>@,;:\"/[]?=`.
///
/// ```
/// use mailwire_mime::is_token_byte;
/// assert!(b"text/plain".iter().filter(|&&c| c != b'/').all(|&c| is_token_byte(c)));
/// assert!(!is_token_byte(b'=') && !is_token_byte(b' ') && !is_token_byte(0xC3));
/// ```
pub fn is_token_byte(c: u8) -> bool {
    c > b' '
        && c < 0x7F
        && !matches!(
            c,
            b'(' | b')'
                | b'<'
                | b'>'
                | b'@'
                | b','
                | b';'
                | b':'
                | b'\\'
                | b'"'
                | b'/'
                | b'['
                | b']'
                | b'?'
                | b'='
        )
}

/// What the parser reads as a token octet: [`is_token_byte`], and also
/// any 8-bit octet (raw UTF-8 in real messages); `tspecials`, whitespace,
/// controls and DEL end a token.
fn is_lenient_token_byte(c: u8) -> bool {
    c >= 0x80 || is_token_byte(c)
}

fn token(v: &[u8], i: usize) -> (&[u8], usize) {
    let mut j = i;
    while j < v.len() && is_lenient_token_byte(v[j]) {
        j += 1;
    }
    (&v[i..j], j)
}

/// Parses a quoted string starting at `v[i] == '"'`; returns the content and
/// the index after the closing quote (or the end, if unterminated).
fn quoted(v: &[u8], i: usize) -> (Cow<'_, [u8]>, usize) {
    let start = i + 1;
    let mut j = start;
    let mut escaped = false;
    while j < v.len() {
        match v[j] {
            b'\\' => {
                escaped = true;
                j += 1;
            }
            b'"' => break,
            _ => {}
        }
        j += 1;
    }
    let end = j.min(v.len());
    let content = &v[start..end];
    let has_fold = memchr::memchr2(b'\r', b'\n', content).is_some();
    let value = if escaped || has_fold {
        let mut out = Vec::with_capacity(content.len());
        let mut k = 0;
        while k < content.len() {
            match content[k] {
                b'\\' if k + 1 < content.len() => {
                    out.push(content[k + 1]);
                    k += 2;
                    continue;
                }
                b'\r' | b'\n' => {}
                c => out.push(c),
            }
            k += 1;
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(content)
    };
    (value, (end + 1).min(v.len()))
}

/// Splits `v` (starting at index `i`, just after the type) into raw
/// parameters. Lenient: an unquoted value runs to the next `;` (so
/// `name=my file.pdf` keeps its space); a parameter without `=` is skipped
/// and reported.
pub(crate) fn parse_raw_params(v: &[u8], mut i: usize) -> (Vec<RawParam<'_>>, ParamIssues) {
    let mut out = Vec::new();
    let mut issues = ParamIssues::default();
    loop {
        i = skip_cfws(v, i);
        if i >= v.len() {
            break;
        }
        if v[i] == b';' {
            i += 1;
            continue;
        }
        // attribute
        let name_start = i;
        while i < v.len() && v[i] != b'=' && v[i] != b';' {
            i += 1;
        }
        let full_name = trim(&v[name_start..i]);
        if i >= v.len() || v[i] == b';' || full_name.is_empty() {
            if !full_name.is_empty() || i < v.len() {
                issues.malformed = true;
            }
            // Skip the junk up to and including the next ';' (always
            // advancing, so the loop ends).
            while i < v.len() && v[i] != b';' {
                i += 1;
            }
            i += 1;
            continue;
        }
        i += 1; // '='
        i = skip_cfws(v, i);
        let value: Cow<'_, [u8]> = if i < v.len() && v[i] == b'"' {
            let (val, next) = quoted(v, i);
            i = next;
            // Skip anything up to the next ';'.
            // A missing ';' before the next parameter is tolerated.
            let rest = skip_cfws(v, i);
            if rest < v.len() && v[rest] != b';' {
                issues.malformed = true;
            }
            i = rest;
            val
        } else {
            let start = i;
            while i < v.len() && v[i] != b';' {
                if matches!(v[i], b' ' | b'\t' | b'\r' | b'\n') && next_is_param(v, i) {
                    issues.malformed = true;
                    break;
                }
                i += 1;
            }
            let raw = trim(&v[start..i]);
            // Drop a trailing comment: `7bit (x)` style.
            let raw = match memchr::memchr(b'(', raw) {
                Some(p) if raw.ends_with(b")") => trim(&raw[..p]),
                _ => raw,
            };
            if raw.contains(&b'\r') || raw.contains(&b'\n') {
                Cow::Owned(
                    raw.iter()
                        .copied()
                        .filter(|&c| c != b'\r' && c != b'\n')
                        .collect(),
                )
            } else {
                Cow::Borrowed(raw)
            }
        };
        // name, name*, name*N, name*N*
        let (name, section, extended) = split_2231_name(full_name);
        out.push(RawParam {
            name,
            section,
            extended,
            value,
        });
    }
    (out, issues)
}

/// After whitespace at `i`: does `attribute=` follow (a missing `;`)?
fn next_is_param(v: &[u8], mut i: usize) -> bool {
    while i < v.len() && matches!(v[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    let s = i;
    while i < v.len() && (is_lenient_token_byte(v[i]) || v[i] == b'*') {
        i += 1;
    }
    i > s && i < v.len() && v[i] == b'='
}

fn trim(v: &[u8]) -> &[u8] {
    crate::transfer::trim_ascii(v)
}

fn split_2231_name(n: &[u8]) -> (&[u8], Option<u32>, bool) {
    let Some(star) = memchr::memchr(b'*', n) else {
        return (n, None, false);
    };
    let base = &n[..star];
    let rest = &n[star + 1..];
    if rest.is_empty() {
        return (base, None, true);
    }
    let (digits, extended) = match rest.strip_suffix(b"*") {
        Some(d) => (d, true),
        None => (rest, false),
    };
    if !digits.is_empty() && digits.len() <= 6 && digits.iter().all(u8::is_ascii_digit) {
        let num = digits
            .iter()
            .fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'));
        (base, Some(num), extended)
    } else {
        (n, None, false)
    }
}

fn percent_decode(v: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%' {
            let h = |c: u8| (c as char).to_digit(16);
            if let (Some(a), Some(b)) = (
                v.get(i + 1).and_then(|&c| h(c)),
                v.get(i + 2).and_then(|&c| h(c)),
            ) {
                out.push((a * 16 + b) as u8);
                i += 3;
                continue;
            }
        }
        out.push(v[i]);
        i += 1;
    }
}

/// A decoded parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param<'a> {
    /// Lowercased attribute name, RFC 2231 suffixes removed.
    pub name: Cow<'a, str>,
    /// Decoded value (RFC 2231 sections joined as bytes, then decoded from
    /// their charset; plain values decoded from RFC 2047 words if any).
    pub value: Cow<'a, str>,
    /// RFC 2231 language tag, when given.
    pub language: Option<String>,
    /// RFC 2231 charset, when given.
    pub charset: Option<String>,
    /// True when the charset was not recognised (the value is then the
    /// bytes read as UTF-8, or windows-1252 if not valid UTF-8).
    pub unknown_charset: bool,
}

fn lower(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) if !s.bytes().any(|c| c.is_ascii_uppercase()) => Cow::Borrowed(s),
        _ => Cow::Owned(String::from_utf8_lossy(b).to_ascii_lowercase()),
    }
}

/// Joins RFC 2231 sections and decodes every parameter (RFC 2231 §3-4).
/// When a name occurs both plain and extended, the extended form wins; a
/// later duplicate of the same form is ignored.
pub(crate) fn combine(raw: &[RawParam<'_>]) -> Vec<Param<'static>> {
    let mut out: Vec<Param<'static>> = Vec::new();
    let mut done: Vec<Vec<u8>> = Vec::new();
    for (idx, p) in raw.iter().enumerate() {
        let lname = p.name.to_ascii_lowercase();
        if done.contains(&lname) {
            continue;
        }
        // Is there an extended or sectioned version of this name anywhere?
        let has_2231 = raw
            .iter()
            .any(|q| q.name.eq_ignore_ascii_case(p.name) && (q.extended || q.section.is_some()));
        if !has_2231 {
            // Plain value; first occurrence wins.
            let value = plain_value(&p.value);
            out.push(Param {
                name: Cow::Owned(lower(p.name).into_owned()),
                value: Cow::Owned(value.into_owned()),
                language: None,
                charset: None,
                unknown_charset: false,
            });
            done.push(lname);
            continue;
        }
        let _ = idx;
        // Gather: an unsectioned extended value, or sections 0..n.
        let mut bytes = Vec::new();
        let mut cs: Option<String> = None;
        let mut lang: Option<String> = None;
        let single = raw
            .iter()
            .find(|q| q.name.eq_ignore_ascii_case(p.name) && q.extended && q.section.is_none());
        let mut first_extended = false;
        if let Some(q) = single {
            let (c, l, data) = split_ext(&q.value);
            cs = c;
            lang = l;
            percent_decode(data, &mut bytes);
            first_extended = true;
        } else {
            let mut n = 0u32;
            while let Some(q) = raw
                .iter()
                .find(|q| q.name.eq_ignore_ascii_case(p.name) && q.section == Some(n))
            {
                if q.extended {
                    if n == 0 {
                        let (c, l, data) = split_ext(&q.value);
                        cs = c;
                        lang = l;
                        percent_decode(data, &mut bytes);
                        first_extended = true;
                    } else {
                        // A charset'lang' prefix is only allowed on section
                        // 0 (RFC 2231 §4.1); drop a misplaced one.
                        let (c, _, data) = split_ext(&q.value);
                        let valid_prefix = c.as_deref().is_some_and(|c| {
                            c.bytes().all(|b| {
                                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')
                            })
                        });
                        let data = if valid_prefix { data } else { &q.value[..] };
                        if cs.is_none() && valid_prefix {
                            cs = c;
                        }
                        percent_decode(data, &mut bytes);
                    }
                } else {
                    bytes.extend_from_slice(&q.value);
                }
                n += 1;
                if n > 10_000 {
                    break;
                }
            }
            if n == 0 {
                // Only sections without a 0, or a plain `name*N` junk: fall
                // back to the plain value if there is one.
                if let Some(q) = raw.iter().find(|q| {
                    q.name.eq_ignore_ascii_case(p.name) && !q.extended && q.section.is_none()
                }) {
                    bytes.extend_from_slice(&q.value);
                } else {
                    continue;
                }
            }
        }
        let (value, unknown) = if first_extended || cs.is_some() {
            let d = charset::decode(cs.as_deref(), &bytes);
            (d.text.into_owned(), d.unknown_charset && cs.is_some())
        } else {
            (plain_value(&bytes).into_owned(), false)
        };
        out.push(Param {
            name: Cow::Owned(lower(p.name).into_owned()),
            value: Cow::Owned(value),
            language: lang,
            charset: cs,
            unknown_charset: unknown,
        });
        done.push(lname);
    }
    out
}

fn plain_value(v: &[u8]) -> Cow<'_, str> {
    if memchr::memmem::find(v, b"=?").is_some() {
        decode_header_text(v)
    } else {
        bytes_to_text(v)
    }
}

/// Splits `charset'language'data`. A value without two quotes is all data.
fn split_ext(v: &[u8]) -> (Option<String>, Option<String>, &[u8]) {
    let Some(q1) = memchr::memchr(b'\'', v) else {
        return (None, None, v);
    };
    let Some(q2) = memchr::memchr(b'\'', &v[q1 + 1..]).map(|q| q + q1 + 1) else {
        return (None, None, v);
    };
    let cs = String::from_utf8_lossy(&v[..q1]).trim().to_string();
    let lang = String::from_utf8_lossy(&v[q1 + 1..q2]).trim().to_string();
    (
        if cs.is_empty() { None } else { Some(cs) },
        if lang.is_empty() { None } else { Some(lang) },
        &v[q2 + 1..],
    )
}

/// A parsed `Content-Type` field value (RFC 2045 §5.1).
///
/// ```
/// use mailwire_mime::ContentType;
/// let ct = ContentType::parse(b"Text/HTML; Charset=\"UTF-8\"; format=flowed");
/// assert_eq!(ct.mime_type(), "text/html");
/// assert_eq!(ct.param("charset").as_deref(), Some("UTF-8"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    main: String,
    sub: String,
    params: Vec<Param<'static>>,
    malformed: bool,
}

impl ContentType {
    /// Parses a field value. A value without a valid `type/subtype` yields
    /// `text/plain` (RFC 2045 §5.2) with [`ContentType::is_malformed`] set;
    /// parameters are kept either way.
    pub fn parse(value: &[u8]) -> Self {
        let i = skip_cfws(value, 0);
        let (main, j) = token(value, i);
        let j2 = skip_cfws(value, j);
        let (ok, sub, rest) = if j2 < value.len() && value[j2] == b'/' {
            let k = skip_cfws(value, j2 + 1);
            let (sub, k2) = token(value, k);
            (!main.is_empty() && !sub.is_empty(), sub, k2)
        } else {
            (false, &b""[..], j)
        };
        let (raw, issues) = parse_raw_params(value, rest);
        let params = combine(&raw);
        let trailing_junk = {
            let r = skip_cfws(value, rest);
            r < value.len() && value[r] != b';'
        };
        if ok {
            ContentType {
                main: lower(main).into_owned(),
                sub: lower(sub).into_owned(),
                params,
                malformed: issues.malformed || trailing_junk,
            }
        } else {
            ContentType {
                main: "text".into(),
                sub: "plain".into(),
                params,
                malformed: true,
            }
        }
    }

    /// `text/plain; charset=us-ascii`, the RFC 2045 default.
    pub fn text_plain() -> Self {
        ContentType {
            main: "text".into(),
            sub: "plain".into(),
            params: Vec::new(),
            malformed: false,
        }
    }

    /// `message/rfc822`, the default inside multipart/digest (RFC 2046 §5.1.5).
    pub fn message_rfc822() -> Self {
        ContentType {
            main: "message".into(),
            sub: "rfc822".into(),
            params: Vec::new(),
            malformed: false,
        }
    }

    /// The lowercased top-level type (`text`).
    pub fn main_type(&self) -> &str {
        &self.main
    }

    /// The lowercased subtype (`plain`).
    pub fn subtype(&self) -> &str {
        &self.sub
    }

    /// `type/subtype`, lowercased.
    pub fn mime_type(&self) -> String {
        format!("{}/{}", self.main, self.sub)
    }

    /// True when the type is `main/sub` (arguments compared case-insensitively).
    pub fn is(&self, main: &str, sub: &str) -> bool {
        self.main.eq_ignore_ascii_case(main) && self.sub.eq_ignore_ascii_case(sub)
    }

    /// A parameter's decoded value, by case-insensitive name.
    pub fn param(&self, name: &str) -> Option<Cow<'_, str>> {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| Cow::Borrowed(&*p.value))
    }

    /// All parameters, in order of first appearance.
    pub fn params(&self) -> &[Param<'static>] {
        &self.params
    }

    /// The `charset` parameter.
    pub fn charset(&self) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name == "charset")
            .map(|p| p.value.trim())
    }

    /// True when the value was not well-formed (the result is a best guess).
    pub fn is_malformed(&self) -> bool {
        self.malformed
    }
}

/// A parsed `Content-Disposition` field value (RFC 2183).
///
/// ```
/// use mailwire_mime::ContentDisposition;
/// let cd = ContentDisposition::parse(b"attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf");
/// assert!(cd.is_attachment());
/// assert_eq!(cd.filename().as_deref(), Some("résumé.pdf"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentDisposition {
    kind: String,
    params: Vec<Param<'static>>,
}

impl ContentDisposition {
    /// Parses a field value; the disposition type is lowercased (empty when
    /// missing).
    pub fn parse(value: &[u8]) -> Self {
        let i = skip_cfws(value, 0);
        let (kind, j) = token(value, i);
        let (raw, _) = parse_raw_params(value, j);
        ContentDisposition {
            kind: lower(kind).into_owned(),
            params: combine(&raw),
        }
    }

    /// The lowercased disposition type (`inline`, `attachment`, ...).
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// True for `attachment`.
    pub fn is_attachment(&self) -> bool {
        self.kind == "attachment"
    }

    /// True for `inline`.
    pub fn is_inline(&self) -> bool {
        self.kind == "inline"
    }

    /// The `filename` parameter (RFC 2231 `filename*` preferred).
    pub fn filename(&self) -> Option<Cow<'_, str>> {
        self.param("filename")
    }

    /// A parameter's decoded value, by case-insensitive name.
    pub fn param(&self, name: &str) -> Option<Cow<'_, str>> {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| Cow::Borrowed(&*p.value))
    }

    /// All parameters.
    pub fn params(&self) -> &[Param<'static>] {
        &self.params
    }
}

/// The raw `boundary` parameter of a Content-Type value, as bytes (no
/// charset decoding: delimiters are compared byte for byte).
pub(crate) fn raw_boundary(value: &[u8]) -> Option<Cow<'_, [u8]>> {
    let i = skip_cfws(value, 0);
    let (_, j) = token(value, i);
    let mut k = skip_cfws(value, j);
    if k < value.len() && value[k] == b'/' {
        k = skip_cfws(value, k + 1);
        k = token(value, k).1;
    }
    let (raw, _) = parse_raw_params(value, k);
    let mut it = raw
        .into_iter()
        .filter(|p| p.name.eq_ignore_ascii_case(b"boundary"));
    let first = it.next()?;
    if first.section.is_some() || first.extended {
        // A split or extended boundary is nonsense but harmless: join it.
        let all: Vec<RawParam<'_>> = vec![first];
        let p = combine(&all);
        return p
            .into_iter()
            .next()
            .map(|p| Cow::Owned(p.value.into_owned().into_bytes()));
    }
    Some(first.value)
}

/// Quick classification of a Content-Type value used while building the
/// tree: (main type, subtype) lowercased into small stack buffers.
pub(crate) fn quick_type(value: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = skip_cfws(value, 0);
    let (main, j) = token(value, i);
    let j = skip_cfws(value, j);
    if j < value.len() && value[j] == b'/' {
        let k = skip_cfws(value, j + 1);
        let (sub, _) = token(value, k);
        if !main.is_empty() && !sub.is_empty() {
            return Some((main, sub));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn content_type_basics() {
        let ct = ContentType::parse(b" multipart/Mixed;\r\n\tboundary=\"a b\\\"c\" (comment)");
        assert_eq!(ct.mime_type(), "multipart/mixed");
        assert_eq!(ct.param("BOUNDARY").as_deref(), Some("a b\"c"));
        let ct = ContentType::parse(b"text/plain; charset=us-ascii (Plain text)");
        assert_eq!(ct.charset(), Some("us-ascii"));
        let ct = ContentType::parse(b"text");
        assert_eq!(ct.mime_type(), "text/plain");
        assert!(ct.is_malformed());
        let ct = ContentType::parse(b"application/octet-stream; name=my file.pdf");
        assert_eq!(ct.param("name").as_deref(), Some("my file.pdf"));
        let ct = ContentType::parse(b"text/plain (c) ; (x) charset = \"utf-8\"");
        assert_eq!(ct.charset(), Some("utf-8"));
        assert!(!ct.is_malformed());
    }

    #[test]
    fn rfc2231_examples() {
        // RFC 2231 §3
        let ct = ContentType::parse(
            b"message/external-body; access-type=URL;\r\n URL*0=\"ftp://\";\r\n URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"",
        );
        assert_eq!(
            ct.param("url").as_deref(),
            Some("ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar")
        );
        // §4
        let ct = ContentType::parse(
            b"application/x-stuff;\r\n title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A",
        );
        assert_eq!(ct.param("title").as_deref(), Some("This is ***fun***"));
        assert_eq!(ct.params()[0].language.as_deref(), Some("en-us"));
        // §4.1
        let ct = ContentType::parse(
            b"application/x-stuff;\r\n title*0*=us-ascii'en'This%20is%20even%20more%20\r\n title*1*=%2A%2A%2Afun%2A%2A%2A%20\r\n title*2=\"isn't it!\"",
        );
        assert_eq!(
            ct.param("title").as_deref(),
            Some("This is even more ***fun*** isn't it!")
        );
        // The same with the semicolons the RFC's example forgot.
        let ct = ContentType::parse(
            b"application/x-stuff;\r\n title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n title*2=\"isn't it!\"",
        );
        assert_eq!(
            ct.param("title").as_deref(),
            Some("This is even more ***fun*** isn't it!")
        );
    }

    #[test]
    fn rfc2231_split_utf8_joined_before_decoding() {
        // "é" = C3 A9 split across two sections.
        let cd = ContentDisposition::parse(
            b"attachment; filename*0*=utf-8''r%C3; filename*1*=%A9sum%C3%A9.txt",
        );
        assert_eq!(cd.filename().as_deref(), Some("résumé.txt"));
        // Sections out of order.
        let cd = ContentDisposition::parse(b"attachment; filename*1=\"b.txt\"; filename*0=\"a\"");
        assert_eq!(cd.filename().as_deref(), Some("ab.txt"));
        // Extended beats plain.
        let cd = ContentDisposition::parse(
            b"attachment; filename=\"plain.txt\"; filename*=iso-8859-1''%E9.txt",
        );
        assert_eq!(cd.filename().as_deref(), Some("é.txt"));
    }

    #[test]
    fn encoded_word_in_quoted_param() {
        let ct = ContentType::parse(b"application/pdf; name=\"=?UTF-8?B?w6kucGRm?=\"");
        assert_eq!(ct.param("name").as_deref(), Some("é.pdf"));
    }

    #[test]
    fn unknown_2231_charset() {
        let ct = ContentType::parse(b"text/plain; title*=x-bogus''abc%41");
        let p = &ct.params()[0];
        assert!(p.unknown_charset);
        assert_eq!(p.value, "abcA");
    }

    #[test]
    fn misplaced_charset_on_later_section() {
        let ct = ContentType::parse(b"image/gif; name*1=\"about \"; name*0=\"Book \";\r\n name*2*=utf-8''%e2%98%95 tables.gif");
        assert_eq!(
            ct.param("name").as_deref(),
            Some("Book about \u{2615} tables.gif")
        );
    }

    #[test]
    fn junk_parameters_terminate() {
        for v in [
            &b"a/b; ="[..],
            b"a/b;=;=x; =\"q\"",
            b"=",
            b";",
            b"a/b; x",
            b"a/b; (c",
        ] {
            let _ = ContentType::parse(v);
            let _ = ContentDisposition::parse(v);
        }
        let ct = ContentType::parse(b"text/plain; =junk; charset=utf-8");
        assert_eq!(ct.charset(), Some("utf-8"));
        assert!(ct.is_malformed());
    }

    #[test]
    fn boundary_raw() {
        assert_eq!(
            raw_boundary(b"multipart/mixed; boundary=\"=_x\"").as_deref(),
            Some(&b"=_x"[..])
        );
        assert_eq!(
            raw_boundary(b"multipart/mixed; charset=x; BOUNDARY=abc").as_deref(),
            Some(&b"abc"[..])
        );
        assert_eq!(raw_boundary(b"multipart/mixed"), None);
    }
}
