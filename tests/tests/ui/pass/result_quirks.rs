//! A result that is itself quirky (not an object) is read through its wire adapter, the way the
//! client decodes it: ids from strings, `Y`/`N`, `false` for none, Bitrix24's date format.

b24_client::generate!(specs = "result_quirks", relative_to = file);

use b24_client::Method;

fn read<M: Method + Default>(json: &str) -> M::Output {
    M::default()
        .decode_output(&mut serde_json::Deserializer::from_str(json))
        .expect("decodes")
}

fn main() {
    assert_eq!(read::<im_quirk_id::ImQuirkIdRequest>("\"5\""), 5);
    assert_eq!(read::<im_quirk_id::ImQuirkIdRequest>("5"), 5);
    assert!(read::<im_quirk_flag::ImQuirkFlagRequest>("\"Y\""));
    assert_eq!(read::<im_quirk_maybe::ImQuirkMaybeRequest>("false"), None);
    assert_eq!(
        read::<im_quirk_maybe::ImQuirkMaybeRequest>("\"x\"").as_deref(),
        Some("x")
    );
    assert_eq!(
        read::<im_quirk_when::ImQuirkWhenRequest>("\"2024-07-23 08:08:50\"").to_string(),
        "2024-07-23 08:08:50"
    );
    assert_eq!(read::<im_quirk_ids::ImQuirkIdsRequest>("[1, \"2\"]"), vec![1, 2]);
    let wrong = im_quirk_id::ImQuirkIdRequest::new()
        .decode_output(&mut serde_json::Deserializer::from_str("\"five\""));
    assert!(wrong.is_err());
}
