//! The validated spec model: a typed IR that keeps the key path of every node, so checks that
//! run after parsing can still point at the right line.

use crate::path::KeyPath;

/// One method, read from one spec file.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Path of the spec file as given to the loader (relative to the generating crate).
    pub file: String,
    /// REST method name, e.g. `im.user.get`.
    pub method: String,
    /// Permission scope of the method (`im`, `user`, …); the Cargo feature that compiles it.
    pub scope: String,
    /// Further scopes that also grant the method (`user_brief` and `user_basic` for
    /// `user.get`), in spec order.
    pub other_scopes: Vec<String>,
    /// One-line description in our own words.
    pub summary: String,
    /// Longer description, optional.
    pub description: Option<String>,
    /// Link to the official documentation page.
    pub docs: String,
    /// Who may call the method.
    pub access: String,
    /// The method changes nothing on the portal, so a retry is always safe.
    pub read_only: bool,
    /// A list method: results come 50 at a time, chosen with the `start` parameter, and the
    /// response carries `total` and `next`.
    pub paged: bool,
    /// Where a list method's records are and how they can be paged (`paged: { … }`); all
    /// unset for `paged: true` and for methods that are not paged.
    pub paging: Paging,
    pub params: Vec<Param>,
    /// Groups of parameters of which the method needs at least one each
    /// (`one_of_required: [[MESSAGE, ATTACH]]`), in spec order.
    pub one_of_required: Vec<OneOfGroup>,
    pub result: ResultDef,
    /// Object types defined in this spec.
    pub types: Vec<TypeDef>,
    /// Object types from the set's type libraries (`specs/types/*.yaml`), visible to this
    /// spec by name and generated once, outside the method's module.
    pub shared_types: Vec<TypeDef>,
    /// Named enums from the set's type libraries; references to them are already resolved
    /// into [`TypeKind::Enum`] with [`EnumDef::shared`] set.
    pub shared_enums: Vec<EnumDef>,
    pub errors: Vec<ErrorDef>,
    pub example: Option<Example>,
    /// How the emulator answers the method from its fixture data.
    pub emulator: Option<Emulation>,
}

/// `paged: { items: tasks, id: ID, by_id: { … } }`: what a list method's pages hold beyond a
/// plain list of records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paging {
    /// `items: tasks`: the result is an object and its field of this wire name holds the
    /// records (`crm.item.list` answers `{"items": […]}`); `None`: the result is the list.
    pub items: Option<String>,
    /// `id: ID`: the wire name of the record's field that holds its id, so a record is never
    /// yielded twice and the list can be paged by id.
    pub id: Option<String>,
    /// `by_id:`: the method can page by id instead of by offset.
    pub by_id: Option<ById>,
    pub path: KeyPath,
}

/// `by_id: { filter: FILTER, order: { SORT: ID, ORDER: ASC } }`: the fast way through a big
/// list the documentation recommends: order by id, ask for ids above the last one seen with
/// `start=-1`, so the portal counts no `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct ById {
    /// Wire name of the `filter` parameter that takes the `>ID` condition.
    pub filter: String,
    /// The parameters (wire name and value as sent) that order the list by ascending id.
    pub order: Vec<(String, serde_json::Value)>,
    pub path: KeyPath,
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire, exactly as Bitrix24 spells it (`ID`, `AVATAR_HR`, `filter`).
    pub wire: String,
    /// Rust identifier (snake case, without `r#`): the wire name converted, or `rust_name`.
    pub rust: String,
    pub ty: TypeRef,
    pub required: bool,
    /// Value the portal assumes when the param is absent (documentation only).
    pub default: Option<serde_json::Value>,
    /// Smallest accepted value, for `integer` and `id` params.
    pub min: Option<i64>,
    /// The error the portal answers when the value is out of range or of the wrong type: a
    /// code, or the `rust_name` of an error with an empty code.
    pub invalid: Option<String>,
    pub doc: String,
    pub path: KeyPath,
}

/// A group of `one_of_required`: parameters of which a request must send at least one.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOfGroup {
    /// The parameters' wire names, in spec order, each with the key path that names it.
    pub params: Vec<GroupParam>,
    /// The error code the portal answers when none of them is sent (`invalid:`); without
    /// one, `INVALID_ARG_VALUE`.
    pub invalid: Option<String>,
    /// Where the group is written (`one_of_required[0]`).
    pub path: KeyPath,
}

