//! Sort orders of list methods (`type: order` parameters).
//!
//! Bitrix24's list methods take `order` as an object of field name → direction whose keys are
//! the sort keys in priority order: `{"TITLE": "ASC", "OPPORTUNITY": "DESC"}`. [`Order`] builds
//! one from a record's field names (the `{Record}Field` enum a `select` of the same record
//! uses) and keeps the order its keys were added in.

use serde_json::{Map, Value};

use crate::wire::{Encode, WireEnum};

/// A sort direction: `ASC` or `DESC` on the wire (the portal reads either in any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Smallest first: `ASC`.
    Asc,
    /// Largest first: `DESC`.
    Desc,
}

impl Direction {
    /// The direction as it is sent: `ASC` or `DESC`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }

    /// Reads a direction in any letter case (`asc`, `Desc`); `None` for anything else.
    ///
    /// ```
    /// use b24_client::Direction;
    ///
    /// assert_eq!(Direction::from_wire("desc"), Some(Direction::Desc));
    /// assert_eq!(Direction::from_wire("down"), None);
    /// ```
    pub fn from_wire(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("ASC") {
            Some(Self::Asc)
        } else if text.eq_ignore_ascii_case("DESC") {
            Some(Self::Desc)
        } else {
            None
        }
    }
}

impl Encode for Direction {
    type Out = Self;
    fn encode(value: &Self) -> Value {
        Value::from(value.as_str())
    }
}

/// The sort keys of a list, in priority order: each a field name of the record (`F`, a
/// generated `{Record}Field` enum) with its direction.
///
/// ```
/// use b24_client::wire::{Encode, WireEnum};
/// use b24_client::{Direction, Order};
/// # #[derive(Debug, Clone, PartialEq)]
/// # enum DealField { Title, Opportunity }
/// # impl WireEnum for DealField {
/// #     fn as_str(&self) -> &str { match self { Self::Title => "TITLE", Self::Opportunity => "OPPORTUNITY" } }
/// #     fn from_wire(v: &str) -> Self { if v == "TITLE" { Self::Title } else { Self::Opportunity } }
/// # }
///
/// let order = Order::new().asc(DealField::Title).desc(DealField::Opportunity);
/// assert_eq!(
///     Order::encode(&order),
///     serde_json::json!({"TITLE": "ASC", "OPPORTUNITY": "DESC"})
/// );
/// // Naming a field again changes its direction and keeps its place.
/// let order = order.by(DealField::Title, Direction::Desc);
/// assert_eq!(order.keys()[0], (DealField::Title, Direction::Desc));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Order<F> {
    keys: Vec<(F, Direction)>,
}

impl<F> Default for Order<F> {
    fn default() -> Self {
        Self { keys: Vec::new() }
    }
}

impl<F> Order<F> {
    /// An order without keys; the method then uses its default order.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The keys in priority order.
    pub fn keys(&self) -> &[(F, Direction)] {
        &self.keys
    }

    /// Whether no key was added.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl<F: PartialEq> Order<F> {
    /// Then by `field`, smallest first.
    #[must_use]
    pub fn asc(self, field: F) -> Self {
        self.by(field, Direction::Asc)
    }

    /// Then by `field`, largest first.
    #[must_use]
    pub fn desc(self, field: F) -> Self {
        self.by(field, Direction::Desc)
    }

    /// Then by `field` in `direction`. A field already in the order keeps its place and takes
    /// the new direction: an object has each key once.
    #[must_use]
    pub fn by(mut self, field: F, direction: Direction) -> Self {
        match self.keys.iter_mut().find(|(f, _)| *f == field) {
            Some(key) => key.1 = direction,
            None => self.keys.push((field, direction)),
        }
        self
    }
}

impl<F: WireEnum> Encode for Order<F> {
    type Out = Self;
    /// `{"FIELD": "ASC", …}`, keys in the order they were added.
    fn encode(order: &Self) -> Value {
        let keys: Map<String, Value> = order
            .keys
            .iter()
            .map(|(field, direction)| (field.as_str().to_owned(), Value::from(direction.as_str())))
            .collect();
        Value::Object(keys)
    }
}

/// A parameter that takes either a bare direction (for the field another parameter names, as
/// `user.get` documents `sort` + `order`) or a whole [`Order`] (as list helpers of the SDKs
/// send to every list method). Setters take `impl Into<OrderOrDirection<F>>`, so both
/// `Direction::Desc` and `Order::new().asc(..)` can be passed as they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrderOrDirection<F> {
    /// `"ASC"` or `"DESC"`.
    Direction(Direction),
    /// `{"FIELD": "ASC", …}`.
    Order(Order<F>),
}

impl<F> From<Direction> for OrderOrDirection<F> {
    fn from(direction: Direction) -> Self {
        Self::Direction(direction)
    }
}

impl<F> From<Order<F>> for OrderOrDirection<F> {
    fn from(order: Order<F>) -> Self {
        Self::Order(order)
    }
}

impl<F: WireEnum> Encode for OrderOrDirection<F> {
    type Out = Self;
    fn encode(value: &Self) -> Value {
        match value {
            Self::Direction(direction) => Direction::encode(direction),
            Self::Order(order) => Order::encode(order),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Clone, PartialEq)]
    enum Field {
        Id,
        Name,
        Other(String),
    }

    impl WireEnum for Field {
        fn as_str(&self) -> &str {
            match self {
                Self::Id => "ID",
                Self::Name => "NAME",
                Self::Other(name) => name,
            }
        }
        fn from_wire(value: &str) -> Self {
            Self::Other(value.to_owned())
        }
    }

    #[test]
    fn keys_keep_the_order_they_were_added_in() {
        let order = Order::new()
            .desc(Field::Name)
            .asc(Field::Other("UF_X".into()))
            .asc(Field::Id);
        assert_eq!(
            serde_json::to_string(&Order::encode(&order)).unwrap(),
            r#"{"NAME":"DESC","UF_X":"ASC","ID":"ASC"}"#
        );
        let again = order.asc(Field::Name);
        assert_eq!(
            Order::encode(&again),
            json!({"NAME": "ASC", "UF_X": "ASC", "ID": "ASC"})
        );
        assert_eq!(again.keys().len(), 3);
        assert!(Order::<Field>::new().is_empty());
        assert_eq!(Order::<Field>::encode(&Order::new()), json!({}));
    }

    #[test]
    fn either_a_direction_or_an_order() {
        let bare: OrderOrDirection<Field> = Direction::Desc.into();
        assert_eq!(OrderOrDirection::encode(&bare), json!("DESC"));
        let keyed: OrderOrDirection<Field> = Order::new().asc(Field::Id).into();
        assert_eq!(OrderOrDirection::encode(&keyed), json!({"ID": "ASC"}));
        for (text, direction) in [
            ("asc", Some(Direction::Asc)),
            ("DeSc", Some(Direction::Desc)),
        ] {
            assert_eq!(Direction::from_wire(text), direction);
        }
        assert_eq!(Direction::from_wire("ascending"), None);
    }
}
