//! Lists, page after page, as streams: each page is one call through the runtime (rate limit,
//! retries, refresh), sent only when the records before it have been taken.
//!
//! Two ways through a list (facts: <https://apidocs.bitrix24.com/settings/performance/huge-data.html>):
//! - **by offset**: `start = 0, 50, 100, …` as each answer's `next` says. A record deleted from
//!   the part already read shifts the rest back, so one record not read yet moves behind the
//!   cursor and is never seen; a record inserted in front of the cursor shifts the rest
//!   forward, so one record already seen comes again (dropped here when the method names its
//!   records' `id`).
//! - **by id**, where the spec says the method can (`paged: { by_id: … }`): ordered by id, each
//!   page asks for ids above the last one seen, with `start = -1` so the portal counts no
//!   `total`. Ids only grow, so no record comes twice, and every record that exists from the
//!   first page to the last is seen; one inserted meanwhile is seen when its id is above the
//!   last one seen (new records get higher ids), one deleted before its page is not.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::envelope::{Adapter, OutputOf, decode_with, number_of};
use crate::error::{AnyErrorCode, Error, ErrorCode};
use crate::limiter::BoxFuture;
use crate::method::Method;
use crate::response::Response;
use crate::secret::Secret;
use crate::wire::Plain;

/// Records a page holds at most; a page by id with fewer is the last.
const PAGE: usize = 50;

/// A list method (`paged` in its spec): its records, their ids, and how it pages. Generated
/// for every `paged` spec; [`Client::stream`], [`Client::pages`] and [`Client::call_all`]
/// take any request that implements it.
pub trait Paged: Method {
    /// One record of the list.
    type Item;

    /// The records of one page's output: the output itself for a list result, or the
    /// field that holds them (`paged: { items: tasks }`).
    fn into_items(output: Self::Output) -> Vec<Self::Item>;

    /// The record's id, when the spec names the field that holds it (`paged: { id: ID }`).
    fn item_id(item: &Self::Item) -> Option<u64> {
        let _ = item;
        None
    }

    /// How the method pages: its `start` parameter, and what its spec says beyond it.
    fn paging() -> Paging {
        Paging::new()
    }
}

/// How a list method pages, as its spec says: generated as [`Paged::paging`], or written by
/// hand for [`Client::pages_raw`].
///
/// ```
/// use b24_client::{ById, Paging};
/// use serde_json::{Map, Value, json};
///
/// // user.get: records carry `ID`, and the list can be read by id.
/// let Value::Object(order) = json!({"SORT": "ID", "ORDER": "ASC"}) else { unreachable!() };
/// let paging = Paging::new().id("ID").select("select").by_id(ById::new("FILTER", ">ID", order));
/// assert_eq!(paging.start, "start");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Paging {
    /// Wire name of the parameter that chooses the first record of a page.
    pub start: String,
    /// The result's field that holds the records, when the result is an object
    /// (`tasks.task.list` answers `{"tasks": […]}`); `None` when the result is the list.
    pub items: Option<String>,
    /// The record's field that holds its id: no record is yielded twice.
    pub id: Option<String>,
    /// The `select` parameter, if the method has one: when a request selects fields, the
    /// id field is added to them.
    pub select: Option<String>,
    /// How to page by id instead of by offset, when the method can.
    pub by_id: Option<ById>,
}

impl Default for Paging {
    fn default() -> Self {
        Self::new()
    }
}

impl Paging {
    /// A plain list: a `start` parameter, records in `result`, no ids known.
    pub fn new() -> Self {
        Self {
            start: "start".to_owned(),
            items: None,
            id: None,
            select: None,
            by_id: None,
        }
    }

    /// The `start` parameter is spelt `name`.
    #[must_use]
    pub fn start(mut self, name: impl Into<String>) -> Self {
        self.start = name.into();
        self
    }

    /// The records are in the result's field `name`.
    #[must_use]
    pub fn items(mut self, name: impl Into<String>) -> Self {
        self.items = Some(name.into());
        self
    }

