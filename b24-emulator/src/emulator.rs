//! The emulator's configuration: which specs it serves, from which data, to whom.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use b24_client::SpecSource;
use b24_spec::conform::{self, Mode};
use b24_spec::{
    Diagnostic, Emulation, EmulationKind, KeyPath, Reply, Shape, Spec, TypeKind, TypeRef,
};

use crate::auth::{Credentials, OAuthApp, Token, Webhook};
use crate::clock::{Clock, Meter};
use crate::emulate::Selection;
use crate::fault::{Fault, FaultAnswer, Faults};
use crate::fixture::{Fixture, FixtureError};
use crate::handler::{Handler, HandlerCall, HandlerError};
use crate::limits::{Bucket, Plan};

/// User id of the default incoming webhook.
pub const DEFAULT_WEBHOOK_USER: u64 = 1;
/// Code of the default incoming webhook: `http://127.0.0.1:PORT/rest/1/b24emulatorcode/`.
pub const DEFAULT_WEBHOOK_CODE: &str = "b24emulatorcode";
/// The default OAuth access token, bound to user 1.
pub const DEFAULT_ACCESS_TOKEN: &str = "b24emulatortoken";
/// Lifetime of access tokens unless configured: one hour, as the portal's.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// Operating time a method may use per 10 minutes unless configured: 480 seconds, the limit
/// <https://apidocs.bitrix24.com/limits.html> uses in its example.
pub const DEFAULT_OPERATING_LIMIT: Duration = Duration::from_secs(480);
/// Simulated processing time of each call unless configured.
pub const DEFAULT_PROCESSING_TIME: Duration = Duration::from_millis(10);
/// The collection whose records are the portal's accounts: a user whose record there has
/// `active: false` gets HTTP 403 `INVALID_CREDENTIALS` for every call.
pub(crate) const ACCOUNTS: &str = "users";
/// Name of the batch method, which has no spec: the emulator runs it itself.
pub(crate) const BATCH: &str = "batch";

/// A Bitrix24 portal emulator, configured and ready to serve.
///
/// It answers every method that has a spec: the specs shipped with `b24-client`, plus any you
/// add with [`EmulatorBuilder::specs`]. Cloning is cheap; clones share the configuration.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use b24_emulator::Emulator;
///
/// let running = Emulator::builder().build()?.start("127.0.0.1:0").await?;
/// let client = b24_client::Client::webhook(&running.webhook_url())?;
/// let user = client.im_user_get().id(5).send().await?;
/// assert_eq!(user.name, "John Smith");
/// running.shutdown().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Emulator {
    pub(crate) state: Arc<State>,
}

/// Everything a request handler reads.
pub(crate) struct State {
    /// Specs by lower-case method name: the portal matches method names case-insensitively.
    pub methods: BTreeMap<String, Spec>,
    /// The data the emulator answers from, changed by methods with `set:`.
    pub fixture: Mutex<Fixture>,
    pub credentials: Credentials,
    /// The first access token given to the builder.
    pub primary_token: String,
    pub clock: Clock,
    pub meter: Meter,
    pub bucket: Bucket,
    /// Rules that make calls fail, in the order given; the first that applies wins.
    pub faults: Faults,
    /// Simulated processing time by lower-case method name.
    pub processing: BTreeMap<String, Duration>,
    pub default_processing: Duration,
    /// HTTP requests received, by lower-case method name ([`TOKEN_ENDPOINT`] for the OAuth
    /// token endpoint).
    pub requests: Mutex<BTreeMap<String, u64>>,
    /// Tests' own answers, by lower-case method name.
    pub handlers: BTreeMap<String, Handler>,
}

/// The key [`State::requests`] counts token endpoint requests under (not a method name).
pub(crate) const TOKEN_ENDPOINT: &str = "/oauth/token/";

impl Emulator {
    /// Starts configuring an emulator.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The spec of `method` (matched case-insensitively, with or without a `.json` suffix).
    pub fn method(&self, method: &str) -> Option<&Spec> {
        self.state.method(method)
    }

    /// Every method the emulator serves, by name.
    pub fn methods(&self) -> impl Iterator<Item = &Spec> {
        self.state.methods.values()
    }

    /// The data the emulator answers from as it is now: the fixture it was built with, and
    /// every write since (`im.user.status.set`, …).
    pub fn fixture(&self) -> Fixture {
        self.state.fixture().clone()
    }

    /// Changes the data the emulator answers from while it serves, as a portal's data change
    /// under its clients (another user adds or deletes a record): the next calls see it.
    ///
    /// ```
    /// # let emulator = b24_emulator::Emulator::builder().build().unwrap();
    /// let users = emulator.edit_fixture(|f| {
    ///     let users = f.collection_mut("portal_users").expect("a built-in collection");
    ///     users.retain(|u| u["ID"] != "5");
    ///     users.len()
    /// });
    /// assert_eq!(emulator.fixture().collection("portal_users").map(<[_]>::len), Some(users));
    /// ```
    pub fn edit_fixture<R>(&self, edit: impl FnOnce(&mut Fixture) -> R) -> R {
        edit(&mut self.state.fixture())
    }

