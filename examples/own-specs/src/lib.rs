//! Generating a Bitrix24 method that b24 does not ship, from a spec in this crate.
//!
//! `specs/im.revision.get.yaml` is the only place `im.revision.get` is described. The macro
//! below turns it into `im_revision_get::{ImRevisionGetRequest, Revisions, ImRevisionGetError}`
//! and a `RevisionMethods` trait that adds `im_revision_get()` to `b24_client::Client`.
//! `build.rs` re-runs the macro when a spec file is added or removed.
//!
//! `specs/my-portal/staff.yaml` is a custom field set: the custom profile fields of our
//! portal, with names and types. The macro turns it into `types::StaffFields`, which reads
//! them from the `custom` fields of the shipped `user.get`'s records (see
//! `tests/custom_fields.rs`).

b24_client::generate!(specs = "specs", client_trait = RevisionMethods);
