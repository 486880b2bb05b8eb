//! Loader and checks: every problem is reported, located and explained.

use b24_spec::{Diagnostic, Position, TypeKind, load_str};

const MINIMAL: &str = "\
method: im.thing.get
scope: im
summary: Get a thing
docs: https://apidocs.bitrix24.com/x.html
access: any user
result: { type: Thing }
types:
  Thing:
    fields:
      id: { type: id }
";

fn errors(src: &str) -> Vec<Diagnostic> {
    load_str("specs/im.thing.get.yaml", src).expect_err("spec should be rejected")
}

fn at(d: &Diagnostic) -> (usize, usize) {
    let Position { line, column } = d.position.expect("located");
    (line, column)
}

#[test]
fn a_minimal_spec_loads() {
    let spec = load_str("specs/im.thing.get.yaml", MINIMAL).unwrap();
    assert_eq!(spec.method, "im.thing.get");
    assert!(matches!(spec.result.ty.kind, TypeKind::Named(ref n) if n == "Thing"));
    assert_eq!(spec.types[0].fields[0].rust, "id");
}

#[test]
fn the_shipped_spec_loads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let set = b24_spec::load_path(root, "specs").unwrap();
    let spec = set
        .specs
        .iter()
        .find(|s| s.method == "im.user.get")
        .unwrap();
    assert_eq!(spec.file, "specs/im/im.user.get.yaml");
    assert_eq!(
        spec.params
            .iter()
            .map(|p| p.rust.as_str())
            .collect::<Vec<_>>(),
        ["id", "avatar_hr"]
    );
    // `User` and `Phones` live in the messenger type library, shared with other methods.
    let phones = spec
        .shared_types
        .iter()
        .find(|t| t.name == "Phones")
        .unwrap();
    assert_eq!(phones.file, "specs/types/im.yaml");
}

#[test]
fn unknown_keys_are_located_at_the_key_with_a_suggestion() {
    let src = MINIMAL.replace(
        "      id: { type: id }",
        "      id: { type: id, optinal: true }",
    );
    let e = errors(&src);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].key_path.to_string(), "types.Thing.fields.id.optinal");
    assert_eq!(at(&e[0]), (10, 23));
    assert_eq!(e[0].help.as_deref(), Some("did you mean `optional`?"));
    assert_eq!(
        e[0].to_string(),
        "specs/im.thing.get.yaml:10:23: `types.Thing.fields.id.optinal`: unknown key `optinal`\n  help: did you mean `optional`?"
    );
}

#[test]
fn unknown_types_suggest_the_closest_name() {
    let e = errors(&MINIMAL.replace("type: id }", "type: integr }"));
    assert_eq!(e[0].key_path.to_string(), "types.Thing.fields.id.type");
    assert_eq!(at(&e[0]), (10, 19));
    assert_eq!(e[0].help.as_deref(), Some("did you mean `integer`?"));
    let e = errors(&MINIMAL.replace("result: { type: Thing }", "result: { type: Thng }"));
    assert_eq!(e[0].message, "unknown type `Thng`");
    assert_eq!(e[0].help.as_deref(), Some("did you mean `Thing`?"));
}

#[test]
fn every_problem_of_a_spec_is_reported_at_once() {
    let src = MINIMAL
        .replace("scope: im\n", "")
        .replace("type: id }", "type: id, doc: [not, text] }")
        .replace("summary: Get a thing", "summary: Get a thing\nparms: {}");
    let e = errors(&src);
    let messages: Vec<_> = e.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(e.len(), 3, "{messages:?}");
    assert!(messages.contains(&"missing required key `scope` in the spec"));
    assert!(messages.contains(&"unknown key `parms`"));
    assert!(messages.contains(&"expected a string, found a list"));
}

#[test]
fn duplicate_keys_anywhere_are_errors() {
    let src = MINIMAL.replace(
        "      id: { type: id }",
        "      id: { type: id }\n      id: { type: string }",
    );
    let e = errors(&src);
    assert_eq!(e[0].key_path.to_string(), "types.Thing.fields.id");
    assert_eq!(at(&e[0]), (11, 7));
    assert!(
        e[0].message.contains("first defined at line 10, column 7"),
        "{}",
        e[0].message
    );
}

