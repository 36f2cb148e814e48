//! Shared helpers for the table tests.
#![allow(dead_code, unreachable_pub)]

use mailwire_rfc5322::Defect;
use mailwire_rfc5322::address::{Address, AddressList, Mailbox};

/// `"name" <local@domain>`; `?` for a missing domain; route as `@r1,@r2:`.
pub fn render_mailbox(m: &Mailbox<'_>) -> String {
    let mut s = String::new();
    if let Some(n) = &m.name {
        s.push_str(&format!("{n:?} "));
    }
    s.push('<');
    for (i, r) in m.route.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push('@');
        s.push_str(r);
    }
    if !m.route.is_empty() {
        s.push(':');
    }
    s.push_str(&m.local_part);
    s.push('@');
    s.push_str(m.domain.as_deref().unwrap_or("?"));
    s.push('>');
    s
}

/// Elements joined by ` | `; a group as `name: [m1, m2]`.
pub fn render(list: &AddressList<'_>) -> String {
    list.addresses
        .iter()
        .map(|a| match a {
            Address::Mailbox(m) => render_mailbox(m),
            Address::Group(g) => format!(
                "{:?}: [{}]",
                g.name,
                g.members
                    .iter()
                    .map(render_mailbox)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => String::from("?"),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Defect kinds, comma-separated.
pub fn render_defects(d: &[Defect]) -> String {
    d.iter()
        .map(|d| format!("{:?}", d.kind))
        .collect::<Vec<_>>()
        .join(",")
}

/// `YYYY-MM-DD hh:mm:ss ±hhmm [Dow]` (`-0000` when the zone is unknown,
/// `[Dow]` only when written), or `error: …`; and the defect kinds.
pub fn render_date(
    r: &Result<
        mailwire_rfc5322::Parsed<mailwire_rfc5322::datetime::DateTime>,
        mailwire_rfc5322::Error,
    >,
) -> (String, String) {
    match r {
        Ok(p) => {
            let d = &p.value;
            let dow = d
                .day_of_week
                .map(|w| format!(" [{}]", w.name()))
                .unwrap_or_default();
            let zone = if d.offset_unknown {
                "-0000".to_string()
            } else {
                format!(
                    "{:+05}",
                    d.offset_minutes / 60 * 100 + d.offset_minutes % 60
                )
            };
            (
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {zone}{dow}",
                    d.year, d.month, d.day, d.hour, d.minute, d.second
                ),
                render_defects(&p.defects),
            )
        }
        Err(e) => (format!("error: {e}"), String::new()),
    }
}
