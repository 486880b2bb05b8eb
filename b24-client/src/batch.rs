//! `batch`: many calls, of any methods, in one request, each answered and decoded as its own
//! method's; facts: <https://apidocs.bitrix24.com/settings/how-to-call-rest-api/batch.html>.
//!
//! A request carries at most 50 commands; a longer batch goes as several requests, in order.
//! Each request is one call through the runtime (one slot of the rate limit): it is sent
//! again after a failure only when every command in it only reads, or when the portal
//! certainly ran none of them (`QUERY_LIMIT_EXCEEDED`, an expired token).

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::client::Client;
use crate::envelope::{Adapter, OutputOf, decode_result, decode_with, number_of, text_of};
use crate::error::{AnyErrorCode, ApiError, Error, ErrorCode, NotRun};
use crate::method::Method;
use crate::query::http_build_query;
use crate::response::{Response, Time};
use crate::wire::Plain;

/// Commands one `batch` request may carry.
pub const MAX_BATCH_COMMANDS: usize = 50;

/// Tells the batches of a process apart, so a handle only reads its own batch's results.
static BATCHES: AtomicU64 = AtomicU64::new(1);

/// Calls to send together: [`Batch::add`] a generated request and keep the [`Handle`] it
/// gives; [`Client::send_batch`] sends them (50 to a request) and the handle reads its
/// command's result, decoded by its own method's types, from the [`BatchResults`].
///
/// ```no_run
/// # async fn run(client: b24_client::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use b24_client::Batch;
/// use b24_client::department_get::DepartmentGetRequest;
/// use b24_client::user_current::UserCurrentRequest;
///
/// let mut batch = Batch::new();
/// let me = batch.add(UserCurrentRequest::new());
/// // `ID` is taken from the first command's answer by the portal: `$result[0][UF_DEPARTMENT][0]`.
/// let department = batch.add_with(
///     DepartmentGetRequest::new(),
///     [("ID", me.field("UF_DEPARTMENT").index(0))],
/// );
/// let results = client.send_batch(batch).await?;
/// let me = results.get(&me)?; // the `user.current` result type
/// let department = results.get(&department)?; // `department.get`'s
/// # let _ = (me, department);
/// # Ok(()) }
/// ```
pub struct Batch {
    id: u64,
    commands: Vec<Command>,
    halt: bool,
}

struct Command {
    key: String,
    method: String,
    read_only: bool,
    params: Map<String, Value>,
    /// The generated request, which decodes its own result.
    request: Option<Arc<dyn Any + Send + Sync>>,
}

impl Default for Batch {
    fn default() -> Self {
        Self::new()
    }
}

impl Batch {
    /// An empty batch that runs every command whatever the others do.
    pub fn new() -> Self {
        Self {
            id: BATCHES.fetch_add(1, Ordering::Relaxed),
            commands: Vec::new(),
            halt: false,
        }
    }

    /// Stops at the first command that fails (`halt`): the commands after it are not run and
    /// read as [`NotRun::Halted`]. For a batch of more than 50 commands, the later requests
    /// are not sent.
    #[must_use]
    pub fn halt(mut self, halt: bool) -> Self {
        self.halt = halt;
        self
    }

    /// Adds a call; the handle reads its result.
    pub fn add<M>(&mut self, request: M) -> Handle<M>
    where
        M: Method + Send + Sync + 'static,
    {
        self.add_with(request, [])
    }

    /// Adds a call some of whose parameters are taken from earlier commands' results:
    /// `(name, reference)` pairs, where `name` is a parameter's wire name, or a path into one
    /// written as PHP writes it (`FILTER[ID]`), and the reference names a field of an earlier
    /// command's result ([`Handle::field`]). The portal substitutes them; for a command more
    /// than 50 places after the one it refers to (so in a later request), the client does.
    pub fn add_with<'n, M>(
        &mut self,
        request: M,
        references: impl IntoIterator<Item = (&'n str, Ref)>,
    ) -> Handle<M>
    where
        M: Method + Send + Sync + 'static,
    {
        let mut params = request.params();
        for (name, reference) in references {
            set_path(&mut params, name, Value::String(reference.to_string()));
        }
        let key = self.commands.len().to_string();
        self.push(
            key,
            M::NAME.to_owned(),
            M::READ_ONLY,
            params,
            Some(Arc::new(request)),
        )
    }

