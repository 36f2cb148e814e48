//! Small byte scanners shared by the parsers: a line-end finder tuned for
//! the short lines of SMTP (commands, reply lines), and a byte-class table.

/// `atext` of RFC 5321 §4.1.2 is RFC 5322's, extended with UTF-8 under
/// SMTPUTF8 (RFC 6531 §3.3); one definition serves both crates.
use mailwire_rfc5322::lexical::is_atext;

/// `atext` (RFC 5321 §4.1.2, RFC 6531 §3.3: with every non-ASCII octet).
pub(crate) const ATEXT: u8 = 1;
/// `Let-dig` (ALPHA / DIGIT, or non-ASCII under RFC 6531).
pub(crate) const LET_DIG: u8 = 2;
/// `Ldh-str` octets: `Let-dig` / "-".
pub(crate) const LDH: u8 = 4;
/// `esmtp-keyword` octets: ALPHA / DIGIT / "-".
pub(crate) const KEYWORD: u8 = 8;
/// `esmtp-value` octets as this crate reads them: any octet from 33 but "=".
pub(crate) const VALUE: u8 = 16;

/// base64 text octets: ALPHA / DIGIT / "+" / "/" / "=".
pub(crate) const BASE64: u8 = 32;

/// xtext octets that stand for themselves (RFC 3461 §4: "!" to "~" but
/// "+" and "=").
pub(crate) const XCHAR: u8 = 64;