    /// Each record's id is in its field `name`.
    #[must_use]
    pub fn id(mut self, name: impl Into<String>) -> Self {
        self.id = Some(name.into());
        self
    }

    /// The method's `select` parameter is `name`.
    #[must_use]
    pub fn select(mut self, name: impl Into<String>) -> Self {
        self.select = Some(name.into());
        self
    }

    /// The method can page by id.
    #[must_use]
    pub fn by_id(mut self, by_id: ById) -> Self {
        self.by_id = Some(by_id);
        self
    }
}

/// Paging by id: the parameters that order the list by ascending id, and the filter condition
/// that asks for ids above the last one seen. Needs [`Paging::id`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ById {
    /// Wire name of the filter parameter (`FILTER`).
    pub filter: String,
    /// The filter key that takes the last id seen (`>ID`).
    pub after: String,
    /// Parameters, with their values as sent, that order the list by ascending id.
    pub order: Map<String, Value>,
}

impl ById {
    /// Pages with `filter[after] = last id` and `order`.
    pub fn new(
        filter: impl Into<String>,
        after: impl Into<String>,
        order: Map<String, Value>,
    ) -> Self {
        Self {
            filter: filter.into(),
            after: after.into(),
            order,
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's records, without any the stream yielded before.
    pub items: Vec<T>,
    /// The number of records in the list, as the portal counted it; `Some(0)` when paging
    /// by id, where the portal does not count.
    pub total: Option<u64>,
    /// `start` of the next page, when paging by offset and there is one.
    pub next: Option<u64>,
}

type Decoder<T, C> =
    Arc<dyn Fn(u16, &[u8], Option<&Secret>) -> Result<Response<Vec<T>>, Error<C>> + Send + Sync>;
type IdOf<T> = Arc<dyn Fn(&T) -> Option<u64> + Send + Sync>;

/// Where the next page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cursor {
    /// By offset: the request's own `start` (`None`), then each `next`.
    Offset(Option<u64>),
    /// By id: above this id (`None`: the first page).
    After(Option<u64>),
    Done,
}

/// A lister back from fetching a page, with the page (`None`: there was none to fetch).
type Fetched<T, C> = (Lister<T, C>, Option<Result<Page<T>, Error<C>>>);

/// Everything one list needs to fetch its next page.
struct Lister<T, C: ErrorCode> {
    client: Client,
    method: String,
    read_only: bool,
    params: Map<String, Value>,
    paging: Paging,
    decode: Decoder<T, C>,
    id_of: IdOf<T>,
    cursor: Cursor,
    /// Ids yielded so far when paging by offset, so none is yielded twice.
    seen: HashSet<u64>,
}

impl<T: Send + 'static, C: ErrorCode> Lister<T, C> {
    fn new(
        client: Client,
        method: String,
        read_only: bool,
        mut params: Map<String, Value>,
        paging: Paging,
        decode: Decoder<T, C>,
        id_of: IdOf<T>,
    ) -> Self {
        // Paging by id orders the list itself and moves with its own filter: a request that
        // sets the order or a `start` of its own is paged as it asks, by offset.
        let own = |key: &str| params.keys().any(|k| k.eq_ignore_ascii_case(key));
        let by_id = paging.id.is_some()
            && paging
                .by_id
                .as_ref()
                .is_some_and(|b| !b.order.keys().any(|k| own(k)))
            && !own(&paging.start);
        if let (Some(id), Some(select)) = (&paging.id, &paging.select) {
            add_to_selection(&mut params, select, id);
        }
        Self {
            client,
            method,
            read_only,
            params,
            paging,
            decode,
            id_of,
            cursor: if by_id {
                Cursor::After(None)
            } else {
                Cursor::Offset(None)
            },
            seen: HashSet::new(),
        }
    }