    /// User id of the first configured webhook.
    pub fn webhook_user_id(&self) -> u64 {
        self.primary_webhook().0
    }

    /// `/rest/USER_ID/CODE/`: the path of the first configured webhook (it contains the code).
    pub fn webhook_path(&self) -> String {
        let (user, code) = self.primary_webhook();
        format!("/rest/{user}/{code}/")
    }

    /// The first configured OAuth access token.
    pub fn access_token(&self) -> &str {
        &self.state.primary_token
    }

    /// How many HTTP requests named `method` (case-insensitive, with or without `.json`) the
    /// emulator has received, however they were answered: refused by the rate limit,
    /// failed by a fault, or served. A `batch` counts as one request of `batch`.
    pub fn requests(&self, method: &str) -> u64 {
        let name = method.to_ascii_lowercase();
        let name = name.strip_suffix(".json").unwrap_or(&name);
        self.state.requests().get(name).copied().unwrap_or(0)
    }

    /// How many requests the OAuth token endpoint (`/oauth/token/`) has received.
    pub fn token_requests(&self) -> u64 {
        self.requests(TOKEN_ENDPOINT)
    }

    fn primary_webhook(&self) -> (u64, &str) {
        self.state
            .credentials
            .primary_webhook()
            .map_or((DEFAULT_WEBHOOK_USER, DEFAULT_WEBHOOK_CODE), |w| {
                (w.user_id, w.code.as_str())
            })
    }
}

impl State {
    /// The current data. A poisoned lock only means a request panicked mid-call; each write
    /// is a single `extend`, so the data is still whole.
    pub fn fixture(&self) -> MutexGuard<'_, Fixture> {
        self.fixture.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the fixture's `users` collection marks user `user_id` as deactivated
    /// (`active: false`); users without a record may act.
    pub fn user_inactive(&self, user_id: u64) -> bool {
        let fixture = self.fixture();
        let me = serde_json::Value::from(user_id);
        fixture.collection(ACCOUNTS).is_some_and(|users| {
            users.iter().any(|u| {
                u.get("id")
                    .is_some_and(|id| crate::answer::same_value(id, &me))
                    && u.get("active") == Some(&serde_json::Value::Bool(false))
            })
        })
    }

    /// Counts one HTTP request for `method` (as sent; [`TOKEN_ENDPOINT`] for the token
    /// endpoint).
    pub fn count_request(&self, method: &str) {
        let name = method.to_ascii_lowercase();
        let name = name.strip_suffix(".json").unwrap_or(&name).to_owned();
        *self.requests().entry(name).or_default() += 1;
    }

    fn requests(&self) -> MutexGuard<'_, BTreeMap<String, u64>> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn method(&self, method: &str) -> Option<&Spec> {
        let name = method.to_ascii_lowercase();
        let name = name.strip_suffix(".json").unwrap_or(&name);
        self.methods.get(name)
    }

    /// Simulated processing time of one call of `method` (lower case).
    pub fn processing_time(&self, method: &str) -> Duration {
        self.processing
            .get(method)
            .copied()
            .unwrap_or(self.default_processing)
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("methods", &self.state.methods.keys().collect::<Vec<_>>())
            .field("credentials", &self.state.credentials)
            .finish_non_exhaustive()
    }
}

/// Configures an [`Emulator`]. Every setting has a default: the shipped specs, the built-in
/// fixture, webhook `/rest/1/b24emulatorcode/` and access token `b24emulatortoken` for user 1
/// (valid for an hour), the standard plan's rate limit, 480 s of operating time per method
/// and 10 minutes, and 10 ms of simulated processing per call.
#[derive(Default)]
pub struct EmulatorBuilder {
    sources: Vec<SpecSource>,
    specs: Vec<Spec>,
    fixture: Option<Fixture>,
    webhooks: Vec<Webhook>,
    tokens: Vec<Token>,
    apps: Vec<OAuthApp>,
    faults: Vec<Fault>,
    plan: Plan,
    processing: BTreeMap<String, Duration>,
    default_processing: Option<Duration>,
    operating_limit: Option<Duration>,
    token_lifetime: Option<Duration>,
    start_time: Option<SystemTime>,
    seed: u64,
    handlers: BTreeMap<String, Handler>,
}

/// A method name as the emulator keys it: lower case, without `.json`.
fn method_key(method: &str) -> String {
    let key = method.to_ascii_lowercase();
    key.strip_suffix(".json").unwrap_or(&key).to_owned()
}

impl EmulatorBuilder {
    /// Sets the rate limit by plan (default [`Plan::Standard`]: 2 requests a second, 50 at
    /// once); [`Plan::Unlimited`] turns it off.
    #[must_use]
    pub fn plan(mut self, plan: Plan) -> Self {
        self.plan = plan;
        self
    }

