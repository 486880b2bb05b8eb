//! The one traversal of the type model.
//!
//! [`TypeRef::children`] says which type expressions sit directly inside another, and
//! [`Spec::type_roots`] where a spec writes type expressions. Every pass that looks below the
//! top of a type (resolution, the checks, the list of generated items, codegen) walks with
//! these, so a new kind of type is taught to all of them in one place: its arm in `children`
//! (the compiler asks for it, as it asks for an arm in each exhaustive `match` over
//! [`TypeKind`] that decides something per kind).

use std::collections::HashSet;

use crate::model::{Field, Param, ResultCase, Spec, TypeDef, TypeKind, TypeRef};

impl TypeRef {
    /// The type expressions directly inside this one: an array's items, a map's values, the
    /// types of a filter's fields, the enum of an order's field names. A named type is a leaf: its fields belong to the
    /// [`TypeDef`] it names (see [`Spec::shared_types_reached`]).
    pub fn children(&self) -> Vec<&TypeRef> {
        match &self.kind {
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
            | TypeKind::Enum(_)
            | TypeKind::Named(_) => Vec::new(),
            TypeKind::Array(items) => vec![items],
            TypeKind::Map { values, .. } => vec![values],
            TypeKind::Filter(filter) => filter.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Order(order) => vec![&order.fields],
        }
    }

    /// [`children`](Self::children), to change them.
    pub fn children_mut(&mut self) -> Vec<&mut TypeRef> {
        match &mut self.kind {
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
            | TypeKind::Enum(_)
            | TypeKind::Named(_) => Vec::new(),
            TypeKind::Array(items) => vec![items],
            TypeKind::Map { values, .. } => vec![values],
            TypeKind::Filter(filter) => filter.fields.iter_mut().map(|f| &mut f.ty).collect(),
            TypeKind::Order(order) => vec![&mut order.fields],
        }
    }

    /// This type and every type inside it, each parent before its children, children in spec
    /// order.
    pub fn walk(&self) -> impl Iterator<Item = &TypeRef> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let ty = stack.pop()?;
            stack.extend(ty.children().into_iter().rev());
            Some(ty)
        })
    }

    /// Calls `visit` on this type and every type inside it in the order of [`walk`](Self::walk);
    /// the children walked are those of the parent as `visit` left it.
    pub fn walk_mut(&mut self, visit: &mut impl FnMut(&mut TypeRef)) {
        visit(self);
        for child in self.children_mut() {
            child.walk_mut(visit);
        }
    }
}

/// Where a spec writes a type expression.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    Param(&'a Param),
    /// A field of one of the spec's own types (or, for a type library, of its types).
    Field(&'a TypeDef, &'a Field),
    /// The result, or one of its shapes chosen by a parameter.
    Result(Option<&'a ResultCase>),
}

impl Spec {
    /// The type expressions the spec writes, each at its top: every parameter's type, every
    /// field's type of the spec's own types, every shape of the result (each `by_param` case
    /// and `otherwise`), in that order. Walk each with [`TypeRef::walk`] to see everything
    /// below; library types the spec names are in [`Spec::shared_types_reached`].
    pub fn type_roots(&self) -> Vec<(Place<'_>, &TypeRef)> {
        let params = self.params.iter().map(|p| (Place::Param(p), &p.ty));
        let fields = self
            .types
            .iter()
            .flat_map(|t| t.fields.iter().map(move |f| (Place::Field(t, f), &f.ty)));
        let result: Vec<(Place<'_>, &TypeRef)> = match &self.result.by_param {
            Some(choice) => choice
                .cases
                .iter()
                .chain([&choice.otherwise])
                .map(|c| (Place::Result(Some(c)), &c.ty))
                .collect(),
            None => vec![(Place::Result(None), &self.result.ty)],
        };
        params.chain(fields).chain(result).collect()
    }