/// The classes above, one table lookup per octet.
pub(crate) static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let let_dig = b.is_ascii_alphanumeric() || b >= 0x80;
        let mut c = 0;
        if is_atext(b) {
            c |= ATEXT;
        }
        if let_dig {
            c |= LET_DIG;
        }
        if let_dig || b == b'-' {
            c |= LDH;
        }
        if b.is_ascii_alphanumeric() || b == b'-' {
            c |= KEYWORD;
        }
        if b >= 33 && b != b'=' {
            c |= VALUE;
        }
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' {
            c |= BASE64;
        }
        if b >= 33 && b <= 126 && b != b'+' && b != b'=' {
            c |= XCHAR;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// Whether `b` is in `class`.
#[inline(always)]
pub(crate) fn is(b: u8, class: u8) -> bool {
    CLASS[usize::from(b)] & class != 0
}

/// The length of the run of `class` octets at the start of `s`.
#[inline(always)]
pub(crate) fn run(s: &[u8], class: u8) -> usize {
    s.iter().position(|&b| !is(b, class)).unwrap_or(s.len())
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// A bit in each byte of `v` equal to `b`'s byte: the lowest set bit marks
/// exactly the first such byte (a borrow can only flag bytes above a true
/// match).
#[inline(always)]
fn eq_mask(v: u64, b: u8) -> u64 {
    let x = v ^ (LO * u64::from(b));
    x.wrapping_sub(LO) & !x & HI
}

/// The position of the first CR or LF in `s`. The first 128 octets are
/// scanned a word at a time (SMTP lines are short, and a vector search
/// costs more to set up than this loop takes); longer input goes to
/// `memchr2`.
#[inline]
pub(crate) fn find_cr_or_lf(s: &[u8]) -> Option<usize> {
    let head = s.get(..128).unwrap_or(s);
    let (words, tail) = head.as_chunks::<8>();
    for (i, w) in words.iter().enumerate() {
        let v = u64::from_le_bytes(*w);
        let m = eq_mask(v, b'\r') | eq_mask(v, b'\n');
        if m != 0 {
            return Some(i * 8 + (m.trailing_zeros() / 8) as usize);
        }
    }
    if !tail.is_empty() {
        let v = tail_word(head, tail.len());
        let m = eq_mask(v, b'\r') | eq_mask(v, b'\n');
        let p = (m.trailing_zeros() / 8) as usize;
        if p < tail.len() {
            return Some(words.len() * 8 + p);
        }
    }
    let rest = s.get(head.len()..).unwrap_or(&[]);
    memchr::memchr2(b'\r', b'\n', rest).map(|p| head.len() + p)
}

/// Case-folded key of a short word: its first 24 octets, zero-padded,
/// with bit 5 set in each, as three words. Equal keys and lengths mean
/// equal words up to bit 5, which is ASCII case for letters only: callers
/// check the octets where that matters.
#[inline]
pub(crate) fn fold_key(s: &[u8]) -> [u64; 3] {
    // Each word is loaded straight into a register (no array written at a
    // variable index and read back: that store-to-load pattern stalls).
    const FOLD: u64 = 0x2020_2020_2020_2020;
    let word = |i: usize| s.get(i..).map_or(0, load_upto8);
    [word(0) | FOLD, word(8) | FOLD, word(16) | FOLD]
}

/// Whether two [`fold_key`] keys are equal, word by word in registers
/// (an array `==` compiles to a vector load that spans the separate word
/// stores of a fresh key, a store-forwarding stall).
#[inline(always)]
pub(crate) fn keys_eq(a: &[u64; 3], b: &[u64; 3]) -> bool {
    let [a0, a1, a2] = *a;
    let [b0, b1, b2] = *b;
    (a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) == 0
}

/// The first (up to) eight octets of `s` as a little-endian word,
/// zero-padded, with at most two loads.
#[inline(always)]
pub(crate) fn load_upto8(s: &[u8]) -> u64 {
    if let Some(w) = s.first_chunk::<8>() {
        return u64::from_le_bytes(*w);
    }
    let n = s.len();
    // Two overlapping loads; the overlap holds the same octets twice.
    if let (Some(lo), Some(hi)) = (s.first_chunk::<4>(), s.last_chunk::<4>()) {
        u64::from(u32::from_le_bytes(*lo)) | u64::from(u32::from_le_bytes(*hi)) << (8 * (n - 4))
    } else if let (Some(lo), Some(hi)) = (s.first_chunk::<2>(), s.last_chunk::<2>()) {
        u64::from(u16::from_le_bytes(*lo)) | u64::from(u16::from_le_bytes(*hi)) << (8 * (n - 2))
    } else {
        s.first().map_or(0, |&b| u64::from(b))
    }
}

/// [`fold_key`] at compile time.
pub(crate) const fn fold_key_const(s: &str) -> [u64; 3] {
    let s = s.as_bytes();
    let mut out = [0u64; 3];
    let mut i = 0;
    while i < 24 {
        let b = if i < s.len() { s[i] } else { 0 };
        out[i / 8] |= ((b | 0x20) as u64) << (8 * (i % 8));
        i += 1;
    }
    out
}

/// The length of the run of [`VALUE`] octets (from 33, but "=") at the
/// start of `s`, a word at a time: the first octet below 33 or equal to
/// "=" ends it.
#[inline]
pub(crate) fn run_value(s: &[u8]) -> usize {
    let (words, tail) = s.as_chunks::<8>();
    for (i, w) in words.iter().enumerate() {
        let v = u64::from_le_bytes(*w);
        // Octets below 33 (the borrow trick flags exactly the first one;
        // octets from 0x80 have bit 7 set and are never flagged), or "=".
        let below = v.wrapping_sub(LO * 33) & !v & HI;
        let m = below | eq_mask(v, b'=');
        if m != 0 {
            return i * 8 + (m.trailing_zeros() / 8) as usize;
        }
    }
    if tail.is_empty() {
        return words.len() * 8;
    }
    // The tail in one word; its zero padding is "below 33", so the run
    // stops at the tail's end at the latest.
    let v = tail_word(s, tail.len());
    let m = (v.wrapping_sub(LO * 33) & !v & HI) | eq_mask(v, b'=');
    words.len() * 8 + ((m.trailing_zeros() / 8) as usize).min(tail.len())
}

/// Whether every octet of `s` is an xtext `xchar` (33 to 126, but "+"
/// and "="; RFC 3461 §4), a word at a time.
#[inline]
pub(crate) fn all_xchar(s: &[u8]) -> bool {
    // From 0x80 (bit 7), below 33 (the borrow trick flags at least the
    // first such octet), "+", "=" or DEL.
    let bad_word = |v: u64| {
        let below = v.wrapping_sub(LO * 33) & !v & HI;
        (v & HI) | below | eq_mask(v, b'+') | eq_mask(v, b'=') | eq_mask(v, 0x7F) != 0
    };
    let bad = |w: &[u8; 8]| bad_word(u64::from_le_bytes(*w));
    let (words, tail) = s.as_chunks::<8>();
    if words.iter().any(bad) {
        return false;
    }
    if tail.is_empty() {
        return true;
    }
    // The last 8 octets, overlapping the words, when there are any; else
    // the octets padded with "a" (an xchar).
    match s.last_chunk::<8>() {
        Some(last) => !bad(last),
        None => !bad_word(load_upto8(s) | (0x6161_6161_6161_6161 << (8 * s.len()))),
    }
}

/// The position of the first `b` in `s`, a word at a time (for the short
/// words of a line: keywords, parameters).
#[inline]
pub(crate) fn find_byte(s: &[u8], b: u8) -> Option<usize> {
    let (words, tail) = s.as_chunks::<8>();
    for (i, w) in words.iter().enumerate() {
        let m = eq_mask(u64::from_le_bytes(*w), b);
        if m != 0 {
            return Some(i * 8 + (m.trailing_zeros() / 8) as usize);
        }
    }
    if tail.is_empty() {
        return None;
    }
    let m = eq_mask(tail_word(s, tail.len()), b);
    let p = (m.trailing_zeros() / 8) as usize;
    (p < tail.len()).then_some(words.len() * 8 + p)
}

/// The last `tail_len` (1 to 7) octets of `s` as the low octets of a word,
/// zero above: one load (the last eight octets, shifted) instead of an
/// octet loop whose exit the branch predictor would have to guess.
#[inline(always)]
fn tail_word(s: &[u8], tail_len: usize) -> u64 {
    match s.last_chunk::<8>() {
        Some(last) => u64::from_le_bytes(*last) >> (8 * (8 - tail_len)),
        None => load_upto8(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_xchar_matches_class() {
        for len in 0..20 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut s = vec![b'a'; len];
                    s[at] = b;
                    assert_eq!(all_xchar(&s), run(&s, XCHAR) == s.len(), "{len} {at} {b}");
                }
            }
        }
    }

    #[test]
    fn value_runs() {
        for len in 0..40 {
            for at in 0..=len {
                for stop in [0u8, 1, 31, 32, b'='] {
                    for fill in [b'a', 33, 0x7f, 0x80, 0xff, 0x21] {
                        let mut s = vec![fill; len];
                        if at < len {
                            s[at] = stop;
                        }
                        assert_eq!(run_value(&s), run(&s, VALUE), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn runs() {
        for s in [
            &b""[..],
            b"a",
            b"abc",
            b"abcd",
            b"abcde",
            b"abcdefgh-",
            b"ab-cd.ef",
            b"abcdefg.",
        ] {
            let want = s.iter().position(|&b| !is(b, KEYWORD)).unwrap_or(s.len());
            assert_eq!(run(s, KEYWORD), want, "{s:?}");
        }
    }

    #[test]
    fn fold_keys_agree() {
        for w in [
            "",
            "a",
            "ab",
            "abc",
            "SIZE",
            "size",
            "PLAIN",
            "XOAUTH2",
            "8BITMIME",
            "DELIVERBY",
            "ENHANCEDSTATUSCODES",
            "SCRAM-SHA-256-PLUS",
            "abcdefghijklmnopqrstuvw",
            "abcdefghijklmnopqrstuvwx",
        ] {
            assert_eq!(fold_key(w.as_bytes()), fold_key_const(w), "{w}");
            assert_eq!(
                fold_key(w.to_lowercase().as_bytes()),
                fold_key_const(w),
                "{w}"
            );
        }
        assert_ne!(fold_key(b"SIZE"), fold_key_const("SIZF"));
        // Every length from 0 to 26, each octet distinct, against the
        // octet-by-octet definition.
        let all: Vec<u8> = (b'A'..=b'Z').collect();
        for n in 0..=all.len() {
            let w = &all[..n];
            let mut want = [0x2020_2020_2020_2020u64; 3];
            for (i, &b) in w.iter().take(24).enumerate() {
                want[i / 8] |= u64::from(b) << (8 * (i % 8));
            }
            assert_eq!(fold_key(w), want, "{n}");
            assert!(keys_eq(&fold_key(w), &want));
            let mut other = want;
            other[n.min(23) / 8] ^= 1 << 6;
            assert!(!keys_eq(&fold_key(w), &other), "{n}");
        }
    }

    #[test]
    fn finds_first_cr_or_lf_everywhere() {
        for len in 0..140 {
            for at in 0..=len {
                for (hit, other) in [(b'\r', b'\n'), (b'\n', b'\r')] {
                    // bytes that could trip a borrow: 0x01 and 0x0b/0x0e around
                    let mut s: Vec<u8> = (0..len)
                        .map(|i| [b'a', 0x01, 0x0b, 0x0e, 0x8d][i % 5])
                        .collect();
                    if at < len {
                        s[at] = hit;
                        if at + 1 < len {
                            s[at + 1] = other;
                        }
                    }
                    let want = s.iter().position(|&b| b == b'\r' || b == b'\n');
                    assert_eq!(find_cr_or_lf(&s), want, "len {len} at {at}");
                    let want = s.iter().position(|&b| b == hit);
                    assert_eq!(find_byte(&s, hit), want, "len {len} at {at}");
                    // Octets the zero padding of a short tail could fake.
                    for b in [0u8, 0x01, 0x0b] {
                        let want = s.iter().position(|&x| x == b);
                        assert_eq!(find_byte(&s, b), want, "len {len} at {at} {b}");
                    }
                }
            }
        }
    }
}
