//! Where an OAuth application's tokens live between calls and between runs.
//!
//! Every refresh rotates the refresh token: the old one stops working
//! (<https://apidocs.bitrix24.com/settings/oauth/auto-renewal.html>). The client therefore
//! saves each new pair to the [`TokenStore`] before it sends a single call with it, so a
//! process that stops after that point loses nothing.

use std::fmt;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::limiter::BoxFuture;

/// An OAuth application's tokens for one portal. `Debug` shows neither token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// Sent with every call (in the body's `auth` field); lives an hour.
    pub access_token: String,
    /// Exchanged for a new pair when the access token expires; works once.
    pub refresh_token: String,
    /// Unix time the access token expires (the token endpoint's `expires`), when known.
    #[serde(default)]
    pub expires: Option<u64>,
}

impl Tokens {
    /// A pair whose expiry is unknown: it is refreshed when the portal says it expired.
    pub fn new(access_token: impl Into<String>, refresh_token: impl Into<String>) -> Self {
        Self {
            access_token: access_token.into(),
            refresh_token: refresh_token.into(),
            expires: None,
        }
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"***")
            .field("refresh_token", &"***")
            .field("expires", &self.expires)
            .finish()
    }
}

/// A token store could not load or save. The message must not contain a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TokenStoreError(pub String);

impl TokenStoreError {
    /// An error with this message (which must not contain a token).
    pub fn new(message: impl fmt::Display) -> Self {
        Self(message.to_string())
    }
}

/// Keeps an OAuth application's tokens. The client loads them before its first call and saves
/// every refreshed pair before using it.
///
/// Implement it for your own storage (a database row, a secret manager) with `async fn`:
///
/// ```
/// use b24_client::{TokenStore, TokenStoreError, Tokens};
///
/// struct InMyDatabase;
///
/// impl TokenStore for InMyDatabase {
///     async fn load(&self) -> Result<Option<Tokens>, TokenStoreError> {
///         Ok(None) // SELECT … ; None when the app was never authorised
///     }
///     async fn save(&self, tokens: &Tokens) -> Result<(), TokenStoreError> {
///         let _ = tokens; // UPDATE … ; return only once it is durable
///         Ok(())
///     }
/// }
/// ```
pub trait TokenStore: Send + Sync + 'static {
    /// The stored tokens, or `None` when there are none yet.
    fn load(&self) -> impl Future<Output = Result<Option<Tokens>, TokenStoreError>> + Send;
    /// Replaces the stored tokens; must not return before they are durable.
    fn save(&self, tokens: &Tokens) -> impl Future<Output = Result<(), TokenStoreError>> + Send;
}

/// [`TokenStore`] in a form that can be stored as `Arc<dyn …>`.
pub(crate) trait DynTokenStore: Send + Sync {
    fn dyn_load(&self) -> BoxFuture<'_, Result<Option<Tokens>, TokenStoreError>>;
    fn dyn_save<'a>(&'a self, tokens: &'a Tokens) -> BoxFuture<'a, Result<(), TokenStoreError>>;
}

impl<S: TokenStore> DynTokenStore for S {
    fn dyn_load(&self) -> BoxFuture<'_, Result<Option<Tokens>, TokenStoreError>> {
        Box::pin(TokenStore::load(self))
    }
    fn dyn_save<'a>(&'a self, tokens: &'a Tokens) -> BoxFuture<'a, Result<(), TokenStoreError>> {
        Box::pin(TokenStore::save(self, tokens))
    }
}

/// Tokens in memory: they last as long as the process. A rotated refresh token is lost when it
/// stops; use [`FileTokenStore`] or your own store for anything that runs twice.
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<Option<Tokens>>,
}

impl MemoryTokenStore {
    /// A store holding `tokens`.
    pub fn new(tokens: Tokens) -> Self {
        Self {
            tokens: Mutex::new(Some(tokens)),
        }
    }

    /// What the store holds now.
    pub fn get(&self) -> Option<Tokens> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl TokenStore for MemoryTokenStore {
    async fn load(&self) -> Result<Option<Tokens>, TokenStoreError> {
        Ok(self.get())
    }

    async fn save(&self, tokens: &Tokens) -> Result<(), TokenStoreError> {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner()) = Some(tokens.clone());
        Ok(())
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore").finish_non_exhaustive()
    }
}

