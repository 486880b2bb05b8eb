//! Conditions of typed filters (`FILTER` of `user.get` and the like).
//!
//! A filter parameter is a JSON object whose keys are field names, each optionally behind an
//! operator prefix: `{">=ID": 5, "%NAME": "Jo", "@UF_DEPARTMENT": [1, 2]}`. Generated filter
//! builders take one [`Cmp`] per condition, typed by the field, and write these keys.
//!
//! Filters that take nested groups (`logic: true` in the spec) also hold [`Group`]s: the
//! conditions of a group are combined with `OR` ([`Logic::Or`]) or `AND`, and the group is sent
//! under the next free index: `{"0": {"logic": "OR", "0": {"!=NAME": ""}, "1": {…}}}`.

use serde_json::{Map, Value};

/// One condition on a filter field: how to compare, and with what.
///
/// ```
/// use b24_client::Cmp;
///
/// assert_eq!(Cmp::ge(5).key("ID"), ">=ID");
/// assert_eq!(Cmp::eq(5).key("ID"), "ID");
/// assert_eq!(Cmp::one_of([1, 2]).key("ID"), "@ID");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Cmp<T> {
    /// Equal; sent as the bare field name (`ID`).
    Eq(T),
    /// Not equal: `!=ID`.
    Ne(T),
    /// Greater than: `>ID`.
    Gt(T),
    /// Greater than or equal: `>=ID`.
    Ge(T),
    /// Less than: `<ID`.
    Lt(T),
    /// Less than or equal: `<=ID`.
    Le(T),
    /// One of the values: `@ID` with a list.
    In(Vec<T>),
    /// None of the values: `!@ID` with a list.
    NotIn(Vec<T>),
    /// Contains the text anywhere: `%NAME` (no wildcards in the value).
    Like(T),
    /// Does not contain the text: `!%NAME`.
    NotLike(T),
    /// SQL `LIKE` with `%` wildcards written in the value (`"Jo%"`): `=%NAME`.
    Pattern(T),
    /// SQL `NOT LIKE` with `%` wildcards written in the value: `!=%NAME`.
    NotPattern(T),
}

impl<T> Cmp<T> {
    /// Equal to `value`.
    pub fn eq(value: T) -> Self {
        Self::Eq(value)
    }
    /// Not equal to `value`.
    pub fn ne(value: T) -> Self {
        Self::Ne(value)
    }
    /// Greater than `value`.
    pub fn gt(value: T) -> Self {
        Self::Gt(value)
    }
    /// Greater than or equal to `value`.
    pub fn ge(value: T) -> Self {
        Self::Ge(value)
    }
    /// Less than `value`.
    pub fn lt(value: T) -> Self {
        Self::Lt(value)
    }
    /// Less than or equal to `value`.
    pub fn le(value: T) -> Self {
        Self::Le(value)
    }
    /// Equal to one of `values`.
    pub fn one_of(values: impl IntoIterator<Item = T>) -> Self {
        Self::In(values.into_iter().collect())
    }
    /// Equal to none of `values`.
    pub fn none_of(values: impl IntoIterator<Item = T>) -> Self {
        Self::NotIn(values.into_iter().collect())
    }
    /// Contains `text` (the portal adds the wildcards).
    pub fn like(text: T) -> Self {
        Self::Like(text)
    }
    /// Does not contain `text`.
    pub fn not_like(text: T) -> Self {
        Self::NotLike(text)
    }
    /// Matches `pattern`, in which `%` stands for any text: `"Jo%"` starts with "Jo".
    pub fn pattern(pattern: T) -> Self {
        Self::Pattern(pattern)
    }
    /// Does not match `pattern` (with `%` wildcards).
    pub fn not_pattern(pattern: T) -> Self {
        Self::NotPattern(pattern)
    }

    /// The operator prefix on the wire; empty for [`Cmp::Eq`].
    pub fn prefix(&self) -> &'static str {
        match self {
            Self::Eq(_) => "",
            Self::Ne(_) => "!=",
            Self::Gt(_) => ">",
            Self::Ge(_) => ">=",
            Self::Lt(_) => "<",
            Self::Le(_) => "<=",
            Self::In(_) => "@",
            Self::NotIn(_) => "!@",
            Self::Like(_) => "%",
            Self::NotLike(_) => "!%",
            Self::Pattern(_) => "=%",
            Self::NotPattern(_) => "!=%",
        }
    }

    /// The filter key for `field`: the prefix, then the field name.
    pub fn key(&self, field: &str) -> String {
        format!("{}{field}", self.prefix())
    }

    /// The same condition with the value(s) converted, e.g. `&str` to `String`.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Cmp<U> {
        match self {
            Self::Eq(v) => Cmp::Eq(f(v)),
            Self::Ne(v) => Cmp::Ne(f(v)),
            Self::Gt(v) => Cmp::Gt(f(v)),
            Self::Ge(v) => Cmp::Ge(f(v)),
            Self::Lt(v) => Cmp::Lt(f(v)),
            Self::Le(v) => Cmp::Le(f(v)),
            Self::In(vs) => Cmp::In(vs.into_iter().map(f).collect()),
            Self::NotIn(vs) => Cmp::NotIn(vs.into_iter().map(f).collect()),
            Self::Like(v) => Cmp::Like(f(v)),
            Self::NotLike(v) => Cmp::NotLike(f(v)),
            Self::Pattern(v) => Cmp::Pattern(f(v)),
            Self::NotPattern(v) => Cmp::NotPattern(f(v)),
        }
    }

    /// The value on the wire, each item written by `encode`: a list for `@`/`!@`.
    pub fn encode(&self, encode: impl Fn(&T) -> Value) -> Value {
        match self {
            Self::In(vs) | Self::NotIn(vs) => Value::Array(vs.iter().map(encode).collect()),
            Self::Eq(v)
            | Self::Ne(v)
            | Self::Gt(v)
            | Self::Ge(v)
            | Self::Lt(v)
            | Self::Le(v)
            | Self::Like(v)
            | Self::NotLike(v)
            | Self::Pattern(v)
            | Self::NotPattern(v) => encode(v),
        }
    }
}