    /// Fetches the next page; `None` after the last one or an error.
    async fn next_page(mut self) -> Fetched<T, C> {
        let params = match self.cursor {
            Cursor::Done => return (self, None),
            Cursor::Offset(None) => self.params.clone(),
            Cursor::Offset(Some(start)) => {
                let mut params = self.params.clone();
                params.insert(self.paging.start.clone(), Value::from(start));
                params
            }
            Cursor::After(last) => self.by_id_params(last),
        };
        let decode = Arc::clone(&self.decode);
        let answer = self
            .client
            .execute(
                &self.method,
                self.read_only,
                params,
                move |status, body, secret| decode(status, body, secret),
            )
            .await;
        let page = answer.and_then(|response| self.turn(response));
        if page.is_err() {
            self.cursor = Cursor::Done;
        }
        (self, Some(page))
    }

    /// The parameters of the page after id `last`: the request's own, the order by id,
    /// `start = -1`, and the filter for ids above `last`.
    fn by_id_params(&self, last: Option<u64>) -> Map<String, Value> {
        let mut params = self.params.clone();
        let Some(by_id) = &self.paging.by_id else {
            return params;
        };
        for (name, value) in &by_id.order {
            params.insert(name.clone(), value.clone());
        }
        params.insert(self.paging.start.clone(), Value::from(-1));
        if let Some(last) = last {
            let filter = params
                .entry(by_id.filter.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            // An empty filter may arrive as `[]` (PHP's empty array); a condition needs an
            // object.
            if !filter.is_object() {
                *filter = Value::Object(Map::new());
            }
            if let Value::Object(conditions) = filter {
                conditions.insert(by_id.after.clone(), Value::from(last));
            }
        }
        params
    }

    /// Reads a page's answer and moves the cursor past it.
    fn turn(&mut self, response: Response<Vec<T>>) -> Result<Page<T>, Error<C>> {
        let Response {
            result: mut items,
            total,
            next,
            ..
        } = response;
        match self.cursor {
            Cursor::After(last) => {
                let mut previous = last;
                for item in &items {
                    let id = (self.id_of)(item).ok_or_else(|| {
                        paging_error(format!(
                            "a record of `{}` has no `{}`, which paging by id needs",
                            self.method,
                            self.paging.id.as_deref().unwrap_or("id")
                        ))
                    })?;
                    if previous.is_some_and(|p| id <= p) {
                        return Err(paging_error(format!(
                            "the records of `{}` are not in ascending id order ({id} after {}), \
                             which paging by id needs",
                            self.method,
                            previous.unwrap_or_default()
                        )));
                    }
                    previous = Some(id);
                }
                self.cursor = match previous {
                    Some(id) if items.len() >= PAGE => Cursor::After(Some(id)),
                    _ => Cursor::Done,
                };
            }
            Cursor::Offset(start) => {
                let start = start
                    .or_else(|| {
                        self.params
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(&self.paging.start))
                            .and_then(|(_, v)| number_of(v))
                    })
                    .unwrap_or(0);
                let seen = &mut self.seen;
                let id_of = &self.id_of;
                items.retain(|item| id_of(item).is_none_or(|id| seen.insert(id)));
                self.cursor = match next {
                    // `next` must move forward, or a faulty portal would keep us here forever.
                    Some(next) if next > start => Cursor::Offset(Some(next)),
                    _ => Cursor::Done,
                };
            }
            Cursor::Done => {}
        }
        Ok(Page { items, total, next })
    }
}

/// Adds `id` to the fields a request selects, when it selects some and not all of them.
fn add_to_selection(params: &mut Map<String, Value>, select: &str, id: &str) {
    if let Some(Value::Array(fields)) = params.get_mut(select) {
        let named = |f: &Value| {
            f.as_str()
                .is_some_and(|f| f == "*" || f.eq_ignore_ascii_case(id))
        };
        if !fields.is_empty() && !fields.iter().any(named) {
            fields.push(Value::from(id));
        }
    }
}

fn paging_error<C: ErrorCode>(reason: String) -> Error<C> {
    Error::UnexpectedResponse {
        status: 200,
        reason,
        snippet: String::new(),
    }
}

