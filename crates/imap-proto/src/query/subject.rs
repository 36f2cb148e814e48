//! The base subject of RFC 5256 §2.1, used by SORT (SUBJECT) and THREAD.
//!
//! ```
//! use mailwire_imap_proto::query::subject::base_subject;
//! let b = base_subject("Re: [list] Fwd: Re: subj (fwd)");
//! assert_eq!(b.text, "subj");
//! assert!(b.is_reply);
//! assert_eq!(base_subject("[fwd: [list] Re: Hello ]").text, "Hello");
//! assert_eq!(base_subject("[list]").text, "[list]");
//! ```

/// A base subject and whether extracting it removed reply or forward
/// markers (RFC 5256 §3, REFERENCES: "a subj-refwd, a "(fwd)"
/// subj-trailer, or a subj-fwd-hdr and subj-fwd-trl").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BaseSubject {
    /// The base subject text (UTF-8, case preserved).
    pub text: String,
    /// True when the subject marked a reply or a forward.
    pub is_reply: bool,
}

impl BaseSubject {
    /// The collation key: the text with Unicode simple uppercase applied
    /// per character (i;ascii-casemap on ASCII; an approximation of
    /// i;unicode-casemap, RFC 5051, without normalization).
    #[must_use]
    pub fn key(&self) -> String {
        casemap(&self.text)
    }
}

/// Uppercases per character for collation (see [`BaseSubject::key`]).
#[must_use]
pub fn casemap(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mut u = c.to_uppercase();
        match (u.next(), u.next()) {
            (Some(a), None) => out.push(a),
            _ => out.push(c),
        }
    }
    out
}

/// Extracts the base subject from a Subject value already decoded from
/// RFC 2047 words and unfolded (step 1 of RFC 5256 §2.1 is completed here:
/// tabs and line breaks become spaces, runs of spaces become one).
#[must_use]
pub fn base_subject(decoded: &str) -> BaseSubject {
    // Step 1: whitespace normalization.
    let mut s = String::with_capacity(decoded.len());
    let mut last_space = false;
    for c in decoded.chars() {
        let c = if matches!(c, '\t' | '\r' | '\n') {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        s.push(c);
    }
    let mut is_reply = false;
    let mut cur: &str = &s;
    loop {
        // Step 2: trailing subj-trailer ("(fwd)" / WSP), repeatedly.
        loop {
            if let Some(rest) = strip_suffix_ci(cur, "(fwd)") {
                cur = rest;
                is_reply = true;
            } else if let Some(rest) = cur.strip_suffix(' ') {
                cur = rest;
            } else {
                break;
            }
        }
        // Steps 3 to 5.
        loop {
            let before = cur.len();
            // Step 3: subj-leader = (*subj-blob subj-refwd) / WSP.
            loop {
                if let Some(rest) = cur.strip_prefix(' ') {
                    cur = rest;
                } else if let Some(n) = leader_len(cur.as_bytes()) {
                    cur = &cur[n..];
                    is_reply = true;
                } else {
                    break;
                }
            }
            // Step 4: a subj-blob, unless removing it leaves no subj-base.
            if let Some(n) = blob_len(cur.as_bytes(), 0) {
                let rest = &cur[n..];
                if rest.bytes().any(|b| b != b' ') {
                    cur = rest;
                }
            }
            if cur.len() == before {
                break;
            }
        }
        // Step 6: "[fwd:" ... "]".
        if cur.len() >= 6 && starts_with_ci(cur, "[fwd:") && cur.ends_with(']') {
            cur = &cur[5..cur.len() - 1];
            is_reply = true;
            continue;
        }
        break;
    }
    BaseSubject {
        text: cur.to_string(),
        is_reply,
    }
}

fn starts_with_ci(s: &str, p: &str) -> bool {
    s.as_bytes()
        .get(..p.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
}

fn strip_suffix_ci<'s>(s: &'s str, p: &str) -> Option<&'s str> {
    let cut = s.len().checked_sub(p.len())?;
    let tail = s.as_bytes().get(cut..)?;
    if tail.eq_ignore_ascii_case(p.as_bytes()) && s.is_char_boundary(cut) {
        Some(&s[..cut])
    } else {
        None
    }
}

/// `subj-blob = "[" *BLOBCHAR "]" *WSP` at `at`: the end offset.
fn blob_len(b: &[u8], at: usize) -> Option<usize> {
    if b.get(at) != Some(&b'[') {
        return None;
    }
    let mut i = at + 1;
    loop {
        match b.get(i)? {
            b']' => break,
            b'[' => return None,
            _ => i += 1,
        }
    }
    i += 1;
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    Some(i)
}

/// `*subj-blob subj-refwd`: the length of the leader.
fn leader_len(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(n) = blob_len(b, i) {
        i = n;
    }
    // subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
    let word = b.get(i..i + 2)?;
    if word.eq_ignore_ascii_case(b"re") {
        i += 2;
    } else if word.eq_ignore_ascii_case(b"fw") {
        i += 2;
        if matches!(b.get(i), Some(b'd' | b'D')) {
            i += 1;
        }
    } else {
        return None;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    if let Some(n) = blob_len(b, i) {
        i = n;
    }
    if b.get(i) == Some(&b':') {
        Some(i + 1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_subjects() {
        for (input, want, reply) in [
            ("", "", false),
            ("Hello", "Hello", false),
            ("Re: Hello", "Hello", true),
            ("RE:Hello", "Hello", true),
            ("Re: Re: Re: Hello", "Hello", true),
            ("Re[2]: Hello", "Hello", true),
            ("Re [2] : Hello", "Hello", true),
            ("Fw: Hello", "Hello", true),
            ("FWD: Hello", "Hello", true),
            ("Hello (fwd)", "Hello", true),
            ("Hello (FWD) (fwd)  ", "Hello", true),
            ("[list] Hello", "Hello", false),
            ("[list] [other] Re: Hello", "Hello", true),
            ("[list]", "[list]", false),
            ("[a] [b]", "[b]", false),
            ("Re: [list]", "[list]", true),
            ("[fwd: Hello]", "Hello", true),
            ("[Fwd: Re: [list] Hello (fwd)]", "Hello", true),
            ("Re: [list] Fwd: Re: subj (fwd)", "subj", true),
            ("  Hello\t\t world  ", "Hello world", false),
            ("Reply to this", "Reply to this", false),
            ("Re:", "", true),
            ("Re: café", "café", true),
            ("[unclosed Re: x", "[unclosed Re: x", false),
        ] {
            let b = base_subject(input);
            assert_eq!(b.text, want, "{input:?}");
            assert_eq!(b.is_reply, reply, "{input:?}");
        }
    }

    #[test]
    fn casemap_keys() {
        assert_eq!(casemap("abc"), "ABC");
        assert_eq!(casemap("café"), "CAFÉ");
        assert_eq!(casemap("ß"), "ß");
    }
}
