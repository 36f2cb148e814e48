//! Reading commands and answering the ones the machine handles itself.

use std::borrow::Cow;

use bytes::Bytes;
use mailwire_sasl::server::{Answer, Request, Server as SaslServer, Step};
use mailwire_sasl::{ErrorCategory, Mechanism, Secret};

use crate::capability::Capability;
use crate::code::Code;
use crate::command::{
    AuthenticateData, Command, CommandBody, FetchModifier, InitialResponse, SelectParam,
    StoreModifier, parse_idle_done, tag_of,
};
use crate::fetch::{FetchAttribute, FetchItems};
use crate::framer::{FrameError, FrameErrorKind, FrameEvent, LiteralAnnouncement};
use crate::primitive::Tag;
use crate::response::{Continue, Data, Response, StatusKind};
use crate::search::SearchKey;

use super::{
    BadReason, Busy, CloseReason, CommandId, Event, Greeting, Kind, Server, State, StreamPlan, Tls,
};

impl Server {
    pub(super) fn greet(&mut self) {
        let text = self.config.greeting_text.clone();
        match self.config.greeting.clone() {
            Greeting::Ok => {
                let code = self.capability_code();
                self.write_status(None, StatusKind::Ok, code, &text);
            }
            Greeting::PreAuth { user } => {
                self.state = State::Authenticated;
                self.user = Some(user);
                let code = self.capability_code();
                self.write_status(None, StatusKind::PreAuth, code, &text);
            }
            Greeting::Bye => {
                self.write_status(None, StatusKind::Bye, None, &text);
                self.state = State::Logout;
                self.events.push_back(Event::Closed {
                    reason: CloseReason::Refused,
                });
            }
        }
    }