    /// Each call of `method` takes this much simulated processing time: it shows in the
    /// `time` block (`processing`, `finish`, `duration`) and counts towards the method's
    /// operating time, without making the answer wait.
    #[must_use]
    pub fn processing_time(mut self, method: &str, time: Duration) -> Self {
        self.processing.insert(method_key(method), time);
        self
    }

    /// Answers `method` with your own Rust code instead of its spec's `emulator:` section or
    /// example: for a behaviour no section can declare, or one a test wants to control. The
    /// spec still serves the method: authentication, scopes, limits, faults and the checks of
    /// the declared parameters come first, and the handler runs only for a call that passes
    /// them. It gets the parameters, the caller and the emulator's data ([`HandlerCall`]),
    /// which it may change for later calls, and answers a `result` (a list is paged for a
    /// `paged` method) or a [`HandlerError`]. What it answers is sent as it is, without being
    /// checked against the result type. A second handler for the same method replaces the
    /// first; [`build`](EmulatorBuilder::build) refuses a handler for a method no spec serves.
    ///
    /// Handlers are synchronous: the emulator holds its data for the whole call, so a call
    /// reads and writes it as one step, like a call on the portal; an `async` handler could
    /// not hold it across an `.await`.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use b24_emulator::{Emulator, HandlerError};
    /// use serde_json::json;
    ///
    /// let running = Emulator::builder()
    ///     .handler("im.user.get", |call| match call.param("ID") {
    ///         Some(id) if id == 13 => Err(HandlerError::new("USER_NOT_EXISTS", "Unlucky")),
    ///         _ => Ok(json!({ "id": call.caller(), "name": "Handled" })),
    ///     })
    ///     .build()?
    ///     .start("127.0.0.1:0")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn handler<F>(mut self, method: &str, handler: F) -> Self
    where
        F: Fn(&mut HandlerCall<'_>) -> Result<serde_json::Value, HandlerError>
            + Send
            + Sync
            + 'static,
    {
        self.handlers.insert(method_key(method), Arc::new(handler));
        self
    }

    /// Simulated processing time of calls without their own [`processing_time`]
    /// (default 10 ms).
    ///
    /// [`processing_time`]: EmulatorBuilder::processing_time
    #[must_use]
    pub fn default_processing_time(mut self, time: Duration) -> Self {
        self.default_processing = Some(time);
        self
    }

    /// How much operating time a method may use per application or webhook in 10 minutes
    /// before calls are refused with HTTP 429 `OPERATION_TIME_LIMIT` (default 480 s;
    /// `Duration::MAX` turns the limit off).
    #[must_use]
    pub fn operating_limit(mut self, limit: Duration) -> Self {
        self.operating_limit = Some(limit);
        self
    }

    /// Lifetime of access tokens (default one hour): tokens given to the builder expire this
    /// long after [`build`](EmulatorBuilder::build), issued ones this long after issue; then
    /// calls answer HTTP 401 `expired_token`.
    #[must_use]
    pub fn access_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = Some(lifetime);
        self
    }

    /// Registers an OAuth app, whose refresh tokens `/oauth/token/` exchanges for new tokens.
    #[must_use]
    pub fn oauth_app(mut self, app: OAuthApp) -> Self {
        self.apps.push(app);
        self
    }

    /// The wall-clock time the emulator's clock starts at (default: now), for answers with
    /// the same timestamps on every run.
    #[must_use]
    pub fn start_time(mut self, time: SystemTime) -> Self {
        self.start_time = Some(time);
        self
    }

    /// Seed of the tokens the OAuth endpoint issues (default 0), which repeat on every run
    /// with the same seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Makes matching calls fail (see [`Fault`]). Rules apply in the order given.
    #[must_use]
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Also serves these specs, typically your crate's generated `SPECS` constant. A spec for
    /// a method that `b24-client` ships replaces the shipped one.
    #[must_use]
    pub fn specs(mut self, sources: &[SpecSource]) -> Self {
        self.sources.extend_from_slice(sources);
        self
    }

    /// Also serves an already loaded spec (from [`b24_spec::load_path`], for instance).
    #[must_use]
    pub fn spec(mut self, spec: Spec) -> Self {
        self.specs.push(spec);
        self
    }

    /// Answers from this fixture instead of [`Fixture::builtin`]. Every collection the specs
    /// name must be in it: start from the built-in one with [`Fixture::with_collection`] or
    /// [`Fixture::overlay`] to keep its data. The emulator works on its own copy; see
    /// [`Emulator::fixture`] for the data as calls changed it.
    #[must_use]
    pub fn fixture(mut self, fixture: Fixture) -> Self {
        self.fixture = Some(fixture);
        self
    }

    /// Accepts the incoming webhook `/rest/{user_id}/{code}/`. The first one given is the one
    /// [`RunningEmulator::webhook_url`](crate::RunningEmulator::webhook_url) shows; giving
    /// any replaces the default webhook.
    #[must_use]
    pub fn webhook(mut self, user_id: u64, code: impl Into<String>) -> Self {
        self.webhooks.push(Webhook {
            user_id,
            code: code.into(),
            scopes: None,
        });
        self
    }