/// Tokens in a JSON file that only its owner may read (mode 0600 on Unix). Each save writes a
/// new file beside it, flushes it to disk and renames it over the old one, so the file holds
/// either the old pair or the new one, never a mix, whenever the process stops.
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store in the file at `path` (created on the first save).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read(path: &Path) -> Result<Option<Tokens>, TokenStoreError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(TokenStoreError::new(format!(
                    "cannot read the token file {}: {e}",
                    path.display()
                )));
            }
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            // serde_json's message names a position, never the text.
            TokenStoreError::new(format!(
                "the token file {} is not a token JSON object: {e}",
                path.display()
            ))
        })
    }

    fn write(path: &Path, tokens: &Tokens) -> Result<(), TokenStoreError> {
        let fail = |what: &str, e: std::io::Error| {
            TokenStoreError::new(format!("cannot {what} {}: {e}", path.display()))
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map_or_else(|| "tokens".into(), |n| n.to_string_lossy().into_owned());
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let json = serde_json::to_vec_pretty(tokens)
            .map_err(|e| TokenStoreError::new(format!("cannot encode the tokens: {e}")))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let result = options
            .open(&temp)
            .and_then(|mut file| {
                // A file left by an earlier run keeps its mode; make sure of it.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
                }
                file.write_all(&json)?;
                file.sync_all()
            })
            .and_then(|()| std::fs::rename(&temp, path));
        if let Err(e) = result {
            let _ = std::fs::remove_file(&temp);
            return Err(fail("write the token file", e));
        }
        // The rename itself is durable once the directory is.
        #[cfg(unix)]
        std::fs::File::open(&dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| fail("flush the directory of", e))?;
        Ok(())
    }
}

impl TokenStore for FileTokenStore {
    async fn load(&self) -> Result<Option<Tokens>, TokenStoreError> {
        let path = self.path.clone();
        blocking(move || Self::read(&path)).await
    }

    async fn save(&self, tokens: &Tokens) -> Result<(), TokenStoreError> {
        let (path, tokens) = (self.path.clone(), tokens.clone());
        blocking(move || Self::write(&path, &tokens)).await
    }
}

/// Runs file I/O off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, TokenStoreError> + Send + 'static,
) -> Result<T, TokenStoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| TokenStoreError::new(format!("the token file task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("b24-token-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[tokio::test]
    async fn the_file_store_round_trips_owner_only_and_leaves_no_temp_file() {
        let dir = temp_dir("round-trip");
        let store = FileTokenStore::new(dir.join("tokens.json"));
        assert_eq!(store.load().await, Ok(None));
        let first = Tokens {
            expires: Some(1_800_000_000),
            ..Tokens::new("access-1", "refresh-1")
        };
        store.save(&first).await.unwrap();
        store
            .save(&Tokens::new("access-2", "refresh-2"))
            .await
            .unwrap();
        assert_eq!(
            store.load().await,
            Ok(Some(Tokens::new("access-2", "refresh-2")))
        );
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["tokens.json"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_broken_file_is_an_error_that_shows_no_token() {
        let dir = temp_dir("broken");
        let path = dir.join("tokens.json");
        std::fs::write(&path, r#"{"access_token": "secret-access", "refresh"#).unwrap();
        let e = FileTokenStore::new(&path).load().await.unwrap_err();
        assert!(e.0.contains("not a token JSON object"), "{e}");
        assert!(!e.0.contains("secret-access"), "{e}");
        // A save into a directory that does not exist fails and says where.
        let e = FileTokenStore::new(dir.join("no/such/dir/tokens.json"))
            .save(&Tokens::new("a", "b"))
            .await
            .unwrap_err();
        assert!(e.0.contains("no/such/dir"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn debug_hides_both_tokens() {
        let text = format!("{:?}", Tokens::new("secret-access", "secret-refresh"));
        assert!(!text.contains("secret"), "{text}");
    }
}