/// The pages of a list, as a [`Stream`]: each is one request, sent when the stream is polled
/// for it, so a stream dropped early sends nothing more. After an error the stream ends.
///
/// Made by [`Client::pages`] (or [`Client::pages_raw`]); [`Records`] yields the records one
/// by one instead.
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<T, C: ErrorCode> {
    lister: Option<Lister<T, C>>,
    fetching: Option<BoxFuture<'static, Fetched<T, C>>>,
}

impl<T: Send + 'static, C: ErrorCode> Pages<T, C> {
    fn new(lister: Lister<T, C>) -> Self {
        Self {
            lister: Some(lister),
            fetching: None,
        }
    }

    /// Pages by offset even where paging by id is possible, e.g. to have the portal count
    /// `total`. Only before the first page is asked for.
    pub fn by_offset(mut self) -> Self {
        if let Some(lister) = &mut self.lister
            && lister.cursor == Cursor::After(None)
        {
            lister.cursor = Cursor::Offset(None);
        }
        self
    }

    /// Whether the list is paged by id (the spec allows it and the request sets neither an
    /// order nor a `start` of its own); by offset otherwise.
    pub fn is_by_id(&self) -> bool {
        self.lister
            .as_ref()
            .is_some_and(|l| matches!(l.cursor, Cursor::After(_)))
    }

    /// The next page; `None` after the last one, or after an error.
    pub async fn next_page(&mut self) -> Option<Result<Page<T>, Error<C>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T: Send + 'static, C: ErrorCode> Stream for Pages<T, C> {
    type Item = Result<Page<T>, Error<C>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.fetching.is_none() {
            let Some(lister) = this.lister.take() else {
                return Poll::Ready(None);
            };
            if lister.cursor == Cursor::Done {
                this.lister = Some(lister);
                return Poll::Ready(None);
            }
            this.fetching = Some(Box::pin(lister.next_page()));
        }
        let Some(fetching) = &mut this.fetching else {
            return Poll::Ready(None);
        };
        match fetching.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((lister, page)) => {
                this.fetching = None;
                this.lister = Some(lister);
                Poll::Ready(page)
            }
        }
    }
}

impl<T, C: ErrorCode> fmt::Debug for Pages<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Pages");
        if let Some(lister) = &self.lister {
            d.field("method", &lister.method)
                .field("cursor", &lister.cursor);
        }
        d.field("fetching", &self.fetching.is_some())
            .finish_non_exhaustive()
    }
}

/// The records of a list, one by one, as a [`Stream`]; pages are fetched as they are needed
/// (see [`Pages`]). After an error the stream ends.
///
/// Made by [`Client::stream`] or a generated call's `stream()`.
#[must_use = "a stream does nothing until it is polled"]
pub struct Records<T, C: ErrorCode> {
    pages: Pages<T, C>,
    buffer: std::vec::IntoIter<T>,
}

// Nothing of `Records` is ever pinned in place: records are moved out of the buffer, and the
// page in flight is boxed.
impl<T, C: ErrorCode> Unpin for Records<T, C> {}

impl<T: Send + 'static, C: ErrorCode> Records<T, C> {
    /// Pages by offset even where paging by id is possible (see [`Pages::by_offset`]).
    pub fn by_offset(mut self) -> Self {
        self.pages = self.pages.by_offset();
        self
    }

    /// Whether the list is paged by id (see [`Pages::is_by_id`]).
    pub fn is_by_id(&self) -> bool {
        self.pages.is_by_id()
    }
}