    /// Accepts the incoming webhook `/rest/{user_id}/{code}/`, limited to these scopes
    /// (`im`, `user`, …): calling a method that none of them grants answers HTTP 403
    /// `insufficient_scope`. A method may be granted by more than one scope (`user.get` by
    /// `user`, `user_brief` or `user_basic`; see the spec's `other_scopes`). The `basic` scope (`profile`) is always granted. Webhooks given
    /// with [`webhook`](EmulatorBuilder::webhook) have every scope.
    #[must_use]
    pub fn webhook_with_scopes<S: Into<String>>(
        mut self,
        user_id: u64,
        code: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.webhooks.push(Webhook {
            user_id,
            code: code.into(),
            scopes: Some(scopes.into_iter().map(Into::into).collect()),
        });
        self
    }

    /// Accepts this OAuth access token, for user 1. Giving any token replaces the default one.
    #[must_use]
    pub fn access_token(self, token: impl Into<String>) -> Self {
        self.access_token_for(DEFAULT_WEBHOOK_USER, token)
    }

    /// Accepts this OAuth access token, for the given user.
    #[must_use]
    pub fn access_token_for(mut self, user_id: u64, token: impl Into<String>) -> Self {
        self.tokens.push(Token {
            token: token.into(),
            user_id,
            scopes: None,
        });
        self
    }

    /// Accepts this OAuth access token for the given user, limited to these scopes, as an
    /// application installed with only them: other methods answer HTTP 403
    /// `insufficient_scope` (`basic` is always granted). Other tokens have every scope.
    #[must_use]
    pub fn access_token_with_scopes<S: Into<String>>(
        mut self,
        user_id: u64,
        token: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.tokens.push(Token {
            token: token.into(),
            user_id,
            scopes: Some(scopes.into_iter().map(Into::into).collect()),
        });
        self
    }