/// A parameter named in a [`OneOfGroup`].
#[derive(Debug, Clone, PartialEq)]
pub struct GroupParam {
    /// Wire name of the parameter.
    pub wire: String,
    pub path: KeyPath,
}

impl OneOfGroup {
    /// The wire names, in spec order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.params.iter().map(|p| p.wire.as_str())
    }
}

/// The `result` of a successful call.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultDef {
    /// The result's type; with `by_param`, the type of the `otherwise` case (so code that
    /// looks at one shape only sees the default one).
    pub ty: TypeRef,
    pub doc: Option<String>,
    pub path: KeyPath,
    /// The shape of `result` is chosen by the value of a request parameter.
    pub by_param: Option<ResultChoice>,
}

/// `result: { by_param: P, cases: { value: … }, otherwise: … }`: one shape per value of the
/// request parameter `P`, and a shape for every other value (or none).
#[derive(Debug, Clone, PartialEq)]
pub struct ResultChoice {
    /// Wire name of the request parameter that picks the shape.
    pub param: String,
    /// The listed values, in spec order.
    pub cases: Vec<ResultCase>,
    /// The shape for any other value, or for the parameter left out.
    pub otherwise: ResultCase,
    pub path: KeyPath,
}

/// One shape of a parameter-dependent result.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultCase {
    /// The parameter's value in its wire spelling (`array`, `Y`, `5`); `None` for `otherwise`.
    pub when: Option<String>,
    /// Variant name as written in the spec (snake case); the Rust variant is its Pascal case.
    pub variant: String,
    pub ty: TypeRef,
    pub doc: Option<String>,
    pub path: KeyPath,
}

/// A type expression: what a value is on the wire and which quirks it has.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    pub kind: TypeKind,
    /// `false` stands for "no value" (Bitrix24 sends `false` where it means null).
    pub or_false: bool,
    /// `""` stands for "no value".
    pub or_empty: bool,
    /// `null` stands for "no value".
    pub nullable: bool,
    /// `{}` (an empty object) stands for "no value".
    pub or_empty_object: bool,
    /// `[]` (an empty list) stands for "no value".
    pub or_empty_list: bool,
    /// Smallest number of items of an `array` parameter (`min_items`); `None` for no limit.
    pub min_items: Option<usize>,
    pub path: KeyPath,
}

impl Spec {
    /// Every scope that grants the method: `scope`, then `other_scopes`.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.scope.as_str()).chain(self.other_scopes.iter().map(String::as_str))
    }

    /// The declared error a spec refers to by `name` (see [`ErrorDef::reference`]): the error
    /// with that code, else the error identified by its description whose variant it is.
    pub fn find_error(&self, name: &str) -> Option<&ErrorDef> {
        (!name.is_empty())
            .then(|| {
                let coded = self.errors.iter().find(|e| e.code == name);
                coded.or_else(|| self.errors.iter().find(|e| e.reference() == name))
            })
            .flatten()
    }

    /// The object type called `name`: the spec's own, or a shared one.
    pub fn find_type(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .iter()
            .chain(&self.shared_types)
            .find(|t| t.name == name)
    }

    /// The `array` that holds a paged method's records: the result, or the result's field
    /// that `paged: { items: … }` names. `None` for other methods, or when the spec does not
    /// have that shape (which the checks report).
    pub fn list_type(&self) -> Option<&TypeRef> {
        if !self.paged {
            return None;
        }
        let list = match &self.paging.items {
            None => &self.result.ty,
            Some(items) => {
                let TypeKind::Named(name) = &self.result.ty.kind else {
                    return None;
                };
                let field = self
                    .find_type(name)?
                    .fields
                    .iter()
                    .find(|f| &f.wire == items)?;
                &field.ty
            }
        };
        matches!(list.kind, TypeKind::Array(_)).then_some(list)
    }

    /// The `select` parameter over the records of a paged method's list, if it has one.
    pub fn record_select(&self) -> Option<&Param> {
        let TypeKind::Named(record) = &self.record_type()?.kind else {
            return None;
        };
        self.params.iter().find(|p| match &p.ty.kind {
            TypeKind::Array(items) => matches!(
                &items.kind,
                TypeKind::Enum(e) if e.select_of.as_deref() == Some(record.as_str())
            ),
            _ => false,
        })
    }

    /// `>ID`: the key of the `paged: { by_id: { filter } }` parameter that asks for ids above
    /// a value, spelt as the filter spells the id field (`paged: { id }`, in any case).
    pub fn after_key(&self) -> Option<String> {
        let id = self.paging.id.as_deref()?;
        let filter = &self.paging.by_id.as_ref()?.filter;
        let param = self.params.iter().find(|p| &p.wire == filter)?;
        let TypeKind::Filter(def) = &param.ty.kind else {
            return None;
        };
        let field = def
            .fields
            .iter()
            .find(|f| f.wire.eq_ignore_ascii_case(id))?;
        Some(format!(">{}", field.wire))
    }

    /// The type of one record of a paged method's list (see [`Spec::list_type`]).
    pub fn record_type(&self) -> Option<&TypeRef> {
        match &self.list_type()?.kind {
            TypeKind::Array(items) => Some(items),
            _ => None,
        }
    }
}

