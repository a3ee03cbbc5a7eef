//! The dashboard quick start through the SDK, against `kassa serve`: register, log in, create
//! a merchant, create an API key, list keys, revoke — and what the server logged meanwhile.

use kassa_sdk::types::{CreateApiKeyRequest, CreateMerchantRequest, LoginRequest, RegisterRequest};

use crate::harness::Server;

#[tokio::test]
async fn the_sdk_drives_the_account_quick_start_end_to_end() {
    let server = Server::start(None).await;
    let kassa = kassa_sdk::builder(&server.base_url).build().unwrap();
    let password = "correct-horse-42";

    let user = kassa
        .register(&RegisterRequest { email: "ada@example.com".into(), password: password.into(), name: "Ada".into() })
        .await
        .expect("register");
    assert_eq!(user.status(), 201);
    let token = kassa
        .login(&LoginRequest { email: "ada@example.com".into(), password: password.into(), ..Default::default() })
        .await
        .expect("login")
        .into_inner();

    let dashboard = kassa_sdk::authenticated(&server.base_url, &token.access_token).unwrap();
    assert_eq!(dashboard.get_me().await.unwrap().into_inner().email, "ada@example.com");
    let merchant = dashboard
        .create_merchant(&CreateMerchantRequest { name: "Acme Books".into(), webhook_url: None })
        .await
        .expect("create merchant")
        .into_inner();
    let key = dashboard
        .create_api_key(&merchant.id, &CreateApiKeyRequest { name: "server".into() })
        .await
        .expect("create key")
        .into_inner();
    assert!(key.key.starts_with("sk_test_"));

    let listed = dashboard.list_api_keys(&merchant.id, None, None).await.expect("list keys").into_inner();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(listed.data[0].id, key.id);

    let payments = kassa_sdk::authenticated(&server.base_url, &key.key).unwrap();
    assert!(payments.list_events(None, None, None, None).await.is_ok(), "the new key authenticates");
    let revoked = dashboard.revoke_api_key(&merchant.id, &key.id).await.expect("revoke");
    assert_eq!(revoked.status(), 204);
    match payments.list_events(None, None, None, None).await {
        Err(kassa_sdk::Error::ErrorResponse(error)) => {
            assert_eq!(error.status(), 401);
            assert_eq!(error.into_inner().error.code, "invalid_api_key");
        }
        other => panic!("a revoked key must be refused at once, got {other:?}"),
    }
    assert!(dashboard.list_api_keys(&merchant.id, None, None).await.unwrap().into_inner().data.is_empty());

    // One line per request, with its id; never a password, token or key.
    let log = server.log_text();
    let request_lines = log.lines().filter(|l| l.contains("request_id=\"req_") && l.contains("status=")).count();
    assert!(request_lines >= 9, "expected a log line per request, found {request_lines}:\n{log}");
    for secret in [password, token.access_token.as_str(), key.key.as_str()] {
        assert!(!log.contains(secret), "the log contains a secret:\n{log}");
    }
}

#[tokio::test]
async fn a_list_is_a_stream_that_follows_starting_after_page_by_page() {
    use futures::{StreamExt as _, TryStreamExt as _};
    use kassa_sdk::types::CreatePaymentIntentRequest;

    let server = Server::start(None).await;
    let api = kassa_testkit::Api::new(server.base_url.clone());
    let (_, _, token) = api.user().await;
    let merchant = api.merchant(&token).await;
    let (_, key) = api.api_key(&token, &merchant).await;
    let shop = kassa_sdk::authenticated(&server.base_url, &key).unwrap();
    let mut created = Vec::new();
    for amount in 1001..=1005 {
        let request = CreatePaymentIntentRequest {
            amount,
            currency: "usd".into(),
            success_url: "https://shop.example/ok".into(),
            cancel_url: "https://shop.example/cart".into(),
            ..Default::default()
        };
        created.push(shop.create_payment_intent(&request).await.unwrap().into_inner().id);
    }

    let pages = std::sync::atomic::AtomicUsize::new(0);
    let (shop, pages) = (&shop, &pages);
    let intents = || {
        kassa_sdk::pages::all(move |after| async move {
            pages.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            shop.list_payment_intents(Some(2), after.as_deref(), None).await
        })
    };
    let all: Vec<String> = intents().map_ok(|intent| intent.id).try_collect().await.unwrap();
    created.reverse();
    assert_eq!(all, created, "every intent once, newest first");
    assert_eq!(pages.swap(0, std::sync::atomic::Ordering::SeqCst), 3, "5 intents in pages of 2");

    // A reader that stops early fetches no page it does not read.
    let first: Vec<_> = intents().take(3).collect().await;
    assert_eq!(first.len(), 3);
    assert_eq!(pages.load(std::sync::atomic::Ordering::SeqCst), 2);
}
