//! The generated corpus shared by `benches/query.rs` and
//! `tests/query_perf.rs`: 1,000 messages of mixed shapes (plain 8bit UTF-8,
//! multipart/alternative with quoted-printable ISO-8859-1 and HTML, base64
//! text, base64 binary attachments).
#![allow(dead_code)]

use base64::Engine as _;

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> usize {
        (self.next() % n) as usize
    }
}

const WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by",
    "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an",
    "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there",
    "been", "if", "more", "when", "will", "would", "who", "so", "no", "meeting", "report",
    "project", "deadline", "server", "mailbox", "message", "thanks", "regards", "please",
    "attached", "schedule", "budget", "review", "release", "customer", "invoice", "needs", "idle",
    "handle", "candle", "noodle", "needed", "eel", "lenient", "Müller", "Straße", "café", "naïve",
    "déjà",
];

fn text(rng: &mut Rng, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 80);
    let mut line = 0;
    while s.len() < bytes {
        let w = WORDS[rng.below(WORDS.len() as u64)];
        s.push_str(w);
        line += w.len() + 1;
        if line > 70 {
            s.push_str("\r\n");
            line = 0;
        } else {
            s.push(' ');
        }
    }
    s.push_str("\r\n");
    s
}

fn qp_latin1(s: &str) -> String {
    let mut out = String::new();
    let mut col = 0;
    for c in s.chars() {
        let enc = match c {
            '\r' => continue,
            '\n' => {
                out.push_str("\r\n");
                col = 0;
                continue;
            }
            c if (c as u32) < 0x80 && c != '=' => c.to_string(),
            c => format!("={:02X}", (c as u32).min(0xff)),
        };
        if col + enc.len() > 73 {
            out.push_str("=\r\n");
            col = 0;
        }
        col += enc.len();
        out.push_str(&enc);
    }
    out
}

fn b64_lines(data: &[u8]) -> String {
    let e = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = String::with_capacity(e.len() + e.len() / 38);
    for chunk in e.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).unwrap());
        out.push_str("\r\n");
    }
    out
}

pub(crate) fn corpus() -> Vec<Vec<u8>> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..1000)
        .map(|i| {
            let subject = format!(
                "{}{} {}",
                ["", "Re: ", "Fwd: ", "Re: [list] "][rng.below(4)],
                WORDS[rng.below(WORDS.len() as u64)],
                WORDS[rng.below(WORDS.len() as u64)]
            );
            let mut m = format!(
                "Return-Path: <user{i}@example.com>\r\nReceived: from mx.example.com (mx.example.com [192.0.2.1])\r\n\tby mail.example.org with ESMTPS id {i:08x}\r\n\tfor <me@example.org>; Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <{i}@example.com>\r\nIn-Reply-To: <{}@example.com>\r\nDate: {} Jan 2024 {:02}:00:00 +0100\r\nFrom: =?UTF-8?Q?J=C3=B6rg_{i}?= <user{i}@example.com>\r\nTo: Me <me@example.org>\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n",
                i / 3,
                1 + i % 28,
                i % 24
            );
            let body_len = [800, 2_000, 4_000, 12_000, 40_000][rng.below(5)];
            match i % 10 {
                0..=3 => {
                    m.push_str("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
                    m.push_str(&text(&mut rng, body_len));
                }
                4..=6 => {
                    let t = text(&mut rng, body_len);
                    m.push_str("Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
                    m.push_str(&qp_latin1(&t));
                    m.push_str("\r\n--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>");
                    m.push_str(&t.replace("\r\n", "</p>\r\n<p>"));
                    m.push_str("</p></body></html>\r\n--b1--\r\n");
                }
                7 => {
                    m.push_str("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                    m.push_str(&b64_lines(text(&mut rng, body_len).as_bytes()));
                }
                _ => {
                    let att: Vec<u8> = (0..body_len * 2).map(|_| rng.next() as u8).collect();
                    m.push_str("Content-Type: multipart/mixed; boundary=\"b2\"\r\n\r\n--b2\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
                    m.push_str(&text(&mut rng, 600));
                    m.push_str("\r\n--b2\r\nContent-Type: application/pdf; name=\"doc.pdf\"\r\nContent-Disposition: attachment; filename=\"doc.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                    m.push_str(&b64_lines(&att));
                    m.push_str("--b2--\r\n");
                }
            }
            m.into_bytes()
        })
        .collect()
}