    /// Adds a call of a method without a generated type, under the name `key` (which
    /// `$result[key]` references use): `read_only` as for
    /// [`Client::call_raw_read_only`](crate::Client::call_raw_read_only). Its result reads
    /// as JSON with [`BatchResults::raw`].
    pub fn add_raw(
        &mut self,
        key: impl Into<String>,
        method: impl Into<String>,
        read_only: bool,
        params: Map<String, Value>,
    ) -> Handle<Value> {
        self.push(key.into(), method.into(), read_only, params, None)
    }

    fn push<M>(
        &mut self,
        key: String,
        method: String,
        read_only: bool,
        params: Map<String, Value>,
        request: Option<Arc<dyn Any + Send + Sync>>,
    ) -> Handle<M> {
        let handle = Handle {
            batch: self.id,
            index: self.commands.len(),
            key: key.as_str().into(),
            method: PhantomData,
        };
        self.commands.push(Command {
            key,
            method,
            read_only,
            params,
            request,
        });
        handle
    }

    /// How many commands the batch holds.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether the batch holds no command.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Every key used once, each a usable `$result[…]` name, every method name sendable.
    fn check(&self) -> Result<(), BatchError> {
        let mut keys = HashMap::new();
        for (i, c) in self.commands.iter().enumerate() {
            if c.key.is_empty() || c.key.contains(['[', ']']) {
                return Err(BatchError::Invalid(format!(
                    "command key {:?} cannot be named in `$result[…]`: use a key without `[` and `]`",
                    c.key
                )));
            }
            if let Some(first) = keys.insert(c.key.as_str(), i) {
                return Err(BatchError::Invalid(format!(
                    "commands {first} and {i} are both named {:?}",
                    c.key
                )));
            }
            if !crate::call::valid_name(&c.method) {
                return Err(BatchError::Invalid(format!(
                    "command {:?}: invalid method name {:?}: use letters, digits, `_` and `.` only",
                    c.key, c.method
                )));
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field(
                "commands",
                &self
                    .commands
                    .iter()
                    .map(|c| (&c.key, &c.method))
                    .collect::<Vec<_>>(),
            )
            .field("halt", &self.halt)
            .finish()
    }
}

/// A command of a [`Batch`]: reads its result from the [`BatchResults`] (typed by its
/// method, `M`), and names fields of that result for later commands ([`Handle::field`]).
pub struct Handle<M> {
    batch: u64,
    index: usize,
    key: Arc<str>,
    method: PhantomData<fn() -> M>,
}

impl<M> Clone for Handle<M> {
    fn clone(&self) -> Self {
        Self {
            batch: self.batch,
            index: self.index,
            key: Arc::clone(&self.key),
            method: PhantomData,
        }
    }
}

impl<M> fmt::Debug for Handle<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("key", &self.key)
            .field("index", &self.index)
            .finish()
    }
}

impl<M> Handle<M> {
    /// The command's name in the batch (`$result[name]`): its position, or the key given to
    /// [`Batch::add_raw`].
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The command's whole result, for a later command's parameter: `$result[key]`.
    pub fn result(&self) -> Ref {
        Ref {
            key: self.key.to_string(),
            path: Vec::new(),
        }
    }

    /// A field of the command's result: `$result[key][name]`.
    pub fn field(&self, name: &str) -> Ref {
        self.result().field(name)
    }
}

/// A reference to (a part of) an earlier command's result, `$result[key][field]…`, that the
/// portal replaces with the value it names before running the command that holds it.
///
/// ```
/// # let mut batch = b24_client::Batch::new();
/// # let me = batch.add(b24_client::user_current::UserCurrentRequest::new());
/// assert_eq!(me.field("UF_DEPARTMENT").index(0).to_string(), "$result[0][UF_DEPARTMENT][0]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    key: String,
    path: Vec<String>,
}

impl Ref {
    /// A field of the value referred to.
    #[must_use]
    pub fn field(mut self, name: &str) -> Self {
        self.path.push(name.to_owned());
        self
    }

