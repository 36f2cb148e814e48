//! SEARCH/SORT/THREAD evaluation: arbitrary command bytes and arbitrary
//! message bytes never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_imap_proto::command::{Command, CommandBody};
use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::query::search::{Context, Query};
use mailwire_imap_proto::query::sort::sort;
use mailwire_imap_proto::query::subject::base_subject;
use mailwire_imap_proto::query::thread::thread;
use mailwire_imap_proto::search::ThreadAlgorithm;

fuzz_target!(|data: &[u8]| {
    // The command (after "a "), a NUL, then the message.
    let (cmd, raw) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let mut line = b"a ".to_vec();
    line.extend_from_slice(cmd);
    line.extend_from_slice(b"\r\n");
    let Ok(parsed) = mailwire_mime::Message::parse(raw) else {
        return;
    };
    let Ok((internal_date, _)) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"") else {
        return;
    };
    let flags = [Flag::Seen];
    // Two copies of the message: one is its own reply target in THREAD.
    let msgs: Vec<StoredMessage<'_>> = (1..=2)
        .map(|i| StoredMessage {
            raw,
            parsed: &parsed,
            meta: MessageMeta {
                seq: i,
                uid: i * 7,
                flags: if i == 1 { &flags } else { &[] },
                recent: i == 2,
                internal_date,
                modseq: u64::from(i),
            },
        })
        .collect();
    let saved = [7u32];
    let ctx = Context::new(2, 14).with_saved(&saved);
    if let Some(s) = parsed.root().header_text("subject") {
        let _ = base_subject(&s).key();
    }
    let Ok((command, _)) = Command::parse(&line) else {
        return;
    };
    match &command.body {
        CommandBody::Search {
            uid,
            return_opts,
            charset,
            keys,
        } => {
            if let Ok(q) = Query::new(keys, charset.as_ref()) {
                let r = q.evaluate(msgs.iter().copied(), &ctx);
                let _ = r.response(Some("a"), *uid, return_opts.as_deref());
                if let Some(o) = return_opts {
                    let _ = r.saved_uids(o);
                }
            }
        }
        CommandBody::Sort {
            uid,
            criteria,
            charset,
            keys,
        } => {
            if let Ok(q) = Query::new(keys, Some(charset)) {
                let hits = msgs.iter().copied().filter(|m| q.matches(m, &ctx));
                let _ = sort(criteria, hits, *uid);
            }
        }
        CommandBody::Thread {
            uid,
            algorithm,
            charset,
            keys,
        } => {
            if let Ok(q) = Query::new(keys, Some(charset)) {
                let hits = msgs.iter().copied().filter(|m| q.matches(m, &ctx));
                let _ = thread(algorithm, hits, *uid);
            }
        }
        _ => {}
    }
    let _ = thread(&ThreadAlgorithm::References, msgs.iter().copied(), false);
    let _ = thread(&ThreadAlgorithm::OrderedSubject, msgs.iter().copied(), true);
});