impl TypeRef {
    /// Whether the Rust type is wrapped in `Option` because of a "no value" marker.
    pub fn has_none(&self) -> bool {
        self.or_false
            || self.or_empty
            || self.nullable
            || self.or_empty_object
            || self.or_empty_list
    }

    /// The "no value" markers the type declares, as JSON: `false`, `""`, `null`, `{}`, `[]`,
    /// in that order, each only where declared.
    pub fn markers(&self) -> impl Iterator<Item = serde_json::Value> {
        use serde_json::{Map, Value};
        [
            (self.or_false, Value::Bool(false)),
            (self.or_empty, Value::String(String::new())),
            (self.nullable, Value::Null),
            (self.or_empty_object, Value::Object(Map::new())),
            (self.or_empty_list, Value::Array(Vec::new())),
        ]
        .into_iter()
        .filter_map(|(declared, marker)| declared.then_some(marker))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// Text.
    String,
    /// Whole number: a JSON number or a numeric string (`"99"`, `"-180"`); sent as a number.
    Integer,
    /// Number with a fraction: a JSON number or a numeric string; sent as a number.
    Number,
    /// Exact decimal (money): a numeric string (`"19999.99"`) or a JSON number; sent as a
    /// string.
    Decimal,
    /// JSON `true`/`false`.
    Boolean,
    /// `"Y"`/`"N"` on the wire, `bool` in Rust.
    Yn,
    /// Identifier that arrives as a number or as a numeric string.
    Id,
    /// ATOM / RFC 3339 date and time (`2026-03-02T09:30:00+01:00`).
    Datetime,
    /// Date and time without offset, `YYYY-MM-DD hh:mm:ss`, in the portal's time zone.
    NaiveDatetime,
    /// `YYYY-MM-DD`.
    Date,
    /// Date and time in the portal's regional display format (`12/11/2024 05:59:00 pm`,
    /// `11.12.2024 17:59:00`, `2024-12-11 17:59:00`); sent in the ISO form.
    DisplayDatetime,
    /// Any JSON, kept as it came.
    Json,
    Array(Box<TypeRef>),
    /// A JSON object used as a dictionary: keys of one kind, values of one type. PHP sends an
    /// empty one as `[]`.
    Map {
        keys: MapKeys,
        values: Box<TypeRef>,
    },
    Enum(EnumDef),
    /// A type from the spec's `types:` section.
    Named(String),
    /// A filter parameter: an object whose keys are field names, each optionally prefixed by
    /// an operator (`>=ID`, `%NAME`, `@ID`).
    Filter(FilterDef),
    /// An order parameter: an object of a record's field names → `ASC`/`DESC`, whose keys are
    /// the sort keys in priority order (`{"TITLE": "ASC", "OPPORTUNITY": "DESC"}`).
    Order(OrderDef),
}

/// The field names and form of a `type: order` parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderDef {
    /// The names a key may have: the enum of the record's field names (`{Of}Field`, with
    /// [`EnumDef::select_of`] set), the one a `select` of the same record uses.
    pub fields: Box<TypeRef>,
    /// The parameter also takes a bare direction (`ASC`/`DESC`), for the field another
    /// parameter names (`user.get`'s `sort` + `order`).
    pub direction: bool,
}

impl OrderDef {
    /// The record type whose field names the keys are.
    pub fn of(&self) -> &str {
        match &self.fields.kind {
            TypeKind::Enum(EnumDef {
                select_of: Some(of),
                ..
            }) => of,
            _ => "",
        }
    }
}