    /// Loads and checks the specs, checks the fixture against them and the credentials.
    pub fn build(self) -> Result<Emulator, EmulatorError> {
        let mut methods = BTreeMap::new();
        for spec in load_specs(b24_client::SPECS)? {
            methods.insert(spec.method.to_ascii_lowercase(), spec);
        }
        // Own specs replace shipped ones, but two own specs of one method are a mistake.
        let mut own: BTreeMap<String, String> = BTreeMap::new();
        // Added sources are a set of their own: their specs see their own type libraries.
        let loaded = if self.sources.is_empty() {
            Vec::new()
        } else {
            load_specs(&self.sources)?
        };
        for spec in loaded.into_iter().chain(self.specs) {
            let key = spec.method.to_ascii_lowercase();
            if let Some(first) = own.insert(key.clone(), spec.file.clone()) {
                return Err(EmulatorError::DuplicateMethod {
                    method: spec.method,
                    first,
                    second: spec.file,
                });
            }
            methods.insert(key, spec);
        }

        for method in self.handlers.keys() {
            if !methods.contains_key(method) {
                return Err(EmulatorError::HandlerMethod {
                    method: method.clone(),
                });
            }
        }
        let fixture = self.fixture.unwrap_or_else(Fixture::builtin);
        // A method a handler answers does not read its section's collections.
        for (key, spec) in &methods {
            if !self.handlers.contains_key(key) {
                check_fixture(spec, &fixture)?;
            }
        }

        let webhooks = if self.webhooks.is_empty() {
            vec![Webhook {
                user_id: DEFAULT_WEBHOOK_USER,
                code: DEFAULT_WEBHOOK_CODE.into(),
                scopes: None,
            }]
        } else {
            self.webhooks
        };
        for w in &webhooks {
            // The same rule as `b24_client::Client::webhook`, so every accepted webhook URL
            // also works with the client.
            if w.code.is_empty() || !w.code.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(EmulatorError::WebhookCode { user_id: w.user_id });
            }
        }
        let tokens = if self.tokens.is_empty() {
            vec![Token {
                token: DEFAULT_ACCESS_TOKEN.into(),
                user_id: DEFAULT_WEBHOOK_USER,
                scopes: None,
            }]
        } else {
            self.tokens
        };
        for (i, t) in tokens.iter().enumerate() {
            if t.token.is_empty() || t.token.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(EmulatorError::AccessToken {
                    user_id: t.user_id,
                    reason: "it is empty or contains whitespace",
                });
            }
            if tokens[..i].iter().any(|o| o.token == t.token) {
                return Err(EmulatorError::AccessToken {
                    user_id: t.user_id,
                    reason: "the same token is given twice",
                });
            }
        }

        for fault in &self.faults {
            check_fault(fault, &methods)?;
        }
        for (i, app) in self.apps.iter().enumerate() {
            if app.client_id.is_empty() || app.client_secret.is_empty() {
                return Err(EmulatorError::OAuthApp {
                    client_id: app.client_id.clone(),
                    reason: "the client id and secret must not be empty",
                });
            }
            if self.apps[..i].iter().any(|o| o.client_id == app.client_id) {
                return Err(EmulatorError::OAuthApp {
                    client_id: app.client_id.clone(),
                    reason: "the same client id is registered twice",
                });
            }
        }

        let clock = Clock::new(self.start_time.unwrap_or_else(SystemTime::now));
        let primary_token = tokens[0].token.clone();
        let credentials = Credentials::new(
            webhooks,
            tokens,
            self.apps,
            self.token_lifetime.unwrap_or(DEFAULT_TOKEN_LIFETIME),
            clock.now(),
            self.seed,
        );
        Ok(Emulator {
            state: Arc::new(State {
                methods,
                fixture: Mutex::new(fixture),
                credentials,
                primary_token,
                clock,
                meter: Meter::new(self.operating_limit.unwrap_or(DEFAULT_OPERATING_LIMIT)),
                bucket: Bucket::new(self.plan),
                faults: Faults::new(self.faults),
                processing: self.processing,
                default_processing: self.default_processing.unwrap_or(DEFAULT_PROCESSING_TIME),
                requests: Mutex::default(),
                handlers: self.handlers,
            }),
        })
    }
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field(
                "sources",
                &self.sources.iter().map(|s| s.path).collect::<Vec<_>>(),
            )
            .field(
                "specs",
                &self.specs.iter().map(|s| &s.method).collect::<Vec<_>>(),
            )
            .field("fixture", &self.fixture.is_some())
            .field("webhooks", &self.webhooks.len())
            .field("tokens", &self.tokens.len())
            .field("apps", &self.apps)
            .field("faults", &self.faults)
            .field("plan", &self.plan)
            .field("handlers", &self.handlers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// A fault must name a served method (or `batch`) and a code that method can answer with.
fn check_fault(fault: &Fault, methods: &BTreeMap<String, Spec>) -> Result<(), EmulatorError> {
    let key = fault.method.as_ref().map(|m| {
        let key = m.to_ascii_lowercase();
        key.trim_end_matches(".json").to_owned()
    });
    if let (Some(method), Some(key)) = (&fault.method, &key)
        && key != BATCH
        && !methods.contains_key(key)
    {
        return Err(EmulatorError::FaultMethod {
            method: method.clone(),
        });
    }
    let FaultAnswer::Error { code } = &fault.answer else {
        return Ok(());
    };
    let system = b24_client::SystemError::from_code(code).is_some();
    let unknown = |method: &str| EmulatorError::FaultCode {
        method: method.to_owned(),
        code: code.clone(),
    };
    match &key {
        Some(key) => {
            let declared = methods
                .get(key.as_str())
                .is_some_and(|spec| spec.find_error(code).is_some());
            if !system && !declared {
                return Err(unknown(
                    methods.get(key.as_str()).map_or(BATCH, |s| &s.method),
                ));
            }
        }
        None => {
            if let Some(spec) = methods
                .values()
                .find(|spec| !system && spec.find_error(code).is_none())
            {
                return Err(unknown(&spec.method));
            }
        }
    }
    Ok(())
}

/// Loads embedded spec files (a crate's generated `SPECS`, or `b24_client::SPECS`) as one set,
/// so specs can use the set's type libraries; returns the method specs.
pub fn load_specs(sources: &[SpecSource]) -> Result<Vec<Spec>, EmulatorError> {
    let pairs: Vec<(&str, &str)> = sources.iter().map(|s| (s.path, s.text)).collect();
    b24_spec::load_sources(&pairs)
        .map(|set| set.specs)
        .map_err(|diagnostics| EmulatorError::Spec {
            path: diagnostics
                .first()
                .map_or_else(|| "(specs)".to_owned(), |d| d.file.clone()),
            diagnostics,
        })
}

/// The collections a spec reads must exist, and its records must be what the spec says: of
/// its `record:` type, and, as the spec's answer shows them, of the result type (or its
/// items), so emulated answers always decode with the generated types.
fn check_fixture(spec: &Spec, fixture: &Fixture) -> Result<(), EmulatorError> {
    let Some(emulation) = &spec.emulator else {
        return Ok(());
    };
    for name in emulation.collections() {
        if fixture.collection(name).is_none() {
            return Err(EmulatorError::MissingCollection {
                method: spec.method.clone(),
                collection: name.to_owned(),
            });
        }
    }
    if let Some(refuse) = &emulation.refuse {
        let accounts = fixture.collection(ACCOUNTS).unwrap_or_default();
        for (field, _) in &refuse.callers {
            if !accounts.iter().any(|a| a.contains_key(field)) {
                return Err(EmulatorError::AccountField {
                    method: spec.method.clone(),
                    field: field.clone(),
                });
            }
        }
    }
    let records = fixture
        .collection(&emulation.collection)
        .unwrap_or_default();
    let mismatch = |i: usize, m: conform::Mismatch| EmulatorError::FixtureMismatch {
        method: spec.method.clone(),
        record: format!("{}[{i}]", emulation.collection),
        path: m.path.to_string(),
        message: m.message,
    };
    if let Some(name) = &emulation.record {
        let ty = TypeRef::plain(TypeKind::Named(name.clone()), KeyPath::root());
        for (i, record) in records.iter().enumerate() {
            let value = serde_json::Value::Object(record.clone());
            conform::check(spec, &ty, &value, Mode::Result).map_err(|m| mismatch(i, m))?;
        }
    }
    if matches!(
        emulation.kind,
        Some(EmulationKind::Add | EmulationKind::Update | EmulationKind::Fields)
    ) {
        let name = format!(
            "{}{}",
            emulation.collection,
            crate::write::USERFIELDS_SUFFIX
        );
        let definitions = fixture.collection(&name).unwrap_or_default();
        if let Some((i, key)) = crate::describe::bad_definition(definitions) {
            return Err(EmulatorError::FixtureMismatch {
                method: spec.method.clone(),
                record: format!("{name}[{i}]"),
                path: key.to_owned(),
                message: "a custom-field definition needs this field, as text".into(),
            });
        }
    }
    match emulation.kind {
        // The description is the same for every request: check it as answered.
        Some(EmulationKind::Fields) => {
            let reply = emulation.reply(spec);
            let description = crate::describe::description(spec, emulation, fixture);
            let answer = crate::emulate::wrap(reply.as_ref(), description);
            return conform::check(spec, &spec.result.ty, &answer, Mode::Result).map_err(|m| {
                EmulatorError::FixtureMismatch {
                    method: spec.method.clone(),
                    record: format!(
                        "{}{}",
                        emulation.collection,
                        crate::write::USERFIELDS_SUFFIX
                    ),
                    path: m.path.to_string(),
                    message: m.message,
                }
            });
        }
        // Writes answer an id, `true` or the record, which the record type check covers.
        Some(EmulationKind::Add | EmulationKind::Update | EmulationKind::Delete) => return Ok(()),
        Some(EmulationKind::List | EmulationKind::Get) | None => {}
    }
    // Writes answer `true`, and grouped answers are keyed by the request: no item to check.
    if !emulation.set.is_empty() || emulation.group.is_some() {
        return Ok(());
    }
    let reply = emulation.reply(spec);
    // Every answer the section can give, each checked against the result type the request
    // that gets it selects (`by_param`): the answer with no parameters, with each `when` case,
    // and with each result case. Each with every field and with only those `select` keeps.
    let selections = match emulation.select_param(spec) {
        Some(_) => vec![
            None,
            Some(Selection {
                names: Vec::new(),
                always: emulation
                    .select
                    .as_ref()
                    .map_or_else(Vec::new, |s| s.always.clone()),
                fields: Default::default(),
            }),
        ],
        None => vec![None],
    };
    for params in answer_params(spec, emulation) {
        let form = emulation.form_for(|name| {
            params
                .get(name)
                .or_else(|| {
                    spec.params
                        .iter()
                        .find(|p| p.wire == name)
                        .and_then(|p| p.default.as_ref())
                })
                .map(crate::emulate::text_of)
        });
        let ty = conform::result_type(spec, &params);
        // A wrapped answer (`{"item": …}`) is checked inside its wrapper.
        let wrapped = reply.as_ref().and_then(Reply::wrapper).is_some();
        let ty = if wrapped {
            crate::emulate::answer_type(spec, reply.as_ref())
        } else {
            ty
        };
        let list = match (&form.shape, emulation.kind) {
            (Some(Shape::One), _) => false,
            (Some(Shape::List), _) => true,
            (Some(Shape::KeyedBy(_)), _) => false,
            (None, Some(EmulationKind::List)) => true,
            (None, Some(EmulationKind::Get)) => false,
            (None, _) => spec.paged || matches!(spec.result.ty.kind, TypeKind::Array(_)),
        };
        // A paged method's records inside the result's field that holds them (`paged: { items
        // }`), where no kind's wrapper said so.
        let ty = match (list && !wrapped, spec.list_type()) {
            (true, Some(list)) => list,
            _ => ty,
        };
        for selection in &selections {
            for (i, record) in records.iter().enumerate() {
                let item_ty = match (&form.shape, &ty.kind, list) {
                    (Some(Shape::KeyedBy(_)), _, _) | (_, _, true) => None,
                    (_, _, false) => Some(ty),
                };
                let item_ty = match (&ty.kind, list) {
                    (TypeKind::Array(items), true) => Some(items.as_ref()),
                    _ => item_ty,
                };
                let value =
                    crate::emulate::project(record, &form, selection.as_ref(), fixture, item_ty);
                let checked = match (&form.shape, list, &ty.kind) {
                    (Some(Shape::KeyedBy(key)), _, _) => {
                        let k = record
                            .get(key)
                            .map_or_else(String::new, crate::emulate::text_of);
                        conform::check(spec, ty, &serde_json::json!({ k: value }), Mode::Result)
                    }
                    (_, true, TypeKind::Array(items)) => {
                        conform::check(spec, items, &value, Mode::Result)
                    }
                    // A list where the result is not one: only `json` can hold it.
                    (_, true, _) => conform::check(
                        spec,
                        ty,
                        &serde_json::Value::Array(vec![value]),
                        Mode::Result,
                    ),
                    (_, false, _) => conform::check(spec, ty, &value, Mode::Result),
                };
                checked.map_err(|m| mismatch(i, m))?;
            }
        }
    }
    Ok(())
}

/// The parameters of the requests whose answers `check_fixture` checks: none, the value of
/// each `when` case, and the value of each case of a result chosen by a parameter.
fn answer_params(
    spec: &Spec,
    emulation: &Emulation,
) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let one = |param: &str, value: &str| {
        let mut m = serde_json::Map::new();
        m.insert(
            param.to_owned(),
            serde_json::Value::String(value.to_owned()),
        );
        m
    };
    let mut out = vec![serde_json::Map::new()];
    for w in &emulation.when {
        out.push(one(&w.param, &w.value));
    }
    if let Some(choice) = &spec.result.by_param {
        for case in &choice.cases {
            if let Some(value) = &case.when {
                out.push(one(&choice.param, value));
            }
        }
    }
    out.dedup();
    out
}

