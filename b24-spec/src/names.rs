//! Turning wire names (`AVATAR_HR`, `work_phone`, `im.user.get`) into Rust identifiers.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// `AVATAR_HR` → `avatar_hr`, `>=ID` → `id`; non-identifier characters are dropped.
pub fn snake_case(wire: &str) -> String {
    ascii_words(wire).to_snake_case()
}

/// `im.user.get` → `ImUserGet`, `work_phone` → `WorkPhone`.
pub fn pascal_case(wire: &str) -> String {
    ascii_words(wire).to_upper_camel_case()
}

/// `responsibleId` → `RESPONSIBLE_ID`, `ID` → `ID`: the `select_names: upper_snake` rule.
pub fn upper_snake_case(wire: &str) -> String {
    ascii_words(wire).to_shouty_snake_case()
}

/// Keeps letters and digits, turning everything else into word breaks.
fn ascii_words(wire: &str) -> String {
    wire.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Why a converted name cannot be a Rust identifier, if it cannot.
pub fn invalid_ident_reason(converted: &str) -> Option<&'static str> {
    if converted.is_empty() || converted == "_" {
        Some("it has no letters or digits")
    } else if converted.starts_with(|c: char| c.is_ascii_digit()) {
        Some("it starts with a digit")
    } else {
        None
    }
}

/// Keywords that cannot even be raw identifiers; we append `_` to them.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Words reserved by newer editions that syn still accepts as plain identifiers.
const RESERVED: &[&str] = &[
    "gen", "try", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield",
];

/// An identifier for `name`, using `r#` for keywords (`type` → `r#type`).
///
/// Never panics: a name the checks should have refused is made valid rather than trusted.
pub fn ident(name: &str) -> Ident {
    let mut name: String = ascii_words(name);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    let name = name.as_str();
    if NOT_RAW.contains(&name) {
        return Ident::new(&format!("{name}_"), Span::call_site());
    }
    if !RESERVED.contains(&name) && syn::parse_str::<Ident>(name).is_ok() {
        Ident::new(name, Span::call_site())
    } else {
        Ident::new_raw(name, Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_bitrix_names() {
        assert_eq!(snake_case("AVATAR_HR"), "avatar_hr");
        assert_eq!(snake_case("ID"), "id");
        assert_eq!(snake_case("last_activity_date"), "last_activity_date");
        assert_eq!(pascal_case("im.user.get"), "ImUserGet");
        assert_eq!(snake_case(">=ID"), "id");
        assert_eq!(pascal_case(""), "");
        for (wire, upper) in [
            ("responsibleId", "RESPONSIBLE_ID"),
            ("id", "ID"),
            ("ID", "ID"),
            ("ufCrmTask", "UF_CRM_TASK"),
            ("UF_CRM_1", "UF_CRM_1"),
            ("timeEstimate", "TIME_ESTIMATE"),
        ] {
            assert_eq!(upper_snake_case(wire), upper, "{wire}");
        }
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("move").to_string(), "r#move");
        assert_eq!(ident("gen").to_string(), "r#gen");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("name").to_string(), "name");
    }

    #[test]
    fn rejects_names_with_nothing_left() {
        assert!(invalid_ident_reason(&snake_case("%%")).is_some());
        assert!(invalid_ident_reason(&snake_case("1ST")).is_some());
        assert!(invalid_ident_reason(&snake_case("FIRST")).is_none());
    }
}