/// The fields and operators of a `type: filter` parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterDef {
    /// Rust name of the generated filter builder (`UserGetFilter`).
    pub name: String,
    pub fields: Vec<FilterField>,
    /// The operator prefixes the method accepts; empty means exact matches only.
    pub operators: Vec<FilterOp>,
    /// Patterns of custom field names the filter also takes (`custom_fields:`), each behind
    /// the same operators as the declared fields.
    pub custom_fields: Vec<FieldPattern>,
    /// The filter takes nested groups (`logic: true`): an integer key holds a group of
    /// conditions, combined by its `logic` key (`AND`, the default, or `OR`).
    pub logic: bool,
}

/// A field a filter may test.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterField {
    /// Field name on the wire, without an operator (`ID`, `UF_DEPARTMENT`).
    pub wire: String,
    /// Rust name of the builder method (snake case, without `r#`).
    pub rust: String,
    /// Type of the compared value; scalar types and enums only.
    pub ty: TypeRef,
    pub doc: Option<String>,
    pub path: KeyPath,
}

/// An operator prefix of a filter key, as Bitrix24 documents it for `user.get`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterOp {
    /// `=`: equal (also what a key without a prefix means).
    Eq,
    /// `!=`: not equal.
    NotEq,
    /// `!`: not equal (a second spelling of `!=`).
    Not,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `@`: one of a list.
    In,
    /// `!@`: none of a list.
    NotIn,
    /// `%`: contains the text.
    Like,
    /// `!%`: does not contain the text.
    NotLike,
    /// `=%`: SQL `LIKE` with the `%` wildcards written in the value.
    Pattern,
    /// `%=`: like `=%`.
    PatternAlt,
    /// `!=%`: SQL `NOT LIKE` with the `%` wildcards written in the value.
    NotPattern,
    /// `!%=`: like `!=%`.
    NotPatternAlt,
}

impl FilterOp {
    /// Every operator, longest prefixes first, so the first match of a key is the right one.
    pub const ALL: [FilterOp; 15] = [
        FilterOp::NotPattern,
        FilterOp::NotPatternAlt,
        FilterOp::NotEq,
        FilterOp::Ge,
        FilterOp::Le,
        FilterOp::NotIn,
        FilterOp::NotLike,
        FilterOp::Pattern,
        FilterOp::PatternAlt,
        FilterOp::Eq,
        FilterOp::Not,
        FilterOp::Gt,
        FilterOp::Lt,
        FilterOp::In,
        FilterOp::Like,
    ];

    /// The prefix as written in front of a field name.
    pub fn prefix(self) -> &'static str {
        match self {
            FilterOp::Eq => "=",
            FilterOp::NotEq => "!=",
            FilterOp::Not => "!",
            FilterOp::Gt => ">",
            FilterOp::Ge => ">=",
            FilterOp::Lt => "<",
            FilterOp::Le => "<=",
            FilterOp::In => "@",
            FilterOp::NotIn => "!@",
            FilterOp::Like => "%",
            FilterOp::NotLike => "!%",
            FilterOp::Pattern => "=%",
            FilterOp::PatternAlt => "%=",
            FilterOp::NotPattern => "!=%",
            FilterOp::NotPatternAlt => "!%=",
        }
    }

    /// The operator written as `prefix`.
    pub fn from_prefix(prefix: &str) -> Option<FilterOp> {
        FilterOp::ALL.into_iter().find(|op| op.prefix() == prefix)
    }

    /// Whether the value is a list (`@`, `!@`).
    pub fn takes_list(self) -> bool {
        matches!(self, FilterOp::In | FilterOp::NotIn)
    }

    /// The operator this one is a second spelling of (`!` of `!=`, `%=` of `=%`, `!%=` of
    /// `!=%`); itself otherwise.
    pub fn canonical(self) -> FilterOp {
        match self {
            FilterOp::Not => FilterOp::NotEq,
            FilterOp::PatternAlt => FilterOp::Pattern,
            FilterOp::NotPatternAlt => FilterOp::NotPattern,
            other => other,
        }
    }
}

impl FilterDef {
    /// Whether the filter accepts `op`, in any of its spellings (a key without a prefix,
    /// equality, is always accepted).
    pub fn accepts(&self, op: FilterOp) -> bool {
        op == FilterOp::Eq
            || self
                .operators
                .iter()
                .any(|o| o.canonical() == op.canonical())
    }