#[test]
fn names_that_collide_after_case_conversion_are_errors() {
    let src = format!(
        "{MINIMAL}params:\n  AVATAR_HR: {{ type: yn, doc: a }}\n  avatar_hr: {{ type: yn, doc: b }}\n"
    );
    let e = errors(&src);
    assert_eq!(
        e[0].message,
        "parameters `AVATAR_HR` and `avatar_hr` both become the Rust name `avatar_hr`"
    );
    assert_eq!(e[0].key_path.to_string(), "params.avatar_hr");
}

#[test]
fn rust_keywords_work_as_names() {
    let src = MINIMAL.replace(
        "      id: { type: id }",
        "      type: { type: string }\n      move: { type: string }\n      self: { type: string }",
    );
    let spec = load_str("specs/im.thing.get.yaml", &src).unwrap();
    let names: Vec<_> = spec.types[0]
        .fields
        .iter()
        .map(|f| f.rust.as_str())
        .collect();
    assert_eq!(names, ["type", "move", "self"]);
    assert_eq!(b24_spec::names::ident("type").to_string(), "r#type");
    assert_eq!(b24_spec::names::ident("self").to_string(), "self_");
}

#[test]
fn examples_are_checked_against_the_declared_types() {
    let src = format!(
        "{MINIMAL}example:\n  params: {{ ID: 5 }}\n  response:\n    result:\n      id: \"not a number\"\n"
    );
    let e = errors(&src);
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!(e[0].key_path.to_string(), "example.params.ID");
    assert!(
        e[0].message.contains("does not declare"),
        "{}",
        e[0].message
    );
    assert_eq!(e[1].key_path.to_string(), "example.response.result.id");
    assert_eq!(at(&e[1]), (15, 11));
    assert!(e[1].message.contains("expected an id"), "{}", e[1].message);
}

#[test]
fn method_must_match_the_file_name() {
    let e = load_str("specs/im.other.get.yaml", MINIMAL).unwrap_err();
    assert_eq!(
        e[0].message,
        "method `im.thing.get` does not match the file name `im.other.get.yaml`"
    );
    assert_eq!(at(&e[0]), (1, 9));
}

#[test]
fn anchors_and_aliases_are_supported() {
    let src = MINIMAL.replace(
        "      id: { type: id }",
        "      id: &idtype { type: id }\n      owner_id: *idtype",
    );
    let spec = load_str("specs/im.thing.get.yaml", &src).unwrap();
    assert_eq!(spec.types[0].fields[1].ty.kind, TypeKind::Id);
}

