//! The Rust items the generator emits, listed once: for each method, the items of its module
//! in the order they are generated, and for a spec set, the items of the shared module of
//! its type libraries. Each item has its Rust name, what it is and the place in a spec that
//! defines it (or that it is generated for).
//!
//! The name checks read these lists (two items of one module may not share a name, and each
//! name must be usable), and codegen emits exactly these items under exactly these names, so
//! a name is made in one place. Names written in the model (a type's, an enum's `name:`, a
//! filter's) are read from it; names made from other names (`{Method}Request`, `{Filter}Cmp`,
//! the module) are made here.

use std::collections::BTreeSet;

use crate::model::{
    CustomFieldSet, EnumDef, FilterDef, Param, ResultChoice, Spec, TypeDef, TypeKind, TypeRef,
};
use crate::names::{pascal_case, snake_case};
use crate::path::KeyPath;
use crate::walk::Place;

/// A Rust item the generator emits.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    /// The Rust name.
    pub name: String,
    pub def: Def<'a>,
    /// The file that defines it: a method spec or a type library.
    pub file: &'a str,
    /// Where in `file`: the key that names it, or the key it is generated for.
    pub path: KeyPath,
    /// Generated in the shared module of the type libraries, not in a method's.
    pub shared: bool,
}

/// What an item is, with the part of the model it is generated from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Def<'a> {
    /// The request type and its builder (`{Method}Request`).
    Request,
    /// The call builder (`{Method}Call`).
    Call,
    /// The error enum (`{Method}Error`).
    Error,
    /// The enum of a result whose shape a parameter chooses (`{Method}Result`).
    ResultChoice(&'a ResultChoice),
    /// An output object type of `types:`, a spec's or a type library's: a serde struct.
    Object(&'a TypeDef),
    /// An input object type (`input: true`): the builder a request sends it with.
    Input(&'a TypeDef),
    /// An enum: written inline, a type library's named enum, or a select's field names.
    Enum(&'a EnumDef),
    /// A filter builder, with the parameter it is written under (`None` elsewhere, which the
    /// checks refuse).
    Filter(&'a FilterDef, Option<&'a Param>),
    /// The comparisons of a filter that accepts only some operators (`{Filter}Cmp`).
    FilterCmp(&'a FilterDef),
    /// A custom field set, from a set file of its own (`custom_fields: MyDealFields`).
    CustomFieldSet(&'a CustomFieldSet),
}

/// The items of one method.
#[derive(Debug)]
pub(crate) struct MethodItems<'a> {
    /// The method's module, in the generating crate's root (also the client method's name).
    pub module: String,
    /// The items defined in the module, in the order they are generated: request, call, the
    /// spec's object types (structs and input builders), its enums, its filters (each narrowed one after its comparisons),
    /// the result's enum, the error enum.
    pub own: Vec<Item<'a>>,
    /// Enums this spec adds to the shared module: the field names of its selects over a
    /// library's record, once per record.
    pub shared_selects: Vec<Item<'a>>,
    /// Names of the shared module's items the method uses, re-exported into its module: the
    /// library types it reaches and every enum inside them, the named enums and library
    /// selects it uses; sorted.
    pub reexports: Vec<String>,
}

/// The module of a method: its name in snake case (`im.user.get` → `im_user_get`).
pub(crate) fn module_name(method: &str) -> String {
    snake_case(method)
}

/// The items generated for `spec`.
pub(crate) fn method(spec: &Spec) -> MethodItems<'_> {
    let file = spec.file.as_str();
    let base = pascal_case(&spec.method);
    let at_method = KeyPath::root().key("method");
    let fixed = |suffix: &str, def| Item {
        name: format!("{base}{suffix}"),
        def,
        file,
        path: at_method.clone(),
        shared: false,
    };
    let objects = spec.types.iter().map(|t| object(t, false));
    let mut enums: Vec<Item<'_>> = Vec::new();
    let mut filters: Vec<Item<'_>> = Vec::new();
    let mut shared_selects: Vec<Item<'_>> = Vec::new();
    let mut reexports = BTreeSet::new();
    for (place, root) in spec.type_roots() {
        for ty in root.walk() {
            match &ty.kind {
                TypeKind::Enum(e) => {
                    let item = || Item {
                        name: e.name.clone(),
                        def: Def::Enum(e),
                        file,
                        path: e.path.clone(),
                        shared: e.shared,
                    };
                    let list = match (e.shared, e.select_of.is_some()) {
                        // A named enum of a type library: defined there.
                        (true, false) => None,
                        (true, true) => Some(&mut shared_selects),
                        (false, _) => Some(&mut enums),
                    };
                    if e.shared {
                        reexports.insert(e.name.clone());
                    }
                    // Two selects over one record share its enum.
                    if let Some(list) = list
                        && !(e.select_of.is_some() && list.iter().any(|i| i.name == e.name))
                    {
                        list.push(item());
                    }
                }
                TypeKind::Filter(f) => {
                    let param = match place {
                        Place::Param(p) => Some(p),
                        Place::Field(..) | Place::Result(_) => None,
                    };
                    if let Some(name) = cmp_name(f) {
                        filters.push(Item {
                            name,
                            def: Def::FilterCmp(f),
                            file,
                            path: ty.path.clone(),
                            shared: false,
                        });
                    }
                    filters.push(Item {
                        name: f.name.clone(),
                        def: Def::Filter(f, param),
                        file,
                        path: ty.path.clone(),
                        shared: false,
                    });
                }
                TypeKind::String
                | TypeKind::Integer
                | TypeKind::Number
                | TypeKind::Decimal
                | TypeKind::Boolean
                | TypeKind::Yn
                | TypeKind::Id
                | TypeKind::Datetime
                | TypeKind::NaiveDatetime
                | TypeKind::DisplayDatetime
                | TypeKind::Date
                | TypeKind::Json
                | TypeKind::Array(_)
                | TypeKind::Map { .. }
                | TypeKind::Named(_)
                // The enum of its record's field names is its child, listed as any select's.
                | TypeKind::Order(_) => {}
            }
        }
    }
    for t in spec.shared_types_reached() {
        reexports.insert(t.name.clone());
        for ty in t.fields.iter().flat_map(|f| f.ty.walk()) {
            if let TypeKind::Enum(e) = &ty.kind {
                reexports.insert(e.name.clone());
            }
        }
    }
    let result = spec.result.by_param.as_ref().map(|choice| Item {
        name: format!("{base}Result"),
        def: Def::ResultChoice(choice),
        file,
        path: choice.path.clone(),
        shared: false,
    });
    let mut own = vec![fixed("Request", Def::Request), fixed("Call", Def::Call)];
    own.extend(objects);
    own.extend(enums);
    own.extend(filters);
    own.extend(result);
    own.push(fixed("Error", Def::Error));
    MethodItems {
        module: module_name(&spec.method),
        own,
        shared_selects,
        reexports: reexports.into_iter().collect(),
    }
}

/// The item of an object type of `types:`: its struct, or for an input type its builder,
/// under the type's own name.
fn object(t: &TypeDef, shared: bool) -> Item<'_> {
    Item {
        name: t.name.clone(),
        def: if t.input {
            Def::Input(t)
        } else {
            Def::Object(t)
        },
        file: &t.file,
        path: t.path.clone(),
        shared,
    }
}

/// The name of the comparisons type of a filter that accepts some operators but not all
/// (`{Filter}Cmp`); `None` when it uses the runtime's `Cmp` or takes plain values.
fn cmp_name(filter: &FilterDef) -> Option<String> {
    filter.narrowed().then(|| format!("{}Cmp", filter.name))
}

impl<'a> MethodItems<'a> {
    fn name_of(&self, pick: impl Fn(&Def<'a>) -> bool) -> &str {
        self.own
            .iter()
            .find(|i| pick(&i.def))
            .map_or("", |i| i.name.as_str())
    }

    /// `{Method}Request`.
    pub fn request(&self) -> &str {
        self.name_of(|d| matches!(d, Def::Request))
    }

    /// `{Method}Call`.
    pub fn call(&self) -> &str {
        self.name_of(|d| matches!(d, Def::Call))
    }

    /// `{Method}Error`.
    pub fn error(&self) -> &str {
        self.name_of(|d| matches!(d, Def::Error))
    }

    /// `{Method}Result`, the enum of a result chosen by a parameter; empty without one.
    pub fn result(&self) -> &str {
        self.name_of(|d| matches!(d, Def::ResultChoice(_)))
    }

    /// The comparisons type of `filter`, when it has its own.
    pub fn cmp_of(&self, filter: &FilterDef) -> Option<&str> {
        self.own.iter().find_map(|i| match i.def {
            Def::FilterCmp(f) if std::ptr::eq(f, filter) => Some(i.name.as_str()),
            _ => None,
        })
    }
}

/// The items of the shared module of a spec set, in the order they are generated: the type
/// libraries' object types, the enums written inside them, their named enums, the custom
/// field sets each followed by the enums written inside it, then the field names of the
/// selects of `specs` over library records (once per record, where first written).
pub(crate) fn shared<'a>(
    types: &'a [TypeDef],
    enums: &'a [EnumDef],
    sets: &'a [CustomFieldSet],
    specs: impl IntoIterator<Item = &'a Spec>,
) -> Vec<Item<'a>> {
    let mut out: Vec<Item<'a>> = types.iter().map(|t| object(t, true)).collect();
    for t in types {
        for ty in t.fields.iter().flat_map(|f| f.ty.walk()) {
            // Named enums are listed once below, not where they are used.
            if let TypeKind::Enum(e) = &ty.kind
                && !e.shared
            {
                out.push(Item {
                    name: e.name.clone(),
                    def: Def::Enum(e),
                    file: &t.file,
                    path: e.path.clone(),
                    shared: true,
                });
            }
        }
    }
    out.extend(enums.iter().map(|e| Item {
        name: e.name.clone(),
        def: Def::Enum(e),
        file: &e.file,
        path: e.path.clone(),
        shared: true,
    }));
    for set in sets {
        out.push(Item {
            name: set.name.clone(),
            def: Def::CustomFieldSet(set),
            file: &set.file,
            path: set.path.clone(),
            shared: true,
        });
        let types = set.fields.iter().filter_map(|f| f.ty.spec());
        for ty in types.flat_map(TypeRef::walk) {
            if let TypeKind::Enum(e) = &ty.kind
                && !e.shared
            {
                out.push(Item {
                    name: e.name.clone(),
                    def: Def::Enum(e),
                    file: &set.file,
                    path: e.path.clone(),
                    shared: true,
                });
            }
        }
    }
    for spec in specs {
        for select in method(spec).shared_selects {
            if !out.iter().any(|i| i.name == select.name) {
                out.push(select);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> crate::SpecSet {
        crate::load_sources(files).unwrap_or_else(|d| panic!("{d:?}"))
    }

    const LIBRARY: &str = "types:
  Gender: { type: enum, values: { M: male, F: female } }
  Person:
    fields:
      id: id
      kind: { type: enum, values: { a: a } }
      by_day: { type: map, keys: string, values: Gender }
  Unused: { fields: { x: string } }
";

    const SPEC: &str = "method: test.thing.list
scope: test
summary: List things
docs: https://example.com/x
access: any user
params:
  MODE: { type: enum, values: { a: a, b: b }, doc: Mode }
  FILTER:
    type: filter
    operators: ['>=']
    fields: { ID: id, STATE: { type: enum, values: { x: x } } }
    doc: Filter
  select: { type: select, of: Person, doc: Fields }
  again: { type: select, of: Person, doc: The same fields }
  own: { type: select, of: Thing, doc: Own fields }
  sorted: { type: order, of: Person, doc: Ordered by person fields }
  by: { type: order, of: Thing, direction: true, doc: Ordered by own fields }
result:
  by_param: MODE
  cases:
    a: { variant: people, type: array, items: Person }
  otherwise: { variant: things, type: map, keys: id, values: { type: array, items: Thing } }
types:
  Thing:
    fields:
      id: id
      mood: { type: map, keys: string, values: { type: enum, values: { ok: ok } } }
";

    #[test]
    fn a_method_lists_its_items_in_generation_order() {
        let set = set(&[("types/lib.yaml", LIBRARY), ("test.thing.list.yaml", SPEC)]);
        let items = method(&set.specs[0]);
        assert_eq!(items.module, "test_thing_list");
        let own: Vec<(String, String)> = items
            .own
            .iter()
            .map(|i| (i.name.clone(), i.path.to_string()))
            .collect();
        let expected = [
            ("TestThingListRequest", "method"),
            ("TestThingListCall", "method"),
            ("Thing", "types.Thing"),
            ("Mode", "params.MODE.type"),
            (
                "TestThingListFilterState",
                "params.FILTER.fields.STATE.type",
            ),
            ("ThingField", "params.own.of"),
            ("ThingMoodValue", "types.Thing.fields.mood.values.type"),
            ("TestThingListFilterCmp", "params.FILTER.type"),
            ("TestThingListFilter", "params.FILTER.type"),
            ("TestThingListResult", "result.by_param"),
            ("TestThingListError", "method"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(n, p)| (n.to_string(), p.to_string()))
            .collect();
        assert_eq!(own, expected);
        assert_eq!(
            (items.request(), items.call(), items.error(), items.result()),
            (
                "TestThingListRequest",
                "TestThingListCall",
                "TestThingListError",
                "TestThingListResult"
            )
        );
        // One select enum for the two selects of `Person`, in the shared module.
        let selects: Vec<&str> = items
            .shared_selects
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(selects, ["PersonField"]);
        // `Person` is reached from a result case, and with it the enums of its fields.
        assert_eq!(
            items.reexports,
            ["Gender", "Person", "PersonField", "PersonKind"]
        );
    }

    const SET: &str = "custom_fields: MyThingFields
fields:
  UF_CRM_1: { type: enum, values: { \"45\": red }, rust_name: colour }
  UF_CRM_2: { type: Gender, rust_name: gender }
  UF_CRM_3: money
";

    #[test]
    fn a_custom_field_set_and_its_inline_enums_are_shared_items() {
        let set = set(&[
            ("types/lib.yaml", LIBRARY),
            ("my/things.yaml", SET),
            ("test.thing.list.yaml", SPEC),
        ]);
        assert_eq!(set.sets.len(), 1);
        // The named enum `Gender` is the library's, resolved where the set names it.
        let gender = set.sets[0].fields[1].ty.spec().unwrap();
        assert!(matches!(&gender.kind, TypeKind::Enum(e) if e.shared && e.name == "Gender"));
        let items = shared(&set.shared, &set.shared_enums, &set.sets, &set.specs);
        let names: Vec<(&str, &str)> = items.iter().map(|i| (i.name.as_str(), i.file)).collect();
        assert_eq!(
            names,
            [
                ("Person", "types/lib.yaml"),
                ("Unused", "types/lib.yaml"),
                ("PersonKind", "types/lib.yaml"),
                ("Gender", "types/lib.yaml"),
                ("MyThingFields", "my/things.yaml"),
                ("MyThingFieldsColour", "my/things.yaml"),
                ("PersonField", "test.thing.list.yaml"),
            ]
        );
    }

    #[test]
    fn an_order_names_its_records_field_enum_like_a_select() {
        let spec = "method: test.thing.list
scope: test
summary: List things
docs: https://example.com/x
access: any user
params:
  order: { type: order, of: Thing, doc: Order }
  people: { type: order, of: Person, doc: Order }
result: { type: array, items: Thing }
types:
  Thing: { fields: { id: id } }
";
        let set = set(&[("types/lib.yaml", LIBRARY), ("test.thing.list.yaml", spec)]);
        let items = method(&set.specs[0]);
        let own: Vec<(&str, String)> = items
            .own
            .iter()
            .map(|i| (i.name.as_str(), i.path.to_string()))
            .collect();
        assert!(
            own.contains(&("ThingField", "params.order.of".to_owned())),
            "{own:?}"
        );
        let selects: Vec<&str> = items
            .shared_selects
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(selects, ["PersonField"]);
        assert!(items.reexports.contains(&"PersonField".to_owned()));
    }

    #[test]
    fn the_shared_module_lists_library_items_then_selects() {
        let set = set(&[("types/lib.yaml", LIBRARY), ("test.thing.list.yaml", SPEC)]);
        let items = shared(&set.shared, &set.shared_enums, &set.sets, &set.specs);
        let names: Vec<(&str, &str)> = items.iter().map(|i| (i.name.as_str(), i.file)).collect();
        assert_eq!(
            names,
            [
                ("Person", "types/lib.yaml"),
                ("Unused", "types/lib.yaml"),
                ("PersonKind", "types/lib.yaml"),
                ("Gender", "types/lib.yaml"),
                ("PersonField", "test.thing.list.yaml"),
            ]
        );
    }

    #[test]
    fn an_input_type_is_its_builder_in_the_module_that_defines_it() {
        let set = set(&[
            (
                "types/lib.yaml",
                "types:\n  Phone: { input: true, fields: { VALUE: string } }\n",
            ),
            (
                "test.thing.add.yaml",
                "method: test.thing.add
scope: test
summary: Add a thing
docs: https://example.com/x
access: any user
params:
  FIELDS: { type: ThingFields, doc: Fields }
result: id
types:
  ThingFields:
    input: true
    fields:
      PHONE: { type: array, items: Phone }
      KIND: { type: enum, values: { a: a } }
",
            ),
        ]);
        let items = method(&set.specs[0]);
        let own: Vec<(&str, bool)> = items
            .own
            .iter()
            .map(|i| (i.name.as_str(), matches!(i.def, Def::Input(_))))
            .collect();
        assert_eq!(
            own,
            [
                ("TestThingAddRequest", false),
                ("TestThingAddCall", false),
                ("ThingFields", true),
                ("ThingFieldsKind", false),
                ("TestThingAddError", false),
            ]
        );
        assert_eq!(items.reexports, ["Phone"]);
        let shared = shared(&set.shared, &set.shared_enums, &set.sets, &set.specs);
        assert!(matches!(shared[0].def, Def::Input(t) if t.name == "Phone"));
    }
}