    /// Whether the filter accepts some operators but not all: its Rust builder then takes a
    /// comparison type of its own, `{name}Cmp`, with only those.
    pub fn narrowed(&self) -> bool {
        !self.operators.is_empty() && self.comparisons().len() < 12
    }

    /// The comparisons the filter accepts, one per meaning, equality first; what its Rust
    /// builder offers.
    pub fn comparisons(&self) -> Vec<FilterOp> {
        [
            FilterOp::Eq,
            FilterOp::NotEq,
            FilterOp::Gt,
            FilterOp::Ge,
            FilterOp::Lt,
            FilterOp::Le,
            FilterOp::In,
            FilterOp::NotIn,
            FilterOp::Like,
            FilterOp::NotLike,
            FilterOp::Pattern,
            FilterOp::NotPattern,
        ]
        .into_iter()
        .filter(|op| self.accepts(*op))
        .collect()
    }

    /// For a key naming one of the filter's custom fields (`>=UF_CRM_17`, `UF_CRM_17`): its
    /// operator (`None` for a bare name) and the field's name; `None` when the key names no
    /// custom field. The longest prefix whose rest matches a pattern wins.
    pub fn split_custom_key<'k>(&self, key: &'k str) -> Option<(Option<FilterOp>, &'k str)> {
        if matches_any(&self.custom_fields, key) {
            return Some((None, key));
        }
        FilterOp::ALL.into_iter().find_map(|op| {
            let rest = key.strip_prefix(op.prefix())?;
            matches_any(&self.custom_fields, rest).then_some((Some(op), rest))
        })
    }

    /// Splits a filter key into its operator and field: `>=ID` → (`Some(Ge)`, `ID`). A key
    /// without a prefix gives `None`. The longest prefix whose rest is a declared field wins.
    pub fn split_key<'k>(&self, key: &'k str) -> Option<(Option<FilterOp>, &FilterField, &'k str)> {
        if let Some(field) = self.fields.iter().find(|f| f.wire == key) {
            return Some((None, field, key));
        }
        FilterOp::ALL.into_iter().find_map(|op| {
            let rest = key.strip_prefix(op.prefix())?;
            let field = self.fields.iter().find(|f| f.wire == rest)?;
            Some((Some(op), field, rest))
        })
    }
}

/// What the keys of a `map` are (on the wire they are always object keys, so text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKeys {
    /// Ids: `"5"` read as `5u64`.
    Id,
    /// Whole numbers, possibly negative: `"-1"` read as `-1i64`.
    Integer,
    /// Any text, kept as it is.
    String,
}

impl MapKeys {
    /// The spelling in a spec (`keys: id`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Integer => "integer",
            Self::String => "string",
        }
    }
}

/// A closed set of string values, plus a fallback for values added after the spec was written.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Rust type name; derived from the owner when the spec does not give one.
    pub name: String,
    pub values: Vec<EnumValue>,
    /// The portal accepts (and may send) the values in any letter case: `asc` is `ASC`.
    pub case_insensitive: bool,
    /// Defined once, by name, in a type library (generated in the shared `types` module);
    /// `false` for an enum written inline where it is used.
    pub shared: bool,
    /// What the enum means (named enums of type libraries).
    pub doc: Option<String>,
    /// For the field names of a `type: select` parameter: the record type they name. Such an
    /// enum also accepts the masks `*` and `UF_*`.
    pub select_of: Option<String>,
    /// For a select over a record with custom fields: the record's `custom_fields` patterns,
    /// whose names the select also accepts. Empty for other enums.
    pub custom_fields: Vec<FieldPattern>,
    /// Where the enum is defined (its `type` key, or the library's `types.Name`).
    pub path: KeyPath,
    /// The type library that defines a named enum; empty for other enums.
    pub file: String,
}

