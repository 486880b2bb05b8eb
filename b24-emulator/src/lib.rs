//! A local Bitrix24 portal for tests and offline development, driven by the b24 YAML specs.
//!
//! The emulator is a real HTTP server on loopback that answers every method with a spec the
//! way a portal would: the same routes (incoming webhooks and OAuth), the same envelopes
//! (`result` with a `time` block, or `error` with `error_description`), the same HTTP statuses
//! and error codes. Nothing in it is specific to a method: parameters are checked against the
//! spec's `params:`, answers come from fixture data picked, ordered and shaped by the spec's
//! `emulator:` section (or, for specs without one, from the documented example), writes change
//! that data for later calls, and errors are the codes the spec declares.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use b24_client::Client;
//! use b24_emulator::Emulator;
//!
//! let running = Emulator::builder().build()?.start("127.0.0.1:0").await?;
//!
//! let client = Client::webhook(&running.webhook_url())?;
//! let me = client.im_user_get().send().await?; // the webhook's user, id 1
//! let john = client.im_user_get().id(5).send().await?; // a user of the built-in fixture
//! assert_eq!((me.id, john.name.as_str()), (1, "John Smith"));
//!
//! let app = Client::oauth(&running.base_url(), running.access_token())?;
//! assert_eq!(app.im_user_get().id(5).send().await?.id, 5);
//!
//! running.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! # What it checks
//!
//! In the order a request goes through:
//!
//! - **Authentication.** `/rest/{user_id}/{code}/{method}` must name a configured webhook;
//!   `/rest/{method}` needs a known access token in `auth` (body or query string). Otherwise:
//!   HTTP 401 `NO_AUTH_FOUND`. Access tokens live an hour
//!   ([`EmulatorBuilder::access_token_lifetime`]); after that: HTTP 401 `expired_token`.
//! - **Active user.** When the caller's record in the fixture's `users` collection has
//!   `active: false` (a dismissed employee), every call answers HTTP 403
//!   `INVALID_CREDENTIALS`: the webhook or token exists, but its user may not act.
//! - **Rate limit.** One leaky bucket per portal, by [`Plan`]: standard holds 50 requests and
//!   drains 2 a second, enterprise 250 and 5. A request that does not fit: HTTP 503
//!   `QUERY_LIMIT_EXCEEDED`. Every authenticated HTTP request counts once; a `batch` is one
//!   request however many commands it has.
//! - **Method.** Unknown methods answer HTTP 404 `ERROR_METHOD_NOT_FOUND`. Method names are
//!   matched case-insensitively and may end in `.json`. Repeated slashes in a path count as
//!   one (`/rest//im.user.get`, `/rest/1//CODE/profile`), as the web server in front of a
//!   portal merges them.
//! - **Scope.** A webhook or token given with a scope list
//!   ([`EmulatorBuilder::webhook_with_scopes`], [`EmulatorBuilder::access_token_with_scopes`])
//!   may call only methods that one of those scopes grants (a spec's `scope` or one of its
//!   `other_scopes`), plus `basic`; others answer HTTP 403 `insufficient_scope` (inside a
//!   `batch`, the command fails). Without a list, every scope.
//! - **Operating time.** Each call costs a simulated processing time (10 ms unless
//!   [`EmulatorBuilder::processing_time`] says otherwise), summed per method and per
//!   application or webhook in one-minute baskets that count for 10 minutes. Every answer's
//!   `time` block shows `operating` and `operating_reset_at` (when the oldest basket stops
//!   counting). When the sum already exceeds the limit (480 s unless
//!   [`EmulatorBuilder::operating_limit`] says otherwise), the call answers HTTP 429
//!   `OPERATION_TIME_LIMIT`. The outer `batch` call is not counted; its commands are.
//! - **Parameters.** Parameters come from a JSON object body, a form-urlencoded body or the
//!   text parts of a `multipart/form-data` body (which may end at its last delimiter without
//!   the closing `--`, as the documented example does), merged over the query string; names
//!   match case-insensitively. Form, multipart and query keys are read as PHP reads them:
//!   `FILTER[>ID]=5` is `{"FILTER": {">ID": "5"}}`, and `ID[]=1&ID[]=2` and
//!   `ID[0]=1&ID[1]=2` are both `{"ID": ["1", "2"]}`. PHP has one array type for lists and
//!   objects, so wherever a list is expected (a parameter, a filter value, a field of a nested
//!   object, inside `batch` commands) an object with integer keys is read as the list of its
//!   values in the order sent (`ID[1]=7&ID[0]=1`, or `{"ID": {"0": 1}}` in JSON), and wherever
//!   an object is expected an empty list is the empty object. A JSON list as the whole body is
//!   positional parameters, keyed `0`, `1`, …. Each declared parameter that is present must
//!   have its declared type (form-style strings such as `"5"` count as numbers) and respect
//!   `min`; required ones must be present; parameters the method does not declare are
//!   ignored, as the portal ignores them. An input object (a `fields` object) may hold only
//!   its type's fields and custom `UF_…` ones, with every required field. A bad value answers
//!   with the parameter's `invalid` code, or HTTP 400 `INVALID_ARG_VALUE`. A request that
//!   sends no parameter of a `one_of_required` group (`MESSAGE` or `ATTACH`) answers with the
//!   group's `invalid` code, or `INVALID_ARG_VALUE`.
//! - **Requests it cannot read** (malformed JSON or multipart, a JSON body that is a string,
//!   a number or a boolean, a multipart file part: no emulated method takes a file) answer
//!   HTTP 400 `ERROR_BAD_REQUEST` with a description.
//!
//! # Lists and batches
//!
//! A spec with `paged: true` answers the records its `emulator:` section picks (without one,
//! the records of its example's `result`) 50 at a time, starting at the `start` parameter,
//! with `total` and `next` (left out on the last page) beside `result`. `start=-1` answers
//! the first 50 records without counting them: `total` is 0 and there is no `next`, as in the
//! portal's documented example.
//!
//! `batch` runs up to 50 commands (`cmd`, an object or list of `"method?param=value"` strings)
//! in order. `$result[cmd][field]…` in a command's parameters is replaced by what the earlier
//! command `cmd` answered. The answer is `result`, `result_error`, `result_total`,
//! `result_next` and `result_time`, each keyed by command, and each `[]` when empty (PHP
//! encodes an empty array so). A failing command goes to `result_error`; with `halt=1` it also
//! stops the batch. Commands beyond the 50th fail with `ERROR_BATCH_LENGTH_EXCEEDED`, a nested
//! `batch` with `ERROR_BATCH_METHOD_NOT_ALLOWED`.
//!
//! # OAuth
//!
//! Register an app with [`EmulatorBuilder::oauth_app`]; `GET` or `POST /oauth/token/` with
//! `grant_type=refresh_token`, `client_id`, `client_secret` and `refresh_token` then answers a
//! new access token and a new refresh token, like the authorization server. Each refresh
//! token works once. Errors are HTTP 400 with `invalid_request` (a parameter is missing, or
//! another grant type), `invalid_client` (wrong id or secret) or `invalid_grant` (an unknown,
//! used or expired refresh token).
//!
//! # Time
//!
//! All time in the emulator is [`tokio::time`]: on a paused test runtime
//! (`#[tokio::test(start_paused = true)]`), `tokio::time::advance` moves rate limits,
//! operating time, token expiry and slow faults forward without waiting. The Unix times in
//! answers are the wall-clock time of [`EmulatorBuilder::build`] (or
//! [`EmulatorBuilder::start_time`]) plus the tokio time elapsed since. Simulated processing
//! time shows in the `time` block but does not delay the answer.
//!
//! # Faults
//!
//! [`Fault`] rules make calls fail: with an error code, HTTP 500, an HTML 502 page, truncated
//! JSON, a closed connection, a delay, or an expired token; for every call, only after the
//! first `n` ([`Fault::after`]), or with a seeded probability ([`Fault::probability`]). They
//! have a text form for `b24 serve --fault`, such as `im.user.get:error=ACCESS_DENIED:after=3`
//! or `*:p=0.1:seed=7:html502`; see [`Fault`]. Inside a `batch`, error faults fail single
//! commands; faults that break the HTTP response apply to the `batch` request itself only.
//! [`Emulator::requests`] counts the requests each method received (and
//! [`Emulator::token_requests`] those of the token endpoint), so a test can tell how often a
//! client sent a call: a write hit by a fault must arrive once.
//!
//! # Error descriptions
//!
//! A code a method's spec declares answers with the `error_description` its page documents
//! (the spec's `message`; without one, the spec's `doc`), and system codes with the texts of
//! the documented system error table, exactly, since a client may compare them. What the
//! emulator knows beyond that about a bad parameter (`ID` is 0, below the minimum 1) goes to
//! its log, at `info`; a code without a documented text says it in parentheses after the
//! spec's `doc`. Inside `batch`, `insufficient_scope` has an empty description, as the batch
//! page shows.
//!
//! Errors a spec declares with an empty code (under `errors: "":`, told apart by their
//! description) answer `{"error": "", "error_description": "<the description>"}` with their
//! status, the description exactly as the spec keys it. The `emulator:` section (`not_found:`,
//! `refuse.error`), a parameter's `invalid:` and [`Fault::error`] name one by its `rust_name`.
//!
//! # Error codes of the emulator's own
//!
//! Where Bitrix24 documents nothing for a situation, the emulator answers with codes of its own,
//! each with a description that says what to fix:
//!
//! | Code | Status | When |
//! | --- | --- | --- |
//! | `ERROR_METHOD_NOT_FOUND` | 404 | no spec serves the method, or the path is not a REST path |
//! | `INVALID_ARG_VALUE` | 400 | a parameter is missing or wrong and its spec names no `invalid` code; no parameter of a `one_of_required` group is sent and the group names no code; a `batch` without `cmd` or with a command that is not a string |
//! | `ERROR_BAD_REQUEST` | 400, 405, 413 | the request cannot be read: malformed JSON, a JSON body that is neither an object nor a list, a multipart file part, `.xml`, another HTTP verb than GET/POST, a body over 16 MiB |
//! | `ERROR_NOT_FOUND` | 400 | the spec's `emulator:` picked no record for a one-record answer or a write, names no `not_found` error (nor, for `kind: get`, `update` and `delete`, declares the CRM's "Not found" with the empty code), and the result type has no "no value" marker |
//! | `ERROR_NOT_EMULATED` | 501 | the spec has neither `emulator:` nor an example response |
//!
//! System codes it answers with their documented status: `NO_AUTH_FOUND` (401),
//! `expired_token` (401), `INVALID_CREDENTIALS` (403), `insufficient_scope` (403), `QUERY_LIMIT_EXCEEDED` (503), `OPERATION_TIME_LIMIT` (429),
//! `ERROR_BATCH_LENGTH_EXCEEDED` (400) and `ERROR_BATCH_METHOD_NOT_ALLOWED` (405) inside
//! `batch`, and `INTERNAL_SERVER_ERROR` (500) from faults.
//!
//! # Fixtures
//!
//! [`Fixture`] holds named collections of records; `docs/spec-format.md` ("Emulator") says how a
//! spec's `emulator:` section picks and shapes them. The built-in fixture
//! (`fixtures/default.json`) has eight messenger users in `users` (1, an administrator and the
//! default caller; 5, the documented example user; 8, deactivated; 9, an extranet user; 11, a
//! bot), the same people in the `user.*` shape in `portal_users`, a department tree in
//! `departments` and `im_departments`, chats in `chats` with their members in
//! `chat_members`, and per-user `counters` and `recent` conversations. Its CRM and task part
//! (`fixtures/crm.json`) holds invented `deals` (general funnel and funnel 1), `contacts`,
//! `companies`, `leads`, `items` of smart process 1038, `statuses` (stages, lead statuses,
//! deal types, sources and the other status lists their records use) and `tasks`, in the
//! shapes `crm.*.get`, `crm.item.get`, `crm.status.list` and `tasks.task.get` answer; the
//! custom fields of each collection are defined in `<collection>_userfields`
//! (`deals_userfields`), shaped like the items of `crm.deal.userfield.list`, and its records
//! carry values for them. `fixtures/calendar.json` holds `calendar_events` of users 1 and 5
//! and of the company calendar, as `calendar.event.get` answers them.
//!
//! At build time the emulator refuses a fixture that lacks a collection a spec reads, and
//! checks every record against the spec's `record:` type and, as the method answers it,
//! against the result type: every answer the section can give (each `when` case, each shape a
//! `by_param` result takes, the fewest fields a `select` keeps) against the type that request
//! selects, so emulated answers always decode with the generated types.
//!
//! Besides picking records by the caller, by parameters and by Bitrix24 filter objects (with
//! nested `AND`/`OR` groups), and sorting them by a field or by every key of an order object,
//! the sections answer `select` (only the named fields, with the `*` and `UF_*` masks), search
//! text in several fields (`user.search`'s `FIND`), and leave records out by parameter
//! switches (`im.recent.get`'s `SKIP_*` and `ONLY_OPENLINES`). What they cannot express is
//! listed under "Current limitations" in `docs/spec-format.md`. Each
//! emulator works on its own copy of the fixture: writes (`im.user.status.set`,
//! `im.user.status.idle.start`, …) are seen by later calls to that emulator only, and
//! [`Emulator::fixture`] shows the data as they left it. Fixtures load from JSON
//! ([`Fixture::from_json_str`]) or YAML ([`Fixture::from_yaml_str`]);
//! [`Fixture::overlay`] replaces some collections of the built-in one and keeps the rest.
//!
//! # Your own methods
//!
//! Pass your crate's generated `SPECS` to [`EmulatorBuilder::specs`] and add their collections
//! to the fixture; the emulator then serves your methods too. Most methods are CRUD over a
//! collection, and a section of one or two lines serves them:
//! `emulator: { kind: get, collection: deals }` (`list`, `get`, `add`, `update`, `delete`,
//! `fields`; see "Emulator" in `docs/spec-format.md` for the conventions each reads from the
//! spec). Writes are seen by later calls, also inside one `batch`.
//!
//! # Your own answers
//!
//! A test that needs a behaviour no section declares, or wants to control one, answers the
//! method with a Rust closure: [`EmulatorBuilder::handler`]. It gets the checked parameters,
//! the caller and the emulator's data ([`HandlerCall`]), may change the data for later calls,
//! and answers a result or a [`HandlerError`]. It replaces the spec's section and example; the
//! spec still decides authentication, scopes and which parameters are valid. Answers without a
//! handler or a section come from the spec's example.
//!
//! # The `emulator:` keys, reviewed
//!
//! The section is kept small on purpose: a key must say something about the portal that the
//! spec does not already say, and be worth more than a handler. Handlers are no substitute for
//! the keys the shipped specs use, though: `b24 serve` serves clients in any language, which
//! cannot pass Rust closures, so a shipped method must be served by its section alone. Of the
//! keys before the kinds, three were folded and the others kept (the count is of the 18
//! shipped specs using each):
//!
//! | key | specs | decision | why |
//! | --- | --- | --- | --- |
//! | `lookup` | 1 | folded into `kind: get` | "the record whose id a parameter names" is what `get` is; the parameter and field named `id` are found by convention, and `id: { absent: caller }` keeps `im.user.get`'s one departure |
//! | `filter` | 2 | folded into `kind: list` | a filter parameter is declared `type: filter` already; naming it again said nothing new |
//! | `sort` | 3 | folded into `kind: list` | all three name the parameters `sort` and `order`; the list kind reads them by those names, and also the `order` object the CRM lists take |
//! | `collection`, `record` | 18, 8 | kept | where the records are and what type they have are facts of the fixture, not of the spec |
//! | `caller` | 8 | kept | "the caller's own record" is the commonest pick of the `im.*` methods |
//! | `match` | 8 | kept, extended | top-level parameters filtering by equality (`UF_DEPARTMENT`, `entityTypeId`); `add` now writes them into the new record, so one line scopes a `crm.item.*` family |
//! | `select` | 2 | kept, `param` now optional | the parameter is found by convention; `always` (the fields answered whatever is selected) is a fact no type states |
//! | `search` | 1 | kept | `user.search`'s `FIND` looks for text at word starts in fields the docs list; no convention can tell which fields, so a kind would need this key anyway |
//! | `group` | 1 | kept | an answer keyed by the values of a list parameter (`im.department.employees.get`) is a shape no CRUD kind has; a kind for it would be this key under another name |
//! | `when` | 4 | kept | answers whose shape a switch parameter changes (`RESULT_TYPE`, `USER_DATA`, `SKIP_*`) |
//! | `shape`, `value`, `fields`, `omit` | 1, 3, 2, 4 | kept | projections the `im.*` answers need: keyed by id, one field of the record, renamed fields, fields other methods send |
//! | `join` | 1 | kept | a relation between two collections (`im.department.get`'s head); the data is in the fixture, only the link is declared |
//! | `exclude`, `only` | 1 | kept | `im.recent.get`'s switches leave out records by fixed values, which neither `match` (parameters) nor a filter (the caller's conditions) expresses |
//! | `set` | 3 | kept, extended | writes the caller's record (`im.user.status.*`); now also what `add` and `update` stamp (`DATE_MODIFY`, `MODIFY_BY_ID`), with the new source `{ caller: true }` |
//! | `refuse` | 2 | kept | callers the portal turns away by their account (extranet users, bots) |
//! | `not_found` | 2 | kept | the documented error for a missing record; the kinds default to the CRM's "Not found" (empty code) |
//! | `kind` | new | | the six CRUD kinds, each a set of conventions |
//! | `id` | new | | where a kind's id is, when not in the parameter and field named `id` (`taskId`) |
//! | `defaults` | new | | what the portal fills in when `add` leaves a field out (`STAGE_ID`, `ASSIGNED_BY_ID`) |
//!
//! So the section has 21 top-level keys, as many as before the kinds, and serves six kinds
//! more; custom fields need none, as their definitions are fixture data
//! (`<collection>_userfields`).

