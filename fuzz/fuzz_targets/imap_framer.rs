//! Framer: no panics, bounded buffering, units within budget, chunking does
//! not change the events; every unit goes through the command parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_imap_proto::command::Command;
use mailwire_imap_proto::framer::{FrameEvent, Framer, FramerConfig};

fn run(data: &[u8], chunk: usize, accept: bool, cfg: FramerConfig) -> Vec<FrameEvent> {
    let mut f = Framer::new(cfg);
    let mut out = Vec::new();
    for piece in data.chunks(chunk.max(1)) {
        f.feed(piece);
        while let Some(e) = f.poll() {
            if f.awaiting_decision() {
                if accept {
                    f.accept_literal();
                } else {
                    f.reject_literal();
                }
            }
            if let FrameEvent::Unit(u) = &e {
                assert!(u.len() <= cfg.max_unit_size);
                let _ = Command::parse(u);
            }
            out.push(e);
        }
        assert!(f.buffered() <= cfg.max_unit_size + chunk.max(1));
    }
    out
}

fuzz_target!(|input: &[u8]| {
    let Some((&ctl, data)) = input.split_first() else {
        return;
    };
    let mut cfg = FramerConfig::server();
    cfg.max_line_length = 128;
    cfg.max_unit_size = 512;
    cfg.max_literals_per_unit = 8;
    cfg.max_skip = 1 << 20;
    if ctl & 0x40 != 0 {
        cfg.max_non_sync_literal = Some(64);
    }
    let accept = ctl & 0x80 != 0;
    let whole = run(data, data.len(), accept, cfg);
    let split = run(data, usize::from(ctl & 0x3f) + 1, accept, cfg);
    assert_eq!(whole, split);
    let mut client = cfg;
    client.role = mailwire_imap_proto::framer::Role::Client;
    let _ = run(data, 3, accept, client);
});
