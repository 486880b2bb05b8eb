//! Who is calling: incoming webhooks (user id and code in the path) and OAuth access tokens
//! (the `auth` parameter), each bound to a portal user.

use std::fmt;

/// The credentials the emulator accepts.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    webhooks: Vec<Webhook>,
    tokens: Vec<Token>,
}

#[derive(Clone)]
pub(crate) struct Webhook {
    pub user_id: u64,
    pub code: String,
}

#[derive(Clone)]
pub(crate) struct Token {
    pub token: String,
    pub user_id: u64,
}

impl Credentials {
    pub fn new(webhooks: Vec<Webhook>, tokens: Vec<Token>) -> Self {
        Self { webhooks, tokens }
    }

    /// The webhook URLs and tokens print first; builders guarantee there is one of each.
    pub fn primary_webhook(&self) -> Option<&Webhook> {
        self.webhooks.first()
    }

    pub fn primary_token(&self) -> Option<&Token> {
        self.tokens.first()
    }

    /// The user of webhook `/rest/{user}/{code}/`, if it is one of ours.
    pub fn webhook_user(&self, user: &str, code: &str) -> Option<u64> {
        let user_id: u64 = user.parse().ok()?;
        self.webhooks
            .iter()
            .find(|w| w.user_id == user_id && same_secret(&w.code, code))
            .map(|w| w.user_id)
    }

    /// The user an access token belongs to, if it is one of ours.
    pub fn token_user(&self, token: &str) -> Option<u64> {
        self.tokens
            .iter()
            .find(|t| same_secret(&t.token, token))
            .map(|t| t.user_id)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let users: Vec<u64> = self.webhooks.iter().map(|w| w.user_id).collect();
        f.debug_struct("Credentials")
            .field("webhook_users", &users)
            .field("tokens", &self.tokens.len())
            .finish()
    }
}

/// Compares secrets without stopping at the first difference, so response timing does not
/// reveal how much of a guess was right.
fn same_secret(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    let mut diff = u8::from(a.len() != b.len());
    for (i, x) in a.iter().enumerate() {
        diff |= x ^ b.get(i).copied().unwrap_or(!x);
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new(
            vec![
                Webhook {
                    user_id: 1,
                    code: "zzz".into(),
                },
                Webhook {
                    user_id: 7,
                    code: "xyz".into(),
                },
            ],
            vec![Token {
                token: "qqq".into(),
                user_id: 5,
            }],
        )
    }

    #[test]
    fn webhooks_need_the_right_user_and_code() {
        let c = creds();
        assert_eq!(c.webhook_user("1", "zzz"), Some(1));
        assert_eq!(c.webhook_user("7", "xyz"), Some(7));
        assert_eq!(c.webhook_user("7", "zzz"), None);
        assert_eq!(c.webhook_user("1", "zz"), None);
        assert_eq!(c.webhook_user("1", "zzzz"), None);
        assert_eq!(c.webhook_user("one", "zzz"), None);
        assert_eq!(c.webhook_user("1", ""), None);
    }

    #[test]
    fn tokens_map_to_their_user_and_debug_hides_secrets() {
        let c = creds();
        assert_eq!(c.token_user("qqq"), Some(5));
        assert_eq!(c.token_user("qqq2"), None);
        assert_eq!(c.token_user(""), None);
        let debug = format!("{c:?}");
        assert!(!debug.contains("zzz") && !debug.contains("qqq"), "{debug}");
    }
}