/// Why an emulator could not be configured. Messages never contain a webhook code or token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// A spec has mistakes.
    #[error("spec `{path}` is invalid:\n{}", render(.diagnostics))]
    Spec {
        /// Path of the spec as embedded.
        path: String,
        /// Every problem found, with file, line, column and key path.
        diagnostics: Vec<Diagnostic>,
    },
    /// Two added specs define the same method.
    #[error("method `{method}` is defined by both `{first}` and `{second}`")]
    DuplicateMethod {
        /// The method name.
        method: String,
        /// Path of the first spec.
        first: String,
        /// Path of the second spec.
        second: String,
    },
    /// A spec serves from a collection the fixture does not have.
    #[error(
        "method `{method}` answers from fixture collection `{collection}`, which the fixture \
         does not have"
    )]
    MissingCollection {
        /// The method name.
        method: String,
        /// The collection its `emulator:` section names.
        collection: String,
    },
    /// A fixture record does not have the shape of the method's result.
    #[error(
        "fixture record `{record}` does not match the result of `{method}`{}: {message}",
        if path.is_empty() { String::new() } else { format!(" at `{path}`") }
    )]
    FixtureMismatch {
        /// The method name.
        method: String,
        /// `collection[index]`, or the collection when the result is the whole list.
        record: String,
        /// Field path inside the record; empty for the record itself.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A spec refuses callers by a field no record of the accounts collection (`users`) has.
    #[error(
        "method `{method}` refuses callers by the account field `{field}`, which no record of \
         the fixture's `users` collection has"
    )]
    AccountField {
        /// The method name.
        method: String,
        /// The field its `emulator.refuse.callers` names.
        field: String,
    },
    /// A fault names a method no spec serves.
    #[error("fault rule for `{method}`: no spec serves that method")]
    FaultMethod {
        /// The method as given.
        method: String,
    },
    /// A handler is given for a method no spec serves.
    #[error(
        "handler for `{method}`: no spec serves that method; add its spec with \
         `EmulatorBuilder::specs` or `spec`"
    )]
    HandlerMethod {
        /// The method, in lower case.
        method: String,
    },
    /// A fault answers with a code that is neither a system code nor declared by the method.
    #[error(
        "fault rule for `{method}`: `{code}` is neither a system error code nor declared under \
         the method's `errors:`"
    )]
    FaultCode {
        /// The method the rule applies to.
        method: String,
        /// The code as given.
        code: String,
    },
    /// A webhook code is empty or not made of letters and digits.
    #[error("the webhook code of user {user_id} must be letters and digits, and not empty")]
    WebhookCode {
        /// The webhook's user id.
        user_id: u64,
    },
    /// An access token cannot be used.
    #[error("the access token of user {user_id} cannot be used: {reason}")]
    AccessToken {
        /// The user the token is bound to.
        user_id: u64,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An OAuth app cannot be registered.
    #[error("OAuth app `{client_id}` cannot be registered: {reason}")]
    OAuthApp {
        /// The app's client id.
        client_id: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The fixture could not be read.
    #[error(transparent)]
    Fixture(#[from] FixtureError),
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_serve_the_shipped_specs_with_default_credentials() {
        let e = Emulator::builder().build().unwrap();
        assert!(e.method("im.user.get").is_some());
        assert!(e.method("IM.USER.GET.json").is_some());
        assert!(e.method("im.user").is_none());
        assert_eq!(e.webhook_path(), "/rest/1/b24emulatorcode/");
        assert_eq!(e.webhook_user_id(), 1);
        assert_eq!(e.access_token(), DEFAULT_ACCESS_TOKEN);
        assert!(!format!("{e:?}").contains(DEFAULT_WEBHOOK_CODE));
    }

    #[test]
    fn a_fixture_without_the_collection_is_refused() {
        let e = Emulator::builder()
            .fixture(Fixture::empty())
            .build()
            .unwrap_err();
        assert!(
            // The first method (by name) that reads a collection names it.
            matches!(&e, EmulatorError::MissingCollection { collection, .. } if collection == "calendar_events"),
            "{e}"
        );
    }

    #[test]
    fn fixture_records_must_match_the_result_type() {
        let mut users = Fixture::builtin().collection("users").unwrap().to_vec();
        users[1].insert("idle".into(), json!(true));
        let e = Emulator::builder()
            .fixture(Fixture::builtin().with_collection("users", users))
            .build()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "fixture record `users[1]` does not match the result of `im.department.employees.get` at `idle`: \
             expected an ATOM date-time such as \"2026-03-02T09:30:00+01:00\" or false, found true"
        );
    }

    #[test]
    fn list_results_name_the_bad_record() {
        let spec = b24_spec::load_str(
            "test.items.list.yaml",
            "method: test.items.list\nscope: test\nsummary: s\ndocs: https://apidocs.bitrix24.com/\n\
             access: any user\nresult: { type: array, items: Item }\n\
             types:\n  Item:\n    fields:\n      id: id\n\
             emulator:\n  collection: items\n",
        )
        .unwrap();
        let fixture = Fixture::builtin().with_collection(
            "items",
            vec![
                json!({"id": 1}).as_object().unwrap().clone(),
                json!({"id": "x"}).as_object().unwrap().clone(),
            ],
        );
        let e = Emulator::builder()
            .spec(spec)
            .fixture(fixture)
            .build()
            .unwrap_err();
        assert!(
            matches!(&e, EmulatorError::FixtureMismatch { record, path, .. } if record == "items[1]" && path == "id"),
            "{e}"
        );
    }

    #[test]
    fn refused_callers_need_a_field_the_accounts_have() {
        let spec = b24_spec::load_str(
            "test.items.list.yaml",
            "method: test.items.list\nscope: test\nsummary: s\ndocs: https://apidocs.bitrix24.com/\n\
             access: any user\nresult: json\nerrors:\n  NOPE: { status: 403, doc: No }\n\
             emulator:\n  collection: users\n  refuse: { callers: { vip: true }, error: NOPE }\n",
        )
        .unwrap();
        let e = Emulator::builder().spec(spec).build().unwrap_err();
        assert!(
            matches!(&e, EmulatorError::AccountField { field, .. } if field == "vip"),
            "{e}"
        );
    }

    #[test]
    fn credentials_are_checked_without_echoing_them() {
        let e = Emulator::builder()
            .webhook(3, "bad-code!")
            .build()
            .unwrap_err();
        assert!(matches!(e, EmulatorError::WebhookCode { user_id: 3 }));
        assert!(!e.to_string().contains("bad-code"));
        let e = Emulator::builder()
            .access_token("s3cret")
            .access_token_for(5, "s3cret")
            .build()
            .unwrap_err();
        assert!(matches!(e, EmulatorError::AccessToken { user_id: 5, .. }));
        assert!(!e.to_string().contains("s3cret"));
        assert!(Emulator::builder().access_token("").build().is_err());
    }

    #[test]
    fn own_specs_replace_shipped_ones_but_not_each_other() {
        // `SPECS` also holds type libraries, so the shipped methods are counted from the set,
        // and the source used here is the first method spec that loads without them.
        let shipped = load_specs(b24_client::SPECS).unwrap();
        let source = *b24_client::SPECS
            .iter()
            .find(|s| {
                shipped.iter().any(|spec| spec.file == s.path)
                    && b24_spec::load_str(s.path, s.text).is_ok()
            })
            .unwrap();
        let e = Emulator::builder().specs(&[source]).build().unwrap();
        assert_eq!(e.methods().count(), shipped.len());
        // Added sources load as one set, which refuses a method defined twice, located.
        let e = Emulator::builder()
            .specs(&[source, source])
            .build()
            .unwrap_err();
        assert!(matches!(e, EmulatorError::Spec { .. }), "{e}");
        assert!(e.to_string().contains("is already defined in"), "{e}");
        // A loaded spec given as well as a source of the same method is also refused.
        let spec = shipped
            .into_iter()
            .find(|spec| spec.file == source.path)
            .unwrap();
        let e = Emulator::builder()
            .specs(&[source])
            .spec(spec)
            .build()
            .unwrap_err();
        assert!(matches!(e, EmulatorError::DuplicateMethod { .. }), "{e}");
    }

    #[test]
    fn broken_specs_report_their_diagnostics() {
        let e = Emulator::builder()
            .specs(&[SpecSource {
                path: "specs/x.y.yaml",
                text: "method: x.y\n",
            }])
            .build()
            .unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("spec `specs/x.y.yaml` is invalid:\nspecs/x.y.yaml:"),
            "{text}"
        );
    }
}
