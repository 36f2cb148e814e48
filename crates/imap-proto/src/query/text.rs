//! Case-insensitive substring matching for SEARCH string keys.
//!
//! A [`Needle`] is the search string case-folded once. Matching is
//! "contains, ignoring case" (RFC 9051 §6.4.4: "In all search keys that use
//! strings, a message matches the key if the string is a substring of the
//! associated text. The matching SHOULD be case-insensitive").
//!
//! - ASCII needles match raw bytes without allocating: a `memchr2` scan for
//!   the needle's rarest byte (both cases), a check of its second rarest
//!   byte, then an ASCII case-insensitive comparison. Non-ASCII bytes in the
//!   haystack never match an ASCII needle byte, so the same scan is exact on
//!   UTF-8 text and on any single-byte charset.
//! - Other needles are folded with Unicode simple lowercase (per character,
//!   no context), and so is the decoded text they are matched against.
//!
//! ```
//! use mailwire_imap_proto::query::text::Needle;
//! let n = Needle::new("NeEdLe");
//! assert!(n.is_match_bytes(b"a haystack with a needle in it"));
//! assert!(!n.is_match_bytes(b"a haystack with a nedle"));
//! let u = Needle::new("CAFÉ");
//! assert!(u.is_match_str("Un café noir"));
//! ```

use std::borrow::Cow;

/// A case-folded search string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    folded: String,
    ascii: bool,
    /// Index of the rarest byte, and of the second rarest (same when the
    /// needle has one byte).
    rare1: usize,
    rare2: usize,
}

impl Needle {
    /// Folds `s`.
    #[must_use]
    pub fn new(s: &str) -> Needle {
        let folded: String = fold(s).into_owned();
        let ascii = folded.is_ascii();
        let (rare1, rare2) = if ascii {
            rare_pair(folded.as_bytes())
        } else {
            (0, 0)
        };
        Needle {
            folded,
            ascii,
            rare1,
            rare2,
        }
    }

    /// The folded string.
    #[must_use]
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// True when the folded needle is ASCII (the raw-byte fast path applies).
    #[must_use]
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// True for the empty string, which every text contains.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// Whether `hay`, read as text in UTF-8 or any ASCII-compatible
    /// single-byte charset, contains the needle. Exact for ASCII needles;
    /// for other needles `hay` is decoded as UTF-8 (lossily) and folded.
    #[must_use]
    pub fn is_match_bytes(&self, hay: &[u8]) -> bool {
        if self.ascii {
            find_ascii_ci(hay, self.folded.as_bytes(), self.rare1, self.rare2)
        } else if hay.is_ascii() {
            false
        } else {
            self.is_match_str(&String::from_utf8_lossy(hay))
        }
    }

    /// Whether the text `hay` contains the needle.
    #[must_use]
    pub fn is_match_str(&self, hay: &str) -> bool {
        if self.ascii {
            return find_ascii_ci(
                hay.as_bytes(),
                self.folded.as_bytes(),
                self.rare1,
                self.rare2,
            );
        }
        if hay.is_ascii() {
            return false;
        }
        let mut folded = Vec::with_capacity(hay.len());
        fold_into(hay, &mut folded);
        memchr::memmem::find(&folded, self.folded.as_bytes()).is_some()
    }
}

/// Unicode simple lowercase, per character (no final-sigma context, so the
/// needle and the text fold alike; the final sigma folds to σ as in case
/// folding). Borrows when nothing changes.
#[must_use]
pub fn fold(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(s.to_ascii_lowercase());
        }
        return Cow::Borrowed(s);
    }
    let mut out = Vec::with_capacity(s.len());
    fold_into(s, &mut out);
    // Only whole characters were written.
    Cow::Owned(String::from_utf8(out).unwrap_or_default())
}

