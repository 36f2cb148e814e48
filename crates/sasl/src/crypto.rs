//! Thin wrappers over the RustCrypto primitives.

use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::scram::ScramHash;

/// HMAC-MD5 (RFC 2104), for CRAM-MD5.
pub(crate) fn hmac_md5(key: &[u8], data: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    // HMAC takes keys of any length: `new_from_slice` cannot fail.
    if let Ok(mut mac) = <Hmac<Md5> as Mac>::new_from_slice(key) {
        mac.update(data);
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// HMAC with the SCRAM hash.
pub(crate) fn hmac(hash: ScramHash, key: &[u8], data: &[u8]) -> Vec<u8> {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        match <M as hmac::digest::KeyInit>::new_from_slice(key) {
            Ok(mut mac) => {
                mac.update(data);
                mac.finalize().into_bytes().to_vec()
            }
            // Unreachable for HMAC (any key length); an empty tag never
            // equals a real one, so this fails closed.
            Err(_) => Vec::new(),
        }
    }
    match hash {
        ScramHash::Sha1 => run::<Hmac<Sha1>>(key, data),
        ScramHash::Sha256 => run::<Hmac<Sha256>>(key, data),
    }
}

/// The SCRAM hash function `H`.
pub(crate) fn h(hash: ScramHash, data: &[u8]) -> Vec<u8> {
    match hash {
        ScramHash::Sha1 => Sha1::digest(data).to_vec(),
        ScramHash::Sha256 => Sha256::digest(data).to_vec(),
    }
}

/// `Hi(str, salt, i)` of RFC 5802 §2.2: PBKDF2 with HMAC of the hash.
pub(crate) fn hi(hash: ScramHash, password: &[u8], salt: &[u8], iterations: u32) -> Vec<u8> {
    let mut out = vec![0u8; hash.output_len()];
    match hash {
        ScramHash::Sha1 => pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, iterations, &mut out),
        ScramHash::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out),
    }
    out
}

/// Constant-time equality (lengths may leak, and differing lengths are
/// unequal).
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// XOR of two equally long byte strings (shorter wins otherwise).
pub(crate) fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// `n` bytes from the OS RNG, with the `getrandom` feature.
#[cfg(feature = "getrandom")]
pub(crate) fn os_random(n: usize) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).ok().map(|()| buf)
}

/// Without the `getrandom` feature there is no OS randomness.
#[cfg(not(feature = "getrandom"))]
pub(crate) fn os_random(_n: usize) -> Option<Vec<u8>> {
    None
}