    fn capability_code(&self) -> Option<Code<'static>> {
        self.config
            .capability_codes
            .then(|| Code::Capability(self.capabilities()))
    }

    /// Reads units while no decision is outstanding.
    pub(super) fn process(&mut self) {
        // Updates held during an exchange that has ended.
        if matches!(self.busy, Busy::None) && self.updates.len() > 0 {
            self.flush_if_possible();
        }
        loop {
            if self.state == State::Logout
                || matches!(self.tls, Tls::ReplyQueued | Tls::Upgrading)
                || !matches!(
                    self.busy,
                    Busy::None | Busy::SaslLine { .. } | Busy::Idling { .. } | Busy::Append { .. }
                )
                || self.out.len() > self.config.max_pending_output
            {
                break;
            }
            let Some(ev) = self.framer.poll() else {
                break;
            };
            match ev {
                FrameEvent::Unit(unit) => self.unit(&unit),
                FrameEvent::Literal(ann) => self.literal_announced(&ann),
                FrameEvent::Error(e) => self.frame_error(&e),
                FrameEvent::LiteralData(chunk) => {
                    if let Busy::Append { id, .. } = self.busy {
                        self.events.push_back(Event::AppendData { id, chunk });
                    }
                }
            }
        }
        if self.state != State::Logout
            && !matches!(self.tls, Tls::ReplyQueued | Tls::Upgrading)
            && self.framer.buffered() > self.input_limit()
        {
            self.close(CloseReason::InputOverflow, "Too much pipelined input");
        }
    }

    fn unit(&mut self, unit: &Bytes) {
        match std::mem::replace(&mut self.busy, Busy::None) {
            Busy::SaslLine { id, tag, sm, steps } => self.sasl_line(id, tag, sm, steps, unit),
            Busy::Idling { id, tag } => {
                if parse_idle_done(unit).is_ok() {
                    self.flush_updates(self.state.is_selected());
                    self.write_status(Some(tag), StatusKind::Ok, None, "IDLE terminated");
                } else {
                    self.write_status(Some(tag.clone()), StatusKind::Bad, None, "Expected DONE");
                    self.bad_command(Some(tag), BadReason::NotDone);
                }
                self.events.push_back(Event::IdleDone { id });
            }
            Busy::Append { id, tag, .. } => {
                if &unit[..] == b"\r\n" {
                    self.busy = Busy::App {
                        id,
                        tag,
                        kind: Kind::Other,
                    };
                    self.events.push_back(Event::AppendEnd { id });
                } else {
                    let mut synth = b"x APPEND INBOX {0}\r\n".to_vec();
                    synth.extend_from_slice(unit);
                    self.append_failed(id, tag, &synth);
                }
            }
            _ => match Command::parse(unit) {
                Ok((cmd, _)) => self.command(cmd),
                Err(e) => {
                    let tag = tag_of(unit).map(Tag::into_owned);
                    let text = e.bad_text();
                    self.refuse(tag, StatusKind::Bad, None, &text, BadReason::Syntax(e));
                }
            },
        }
    }

    /// Writes a refusal and counts it; too many in a row end the session.
    pub(super) fn refuse(
        &mut self,
        tag: Option<Tag<'static>>,
        kind: StatusKind,
        code: Option<Code<'_>>,
        text: &str,
        reason: BadReason,
    ) {
        self.write_status(tag.clone(), kind, code, text);
        self.bad_command(tag, reason);
    }

    fn bad_command(&mut self, tag: Option<Tag<'static>>, reason: BadReason) {
        self.events.push_back(Event::BadCommand {
            tag: tag.map(|t| t.as_str().to_owned()),
            reason,
        });
        self.bad_in_a_row += 1;
        if self.bad_in_a_row >= self.config.max_bad_commands {
            self.close(CloseReason::TooManyErrors, "Too many invalid commands");
        }
    }

    pub(super) fn close(&mut self, reason: CloseReason, text: &str) {
        if self.state == State::Logout {
            return;
        }
        self.write_status(None, StatusKind::Bye, None, text);
        self.enter_logout(reason);
    }

    fn enter_logout(&mut self, reason: CloseReason) {
        self.state = State::Logout;
        self.busy = Busy::None;
        self.pending_stream = None;
        self.updates.clear();
        self.framer = self.fresh_framer();
        self.deadline = None;
        self.events.push_back(Event::Closed { reason });
    }

    fn frame_error(&mut self, e: &FrameError) {
        if e.fatal {
            self.close(CloseReason::Fatal, "Literal too large to skip");
            return;
        }
        let text = e.kind.to_string();
        let reason = BadReason::Frame(e.kind);
        // An exchange in progress (AUTHENTICATE, IDLE) ends with its own tag.
        match std::mem::replace(&mut self.busy, Busy::None) {
            Busy::SaslLine { tag, .. } => {
                self.refuse(Some(tag), StatusKind::Bad, None, &text, reason);
                return;
            }
            Busy::Idling { id, tag } => {
                self.refuse(Some(tag), StatusKind::Bad, None, &text, reason);
                self.events.push_back(Event::IdleDone { id });
                return;
            }
            Busy::Append { id, tag, .. } => {
                let text = e.reply_text();
                self.refuse(Some(tag), StatusKind::Bad, None, &text, reason);
                self.events.push_back(Event::AppendAborted { id });
                return;
            }
            other => self.busy = other,
        }
        let tag = e
            .tag
            .as_deref()
            .and_then(|t| Tag::new(String::from_utf8_lossy(t).into_owned()).ok());
        let (kind, code) = match e.kind {
            FrameErrorKind::LiteralTooLarge(_) => (StatusKind::No, Some(Code::TooBig)),
            FrameErrorKind::LineTooLong
            | FrameErrorKind::UnitTooLarge
            | FrameErrorKind::NonSyncLiteralTooLarge(_) => (StatusKind::Bad, Some(Code::TooBig)),
            _ => (StatusKind::Bad, None),
        };
        self.refuse(tag, kind, code, &text, reason);
    }

    fn literal_announced(&mut self, ann: &LiteralAnnouncement) {
        if let Busy::Append { .. } = self.busy {
            self.append_next_literal(ann);
            return;
        }
        if !ann.needs_continuation {
            if matches!(self.busy, Busy::None)
                && let Some(plan) = self.stream_plan(ann)
            {
                self.start_stream(plan);
            }
            return;
        }
        let tag = ann
            .tag
            .as_deref()
            .and_then(|t| Tag::new(String::from_utf8_lossy(t).into_owned()).ok());
        match std::mem::replace(&mut self.busy, Busy::None) {
            // No literal in a SASL response or in place of DONE.
            Busy::SaslLine { tag, .. } => {
                self.framer.reject_literal();
                self.refuse(
                    Some(tag),
                    StatusKind::Bad,
                    None,
                    "Unexpected literal in AUTHENTICATE",
                    BadReason::NotAvailable {
                        command: "AUTHENTICATE",
                    },
                );
                return;
            }
            Busy::Idling { id, tag } => {
                self.framer.reject_literal();
                self.write_status(Some(tag.clone()), StatusKind::Bad, None, "Expected DONE");
                self.bad_command(Some(tag), BadReason::NotDone);
                self.events.push_back(Event::IdleDone { id });
                return;
            }
            other => self.busy = other,
        }
        let pre_auth_limit =
            u64::try_from(self.config.max_input_not_authenticated).unwrap_or(u64::MAX);
        // The whole unit must fit: what came before the literal counts too.
        let so_far = u64::try_from(ann.unit_so_far).unwrap_or(u64::MAX);
        let unit_size = ann.length.saturating_add(so_far);
        if !self.state.is_authenticated() && unit_size > pre_auth_limit {
            self.literal_rejected(tag);
            return;
        }
        if matches!(self.busy, Busy::None) {
            self.pending_stream = self.stream_plan(ann);
        }
        match self.config.auto_literal_limit {
            Some(limit) if ann.length <= limit => self.literal_accepted(),
            Some(_) => self.literal_rejected(tag),
            None => {
                self.events.push_back(Event::LiteralAnnounced {
                    tag: tag.as_ref().map(|t| t.as_str().to_owned()),
                    length: ann.length,
                    binary: ann.binary,
                    received: ann.unit_so_far,
                });
                self.busy = Busy::Literal { tag };
            }
        }
    }

    pub(super) fn literal_accepted(&mut self) {
        self.framer.accept_literal();
        self.write(&Response::Continue(Continue::Text {
            code: None,
            text: Cow::Borrowed(b"Ready for literal data"),
        }));
        if let Some(plan) = self.pending_stream.take() {
            self.start_stream(plan);
        }
    }

    pub(super) fn literal_rejected(&mut self, tag: Option<Tag<'static>>) {
        self.framer.reject_literal();
        let kind = if tag.is_some() {
            StatusKind::No
        } else {
            StatusKind::Bad
        };
        self.write_status(tag, kind, Some(Code::TooBig), "Literal too large");
        if let Some(StreamPlan { id: Some(id), .. }) = self.pending_stream.take() {
            self.events.push_back(Event::AppendAborted { id });
        }
    }

    // ---- streamed APPEND -------------------------------------------------

    /// Whether the literal just announced is an APPEND message to stream:
    /// authenticated, at least [`Config::append_stream_threshold`] octets,
    /// and the unit so far is `tag APPEND mailbox [flags] [date]` (one
    /// message, checked with the command grammar by parsing the prefix
    /// with an empty literal in place of the announced one).
    ///
    /// [`Config::append_stream_threshold`]: super::Config::append_stream_threshold
    fn stream_plan(&self, ann: &LiteralAnnouncement) -> Option<StreamPlan> {
        if !self.state.is_authenticated() || ann.length < self.config.append_stream_threshold {
            return None;
        }
        let (cmd, binary) = parse_with_empty_literal(&[], self.framer.unit_prefix()).ok()?;
        let CommandBody::Append { mailbox, messages } = cmd.body else {
            return None;
        };
        if messages.len() != 1 {
            return None;
        }
        let m = messages.into_vec().into_iter().next()?;
        Some(StreamPlan {
            id: None,
            tag: cmd.tag.into_owned(),
            mailbox: mailbox.into_owned(),
            flags: m.flags.into_iter().map(|f| f.into_owned()).collect(),
            date: m.date,
            length: ann.length,
            binary,
        })
    }

    fn start_stream(&mut self, plan: StreamPlan) {
        if self.framer.stream_literal().is_none() {
            return;
        }
        let id = match plan.id {
            Some(id) => id,
            None => {
                self.bad_in_a_row = 0;
                self.id()
            }
        };
        self.busy = Busy::Append {
            id,
            tag: plan.tag,
            mailbox: plan.mailbox.clone(),
        };
        self.events.push_back(Event::AppendStart {
            id,
            mailbox: plan.mailbox,
            flags: plan.flags,
            internal_date: plan.date,
            length: plan.length,
            binary: plan.binary,
        });
    }

    /// A literal announced after a streamed message: MULTIAPPEND's next
    /// message (RFC 3502), streamed whatever its size, or an error.
    fn append_next_literal(&mut self, ann: &LiteralAnnouncement) {
        let Busy::Append { id, tag, mailbox } = std::mem::replace(&mut self.busy, Busy::None)
        else {
            return;
        };
        let prefix = self.framer.unit_prefix().to_vec();
        let parsed = parse_with_empty_literal(b"x APPEND INBOX", &prefix);
        let message = match parsed {
            Ok((cmd, binary)) => match cmd.body {
                CommandBody::Append { messages, .. } if messages.len() == 1 => {
                    messages.into_vec().into_iter().next().map(|m| (m, binary))
                }
                _ => None,
            },
            Err(_) => None,
        };
        let Some((m, binary)) = message else {
            let mut synth = b"x APPEND INBOX {0}\r\n".to_vec();
            synth.extend_from_slice(&prefix);
            self.framer.skip_unit();
            self.append_failed(id, tag, &synth);
            return;
        };
        let plan = StreamPlan {
            id: Some(id),
            tag: tag.clone(),
            mailbox: mailbox.clone(),
            flags: m.flags.into_iter().map(|f| f.into_owned()).collect(),
            date: m.date,
            length: ann.length,
            binary,
        };
        if !ann.needs_continuation {
            self.start_stream(plan);
            return;
        }
        self.pending_stream = Some(plan);
        match self.config.auto_literal_limit {
            Some(limit) if ann.length <= limit => self.literal_accepted(),
            Some(_) => self.literal_rejected(Some(tag)),
            None => {
                self.events.push_back(Event::LiteralAnnounced {
                    tag: Some(tag.as_str().to_owned()),
                    length: ann.length,
                    binary: ann.binary,
                    received: ann.unit_so_far,
                });
                self.busy = Busy::Literal { tag: Some(tag) };
            }
        }
    }

    /// Ends a streamed APPEND whose rest does not parse: tagged BAD and
    /// [`Event::AppendAborted`]. `synth` is the rest behind a dummy APPEND
    /// start, parsed for the error.
    fn append_failed(&mut self, id: CommandId, tag: Tag<'static>, synth: &[u8]) {
        let e = match Command::parse(synth) {
            Err(e) => e,
            Ok(_) => crate::error::ParseError::Incomplete { needed: None },
        };
        let text = e.bad_text();
        self.refuse(
            Some(tag),
            StatusKind::Bad,
            None,
            &text,
            BadReason::Syntax(e),
        );
        self.events.push_back(Event::AppendAborted { id });
    }

    // ---- commands --------------------------------------------------------

    fn command(&mut self, cmd: Command<'_>) {
        let Command { tag, body } = cmd;
        let tag = tag.into_owned();
        let valid = body.valid_in();
        let ok = match self.state {
            State::NotAuthenticated => valid.not_authenticated,
            State::Authenticated => valid.authenticated,
            State::Selected { .. } => valid.selected,
            State::Logout => false,
        };
        if !ok {
            let command = body.name();
            self.refuse(
                Some(tag),
                StatusKind::Bad,
                None,
                "Command not valid in this state",
                BadReason::WrongState { command },
            );
            return;
        }
        self.bad_in_a_row = 0;
        let id = self.id();
        match body {
            CommandBody::Capability => {
                let caps = self.capabilities();
                self.write(&Response::Data(Data::Capability(caps)));
                self.machine_ok(tag, "CAPABILITY completed");
            }
            CommandBody::Noop if !self.config.relay_noop => {
                self.machine_ok(tag, "NOOP completed");
            }
            CommandBody::Logout => {
                let text = self.config.logout_text.clone();
                self.write_status(None, StatusKind::Bye, None, &text);
                self.write_status(Some(tag), StatusKind::Ok, None, "LOGOUT completed");
                self.enter_logout(CloseReason::Logout);
            }
            CommandBody::StartTls => {
                if !self.config.starttls || self.tls != Tls::Plain {
                    self.refuse(
                        Some(tag),
                        StatusKind::Bad,
                        None,
                        "STARTTLS not available",
                        BadReason::NotAvailable {
                            command: "STARTTLS",
                        },
                    );
                    return;
                }
                self.write_status(Some(tag), StatusKind::Ok, None, "Begin TLS negotiation now");
                // Whatever followed STARTTLS in plaintext is dropped.
                self.framer = self.fresh_framer();
                self.tls = Tls::ReplyQueued;
                self.events.push_back(Event::TlsUpgrade);
            }
            CommandBody::Login { username, password } => {
                if !self.plaintext_ok() {
                    self.refuse(
                        Some(tag),
                        StatusKind::No,
                        Some(Code::PrivacyRequired),
                        "LOGIN disabled without TLS",
                        BadReason::PrivacyRequired,
                    );
                    return;
                }
                let user = String::from_utf8_lossy(username.as_bytes()).into_owned();
                let password = Secret::new(password.expose().as_bytes().to_vec());
                self.busy = Busy::Login {
                    id,
                    tag,
                    user: user.clone(),
                };
                self.events.push_back(Event::Login {
                    id,
                    user,
                    authzid: None,
                    password,
                    mechanism: None,
                });
            }
            CommandBody::Authenticate {
                mechanism,
                initial_response,
            } => self.authenticate(id, tag, mechanism.as_str(), initial_response),
            CommandBody::Enable(caps) => {
                let offered = self.capabilities();
                let mut newly = Vec::new();
                for cap in caps.iter() {
                    if offered.contains(cap) && self.enabled.enable(cap) {
                        newly.push(cap.clone().into_owned());
                    }
                }
                self.write(&Response::Data(Data::Enabled(newly.clone())));
                self.machine_ok(tag, "ENABLE completed");
                if !newly.is_empty() {
                    self.events.push_back(Event::Enabled {
                        id,
                        capabilities: newly,
                    });
                }
            }
            CommandBody::Idle => {
                self.write(&Response::Continue(Continue::Text {
                    code: None,
                    text: Cow::Borrowed(b"idling"),
                }));
                self.busy = Busy::Idling { id, tag };
                self.flush_updates(self.state.is_selected());
                self.events.push_back(Event::Idle { id });
            }
            body => {
                let kind = match &body {
                    CommandBody::Select { .. } => Kind::Select { read_only: false },
                    CommandBody::Examine { .. } => Kind::Select { read_only: true },
                    CommandBody::Close | CommandBody::Unselect => Kind::Leave,
                    CommandBody::Fetch { uid: false, .. }
                    | CommandBody::Store { uid: false, .. }
                    | CommandBody::Search { uid: false, .. }
                    | CommandBody::Sort { uid: false, .. }
                    | CommandBody::Thread { uid: false, .. } => Kind::NoExpunge,
                    _ => Kind::Other,
                };
                if matches!(kind, Kind::Select { .. }) && self.state.is_selected() {
                    // RFC 9051 §6.3.2: the current mailbox is closed first,
                    // even if the new SELECT fails.
                    self.state = State::Authenticated;
                    self.updates.mailbox_closed();
                    if self.enabled.qresync || self.enabled.imap4rev2 {
                        self.write_status(
                            None,
                            StatusKind::Ok,
                            Some(Code::Closed),
                            "Previous mailbox is now closed",
                        );
                    }
                }
                // RFC 7162 §3.1: a CONDSTORE-enabling command turns it on.
                if !self.enabled.condstore
                    && enables_condstore(&body)
                    && self.capabilities().contains(&Capability::CondStore)
                {
                    self.enabled.condstore = true;
                    self.events.push_back(Event::Enabled {
                        id,
                        capabilities: vec![Capability::CondStore],
                    });
                }
                self.busy = Busy::App {
                    id,
                    tag: tag.clone(),
                    kind,
                };
                self.events.push_back(Event::Command {
                    id,
                    command: Command { tag, body }.into_owned(),
                });
            }
        }
    }

    /// A tagged OK for a command the machine answered, after the updates.
    fn machine_ok(&mut self, tag: Tag<'static>, text: &str) {
        self.flush_updates(self.state.is_selected());
        self.write_status(Some(tag), StatusKind::Ok, None, text);
    }

    // ---- authentication --------------------------------------------------

    fn authenticate(
        &mut self,
        id: CommandId,
        tag: Tag<'static>,
        mechanism: &str,
        initial_response: Option<InitialResponse<'_>>,
    ) {
        if initial_response.is_some()
            && !self.config.sasl_ir
            && !self.config.capabilities.contains(&Capability::Imap4Rev2)
        {
            // RFC 4959 §3: an IMAP4rev1 client sends an initial response only
            // when the server announces SASL-IR; without it the argument is
            // not in the RFC 3501 grammar of AUTHENTICATE. IMAP4rev2 has it
            // built in (RFC 9051 §6.2.2).
            self.refuse(
                Some(tag),
                StatusKind::Bad,
                None,
                "Initial response not allowed (no SASL-IR)",
                BadReason::NotAvailable {
                    command: "AUTHENTICATE",
                },
            );
            return;
        }
        let m = match Mechanism::parse(mechanism.as_bytes()) {
            Ok(m) if self.mechanism_allowed(m) => m,
            Ok(m) if self.config.sasl.allows(m, true) => {
                self.refuse(
                    Some(tag),
                    StatusKind::No,
                    Some(Code::PrivacyRequired),
                    "Mechanism not available without TLS",
                    BadReason::PrivacyRequired,
                );
                return;
            }
            _ => {
                self.refuse(
                    Some(tag),
                    StatusKind::No,
                    None,
                    "Unsupported authentication mechanism",
                    BadReason::NotAvailable {
                        command: "AUTHENTICATE",
                    },
                );
                return;
            }
        };
        let mut sm =
            Box::new(SaslServer::new(m, &self.config.sasl_config).final_data_as_challenge());
        let step = match initial_response {
            None => sm.start(),
            Some(InitialResponse::Empty) => sm.step(b""),
            Some(InitialResponse::Data(d)) => sm.step(d.expose()),
        };
        self.sasl_step(id, tag, sm, step, 0);
    }

    fn sasl_line(
        &mut self,
        id: CommandId,
        tag: Tag<'static>,
        mut sm: Box<SaslServer>,
        steps: usize,
        unit: &[u8],
    ) {
        let step = match AuthenticateData::parse(unit) {
            Ok((AuthenticateData::Cancel, _)) => sm.cancel(),
            Ok((AuthenticateData::Response(d), _)) => sm.step(d.expose()),
            Err(e) => {
                let text = e.bad_text();
                self.refuse(
                    Some(tag),
                    StatusKind::Bad,
                    None,
                    &text,
                    BadReason::Syntax(e),
                );
                return;
            }
        };
        self.sasl_step(id, tag, sm, step, steps + 1);
    }

    pub(super) fn sasl_step(
        &mut self,
        id: CommandId,
        tag: Tag<'static>,
        sm: Box<SaslServer>,
        step: Step,
        steps: usize,
    ) {
        match step {
            Step::Challenge(data) => {
                if steps >= self.config.max_auth_steps {
                    self.auth_failed(tag, StatusKind::No, None, "Too many authentication steps");
                    return;
                }
                self.write(&Response::Continue(Continue::Base64(Cow::Owned(data))));
                self.busy = Busy::SaslLine { id, tag, sm, steps };
            }
            Step::Need(Request::VerifyPassword {
                authcid,
                authzid,
                password,
            }) => {
                let mechanism = sm.mechanism();
                self.busy = Busy::SaslAnswer {
                    id,
                    tag,
                    sm,
                    password: true,
                    steps,
                };
                self.events.push_back(Event::Login {
                    id,
                    user: authcid,
                    authzid,
                    password,
                    mechanism: Some(mechanism),
                });
            }
            Step::Need(request) => {
                let mechanism = sm.mechanism();
                self.busy = Busy::SaslAnswer {
                    id,
                    tag,
                    sm,
                    password: false,
                    steps,
                };
                self.events.push_back(Event::Sasl {
                    id,
                    mechanism,
                    request,
                });
            }
            Step::Success(outcome) => {
                self.authenticated(
                    id,
                    tag,
                    outcome.identity().to_owned(),
                    "AUTHENTICATE completed",
                );
            }
            Step::Failure(error) => match error.category() {
                ErrorCategory::Cancelled => {
                    self.auth_failed(tag, StatusKind::Bad, None, "AUTHENTICATE cancelled");
                }
                ErrorCategory::Malformed | ErrorCategory::TooLarge => {
                    let text = error.to_string();
                    self.auth_failed(tag, StatusKind::Bad, None, &text);
                }
                ErrorCategory::Temporary => {
                    self.auth_failed(
                        tag,
                        StatusKind::No,
                        Some(Code::Unavailable),
                        "Authentication temporarily unavailable",
                    );
                }
                _ => self.auth_failed(
                    tag,
                    StatusKind::No,
                    Some(Code::AuthenticationFailed),
                    "Authentication failed",
                ),
            },
            _ => self.auth_failed(
                tag,
                StatusKind::No,
                Some(Code::AuthenticationFailed),
                "Authentication failed",
            ),
        }
    }

    pub(super) fn login_answer(
        &mut self,
        id: CommandId,
        accept: bool,
    ) -> Result<(), super::MisuseError> {
        match &self.busy {
            Busy::Login { id: cur, .. } if *cur == id => {}
            Busy::SaslAnswer {
                id: cur,
                password: true,
                ..
            } if *cur == id => {}
            Busy::SaslAnswer { id: cur, .. } if *cur == id => {
                return Err(super::MisuseError::NotPending);
            }
            _ => return Err(self.misuse()),
        }
        match std::mem::replace(&mut self.busy, Busy::None) {
            Busy::Login { id, tag, user } => {
                if accept {
                    self.authenticated(id, tag, user, "LOGIN completed");
                } else {
                    self.auth_failed(
                        tag,
                        StatusKind::No,
                        Some(Code::AuthenticationFailed),
                        "Authentication failed",
                    );
                }
            }
            Busy::SaslAnswer {
                id,
                tag,
                mut sm,
                steps,
                ..
            } => {
                let step = sm.answer(if accept {
                    Answer::Accept
                } else {
                    Answer::Reject
                });
                self.sasl_step(id, tag, sm, step, steps);
            }
            other => self.busy = other,
        }
        self.process();
        Ok(())
    }

    fn authenticated(&mut self, id: CommandId, tag: Tag<'static>, user: String, text: &str) {
        self.state = State::Authenticated;
        self.set_literal_limits();
        self.user = Some(user.clone());
        self.auth_failures = 0;
        self.activity = true;
        let code = self.capability_code();
        self.write_status(Some(tag), StatusKind::Ok, code, text);
        self.events.push_back(Event::Authenticated { id, user });
    }

    fn auth_failed(
        &mut self,
        tag: Tag<'static>,
        kind: StatusKind,
        code: Option<Code<'_>>,
        text: &str,
    ) {
        self.write_status(Some(tag), kind, code, text);
        self.auth_failures += 1;
        if self.auth_failures >= self.config.max_auth_failures {
            self.close(
                CloseReason::AuthFailures,
                "Too many authentication failures",
            );
        }
    }
}