#[test]
fn files_that_are_missing_or_not_utf8_are_diagnosed() {
    let dir = std::env::temp_dir().join(format!("b24-spec-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("im.thing.get.yaml"),
        b"method: im.thing.get\nscope: \xff\xfe\n",
    )
    .unwrap();
    let e = b24_spec::load_path(&dir, "im.thing.get.yaml").unwrap_err();
    assert_eq!(e[0].message, "spec file is not valid UTF-8");
    assert_eq!(e[0].position, Some(Position { line: 2, column: 8 }));
    let e = b24_spec::load_path(&dir, "nope.yaml").unwrap_err();
    assert_eq!(e[0].message, "spec path does not exist");
    assert!(
        e[0].help
            .as_deref()
            .unwrap()
            .contains("relative to the crate's Cargo.toml")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn paged_methods_get_a_start_param_and_need_a_list_result() {
    let src = MINIMAL.replace(
        "result: { type: Thing }",
        "paged: true\nresult: { type: array, items: Thing }",
    );
    let spec = load_str("specs/im.thing.get.yaml", &src).unwrap();
    assert!(spec.paged);
    let start = spec.params.iter().find(|p| p.wire == "start").unwrap();
    assert_eq!(
        (start.rust.as_str(), start.min, start.required),
        ("start", Some(-1), false)
    );

    let e = errors(&MINIMAL.replace(
        "result: { type: Thing }",
        "paged: true\nresult: { type: Thing }",
    ));
    assert_eq!(e[0].key_path.to_string(), "paged");
    assert!(
        e[0].message.contains("needs a list result"),
        "{}",
        e[0].message
    );
}

#[test]
fn yaml_data_files_load_as_json_with_duplicate_checks() {
    let v =
        b24_spec::load_yaml_value("fixture.yaml", "users:\n  - { id: 1, name: Ann }\n").unwrap();
    assert_eq!(v["users"][0]["name"], "Ann");
    let e = b24_spec::load_yaml_value("fixture.yaml", "users: []\nusers: []\n").unwrap_err();
    assert_eq!(
        (e[0].file.as_str(), e[0].position),
        ("fixture.yaml", Some(Position { line: 2, column: 1 }))
    );
}

#[test]
fn named_enums_and_selects_resolve_across_the_set() {
    let library = "\
types:
  Person:
    fields:
      ID: id
      KIND: { type: Kind, optional: true }
  Kind:
    type: enum
    case_insensitive: true
    values: { staff: staff, guest: guest }
    doc: Kind of person
";
    let spec = "\
method: im.person.list
scope: im
summary: List people
docs: https://apidocs.bitrix24.com/x.html
access: any user
params:
  KIND: { type: Kind, doc: Kind }
  select: { type: select, of: Person, doc: Fields }
  FILTER: { type: filter, operators: ['!'], fields: { KIND: Kind }, doc: Conditions }
result: { type: array, items: Person }
";
    let set = b24_spec::load_sources(&[
        ("specs/types/people.yaml", library),
        ("specs/im.person.list.yaml", spec),
    ])
    .unwrap();
    assert_eq!(set.shared_enums.len(), 1);
    let spec = &set.specs[0];
    // A reference to a named enum is that enum, marked as shared, wherever it is used.
    let TypeKind::Enum(kind) = &spec.params[0].ty.kind else {
        panic!("KIND is not resolved: {:?}", spec.params[0].ty.kind)
    };
    assert!(kind.shared && kind.case_insensitive && kind.name == "Kind");
    assert_eq!(kind.find("GUEST").map(|v| v.name.as_str()), Some("guest"));
    let TypeKind::Enum(field) = &set.shared[0].fields[1].ty.kind else {
        panic!("the library field is not resolved")
    };
    assert_eq!(field, kind);
    // A select over a library record lists its fields and the masks, shared like the record.
    let TypeKind::Array(items) = &spec.params[1].ty.kind else {
        panic!("select is a list")
    };
    let TypeKind::Enum(select) = &items.kind else {
        panic!("select items are an enum")
    };
    let wires: Vec<&str> = select.values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(
        (select.name.as_str(), select.shared, wires),
        ("PersonField", true, vec!["ID", "KIND", "*", "UF_*"])
    );
    // `!` is a second spelling of `!=`: the filter accepts both, and offers only those.
    let TypeKind::Filter(filter) = &spec.params[2].ty.kind else {
        panic!("FILTER is a filter")
    };
    assert!(filter.accepts(b24_spec::FilterOp::NotEq) && !filter.accepts(b24_spec::FilterOp::Gt));
    assert!(filter.narrowed());
    assert_eq!(
        filter.comparisons(),
        [b24_spec::FilterOp::Eq, b24_spec::FilterOp::NotEq]
    );
}

#[test]
fn emulator_select_search_and_exclusions_are_read() {
    let spec = "\
method: im.thing.list
scope: im
summary: List things
docs: https://apidocs.bitrix24.com/x.html
access: any user
params:
  FILTER: { type: json, doc: Conditions }
  select: { type: array, items: string, doc: Fields }
  SKIP: { type: yn, doc: Skip chats }
result: { type: array, items: Thing }
types:
  Thing:
    fields:
      id: { type: id, doc: Id }
      owner: { type: Owner, optional: true, doc: Owner }
  Owner:
    fields:
      kind: { type: string, doc: Kind }
emulator:
  kind: list
  collection: things
  search: { key: FIND, fields: [id] }
  select: select
  exclude: { owner.kind: [bot, robot] }
  when:
    SKIP:
      Y: { only: { owner.kind: person } }
";
    // `select: select` is short for `{ param: select }`, which needs `id` in `always`.
    let e = load_str("specs/im.thing.list.yaml", spec).unwrap_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].message.contains("`select` can leave out `id`"),
        "{e:?}"
    );
    let spec = load_str(
        "specs/im.thing.list.yaml",
        &spec.replace("select: select", "select: { param: select, always: [id] }"),
    )
    .unwrap();
    let emu = spec.emulator.unwrap();
    let select = emu.select.clone().unwrap();
    assert_eq!(
        (select.param.as_deref(), select.always),
        (Some("select"), vec!["id".to_owned()])
    );
    let search = emu.search.clone().unwrap();
    assert_eq!(
        (search.key.as_str(), search.fields),
        ("FIND", vec!["id".to_owned()])
    );
    assert_eq!(emu.form.exclude[0].field, "owner.kind");
    assert_eq!(
        emu.form.exclude[0].value,
        serde_json::json!(["bot", "robot"])
    );
    // A `when` case adds its conditions to the section's.
    let form = emu.form_for(|p| (p == "SKIP").then(|| "Y".to_owned()));
    assert_eq!((form.exclude.len(), form.only.len()), (1, 1));
    assert_eq!(form.only[0].value, serde_json::json!("person"));
    assert!(emu.form_for(|_| None).only.is_empty());
}

/// One mistake, one message: what depends on an unknown type name is not checked again,
/// while independent problems of the same spec are all still reported.
#[test]
fn checks_that_depend_on_an_unknown_type_stay_quiet() {
    let src = MINIMAL.replace("result: { type: Thing }", "result: { type: Deal }")
        + "example:\n  response: { result: 394 }\n";
    let e = errors(&src);
    let messages: Vec<_> = e.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["unknown type `Deal`"]);

    // A parameter of an unknown type (a capital letter too many): no "uses an object type",
    // no example mismatch; the misspelt field of `Thing` and its bad example value are
    // separate mistakes and still reported.
    let src = format!(
        "{}params:\n  ID: {{ type: String, doc: Id }}\nexample:\n  params: {{ ID: x }}\n  response: {{ result: {{ id: oops }} }}\n",
        MINIMAL.replace(
            "      id: { type: id }",
            "      id: { type: id, optinal: true }"
        )
    );
    let e = errors(&src);
    let messages: Vec<_> = e.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(e.len(), 3, "{messages:?}");
    assert_eq!(messages[0], "unknown key `optinal`");
    assert_eq!(messages[1], "unknown type `String`");
    assert_eq!(e[1].help.as_deref(), Some("did you mean `string`?"));
    assert!(messages[2].contains("expected an id"), "{messages:?}");
}