    /// An item of the list referred to (a list method's first record: `index(0)`).
    #[must_use]
    pub fn index(mut self, i: usize) -> Self {
        self.path.push(i.to_string());
        self
    }
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "$result[{}]", self.key)?;
        for step in &self.path {
            write!(f, "[{step}]")?;
        }
        Ok(())
    }
}

impl From<Ref> for Value {
    fn from(r: Ref) -> Self {
        Value::String(r.to_string())
    }
}

/// What the portal answered for each command of a batch.
pub struct BatchResults {
    batch: u64,
    commands: Vec<Done>,
}

struct Done {
    key: String,
    method: String,
    request: Option<Arc<dyn Any + Send + Sync>>,
    outcome: Outcome,
}

enum Outcome {
    Answered {
        result: Box<RawValue>,
        time: Option<Time>,
        total: Option<u64>,
        next: Option<u64>,
    },
    Failed {
        code: String,
        description: String,
        status: u16,
    },
    /// Neither a result nor an error, in a batch that does not halt.
    Missing {
        status: u16,
    },
    NotRun(NotRun),
}

impl BatchResults {
    /// The command's result, decoded by its method's types; its error as its method's.
    pub fn get<M: Method + 'static>(
        &self,
        handle: &Handle<M>,
    ) -> Result<M::Output, Error<M::Error>> {
        self.get_full(handle).map(|r| r.result)
    }

    /// The command's whole answer: the result, its `time`, and `total`/`next` for a list.
    pub fn get_full<M: Method + 'static>(
        &self,
        handle: &Handle<M>,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        let done = self.find(handle)?;
        let (result, time, total, next) = done.answer()?;
        let Some(request) = done.request.as_deref().and_then(|r| r.downcast_ref::<M>()) else {
            return Err(Error::NotRun(NotRun::OtherBatch));
        };
        Ok(Response {
            result: decode_result(OutputOf(request), M::NAME, result.get())?,
            time: time.clone(),
            total,
            next,
        })
    }

    /// The command's answer as JSON, for any command (a raw one's only way in).
    pub fn raw<M>(&self, handle: &Handle<M>) -> Result<Response<Value>, Error<AnyErrorCode>> {
        self.find(handle)?.raw()
    }

    /// Every command in order: its key, its method, and its answer as JSON.
    pub fn iter_raw(
        &self,
    ) -> impl Iterator<Item = (&str, &str, Result<Response<Value>, Error<AnyErrorCode>>)> {
        self.commands
            .iter()
            .map(|d| (d.key.as_str(), d.method.as_str(), d.raw()))
    }

    /// How many commands the batch held.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether the batch held no command.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    fn find<M, C: ErrorCode>(&self, handle: &Handle<M>) -> Result<&Done, Error<C>> {
        match self.commands.get(handle.index) {
            Some(done) if handle.batch == self.batch => Ok(done),
            _ => Err(Error::NotRun(NotRun::OtherBatch)),
        }
    }
}

impl Done {
    /// The answer's parts, or the command's error with its method's codes.
    #[allow(clippy::type_complexity)]
    fn answer<C: ErrorCode>(
        &self,
    ) -> Result<(&RawValue, &Option<Time>, Option<u64>, Option<u64>), Error<C>> {
        match &self.outcome {
            Outcome::Answered {
                result,
                time,
                total,
                next,
            } => Ok((result, time, *total, *next)),
            Outcome::Failed {
                code,
                description,
                status,
            } => Err(Error::Api(ApiError {
                code: C::from_code(code),
                description: description.clone(),
                status: *status,
            })),
            Outcome::Missing { status } => Err(Error::UnexpectedResponse {
                status: *status,
                reason: format!(
                    "the batch answer has neither a result nor an error for command `{}`",
                    self.key
                ),
                snippet: String::new(),
            }),
            Outcome::NotRun(why) => Err(Error::NotRun(*why)),
        }
    }

    fn raw(&self) -> Result<Response<Value>, Error<AnyErrorCode>> {
        let (result, time, total, next) = self.answer()?;
        let adapter = Adapter::<Plain<Value>>(PhantomData);
        Ok(Response {
            result: decode_result(adapter, "batch", result.get())?,
            time: time.clone(),
            total,
            next,
        })
    }