/// How the members of a [`Group`] are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Logic {
    /// Every member holds: `AND`.
    And,
    /// At least one member holds: `OR`.
    Or,
}

impl Logic {
    /// The value of the group's `logic` key: `AND` or `OR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::And => "AND",
            Self::Or => "OR",
        }
    }
}

/// A nested group of a filter `F`: every condition (and every group) added to `filter` is one
/// member, combined with the others by `logic`.
///
/// ```
/// use b24_client::{Group, Logic};
/// use serde_json::{Value, json};
///
/// // A filter's members as its generated code lists them: conditions, then groups by index.
/// let members = |names: &Vec<&str>| -> Vec<(String, Value)> {
///     names.iter().map(|n| (format!("!={n}"), json!(""))).collect()
/// };
/// let group = Group { logic: Logic::Or, filter: vec!["NAME", "LAST_NAME"] };
/// assert_eq!(
///     group.encode(members),
///     Some(json!({"logic": "OR", "0": {"!=NAME": ""}, "1": {"!=LAST_NAME": ""}}))
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Group<F> {
    /// How the members are combined.
    pub logic: Logic,
    /// The members: its conditions and its own groups.
    pub filter: F,
}

impl<F> Group<F> {
    /// The group on the wire: `{"logic": "OR", "0": {…}, "1": {…}}`, numbered in order. Its
    /// members are what `members` lists for the filter: each condition (a filter key and its
    /// value) in an object of its own, so two on one key stay two, and each nested group
    /// (listed under its index) as it is. `None` when the group has no member: it would keep
    /// every record, so it is not sent.
    pub fn encode(&self, members: impl Fn(&F) -> Vec<(String, Value)>) -> Option<Value> {
        let members = members(&self.filter);
        if members.is_empty() {
            return None;
        }
        let mut out = Map::new();
        out.insert("logic".to_owned(), Value::from(self.logic.as_str()));
        for (i, (key, value)) in members.into_iter().enumerate() {
            // A filter writes its own groups under their indices, conditions under field keys.
            let member = if is_index(&key) {
                value
            } else {
                Value::Object(Map::from_iter([(key, value)]))
            };
            out.insert(i.to_string(), member);
        }
        Some(Value::Object(out))
    }
}

/// Whether a filter key is the index of a nested group rather than a (prefixed) field name.
fn is_index(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn groups_number_their_members_and_keep_nested_groups() {
        let listed = |members: &Vec<(&str, Value)>| -> Vec<(String, Value)> {
            members
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect()
        };
        let inner = Group {
            logic: Logic::And,
            filter: vec![(">=ID", json!(5)), ("<=ID", json!(9))],
        }
        .encode(listed)
        .unwrap();
        let outer = Group {
            logic: Logic::Or,
            filter: vec![("ID", json!(1)), ("ID", json!(2)), ("0", inner)],
        };
        assert_eq!(
            serde_json::to_string(&outer.encode(listed).unwrap()).unwrap(),
            r#"{"logic":"OR","0":{"ID":1},"1":{"ID":2},"2":{"logic":"AND","0":{">=ID":5},"1":{"<=ID":9}}}"#
        );
        let empty = Group {
            logic: Logic::Or,
            filter: Vec::new(),
        };
        assert_eq!(empty.encode(listed), None);
    }

    #[test]
    fn keys_carry_the_documented_prefixes() {
        let keys: Vec<String> = [
            Cmp::eq(1),
            Cmp::ne(1),
            Cmp::gt(1),
            Cmp::ge(1),
            Cmp::lt(1),
            Cmp::le(1),
            Cmp::one_of([1]),
            Cmp::none_of([1]),
            Cmp::like(1),
            Cmp::not_like(1),
            Cmp::pattern(1),
            Cmp::not_pattern(1),
        ]
        .iter()
        .map(|c| c.key("ID"))
        .collect();
        assert_eq!(
            keys,
            [
                "ID", "!=ID", ">ID", ">=ID", "<ID", "<=ID", "@ID", "!@ID", "%ID", "!%ID", "=%ID",
                "!=%ID"
            ]
        );
    }

    #[test]
    fn lists_are_sent_as_arrays_of_encoded_items() {
        let yn = |b: &bool| Value::from(if *b { "Y" } else { "N" });
        assert_eq!(Cmp::one_of([true, false]).encode(yn), json!(["Y", "N"]));
        assert_eq!(Cmp::ne(true).encode(yn), json!("Y"));
        let names: Cmp<String> = Cmp::like("Jo").map(Into::into);
        assert_eq!(names, Cmp::Like("Jo".to_owned()));
    }
}