/// [`fold`] into a byte buffer: ASCII runs are copied and lowercased in
/// bulk, other characters mapped one by one.
fn fold_into(s: &str, out: &mut Vec<u8>) {
    let mut rest = s;
    while !rest.is_empty() {
        let run = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        if run > 0 {
            let start = out.len();
            out.extend_from_slice(&rest.as_bytes()[..run]);
            out[start..].make_ascii_lowercase();
            rest = &rest[run..];
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        let f = if c == 'ς' {
            'σ'
        } else {
            let mut l = c.to_lowercase();
            // Simple lowercase: a one-character mapping, else the character.
            match (l.next(), l.next()) {
                (Some(a), None) => a,
                _ => c,
            }
        };
        let mut buf = [0u8; 4];
        out.extend_from_slice(f.encode_utf8(&mut buf).as_bytes());
        rest = chars.as_str();
    }
}

/// A rough frequency rank of bytes in mail text (higher = more common),
/// letters counted in both cases.
fn rank(b: u8) -> u8 {
    const ORDER: &[u8] = b"etaoinshrdlcumwfgypbvkjxqz";
    match b.to_ascii_lowercase() {
        b' ' => 255,
        b'\r' | b'\n' => 200,
        c @ b'a'..=b'z' => {
            let i = ORDER.iter().position(|&x| x == c).unwrap_or(0);
            // e = 240 ... z = 115
            240u8.saturating_sub((i as u8).saturating_mul(5))
        }
        b'0'..=b'9' => 110,
        b'.' | b',' | b'-' | b'=' | b'<' | b'>' | b'/' | b'"' | b':' => 120,
        0x80..=0xff => 0,
        _ => 60,
    }
}

fn rare_pair(n: &[u8]) -> (usize, usize) {
    let mut idx: Vec<usize> = (0..n.len()).collect();
    idx.sort_by_key(|&i| rank(n[i]));
    let a = idx.first().copied().unwrap_or(0);
    let b = idx.get(1).copied().unwrap_or(a);
    (a, b)
}

/// ASCII case-insensitive search of `needle` (already lowercase) in `hay`.
///
/// Candidates are the start offsets where both the rarest and the second
/// rarest needle bytes match (either case), tested eight offsets at a time
/// with word-sized (SWAR) operations; each candidate is then compared in
/// full. Two bytes at once make candidates rare even for common letters,
/// which a one-byte `memchr` scan would stop at every few bytes.
fn find_ascii_ci(hay: &[u8], needle: &[u8], rare1: usize, rare2: usize) -> bool {
    let n = needle.len();
    if n == 0 {
        return true;
    }
    if hay.len() < n {
        return false;
    }
    let (Some(&r1), Some(&r2)) = (needle.get(rare1), needle.get(rare2)) else {
        return false;
    };
    if n == 1 {
        let (lo, up) = (r1, r1.to_ascii_uppercase());
        return if lo == up {
            memchr::memchr(lo, hay).is_some()
        } else {
            memchr::memchr2(lo, up, hay).is_some()
        };
    }
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // OR-ing 0x20 folds exactly the two cases of a letter onto the
    // lowercase letter; other bytes are compared as they are.
    let fold_mask = |b: u8| if b.is_ascii_lowercase() { 0x20 * LO } else { 0 };
    let (m1, m2) = (fold_mask(r1), fold_mask(r2));
    let (p1, p2) = (u64::from(r1) * LO, u64::from(r2) * LO);
    let last = hay.len() - n; // the last possible start
    let reach = rare1.max(rare2) + 8;
    let verify = |s: usize| {
        hay.get(s..s + n)
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    };
    let word = |at: usize| -> Option<u64> {
        let b: [u8; 8] = hay.get(at..at + 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(b))
    };
    let mut s = 0usize;
    // Word loop: offsets s..s+8 while both loads stay in the haystack.
    while s + reach <= hay.len() && s + 7 <= last {
        let (Some(w1), Some(w2)) = (word(s + rare1), word(s + rare2)) else {
            break;
        };
        let x = ((w1 | m1) ^ p1) | ((w2 | m2) ^ p2);
        let mut z = x.wrapping_sub(LO) & !x & HI;
        while z != 0 {
            let lane = (z.trailing_zeros() / 8) as usize;
            if verify(s + lane) {
                return true;
            }
            z &= z - 1;
        }
        s += 8;
    }
    // The tail, one offset at a time.
    while s <= last {
        let a = hay
            .get(s + rare1)
            .is_some_and(|&b| b.to_ascii_lowercase() == r1);
        if a && verify(s) {
            return true;
        }
        s += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_search() {
        let n = Needle::new("Needle");
        assert!(n.is_match_bytes(b"NEEDLE"));
        assert!(n.is_match_bytes(b"xxneedle"));
        assert!(n.is_match_bytes(b"needlexx"));
        assert!(!n.is_match_bytes(b"needl"));
        assert!(!n.is_match_bytes(b""));
        assert!(!n.is_match_bytes(b"need le"));
        assert!(n.is_match_bytes(b"\xe9needle\xe9"));
        let one = Needle::new("z");
        assert!(one.is_match_bytes(b"aaaZ"));
        assert!(!one.is_match_bytes(b"aaa"));
        let punct = Needle::new("@@");
        assert!(punct.is_match_bytes(b"a@@b"));
        assert!(!punct.is_match_bytes(b"a@b@"));
        assert!(Needle::new("").is_match_bytes(b""));
    }

    #[test]
    fn exhaustive_small() {
        // Compare with a naive search on every short haystack over {a, B, x}.
        let alphabet = [b'a', b'B', b'x'];
        for needle in ["ab", "ba", "aab", "x", "bxa"] {
            let n = Needle::new(needle);
            for len in 0..6 {
                let total = 3usize.pow(len);
                for mut k in 0..total {
                    let mut hay = Vec::new();
                    for _ in 0..len {
                        hay.push(alphabet[k % 3]);
                        k /= 3;
                    }
                    let naive = hay
                        .to_ascii_lowercase()
                        .windows(needle.len())
                        .any(|w| w == needle.as_bytes());
                    assert_eq!(n.is_match_bytes(&hay), naive, "{needle} in {hay:?}");
                }
            }
        }
    }

    #[test]
    fn random_against_naive() {
        // Long enough haystacks for the word loop and its tail.
        let alphabet = b"aAbBx@";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        for _ in 0..20_000 {
            let hay: Vec<u8> = (0..next(90)).map(|_| alphabet[next(6)]).collect();
            let needle: Vec<u8> = (0..1 + next(6)).map(|_| alphabet[next(6)]).collect();
            let lower = needle.to_ascii_lowercase();
            let naive = hay
                .to_ascii_lowercase()
                .windows(lower.len())
                .any(|w| w == lower.as_slice());
            let n = Needle::new(std::str::from_utf8(&needle).unwrap_or(""));
            assert_eq!(n.is_match_bytes(&hay), naive, "{needle:?} in {hay:?}");
        }
    }

    #[test]
    fn unicode_folding() {
        let n = Needle::new("ÉTÉ");
        assert!(n.is_match_str("un été chaud"));
        assert!(n.is_match_bytes("UN ÉTÉ".as_bytes()));
        assert!(!n.is_match_str("ete"));
        let sigma = Needle::new("ΟΔΟΣ");
        assert!(sigma.is_match_str("οδος"));
        assert!(sigma.is_match_str("ΟΔΟΣ"));
        // A multi-character lowercase mapping keeps the character.
        assert_eq!(fold("İX"), "İx");
    }
}