impl<T: Send + 'static, C: ErrorCode> Stream for Records<T, C> {
    type Item = Result<T, Error<C>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => this.buffer = page.items.into_iter(),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T, C: ErrorCode> fmt::Debug for Records<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Records")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl Client {
    /// The pages of a list method, as a stream (see [`Pages`]): by id where the spec allows
    /// it and the request sets neither an order nor a `start` of its own, by offset
    /// otherwise. Each page is one call through the runtime.
    pub fn pages<M>(&self, request: &M) -> Pages<M::Item, M::Error>
    where
        M: Paged + Clone + Send + Sync + 'static,
        M::Item: Send + 'static,
    {
        let request = Arc::new(request.clone());
        let params = request.params();
        let decode: Decoder<M::Item, M::Error> = Arc::new(move |status, body, secret| {
            decode_with(OutputOf(&*request), M::NAME, status, body, secret)
                .map(|response| map_result(response, M::into_items))
        });
        Pages::new(Lister::new(
            self.clone(),
            M::NAME.to_owned(),
            M::READ_ONLY,
            params,
            M::paging(),
            decode,
            Arc::new(M::item_id),
        ))
    }

    /// The records of a list method, one by one, as a stream (see [`Records`] and
    /// [`Client::pages`]).
    ///
    /// ```no_run
    /// # async fn run(client: b24_client::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures_util::TryStreamExt;
    ///
    /// let mut users = client.user_get().stream();
    /// while let Some(user) = users.try_next().await? {
    ///     println!("{} {}", user.id, user.name.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream<M>(&self, request: &M) -> Records<M::Item, M::Error>
    where
        M: Paged + Clone + Send + Sync + 'static,
        M::Item: Send + 'static,
    {
        Records {
            pages: self.pages(request),
            buffer: Vec::new().into_iter(),
        }
    }

    /// Calls a list method page after page and returns every record (see
    /// [`Client::pages`] for how it pages). Each page is a request of its own and takes a
    /// slot of the rate limit.
    pub async fn call_all<M>(&self, request: &M) -> Result<Vec<M::Item>, Error<M::Error>>
    where
        M: Paged + Clone + Send + Sync + 'static,
        M::Item: Send + 'static,
    {
        let mut pages = self.pages(request);
        let mut all = Vec::new();
        while let Some(page) = pages.next_page().await {
            all.extend(page?.items);
        }
        Ok(all)
    }

    /// The pages of a list method without a generated type, as JSON records: `paging` says
    /// how it pages (which [`Paged::paging`] says for generated methods). `read_only` as for
    /// [`Client::call_raw_read_only`].
    pub fn pages_raw(
        &self,
        method: &str,
        read_only: bool,
        params: Map<String, Value>,
        paging: Paging,
    ) -> Pages<Value, AnyErrorCode> {
        let items = paging.items.clone();
        let decode: Decoder<Value, AnyErrorCode> = Arc::new(move |status, body, secret| {
            let adapter = Adapter::<Plain<Value>>(std::marker::PhantomData);
            let mut response = decode_with(adapter, "(raw call)", status, body, secret)?;
            let result = std::mem::take(&mut response.result);
            let list = match (&items, result) {
                (None, list) => list,
                (Some(field), Value::Object(mut page)) => page.remove(field).unwrap_or_default(),
                (Some(field), other) => {
                    return Err(paging_error(format!(
                        "the page is not an object holding the records in `{field}` but {}",
                        kind(&other)
                    )));
                }
            };
            match list {
                Value::Array(records) => Ok(map_result(response, |_| records)),
                other => Err(paging_error(format!(
                    "the page is not a list of records but {}",
                    kind(&other)
                ))),
            }
        });
        let id_of: IdOf<Value> = match paging.id.clone() {
            Some(field) => Arc::new(move |record: &Value| record.get(&field).and_then(number_of)),
            None => Arc::new(|_: &Value| None),
        };
        Pages::new(Lister::new(
            self.clone(),
            method.to_owned(),
            read_only,
            params,
            paging,
            decode,
            id_of,
        ))
    }
}