    /// The value `$result[key][path…]` names: an empty string when the command failed or the
    /// path leads nowhere, as the emulator substitutes it (the batch page does not say what
    /// the portal does).
    fn lookup(&self, path: &[&str]) -> Value {
        let Outcome::Answered { result, .. } = &self.outcome else {
            return Value::String(String::new());
        };
        let Ok(mut at) = serde_json::from_str::<Value>(result.get()) else {
            return Value::String(String::new());
        };
        for step in path {
            let next = match &mut at {
                Value::Object(map) => map.remove(*step),
                Value::Array(items) => step
                    .parse::<usize>()
                    .ok()
                    .filter(|i| *i < items.len())
                    .map(|i| items.swap_remove(i)),
                _ => None,
            };
            match next {
                Some(v) => at = v,
                None => return Value::String(String::new()),
            }
        }
        at
    }
}

impl fmt::Debug for BatchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcomes: Vec<(&str, &str, &str)> = self
            .commands
            .iter()
            .map(|d| {
                let outcome = match &d.outcome {
                    Outcome::Answered { .. } => "answered",
                    Outcome::Failed { .. } => "failed",
                    Outcome::Missing { .. } => "missing",
                    Outcome::NotRun(_) => "not run",
                };
                (d.key.as_str(), d.method.as_str(), outcome)
            })
            .collect();
        f.debug_struct("BatchResults")
            .field("commands", &outcomes)
            .finish()
    }
}

/// Why a batch failed as a whole.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The batch cannot be sent (two commands of one name, a name `$result[…]` cannot hold, an
    /// invalid method name); nothing was sent.
    #[error("invalid batch: {0}")]
    Invalid(String),
    /// A request of the batch failed for good (after the retries its commands allow). The
    /// commands of earlier requests ran; `results` holds their answers, and
    /// [`NotRun::NotSent`] for the rest.
    #[error("batch request failed: {error}")]
    Failed {
        /// Why the request failed.
        #[source]
        error: Error<AnyErrorCode>,
        /// The answers of the commands that ran.
        results: Box<BatchResults>,
    },
}

/// The `result` of a `batch` call: each field keyed by command, a JSON list when the keys
/// are `0, 1, …` in order (PHP's arrays), `[]` when empty.
#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    result: PhpMap<Box<RawValue>>,
    #[serde(default)]
    result_error: PhpMap<Value>,
    #[serde(default)]
    result_total: PhpMap<Value>,
    #[serde(default)]
    result_next: PhpMap<Value>,
    #[serde(default)]
    result_time: PhpMap<Value>,
}

/// A PHP array as `json_encode` writes it: an object, or a list keyed by position.
struct PhpMap<T>(Vec<(String, T)>);

