//! An in-memory client/server pair for SASL exchanges.
#![allow(dead_code, unreachable_pub)]

use mailwire_sasl::client::{self, Client, Credentials};
use mailwire_sasl::server::{
    self, CredentialStore, Outcome, PasswordMap, ScramCredentials, ScramHash, Server, Step, drive,
};
use mailwire_sasl::{ChannelBinding, ChannelBindingType, Error, Mechanism, Secret};

/// Users: tim/tanstaaftanstaaf, user/pencil, tokens "good-token" for
/// user@example.com, external identity "cert-user", anonymous allowed,
/// "admin" may act as anyone.
pub struct TestStore {
    pub passwords: PasswordMap,
    pub anonymous: bool,
}

impl Default for TestStore {
    fn default() -> Self {
        let mut passwords = PasswordMap::new(b"test salt key").with_iterations(4096);
        passwords.insert("tim", "tanstaaftanstaaf");
        passwords.insert("user", "pencil");
        passwords.insert("admin", "s3cret,=x");
        passwords.insert("a,b=c", "weird name");
        Self {
            passwords,
            anonymous: true,
        }
    }
}

impl CredentialStore for TestStore {
    fn verify_password(&self, authcid: &str, password: &Secret) -> bool {
        self.passwords.verify_password(authcid, password)
    }
    fn secret(&self, authcid: &str) -> Option<Secret> {
        self.passwords.secret(authcid)
    }
    fn scram_credentials(&self, authcid: &str, hash: ScramHash) -> Option<ScramCredentials> {
        self.passwords.scram_credentials(authcid, hash)
    }
    fn verify_token(&self, user: Option<&str>, token: &Secret) -> Option<String> {
        (token.expose() == b"good-token" && user.is_none_or(|u| u == "user@example.com"))
            .then(|| "user@example.com".to_owned())
    }
    fn external_identity(&self) -> Option<String> {
        Some("cert-user".to_owned())
    }
    fn allow_anonymous(&self, _trace: &str) -> bool {
        self.anonymous
    }
    fn authorize(&self, authcid: &str, authzid: &str) -> bool {
        authcid == authzid || authcid == "admin"
    }
}

pub fn server_config() -> server::Config {
    server::Config::new()
        .with_random(&[9u8; 32])
        .with_cram_md5_challenge(server::cram_md5_challenge(
            1896,
            697_170_952,
            "mx.example.org",
        ))
}

pub fn client_config() -> client::Config {
    client::Config::new().with_random(&[5u8; 18])
}

pub fn binding() -> ChannelBinding {
    ChannelBinding::new(ChannelBindingType::TlsExporter, vec![0xAB; 32])
}

/// How an exchange ended.
#[derive(Debug)]
pub enum End {
    /// The server succeeded and the client accepted the outcome.
    Ok(Outcome),
    /// The server failed.
    Server(Error),
    /// The client failed (then cancelled).
    Client(Error),
}

/// Runs a whole exchange. `ir`: use the initial response if the mechanism
/// has one. `as_challenge`: the server sends success data as a challenge.
pub fn run_with(
    mechanism: Mechanism,
    credentials: Credentials,
    sconfig: &server::Config,
    cconfig: &client::Config,
    store: &TestStore,
    ir: bool,
    as_challenge: bool,
) -> End {
    let mut client = match Client::new(mechanism, credentials, cconfig) {
        Ok(c) => c,
        Err(e) => return End::Client(e),
    };
    let mut server = Server::new(mechanism, sconfig);
    if as_challenge {
        server = server.final_data_as_challenge();
    }
    let first = if ir { client.initial_response() } else { None };
    let mut step = match first {
        Some(r) => server.step(&r),
        None => server.start(),
    };
    for _ in 0..10 {
        step = drive(&mut server, store, step);
        match step {
            Step::Challenge(c) => match client.step(&c) {
                Ok(r) => step = server.step(&r),
                Err(e) => {
                    let s = server.cancel();
                    assert_eq!(s, Step::Failure(Error::Cancelled));
                    return End::Client(e);
                }
            },
            Step::Success(outcome) => {
                return match client.finish(outcome.additional_data.as_deref()) {
                    Ok(()) => End::Ok(outcome),
                    Err(e) => End::Client(e),
                };
            }
            Step::Failure(e) => return End::Server(e),
            _ => panic!("unexpected step"),
        }
    }
    panic!("exchange did not end");
}

pub fn run(mechanism: Mechanism, credentials: Credentials) -> End {
    let store = TestStore::default();
    run_with(
        mechanism,
        credentials,
        &server_config(),
        &client_config(),
        &store,
        true,
        false,
    )
}