#![warn(missing_docs)]

mod answer;
mod auth;
mod batch;
mod call;
mod clock;
mod describe;
mod emulate;
mod emulator;
mod envelope;
mod fault;
mod fixture;
mod handler;
mod limits;
mod oauth;
mod request;
mod server;
mod write;

pub use auth::OAuthApp;
pub use emulator::{
    DEFAULT_ACCESS_TOKEN, DEFAULT_OPERATING_LIMIT, DEFAULT_PROCESSING_TIME, DEFAULT_TOKEN_LIFETIME,
    DEFAULT_WEBHOOK_CODE, DEFAULT_WEBHOOK_USER, Emulator, EmulatorBuilder, EmulatorError,
    load_specs,
};
pub use fault::{Fault, FaultAnswer};
pub use fixture::{Fixture, FixtureError, Record};
pub use handler::{HandlerCall, HandlerError};
pub use limits::Plan;
pub use server::RunningEmulator;

/// The parameters of a query string (`ID=5&FILTER[>ID]=10&SELECT[]=NAME`), read as the
/// emulator reads them from a request or a `batch` command (`method?query`), which is the way
/// PHP's `parse_str` reads them on a portal: every value a string, bracketed keys nested,
/// `0, 1, …` keys a list.
///
/// ```
/// let params = b24_emulator::query_params("ID=5&FILTER%5B%3EID%5D=10&SELECT[]=NAME");
/// assert_eq!(
///     serde_json::Value::Object(params),
///     serde_json::json!({"ID": "5", "FILTER": {">ID": "10"}, "SELECT": ["NAME"]})
/// );
/// ```
pub fn query_params(query: &str) -> serde_json::Map<String, serde_json::Value> {
    request::Params::from_query(query).into_map()
}