impl<T> Default for PhpMap<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> PhpMap<T> {
    fn take(&mut self, key: &str) -> Option<T> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.swap_remove(at).1)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PhpMap<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = PhpMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or a list keyed by command")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = a.next_entry::<String, T>()? {
                    out.push(entry);
                }
                Ok(PhpMap(out))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = a.next_element::<T>()? {
                    out.push((out.len().to_string(), item));
                }
                Ok(PhpMap(out))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl Client {
    /// Sends a batch: its commands in order, 50 to a request. `Err` only when it cannot be
    /// sent, or when one of its requests failed for good; the commands' own errors are in
    /// the results, each as its method's error.
    pub async fn send_batch(&self, batch: Batch) -> Result<BatchResults, BatchError> {
        batch.check()?;
        let Batch { id, commands, halt } = batch;
        let index_of: HashMap<&str, usize> = commands
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key.as_str(), i))
            .collect();
        let mut done: Vec<Done> = Vec::with_capacity(commands.len());
        let mut failure = None;
        let mut halted = false;
        for (n, chunk) in commands.chunks(MAX_BATCH_COMMANDS).enumerate() {
            let first = n * MAX_BATCH_COMMANDS;
            if halted || failure.is_some() {
                let why = if halted {
                    NotRun::Halted
                } else {
                    NotRun::NotSent
                };
                done.extend(chunk.iter().map(|c| c.done(Outcome::NotRun(why))));
                continue;
            }
            let mut cmd = Map::new();
            for c in chunk {
                let mut params = c.params.clone();
                // References to commands of earlier requests: the portal no longer has
                // their answers, so the client puts the values in.
                for value in params.values_mut() {
                    resolve(value, &|key| {
                        index_of.get(key).filter(|&&i| i < first).map(|&i| &done[i])
                    });
                }
                let query = http_build_query(&params);
                let command = if query.is_empty() {
                    c.method.clone()
                } else {
                    format!("{}?{query}", c.method)
                };
                cmd.insert(c.key.clone(), Value::String(command));
            }
            let mut params = Map::new();
            params.insert("halt".into(), Value::from(u8::from(halt)));
            params.insert("cmd".into(), Value::Object(cmd));
            let read_only = chunk.iter().all(|c| c.read_only);
            let methods: Vec<&str> = chunk.iter().map(|c| c.method.as_str()).collect();
            let sent = Instant::now();
            let answer = self
                .execute_holding(
                    "batch",
                    read_only,
                    &methods,
                    params,
                    |status, body, secret| {
                        let adapter = Adapter::<Plain<Answer>>(PhantomData);
                        decode_with(adapter, "batch", status, body, secret).map(|response| {
                            let mut answer = response.result;
                            // An error description may quote the request; keep secrets out.
                            if let Some(secret) = secret {
                                for (_, error) in &mut answer.result_error.0 {
                                    if let Some(Value::String(d)) =
                                        error.get_mut("error_description")
                                    {
                                        *d = secret.redact(d);
                                    }
                                }
                            }
                            Response {
                                result: (status, answer),
                                time: response.time,
                                total: response.total,
                                next: response.next,
                            }
                        })
                    },
                )
                .await;
            match answer {
                Ok(response) => {
                    let (status, mut answer) = response.result;
                    let arrived = Instant::now();
                    for c in chunk {
                        let outcome = c.outcome(&mut answer, status);
                        if let Outcome::Answered {
                            time: Some(time), ..
                        } = &outcome
                        {
                            // Operating time is counted per command's method.
                            self.inner.operating.observe(&c.method, time, sent, arrived);
                        }
                        if matches!(outcome, Outcome::Failed { .. }) && halt {
                            halted = true;
                        }
                        let done_now = c.done(outcome);
                        done.push(done_now);
                    }
                    // With `halt`, the commands after a failure are in neither list.
                    if halted {
                        for d in &mut done[first..] {
                            if let Outcome::Missing { .. } = d.outcome {
                                d.outcome = Outcome::NotRun(NotRun::Halted);
                            }
                        }
                    }
                }
                Err(error) => {
                    done.extend(
                        chunk
                            .iter()
                            .map(|c| c.done(Outcome::NotRun(NotRun::NotSent))),
                    );
                    failure = Some(error);
                }
            }
        }
        let results = BatchResults {
            batch: id,
            commands: done,
        };
        match failure {
            Some(error) => Err(BatchError::Failed {
                error,
                results: Box::new(results),
            }),
            None => Ok(results),
        }
    }
}

impl Command {
    fn done(&self, outcome: Outcome) -> Done {
        Done {
            key: self.key.clone(),
            method: self.method.clone(),
            request: self.request.clone(),
            outcome,
        }
    }

    /// This command's part of a batch answer.
    fn outcome(&self, answer: &mut Answer, status: u16) -> Outcome {
        let key = self.key.as_str();
        if let Some(result) = answer.result.take(key) {
            let time = answer
                .result_time
                .take(key)
                .and_then(|t| serde_json::from_value(t).ok());
            return Outcome::Answered {
                result,
                time,
                total: answer.result_total.take(key).as_ref().and_then(number_of),
                next: answer.result_next.take(key).as_ref().and_then(number_of),
            };
        }
        match answer.result_error.take(key) {
            Some(Value::Object(mut error)) => Outcome::Failed {
                code: error.remove("error").map(text_of).unwrap_or_default(),
                description: error
                    .remove("error_description")
                    .map(text_of)
                    .unwrap_or_default(),
                status,
            },
            Some(other) => Outcome::Failed {
                code: text_of(other),
                description: String::new(),
                status,
            },
            None => Outcome::Missing { status },
        }
    }
}

