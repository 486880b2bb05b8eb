//! The new primitives wherever a type can hold them: decimals as a map's values in a parameter
//! and as a case of a result, integers from numeric strings in a library type's map, display
//! date-times in a list of maps and in a list parameter.
#![deny(warnings)]

b24_client::generate!(specs = "numbers_in_containers", relative_to = file);

use std::collections::BTreeMap;

use b24_client::{Decimal, DisplayDateTime, DisplayFormat, Method};
use im_price_list::{ImPriceListRequest, ImPriceListResult};
use serde_json::json;

fn main() {
    let cents = |units: i64| Decimal::new(units, 2);
    let request = ImPriceListRequest::new()
        .prices(BTreeMap::from([(4, cents(1050))]))
        .shown(vec!["11.12.2024 17:59:00".parse::<DisplayDateTime>().unwrap()]);
    let _: &Option<BTreeMap<u64, Decimal>> = &request.prices;
    // Decimals go as text, display date-times in the ISO form, wherever they sit.
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({ "PRICES": { "4": "10.50" }, "SHOWN": ["2024-12-11T17:59:00"] })
    );

    let answer = json!({
        "4": {
            "amount": "10.50",
            "stock": { "main": "12", "north": 3 },
            "changes": [{ "amount": "12/11/2024 05:59:00 pm" }, []]
        },
        "5": { "amount": "", "stock": [], "changes": [] }
    });
    let ImPriceListResult::ByThing(prices) = request.decode_output(&answer).unwrap() else {
        panic!("without TOTAL=Y the answer is by thing");
    };
    let price: &types::Price = &prices[&4];
    let amount: Option<Decimal> = price.amount;
    assert_eq!(amount, Some(cents(1050)));
    assert_eq!(prices[&5].amount, None);
    let stock: &BTreeMap<String, i64> = &price.stock;
    assert_eq!((stock["main"], stock["north"]), (12, 3));
    let changed: &DisplayDateTime = &price.changes[0]["amount"];
    assert_eq!(changed.format(), DisplayFormat::MonthFirst12h);
    assert_eq!(changed.at().to_string(), "2024-12-11 17:59:00");
    assert!(price.changes[1].is_empty());
    // Serialized, each value is written as it was received (numbers as numbers).
    assert_eq!(
        serde_json::to_value(price).unwrap(),
        json!({
            "amount": "10.50",
            "stock": { "main": 12, "north": 3 },
            "changes": [{ "amount": "12/11/2024 05:59:00 pm" }, {}]
        })
    );

    // `TOTAL=Y` answers with one decimal, from a string or a number.
    let total = ImPriceListRequest::new().total(true);
    for sent in [json!("20000.49"), json!(20000.49)] {
        assert_eq!(
            total.decode_output(&sent).unwrap(),
            ImPriceListResult::Total(cents(2_000_049))
        );
    }
    assert!(total.decode_output(&json!("20 000,49")).is_err());
}
