//! Generating a Bitrix24 method that b24 does not ship, from a spec in this crate.
//!
//! `specs/im.revision.get.yaml` is the only place `im.revision.get` is described. The macro
//! below turns it into `im_revision_get::{ImRevisionGetRequest, Revisions, ImRevisionGetError}`
//! and a `RevisionMethods` trait that adds `im_revision_get()` to `b24_client::Client`.
//! `build.rs` re-runs the macro when a spec file is added or removed.

b24_client::generate!(specs = "specs", client_trait = RevisionMethods);
