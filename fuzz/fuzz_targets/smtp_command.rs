#![no_main]
//! Command parser: never panics; whatever parses writes back to an
//! equivalent command. MAIL/RCPT parameters: the scalars read at parse
//! time agree with the parameters typed again on access, and rebuilding
//! them from the typed values gives equal parameters.
use libfuzzer_sys::fuzz_target;
use mailwire_smtp_proto::param::{MailParam, MailParams, RcptParam, RcptParams};
use mailwire_smtp_proto::{Command, Quirks};

fn check_params(cmd: &Command<'_>) {
    match cmd {
        Command::Mail { params, .. } => {
            let typed: Vec<MailParam<'_>> = params.iter().collect();
            assert_eq!(typed.is_empty(), params.is_empty());
            let size = typed.iter().find_map(|p| match p {
                MailParam::Size(n) => Some(*n),
                _ => None,
            });
            assert_eq!(size, params.size());
            let body = typed.iter().find_map(|p| match p {
                MailParam::Body(b) => Some(*b),
                _ => None,
            });
            assert_eq!(body, params.body());
            assert_eq!(typed.contains(&MailParam::SmtpUtf8), params.smtputf8());
            assert_eq!(typed.contains(&MailParam::RequireTls), params.requiretls());
            let again = MailParams::from_params(typed).expect("typed params rebuild");
            assert_eq!(&again, params);
        }
        Command::Rcpt { params, .. } => {
            let typed: Vec<RcptParam<'_>> = params.iter().collect();
            assert_eq!(typed.is_empty(), params.is_empty());
            let notify = typed.iter().find_map(|p| match p {
                RcptParam::Notify(n) => Some(*n),
                _ => None,
            });
            assert_eq!(notify, params.notify());
            let again = RcptParams::from_params(typed).expect("typed params rebuild");
            assert_eq!(&again, params);
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    for quirks in [Quirks::default(), Quirks::lenient()] {
        if let Ok((cmd, n)) = Command::parse_with(data, quirks) {
            assert!(n <= data.len());
            check_params(&cmd);
            let mut wire = Vec::new();
            cmd.write_to(&mut wire);
            let (again, m) = Command::parse(&wire).expect("written command must parse");
            assert_eq!(m, wire.len());
            assert_eq!(again, cmd);
        } else if let Err(e) = Command::parse_with(data, quirks) {
            if let Some(s) = e.syntax() {
                let r = s.reply();
                assert!(r.code().is_permanent());
            }
        }
    }
});