    /// [`type_roots`](Self::type_roots), to change them; with `by_param`, also
    /// [`ResultDef::ty`](crate::ResultDef::ty), the copy of `otherwise`'s type.
    pub fn type_roots_mut(&mut self) -> Vec<&mut TypeRef> {
        let mut out: Vec<&mut TypeRef> = self.params.iter_mut().map(|p| &mut p.ty).collect();
        out.extend(
            self.types
                .iter_mut()
                .flat_map(|t| t.fields.iter_mut().map(|f| &mut f.ty)),
        );
        out.push(&mut self.result.ty);
        if let Some(choice) = &mut self.result.by_param {
            out.extend(
                choice
                    .cases
                    .iter_mut()
                    .chain([&mut choice.otherwise])
                    .map(|c| &mut c.ty),
            );
        }
        out
    }

    /// The type libraries' object types the spec reaches: those it names, and on through
    /// their fields, in the order first reached. A name the spec defines itself is its own.
    pub fn shared_types_reached(&self) -> Vec<&TypeDef> {
        let mut reached: Vec<&TypeDef> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut pending: Vec<&TypeRef> = self.type_roots().into_iter().map(|(_, ty)| ty).collect();
        pending.reverse();
        while let Some(root) = pending.pop() {
            for ty in root.walk() {
                let TypeKind::Named(name) = &ty.kind else {
                    continue;
                };
                if self.types.iter().any(|t| t.name == *name) || !seen.insert(name) {
                    continue;
                }
                if let Some(def) = self.shared_types.iter().find(|t| t.name == *name) {
                    reached.push(def);
                    pending.extend(def.fields.iter().rev().map(|f| &f.ty));
                }
            }
        }
        reached
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnumDef, FilterDef, FilterField, MapKeys, OrderDef};
    use crate::path::KeyPath;

    fn ty(kind: TypeKind, at: &str) -> TypeRef {
        TypeRef::plain(kind, KeyPath::root().key(at))
    }

    fn names(tys: impl IntoIterator<Item = impl std::ops::Deref<Target = TypeRef>>) -> Vec<String> {
        tys.into_iter().map(|t| t.path.to_string()).collect()
    }

    fn enum_def() -> EnumDef {
        EnumDef {
            name: "Kind".into(),
            values: Vec::new(),
            case_insensitive: false,
            shared: false,
            doc: None,
            select_of: None,
            custom_fields: Vec::new(),
            path: KeyPath::root(),
            file: String::new(),
        }
    }

    /// One value of every kind, each holding a distinct child where the kind has children.
    fn every_kind() -> Vec<(TypeRef, Vec<&'static str>)> {
        let field = |wire: &str| FilterField {
            wire: wire.into(),
            rust: wire.to_lowercase(),
            ty: ty(TypeKind::Id, wire),
            doc: None,
            path: KeyPath::root(),
        };
        let kinds = [
            TypeKind::String,
            TypeKind::Integer,
            TypeKind::Number,
            TypeKind::Decimal,
            TypeKind::Boolean,
            TypeKind::Yn,
            TypeKind::Id,
            TypeKind::Datetime,
            TypeKind::NaiveDatetime,
            TypeKind::DisplayDatetime,
            TypeKind::Date,
            TypeKind::Json,
            TypeKind::Array(Box::new(ty(TypeKind::Id, "items"))),
            TypeKind::Map {
                keys: MapKeys::Id,
                values: Box::new(ty(TypeKind::String, "values")),
            },
            TypeKind::Enum(enum_def()),
            TypeKind::Named("Thing".into()),
            TypeKind::Filter(FilterDef {
                name: "Filter".into(),
                fields: vec![field("ID"), field("NAME")],
                operators: Vec::new(),
                custom_fields: Vec::new(),
                logic: false,
            }),
            TypeKind::Order(OrderDef {
                fields: Box::new(ty(TypeKind::Enum(enum_def()), "of")),
                direction: false,
            }),
        ];
        kinds
            .into_iter()
            .map(|kind| {
                // Exhaustive on purpose: a new kind must say here which children it has.
                let children = match &kind {
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
                    | TypeKind::Enum(_)
                    | TypeKind::Named(_) => vec![],
                    TypeKind::Array(_) => vec!["items"],
                    TypeKind::Map { .. } => vec!["values"],
                    TypeKind::Filter(_) => vec!["ID", "NAME"],
                    TypeKind::Order(_) => vec!["of"],
                };
                (ty(kind, "top"), children)
            })
            .collect()
    }