impl EnumDef {
    /// The declared value `wire` stands for, honouring `case_insensitive`.
    pub fn find(&self, wire: &str) -> Option<&EnumValue> {
        self.values.iter().find(|v| v.wire == wire).or_else(|| {
            self.case_insensitive
                .then(|| {
                    self.values
                        .iter()
                        .find(|v| v.wire.eq_ignore_ascii_case(wire))
                })
                .flatten()
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// Value on the wire.
    pub wire: String,
    /// Variant name as written in the spec (snake case); the Rust variant is its Pascal case.
    pub name: String,
    pub path: KeyPath,
}

/// An object type from `types:` of a spec or of a type library.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    /// The file that defines it.
    pub file: String,
    pub doc: Option<String>,
    /// An input type (`input: true`): an object a request sends, as a parameter or inside
    /// one. Its fields are optional unless `required`, and it becomes a builder. Otherwise an
    /// output type: an object the portal sends in a result, which becomes a serde struct.
    pub input: bool,
    pub fields: Vec<Field>,
    /// Patterns of the keys kept as custom fields (`custom_fields: ["UF_CRM_*"]`): keys of
    /// the object that match one and are not declared fields. Empty: every undeclared key is
    /// ignored.
    pub custom_fields: Vec<FieldPattern>,
    /// How requests (`select`, `order`, filters) name the fields, where not by their keys.
    pub select_names: SelectNames,
    pub path: KeyPath,
}

impl TypeDef {
    /// Whether `key`, which is not one of the declared fields, is still a key a request may
    /// send in an object of this input type, or an answer may carry in an object of this
    /// output type: a custom field of the portal, matching one of the type's
    /// `custom_fields` patterns.
    ///
    /// This is the one place that decides it (the request check, so the emulator, the
    /// example check and the CLI, asks here).
    pub fn admits_extra_key(&self, key: &str) -> bool {
        matches_any(&self.custom_fields, key)
    }
}

/// A pattern of custom field names: a literal prefix followed by `*` (`UF_CRM_*`), or an
/// exact name (`PARENT_ID_1220`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPattern {
    /// The pattern as written.
    pub pattern: String,
    pub path: KeyPath,
}

impl FieldPattern {
    /// The literal prefix of a `PREFIX*` pattern; `None` for an exact name.
    pub fn prefix(&self) -> Option<&str> {
        self.pattern.strip_suffix('*')
    }

    /// Whether `key` matches: it starts with the prefix and has more after it, or it is the
    /// exact name. Case counts, as it does in the keys of an answer.
    pub fn matches(&self, key: &str) -> bool {
        match self.prefix() {
            Some(prefix) => key.len() > prefix.len() && key.starts_with(prefix),
            None => key == self.pattern,
        }
    }
}

/// Whether any of `patterns` matches `key`.
pub fn matches_any(patterns: &[FieldPattern], key: &str) -> bool {
    patterns.iter().any(|p| p.matches(key))
}

/// A set of a portal's custom fields, from a file of its own (`custom_fields: MyDealFields`
/// at the top, no `method:`): a struct with one typed value per field, read from and written
/// to a record's custom fields.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomFieldSet {
    /// Rust name of the generated struct.
    pub name: String,
    /// The file that defines it.
    pub file: String,
    pub doc: Option<String>,
    pub fields: Vec<CustomFieldDef>,
    /// Where the name is written (`custom_fields`).
    pub path: KeyPath,
}

/// One field of a [`CustomFieldSet`].
#[derive(Debug, Clone, PartialEq)]
pub struct CustomFieldDef {
    /// The field's name on the wire (`UF_CRM_1721244482250`).
    pub wire: String,
    /// Rust name of the struct field (snake case, without `r#`); its typed key is the same
    /// name in upper case.
    pub rust: String,
    pub ty: CustomFieldType,
    /// A multiple field: a list of values.
    pub multiple: bool,
    pub doc: Option<String>,
    pub path: KeyPath,
}

/// What a custom field holds: a value of a spec type, or one of the portal's own kinds of
/// custom field that have no spec type.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomFieldType {
    /// A type of the spec language (`string`, `integer`, `date`, an enum, …); the checks
    /// allow single values only.
    Spec(Box<TypeRef>),
    /// `money`: an amount and a currency, `"100.50|EUR"`.
    Money,
    /// `crm_link`: a link to a CRM record, `"D_12"`.
    CrmLink,
    /// `file`: a file object (`id` and links).
    File,
}

impl CustomFieldType {
    /// The kinds only a custom field set has, by their spelling in a set file.
    pub const OWN: [(&'static str, CustomFieldType); 3] = [
        ("money", CustomFieldType::Money),
        ("crm_link", CustomFieldType::CrmLink),
        ("file", CustomFieldType::File),
    ];

    /// The spec type, when it is one.
    pub fn spec(&self) -> Option<&TypeRef> {
        match self {
            Self::Spec(ty) => Some(ty),
            Self::Money | Self::CrmLink | Self::File => None,
        }
    }

    /// [`spec`](Self::spec), to change it.
    pub fn spec_mut(&mut self) -> Option<&mut TypeRef> {
        match self {
            Self::Spec(ty) => Some(ty),
            Self::Money | Self::CrmLink | Self::File => None,
        }
    }
}

/// The rule that names an object type's fields in requests (`select_names:`), for fields
/// without a `select_as` of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SelectNames {
    /// By their keys in the answer (the default).
    #[default]
    Keys,
    /// The key in upper snake case: `responsibleId` → `RESPONSIBLE_ID` (`tasks.task.*`).
    UpperSnake,
}