#[test]
fn two_keys_with_one_rust_name_get_a_rust_name_not_a_removal() {
    let src = MINIMAL.replace(
        "      id: { type: id }",
        "      DESCRIPTION: string\n      ~DESCRIPTION: string",
    );
    let e = errors(&src);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].key_path.to_string(), "types.Thing.fields.~DESCRIPTION");
    let help = e[0].help.as_deref().unwrap();
    assert!(
        help.contains("`rust_name: description_raw` on `~DESCRIPTION`"),
        "{help}"
    );
}

#[test]
fn an_empty_code_keys_its_errors_by_description() {
    let spec = load_str(
        "specs/im.thing.get.yaml",
        &format!(
            "{MINIMAL}errors:\n  \"\":\n    \"Not found\": {{ rust_name: NotFound, status: 400, doc: No thing }}\nemulator:\n  collection: things\n  not_found: NotFound\n"
        ),
    )
    .unwrap();
    let e = &spec.errors[0];
    assert_eq!((e.code.as_str(), e.variant.as_str()), ("", "NotFound"));
    assert_eq!(e.description(), Some("Not found"));
    assert_eq!(e.message.as_deref(), Some("Not found"));
    assert_eq!(spec.find_error("NotFound"), Some(e));
    assert_eq!(spec.find_error(""), None);

    // Written like a coded error: one message with the form to use.
    let e = errors(&format!(
        "{MINIMAL}errors:\n  \"\": {{ status: 400, doc: Access denied }}\n"
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(at(&e[0]), (12, 3));
    assert!(
        e[0].message
            .contains("`status` and `doc` are written here as if they were"),
        "{e:?}"
    );
    assert!(
        e[0].help
            .as_deref()
            .unwrap()
            .contains("rust_name: NotFound")
    );

    // Without `rust_name`, the help offers the description's PascalCase.
    let e = errors(&format!(
        "{MINIMAL}errors:\n  \"\":\n    \"Deal not found.\": {{ doc: No deal }}\n"
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].key_path.to_string(), r#"errors.""."Deal not found.""#);
    assert!(
        e[0].help
            .as_deref()
            .unwrap()
            .ends_with("e.g. `rust_name: DealNotFound`"),
        "{e:?}"
    );
}

#[test]
fn text_cut_at_a_comma_gets_the_quoted_value_to_write() {
    let e = errors(&format!(
        "{MINIMAL}params:\n  NAME: {{ type: string, doc: First name (leads, contacts) }}\n"
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].key_path.to_string(), "params.NAME.contacts)");
    assert!(
        e[0].help
            .as_deref()
            .unwrap()
            .ends_with("e.g. `doc: \"First name (leads, contacts)\"`"),
        "{e:?}"
    );
}

#[test]
fn misnested_types_are_one_mistake_each() {
    // `fields:` at the indentation of type names.
    let e = errors(&MINIMAL.replace("    fields:\n      id:", "  fields:\n    id:"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].key_path.to_string(), "types.fields");
    assert_eq!(at(&e[0]), (9, 3));
    assert!(e[0].help.as_deref().unwrap().contains("under `Thing:`"));
    // The fields without `fields:`.
    let e = errors(&MINIMAL.replace("    fields:\n      id:", "    id:"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].key_path.to_string(), "types.Thing");
    // `fields:` empty, the fields beside it.
    let e = errors(&MINIMAL.replace("      id:", "    id:"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].key_path.to_string(), "types.Thing.fields");
    assert_eq!(at(&e[0]), (9, 5));
}

#[test]
fn indentation_errors_point_at_the_line_that_is_off() {
    // `id:` is indented like `result:` above it, which has no value: the next line, deeper,
    // is where the parser stops, but `id:` is the line to fix.
    let src = format!("{MINIMAL}example:\n  response:\n    result:\n    id: 5\n      name: John\n");
    let e = errors(&src);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(at(&e[0]), (14, 5));
    assert_eq!(e[0].key_path.to_string(), "example.response.id");
    assert_eq!(
        e[0].help.as_deref(),
        Some("indent `id:` by 6 spaces, like `name:` on line 15")
    );
    // A tab in the indentation says so.
    let e = errors(&MINIMAL.replace("      id: { type: id }", "\t  id: { type: id }"));
    assert_eq!(at(&e[0]), (10, 1));
    assert!(e[0].message.contains("indented with a tab"), "{e:?}");
}

#[test]
fn a_spec_loaded_without_its_type_library_is_told_to_load_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let e = b24_spec::load_path(root, "specs/user/user.get.yaml").unwrap_err();
    // The spec uses several library types; leaving the library out is one mistake.
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].message
            .ends_with("it is defined in the type library `specs/types/user.yaml`, which is not loaded with this spec"),
        "{}",
        e[0].message
    );
    assert!(b24_spec::load_path(root, "specs/user").is_err());
    assert!(b24_spec::load_path(root, "specs").is_ok());
}

