//! List parameters: an `order` of a record's field names kept in the order given (one over a
//! library record shares its `{Record}Field` enum with `select`; with `direction: true` it also
//! takes a bare `Direction`), filters with nested `any_of`/`all_of` groups, and field names that
//! requests spell otherwise than the answer (`select_names`, `select_as`).

b24_client::generate!(specs = "lists", relative_to = file);

use b24_client::{Cmp, Direction, Method, Order, OrderOrDirection};
use crm_note_list::{CrmNoteListFilter, CrmNoteListRequest, NoteField, TaskField as NoteTaskField};
use serde_json::json;
use tasks_task_list::{TasksTaskListFilter, TasksTaskListRequest};
use types::TaskField;

fn same_type<T>(_: &T, _: &T) {}

fn main() {
    // Keys in the order added, named as requests name them; naming a key again changes its
    // direction in place.
    let order = Order::new()
        .desc(TaskField::Status)
        .asc(TaskField::ResponsibleId)
        .asc(TaskField::Status);
    let request = TasksTaskListRequest::new()
        .order(order)
        .select(vec![TaskField::Id, TaskField::Title, TaskField::Status]);
    assert_eq!(
        serde_json::to_string(&serde_json::Value::Object(request.params())).unwrap(),
        r#"{"order":{"REAL_STATUS":"ASC","RESPONSIBLE_ID":"ASC"},"select":["ID","TITLE","REAL_STATUS"]}"#
    );
    assert_eq!(
        (TaskField::ResponsibleId.as_str(), TaskField::from_wire("REAL_STATUS")),
        ("RESPONSIBLE_ID", TaskField::Status)
    );
    // Select and order share the library record's enum, in whichever method.
    same_type(&TaskField::Id, &NoteTaskField::Title);

    // Groups: numbered after the top-level conditions, members numbered inside, nested.
    let filter = TasksTaskListFilter::new()
        .id(Cmp::gt(1))
        .any_of(|f| {
            f.title(Cmp::like("report"))
                .all_of(|g| g.id(Cmp::ge(5)).id(Cmp::le(9)))
        })
        .any_of(|f| f)
        .all_of(|f| f.real_status(Cmp::eq("2")));
    assert_eq!(
        TasksTaskListRequest::new().filter(filter.clone()).params()["filter"],
        json!({
            ">ID": 1,
            "0": {
                "logic": "OR",
                "0": {"%TITLE": "report"},
                "1": {"logic": "AND", "0": {">=ID": 5}, "1": {"<=ID": 9}}
            },
            "1": {"logic": "AND", "0": {"REAL_STATUS": "2"}}
        })
    );
    // An empty group is kept in the builder but not sent.
    assert_eq!(filter.groups.len(), 3);

    // `direction: true`: a bare direction or an order; a required order is an argument.
    let by_task = Order::new().asc(NoteTaskField::Title);
    let bare = CrmNoteListRequest::new(by_task.clone())
        .sort("ID")
        .order(Direction::Desc);
    assert_eq!(
        serde_json::Value::Object(bare.params()),
        json!({"SORT": "ID", "ORDER": "DESC", "by_task": {"TITLE": "ASC"}})
    );
    let keyed = CrmNoteListRequest::new(by_task).order(Order::new().desc(NoteField::Text));
    assert_eq!(keyed.params()["ORDER"], json!({"TEXT": "DESC"}));
    let direction: Option<OrderOrDirection<NoteField>> = bare.order;
    assert_eq!(direction, Some(OrderOrDirection::Direction(Direction::Desc)));

    // An exact filter's groups take plain values.
    let exact = CrmNoteListFilter::new().any_of(|f| f.id(3).text("x"));
    assert_eq!(
        CrmNoteListRequest::new(Order::new())
            .filter(exact)
            .params()["FILTER"],
        json!({"0": {"logic": "OR", "0": {"ID": 3}, "1": {"TEXT": "x"}}})
    );
}
