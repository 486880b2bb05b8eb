//! Typed parameters: a `filter` builder whose fields take conditions of their own type, an
//! exact-only filter, a `select` of a record's field names, and named enums from a type
//! library, one Rust type for every spec that names them, read in any case when declared so.

b24_client::generate!(specs = "typed_params", relative_to = file);

use b24_client::{Cmp, Method};
use crm_person_list::{
    CrmPersonListFilter, CrmPersonListNarrow, CrmPersonListNarrowCmp, CrmPersonListRequest,
};
use crm_person_search::{CardField, CrmPersonSearchFilter, CrmPersonSearchRequest};
use serde_json::json;
use types::{Direction, PersonField, PersonKind};

fn same_type<T>(_: &T, _: &T) {}

fn main() {
    let born = chrono::NaiveDate::from_ymd_opt(1990, 5, 1).unwrap();
    let request = CrmPersonListRequest::new()
        .filter(
            CrmPersonListFilter::new()
                .id(Cmp::ge(5))
                .id(Cmp::le(10))
                .name(Cmp::like("Jo"))
                .kind(Cmp::one_of([PersonKind::Staff, PersonKind::Guest]))
                .online(Cmp::eq(true))
                .born(Cmp::lt(born)),
        )
        .order(Direction::Descending)
        .select(vec![PersonField::Id, PersonField::Name, PersonField::AllCustom]);
    // Operators become key prefixes; each value is in its field's wire form.
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({
            "FILTER": {
                ">=ID": 5, "<=ID": 10, "%NAME": "Jo", "@KIND": ["staff", "guest"],
                "ONLINE": "Y", "<BORN": "1990-05-01"
            },
            "ORDER": "DESC",
            "select": ["ID", "NAME", "UF_*"]
        })
    );

    // A filter that accepts some operators takes its own comparison type with only those
    // (`CrmPersonListNarrowCmp::lt` does not exist); synonyms are sent in their main spelling.
    let narrow = CrmPersonListRequest::new().narrow(
        CrmPersonListNarrow::new()
            .id(CrmPersonListNarrowCmp::ge(2))
            .id(CrmPersonListNarrowCmp::ne(3))
            .name(CrmPersonListNarrowCmp::pattern("Jo%"))
            .name(CrmPersonListNarrowCmp::eq("Ann")),
    );
    assert_eq!(
        serde_json::Value::Object(narrow.params()),
        json!({ "NARROW": { ">=ID": 2, "!=ID": 3, "=%NAME": "Jo%", "NAME": "Ann" } })
    );
    let general: Cmp<u64> = CrmPersonListNarrowCmp::ge(1).into();
    assert_eq!(general, Cmp::Ge(1));

    // Without operators the filter takes plain values; a required filter is an argument.
    let search = CrmPersonSearchRequest::new(CrmPersonSearchFilter::new().find("Ann"))
        .fields(vec![CardField::Title, CardField::Unknown("UF_CRM_1".into())])
        .more_fields(vec![CardField::Kind, CardField::All]);
    assert_eq!(
        serde_json::Value::Object(search.params()),
        json!({
            "FILTER": { "FIND": "Ann" },
            "fields": ["TITLE", "UF_CRM_1"],
            "more_fields": ["KIND", "*"]
        })
    );

    // Named enums and selects over library records are one type wherever they are used.
    same_type(&crm_person_list::PersonKind::Guest, &crm_person_search::PersonKind::Staff);
    same_type(&crm_person_list::PersonField::All, &crm_person_search::PersonField::Id);
    assert_eq!(PersonField::All.as_str(), "*");

    // `case_insensitive`: any case reads as the declared value and is written back as declared.
    assert_eq!(Direction::from_wire("asc"), Direction::Ascending);
    let read: Direction = serde_json::from_value(json!("Desc")).unwrap();
    assert_eq!((read.as_str(), serde_json::to_value(&read).unwrap()), ("DESC", json!("DESC")));
    // Other enums stay exact.
    assert_eq!(PersonKind::from_wire("STAFF"), PersonKind::Unknown("STAFF".into()));
}