fn map_result<A, B>(response: Response<A>, f: impl FnOnce(A) -> B) -> Response<B> {
    Response {
        result: f(response.result),
        time: response.time,
        total: response.total,
        next: response.next,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn order() -> Map<String, Value> {
        let Value::Object(order) = json!({"SORT": "ID", "ORDER": "ASC"}) else {
            unreachable!()
        };
        order
    }

    fn lister(params: Value) -> Lister<Value, AnyErrorCode> {
        let Value::Object(params) = params else {
            unreachable!()
        };
        let client = Client::webhook("https://example.bitrix24.com/rest/1/abc123/").unwrap();
        let paging =
            Paging::new()
                .id("ID")
                .select("select")
                .by_id(ById::new("FILTER", ">ID", order()));
        let decode: Decoder<Value, AnyErrorCode> = Arc::new(|_, _, _| unreachable!());
        Lister::new(
            client,
            "user.get".into(),
            true,
            params,
            paging,
            decode,
            Arc::new(|v: &Value| v.get("ID").and_then(number_of)),
        )
    }

    #[test]
    fn pages_by_id_unless_the_request_orders_or_starts_itself() {
        assert_eq!(lister(json!({})).cursor, Cursor::After(None));
        assert_eq!(
            lister(json!({"FILTER": {"ACTIVE": true}})).cursor,
            Cursor::After(None)
        );
        for own in [
            json!({"sort": "NAME"}),
            json!({"ORDER": "DESC"}),
            json!({"start": 50}),
        ] {
            assert_eq!(lister(own.clone()).cursor, Cursor::Offset(None), "{own}");
        }
    }

    #[test]
    fn a_page_by_id_orders_filters_and_counts_nothing() {
        let l = lister(json!({"FILTER": {"ACTIVE": true}, "select": ["NAME"]}));
        assert_eq!(
            Value::Object(l.by_id_params(None)),
            json!({"FILTER": {"ACTIVE": true}, "select": ["NAME", "ID"], "SORT": "ID",
                   "ORDER": "ASC", "start": -1})
        );
        assert_eq!(
            Value::Object(l.by_id_params(Some(57))),
            json!({"FILTER": {"ACTIVE": true, ">ID": 57}, "select": ["NAME", "ID"],
                   "SORT": "ID", "ORDER": "ASC", "start": -1})
        );
        let l = lister(json!({"FILTER": [], "select": ["*"]}));
        assert_eq!(
            Value::Object(l.by_id_params(Some(3))),
            json!({"FILTER": {">ID": 3}, "select": ["*"], "SORT": "ID", "ORDER": "ASC",
                   "start": -1})
        );
    }

    fn page(ids: &[u64], total: Option<u64>, next: Option<u64>) -> Response<Vec<Value>> {
        Response {
            result: ids.iter().map(|id| json!({"ID": id.to_string()})).collect(),
            time: None,
            total,
            next,
        }
    }

    #[test]
    fn by_id_the_cursor_moves_past_the_last_id_until_a_short_page() {
        let mut l = lister(json!({}));
        let full: Vec<u64> = (1..=50).collect();
        l.turn(page(&full, Some(0), None)).unwrap();
        assert_eq!(l.cursor, Cursor::After(Some(50)));
        l.turn(page(&[51, 70], Some(0), None)).unwrap();
        assert_eq!(l.cursor, Cursor::Done);
        let mut l = lister(json!({}));
        l.cursor = Cursor::After(Some(10));
        let e = l.turn(page(&[11, 9], Some(0), None)).unwrap_err();
        assert!(e.to_string().contains("ascending id order"), "{e}");
    }

    #[test]
    fn by_offset_a_record_seen_before_is_dropped_and_next_must_move_forward() {
        let mut l = lister(json!({"start": 0}));
        let first = l.turn(page(&[1, 2, 3], Some(6), Some(3))).unwrap();
        assert_eq!(first.items.len(), 3);
        assert_eq!(l.cursor, Cursor::Offset(Some(3)));
        // A record inserted in front shifted record 3 onto this page.
        let second = l.turn(page(&[3, 4, 5], Some(7), Some(3))).unwrap();
        assert_eq!(second.items, [json!({"ID": "4"}), json!({"ID": "5"})]);
        assert_eq!(l.cursor, Cursor::Done, "`next` did not move forward");
    }
}