#[test]
fn emulator_kinds_read_their_conventions_from_the_spec() {
    use b24_spec::{EmulationKind, Reply};
    let spec = |result: &str, emulator: &str| {
        let src = format!(
            "method: crm.thing.go\nscope: crm\nsummary: s\ndocs: https://apidocs.bitrix24.com/x.html\n\
             access: any user\nparams:\n  ID: {{ type: id, doc: Id }}\n  fields: {{ type: json, doc: F }}\n  \
             FILTER: {{ type: filter, fields: {{ ID: id }}, doc: F }}\n  Sort: {{ type: string, doc: S }}\n\
             result: {result}\ntypes:\n  Thing:\n    fields:\n      Id: {{ type: id, doc: Id }}\n  \
             Wrap:\n    fields:\n      thing: {{ type: Thing, doc: T }}\nemulator: {emulator}\n"
        );
        load_str("specs/crm.thing.go.yaml", &src).unwrap_or_else(|e| panic!("{e:#?}"))
    };
    // `get`: the parameter and field named `id` in any case; the record, or wrapped.
    let get = spec("Thing", "{ kind: get, collection: things }");
    let emu = get.emulator.as_ref().unwrap();
    assert_eq!(emu.kind, Some(EmulationKind::Get));
    assert_eq!(emu.id_param(&get).unwrap().wire, "ID");
    assert_eq!(emu.id_field(emu.record_type(&get)), "Id");
    assert_eq!(emu.reply(&get), Some(Reply::Record));
    let wrapped = spec("Wrap", "{ kind: get, collection: things, record: Thing }");
    let reply = wrapped.emulator.as_ref().unwrap().reply(&wrapped).unwrap();
    assert_eq!(
        (reply.wrapper(), reply.core()),
        (Some("thing"), &Reply::Record)
    );
    // `list`: the `type: filter` parameter, `sort` in any case; nothing for other kinds.
    let list = spec(
        "{ type: array, items: Thing }",
        "{ kind: list, collection: things }",
    );
    let emu = list.emulator.as_ref().unwrap();
    assert_eq!(emu.filter_param(&list).unwrap().wire, "FILTER");
    assert_eq!(emu.sort_param(&list).unwrap().wire, "Sort");
    assert!(emu.order_param(&list).is_none() && emu.fields_param(&list).is_none());
    assert!(get.emulator.as_ref().unwrap().filter_param(&get).is_none());
    // `add`: the new id, `true`, or the record, by the result type.
    for (result, reply) in [
        ("id", Reply::Id),
        ("boolean", Reply::True),
        ("Thing", Reply::Record),
    ] {
        let add = spec(result, "{ kind: add, collection: things, record: Thing }");
        let emu = add.emulator.as_ref().unwrap();
        assert_eq!(emu.reply(&add), Some(reply), "{result}");
        assert_eq!(emu.fields_param(&add).unwrap().wire, "fields");
    }
}