impl SelectNames {
    /// The spellings of `select_names:`, with what they mean.
    pub const ALL: [(&'static str, SelectNames); 2] = [
        ("keys", SelectNames::Keys),
        ("upper_snake", SelectNames::UpperSnake),
    ];
}

impl TypeDef {
    /// The name requests use for `field` (one of this type's): its `select_as`, else its key
    /// under the type's `select_names` rule.
    pub fn select_name(&self, field: &Field) -> String {
        match (&field.select_as, self.select_names) {
            (Some(name), _) => name.clone(),
            (None, SelectNames::Keys) => field.wire.clone(),
            (None, SelectNames::UpperSnake) => crate::names::upper_snake_case(&field.wire),
        }
    }

    /// The field a request names `name` (see [`select_name`](Self::select_name)): exactly,
    /// else without regard to ASCII case.
    pub fn field_selected_as(&self, name: &str) -> Option<&Field> {
        let names: Vec<(String, &Field)> = self
            .fields
            .iter()
            .map(|f| (self.select_name(f), f))
            .collect();
        names
            .iter()
            .find(|(n, _)| n == name)
            .or_else(|| names.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)))
            .map(|(_, f)| *f)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Key on the wire.
    pub wire: String,
    /// Rust identifier (snake case, without `r#`): the wire name converted, or `rust_name`.
    pub rust: String,
    pub ty: TypeRef,
    /// The key may be missing from the object (fields of output types).
    pub optional: bool,
    /// The key must be sent (fields of input types, which are optional otherwise): the
    /// builder's `new()` takes it.
    pub required: bool,
    /// The name requests (`select`, `order`, filters) use for the field, where it differs from
    /// the key and from the type's `select_names` rule (`status` of a task is `REAL_STATUS`).
    pub select_as: Option<String>,
    pub doc: Option<String>,
    pub path: KeyPath,
}

/// An error the method documents: by its code, or (code empty) by its description.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorDef {
    /// Code exactly as sent (case kept: `expired_token` stays lower case); empty for an error
    /// identified by its description (an entry under `"":`).
    pub code: String,
    /// Rust variant name: the code in Pascal case, or the spec's `rust_name` (required for an
    /// error identified by its description).
    pub variant: String,
    pub status: Option<u16>,
    pub doc: String,
    /// The `error_description` the portal sends with this error, exactly as documented: the
    /// `message` key, or for an error identified by its description, that description.
    pub message: Option<String>,
    pub path: KeyPath,
}

impl ErrorDef {
    /// For an error whose code is empty, the `error_description` that identifies it (its key
    /// under `"":`); `None` for an error with a code.
    pub fn description(&self) -> Option<&str> {
        if self.code.is_empty() {
            self.message.as_deref()
        } else {
            None
        }
    }

    /// How the spec names the error where it refers to one (`not_found:`, `invalid:`,
    /// `refuse.error`): its code, or for an error identified by its description, its variant.
    pub fn reference(&self) -> &str {
        if self.code.is_empty() {
            &self.variant
        } else {
            &self.code
        }
    }
}

/// A documented request and response, checked against the spec at compile time.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub params: serde_json::Map<String, serde_json::Value>,
    /// The whole response envelope (`result`, `time`, …).
    pub response: serde_json::Value,
}

/// Primitive type names a spec may use, with what they mean (for docs and "did you mean").
pub const PRIMITIVES: &[&str] = &[
    "string",
    "integer",
    "number",
    "decimal",
    "boolean",
    "yn",
    "id",
    "datetime",
    "naive_datetime",
    "display_datetime",
    "date",
    "json",
    "array",
    "map",
    "enum",
    "filter",
    "select",
    "order",
];

pub use crate::emulation::{
    Assign, Condition, Emulation, EmulationKind, Form, Group, IdKey, Join, Match, Refuse, Reply,
    Search, Select, Shape, Source, When, find_error,
};
