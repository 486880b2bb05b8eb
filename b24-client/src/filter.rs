//! Conditions of typed filters (`FILTER` of `user.get` and the like).
//!
//! A filter parameter is a JSON object whose keys are field names, each optionally behind an
//! operator prefix: `{">=ID": 5, "%NAME": "Jo", "@UF_DEPARTMENT": [1, 2]}`. Generated filter
//! builders take one [`Cmp`] per condition, typed by the field, and write these keys.

use serde_json::Value;

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