/// Replaces references (`$result[key][…]`, the whole string) to the commands `earlier` knows
/// with the values they name.
fn resolve<'d>(value: &mut Value, earlier: &dyn Fn(&str) -> Option<&'d Done>) {
    match value {
        Value::String(text) => {
            if let Some((key, path)) = reference(text)
                && let Some(done) = earlier(key)
            {
                *value = done.lookup(&path);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| resolve(v, earlier)),
        Value::Object(map) => map.values_mut().for_each(|v| resolve(v, earlier)),
        _ => {}
    }
}

/// `$result[key][a][b]` (and nothing else) → (`key`, [`a`, `b`]).
fn reference(text: &str) -> Option<(&str, Vec<&str>)> {
    let mut rest = text.strip_prefix("$result")?;
    let mut steps = Vec::new();
    while let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']')?;
        steps.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    if !rest.is_empty() || steps.is_empty() {
        return None;
    }
    let key = steps.remove(0);
    Some((key, steps))
}

/// Sets `value` at `name`, a parameter's wire name or a path into it written the PHP way
/// (`FILTER[ID]`), making objects on the way.
fn set_path(params: &mut Map<String, Value>, name: &str, value: Value) {
    let (base, rest) = name.split_once('[').unwrap_or((name, ""));
    let steps: Vec<&str> = rest
        .split('[')
        .filter_map(|s| s.strip_suffix(']'))
        .collect();
    let mut slot = params.entry(base.to_owned()).or_insert(Value::Null);
    for step in steps {
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(map) = slot else {
            unreachable!("made an object above")
        };
        slot = map.entry(step.to_owned()).or_insert(Value::Null);
    }
    *slot = value;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_read_back_as_their_parts() {
        assert_eq!(
            reference("$result[me][UF_DEPARTMENT][0]"),
            Some(("me", vec!["UF_DEPARTMENT", "0"]))
        );
        assert_eq!(reference("$result[0]"), Some(("0", vec![])));
        for not in ["$result", "$result[0]x", "x$result[0]", "$result[0"] {
            assert_eq!(reference(not), None, "{not}");
        }
    }

    #[test]
    fn paths_into_parameters_make_objects() {
        let mut params = Map::new();
        set_path(&mut params, "ID", json!("$result[0][ID]"));
        set_path(&mut params, "FILTER[>ID]", json!(5));
        set_path(&mut params, "FILTER[NAME]", json!("x"));
        assert_eq!(
            Value::Object(params),
            json!({"ID": "$result[0][ID]", "FILTER": {">ID": 5, "NAME": "x"}})
        );
    }

    #[test]
    fn answers_are_read_in_the_object_and_the_list_form() {
        let text = r#"{"result": [{"ID": "1"}, [1, 2]], "result_error": {"2": {"error": "X", "error_description": "y"}},
                       "result_total": [], "result_next": {"1": 50}, "result_time": []}"#;
        let mut a: Answer = serde_json::from_str(text).unwrap();
        assert_eq!(a.result.0.len(), 2);
        assert!(a.result.take("1").is_some());
        assert_eq!(a.result_next.take("1"), Some(json!(50)));
        assert!(a.result_error.take("2").is_some());
        let empty: Answer = serde_json::from_str("{}").unwrap();
        assert!(empty.result.0.is_empty());
    }

    #[test]
    fn keys_must_be_unique_and_nameable() {
        let mut batch = Batch::new();
        batch.add_raw("a", "user.current", true, Map::new());
        batch.add_raw("a", "user.current", true, Map::new());
        assert!(matches!(batch.check(), Err(BatchError::Invalid(m)) if m.contains("both named")));
        let mut batch = Batch::new();
        batch.add_raw("a[1]", "user.current", true, Map::new());
        assert!(matches!(batch.check(), Err(BatchError::Invalid(_))));
        let mut batch = Batch::new();
        batch.add_raw("a", "user.current?x", true, Map::new());
        assert!(matches!(batch.check(), Err(BatchError::Invalid(m)) if m.contains("method name")));
    }
}