/// Whether `body` is a CONDSTORE-enabling command (RFC 7162 §3.1): SELECT or
/// EXAMINE with CONDSTORE, FETCH with MODSEQ or CHANGEDSINCE, STORE with
/// UNCHANGEDSINCE, SEARCH (SORT, THREAD) with a MODSEQ key.
fn enables_condstore(body: &CommandBody<'_>) -> bool {
    match body {
        CommandBody::Select { params, .. } | CommandBody::Examine { params, .. } => {
            params.iter().any(|p| matches!(p, SelectParam::CondStore))
        }
        CommandBody::Fetch {
            items, modifiers, ..
        } => {
            modifiers
                .iter()
                .any(|m| matches!(m, FetchModifier::ChangedSince(_)))
                || matches!(items, FetchItems::Attributes(a)
                    if a.iter().any(|a| matches!(a, FetchAttribute::ModSeq)))
        }
        CommandBody::Store { modifiers, .. } => modifiers
            .iter()
            .any(|m| matches!(m, StoreModifier::UnchangedSince(_))),
        CommandBody::Search { keys, .. }
        | CommandBody::Sort { keys, .. }
        | CommandBody::Thread { keys, .. } => keys.iter().any(|k| has_modseq(k, 0)),
        _ => false,
    }
}

fn has_modseq(key: &SearchKey<'_>, depth: usize) -> bool {
    // The parser bounds the nesting; the depth guard keeps this independent of it.
    if depth > 64 {
        return false;
    }
    match key {
        SearchKey::ModSeq { .. } => true,
        SearchKey::Not(k) => has_modseq(k, depth + 1),
        SearchKey::Or(a, b) => has_modseq(a, depth + 1) || has_modseq(b, depth + 1),
        SearchKey::And(v) => v.iter().any(|k| has_modseq(k, depth + 1)),
        _ => false,
    }
}

/// Parses `head` + `prefix` with the literal announced at the end of
/// `prefix` replaced by an empty one and the command ended there. Returns
/// the command and whether the literal was a literal8.
fn parse_with_empty_literal(
    head: &[u8],
    prefix: &[u8],
) -> Result<(Command<'static>, bool), crate::error::ParseError> {
    let incomplete = crate::error::ParseError::Incomplete { needed: None };
    let line = prefix.strip_suffix(b"}\r\n").ok_or(incomplete.clone())?;
    let open = line
        .iter()
        .rposition(|&b| b == b'{')
        .ok_or(incomplete.clone())?;
    let binary = open > 0 && line.get(open - 1) == Some(&b'~');
    let cut = if binary { open - 1 } else { open };
    let mut synth = head.to_vec();
    synth.extend_from_slice(prefix.get(..cut).ok_or(incomplete)?);
    synth.extend_from_slice(if binary {
        b"~{0}\r\n\r\n"
    } else {
        b"{0}\r\n\r\n"
    });
    let (cmd, used) = Command::parse(&synth)?;
    if used != synth.len() {
        return Err(crate::error::ParseError::Incomplete { needed: None });
    }
    Ok((cmd.into_owned(), binary))
}
