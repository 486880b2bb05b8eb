//! A test's own answer for a method: a Rust closure given to [`EmulatorBuilder::handler`],
//! which replaces the spec's `emulator:` section and its example for that method.
//!
//! [`EmulatorBuilder::handler`]: crate::EmulatorBuilder::handler

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use b24_spec::Spec;
use serde_json::{Map, Value};

use crate::envelope::Failure;
use crate::fixture::Fixture;
use crate::request::Params;

/// A handler as the emulator keeps it.
pub(crate) type Handler =
    Arc<dyn Fn(&mut HandlerCall<'_>) -> Result<Value, HandlerError> + Send + Sync>;

/// One call of a method answered by a [handler](crate::EmulatorBuilder::handler): its checked
/// parameters, the calling user, the emulator's clock, and its data, which the handler may
/// read and change (later calls, of any method, see the change).
pub struct HandlerCall<'a> {
    pub(crate) spec: &'a Spec,
    pub(crate) params: &'a Params,
    pub(crate) caller: u64,
    pub(crate) now: SystemTime,
    pub(crate) fixture: &'a mut Fixture,
}

impl HandlerCall<'_> {
    /// The method's name as its spec spells it (`crm.deal.add`).
    pub fn method(&self) -> &str {
        &self.spec.method
    }

    /// The method's spec.
    pub fn spec(&self) -> &Spec {
        self.spec
    }

    /// Every parameter of the call as the emulator read it (form and query keys already
    /// turned into objects and lists: `fields[TITLE]=x` is `{"fields": {"TITLE": "x"}}`),
    /// without the OAuth `auth` token. The declared parameters were checked against the spec
    /// before the handler runs.
    pub fn params(&self) -> &Map<String, Value> {
        self.params.as_map()
    }

    /// The parameter `name`, matched case-insensitively as the portal does; JSON `null`
    /// counts as absent.
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params.get(name)
    }

    /// The id of the calling user: the webhook's user, or the user an access token belongs to.
    pub fn caller(&self) -> u64 {
        self.caller
    }

    /// The emulator's current wall-clock time (see "Time" in the crate docs).
    pub fn now(&self) -> SystemTime {
        self.now
    }

    /// The emulator's data as it is now.
    pub fn fixture(&self) -> &Fixture {
        self.fixture
    }

    /// The emulator's data, to change: records pushed to a collection here are what later
    /// calls read. [`Fixture::next_id`] gives ids that `kind: add` will not give again.
    pub fn fixture_mut(&mut self) -> &mut Fixture {
        self.fixture
    }

    /// The error `code` as the method's spec declares it: its HTTP status and documented
    /// description (a system code's when the spec does not declare it; 400 and the code
    /// otherwise).
    pub fn error(&self, code: &str) -> HandlerError {
        let failure = Failure::declared(self.spec, code, None);
        HandlerError {
            code: failure.code,
            description: failure.description,
            status: failure.status.as_u16(),
        }
    }
}

impl fmt::Debug for HandlerCall<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlerCall")
            .field("method", &self.spec.method)
            .field("params", self.params.as_map())
            .field("caller", &self.caller)
            .finish_non_exhaustive()
    }
}

/// The error a handler answers: `{"error": code, "error_description": description}` with an
/// HTTP status (400 unless [`with_status`](HandlerError::with_status) says otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerError {
    code: String,
    description: String,
    status: u16,
}

impl HandlerError {
    /// An error with this code and description, HTTP status 400. The code may be empty, as
    /// the CRM's errors told apart by their description are (`""`, `"Not found"`).
    pub fn new(code: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            description: description.into(),
            status: 400,
        }
    }

    /// The same error with another HTTP status; one that is not a valid status is sent as
    /// 400.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The code, exactly as sent.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The description, exactly as sent.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.description)
    }
}

impl std::error::Error for HandlerError {}

impl From<HandlerError> for Failure {
    fn from(e: HandlerError) -> Self {
        Failure::new(e.status, e.code, e.description)
    }
}