#[test]
fn errors_told_apart_by_their_description_are_found_by_name_or_text() {
    // Declared under `errors: "":` (code `""`, the documented description in `message`); a
    // spec names one by its `rust_name`, the emulator's conventions by its description.
    let mut spec = load_str(
        "specs/crm.thing.get.yaml",
        "method: crm.thing.get\nscope: crm\nsummary: s\ndocs: https://apidocs.bitrix24.com/x.html\n\
         access: any user\nparams:\n  id: { type: id, doc: Id }\nresult: json\n\
         errors:\n  NOT_FOUND: { doc: Another code }\nemulator: { kind: get, collection: things }\n",
    )
    .unwrap();
    let emu = spec.emulator.clone().unwrap();
    assert!(
        emu.not_found_error(&spec).is_none(),
        "no \"Not found\" declared"
    );
    spec.errors.push(b24_spec::ErrorDef {
        code: String::new(),
        variant: "NotFound".into(),
        status: Some(400),
        doc: "No thing has this id".into(),
        message: Some("Not found.".into()),
        path: Default::default(),
    });
    let found = emu.not_found_error(&spec).unwrap();
    assert_eq!(
        (found.code.as_str(), found.variant.as_str()),
        ("", "NotFound")
    );
    for name in ["NotFound", "not found", "NOT FOUND."] {
        assert_eq!(b24_spec::find_error(&spec, name), Some(found), "{name}");
    }
    assert_eq!(
        b24_spec::find_error(&spec, "NOT_FOUND").map(|e| e.code.as_str()),
        Some("NOT_FOUND"),
        "a code wins over a description"
    );
}