    #[test]
    fn children_are_every_child_of_every_kind() {
        for (mut top, expected) in every_kind() {
            assert_eq!(names(top.children()), expected, "{:?}", top.kind);
            assert_eq!(names(top.children_mut()), expected, "{:?}", top.kind);
            let mut walked = vec!["top"];
            walked.extend(&expected);
            assert_eq!(names(top.walk()), walked, "{:?}", top.kind);
            let mut visited = Vec::new();
            top.walk_mut(&mut |t| visited.push(t.path.to_string()));
            assert_eq!(visited, walked, "{:?}", top.kind);
        }
    }

    #[test]
    fn walks_go_all_the_way_down_parents_first() {
        // array of maps of arrays of enums.
        let inner = ty(
            TypeKind::Array(Box::new(ty(TypeKind::Enum(enum_def()), "enum"))),
            "inner",
        );
        let map = ty(
            TypeKind::Map {
                keys: MapKeys::String,
                values: Box::new(inner),
            },
            "map",
        );
        let mut outer = ty(TypeKind::Array(Box::new(map)), "outer");
        assert_eq!(names(outer.walk()), ["outer", "map", "inner", "enum"]);
        // `walk_mut` walks what the visit leaves: a replaced node's new children.
        outer.walk_mut(&mut |t| {
            if t.path.to_string() == "inner" {
                t.kind = TypeKind::Named("Thing".into());
            }
        });
        assert_eq!(names(outer.walk()), ["outer", "map", "inner"]);
    }

    fn spec(yaml: &str) -> Spec {
        crate::load_str("test.thing.get.yaml", yaml).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn a_spec_lists_params_fields_and_every_result_shape() {
        let mut s = spec(
            "method: test.thing.get
scope: test
summary: Get a thing
docs: https://example.com/x
access: any user
params:
  MODE: { type: string, doc: Mode }
  IDS: { type: array, items: id, doc: Ids }
result:
  by_param: MODE
  cases:
    one: { variant: one, type: Thing }
  otherwise: { variant: many, type: array, items: Thing }
types:
  Thing:
    fields:
      id: id
      kind: { type: enum, values: { a: a } }
",
        );
        let roots: Vec<String> = s
            .type_roots()
            .into_iter()
            .map(|(place, ty)| {
                let place = match place {
                    Place::Param(p) => format!("param {}", p.wire),
                    Place::Field(t, f) => format!("field {}.{}", t.name, f.wire),
                    Place::Result(Some(c)) => format!("case {}", c.variant),
                    Place::Result(None) => "result".to_owned(),
                };
                format!("{place} at {}", ty.path)
            })
            .collect();
        assert_eq!(
            roots,
            [
                "param MODE at params.MODE.type",
                "param IDS at params.IDS.type",
                "field Thing.id at types.Thing.fields.id",
                "field Thing.kind at types.Thing.fields.kind.type",
                "case one at result.cases.one.type",
                "case many at result.otherwise.type",
            ]
        );
        // The mutable roots are the same, and the result's copy of `otherwise`.
        assert_eq!(
            names(s.type_roots_mut()),
            [
                "params.MODE.type",
                "params.IDS.type",
                "types.Thing.fields.id",
                "types.Thing.fields.kind.type",
                "result.otherwise.type",
                "result.cases.one.type",
                "result.otherwise.type",
            ]
        );
    }

    #[test]
    fn library_types_are_reached_through_each_other_once() {
        let set = crate::load_sources(&[
            (
                "types/lib.yaml",
                "types:
  Team: { fields: { lead: Person, members: { type: map, keys: id, values: Person } } }
  Person: { fields: { office: { type: Office, optional: true } } }
  Office: { fields: { city: string } }
  Unused: { fields: { x: string } }
",
            ),
            (
                "test.thing.get.yaml",
                "method: test.thing.get
scope: test
summary: Get a thing
docs: https://example.com/x
access: any user
result: { type: array, items: Own }
types:
  Own: { fields: { team: Team, again: Person } }
",
            ),
        ])
        .unwrap_or_else(|d| panic!("{d:?}"));
        let reached: Vec<&str> = set.specs[0]
            .shared_types_reached()
            .into_iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(reached, ["Team", "Person", "Office"]);
    }
}
