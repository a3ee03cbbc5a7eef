//! A declined card, and what the API says about it: `402 card_error` with the issuer's
//! `decline_code`, the network's code, and how many attempts the intent has left.
//!
//! ```sh
//! cargo run -p kassa-sdk --example decline               # against http://127.0.0.1:4242
//! ```

use kassa_sdk::types::{
    Card, ConfirmCheckoutRequest, CreateApiKeyRequest, CreateMerchantRequest, CreatePaymentIntentRequest, LoginRequest,
    RegisterRequest,
};

type Error = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let base_url = std::env::var("KASSA_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:4242".into());
    let kassa = kassa_sdk::builder(&base_url).build()?;
    let email = format!("decline-{}@example.com", std::process::id());
    let password = "correct-horse-42".to_owned();
    kassa.register(&RegisterRequest { email: email.clone(), password: password.clone(), name: "Ada".into() }).await?;
    let token = kassa.login(&LoginRequest { email, password, ..Default::default() }).await?.into_inner().access_token;
    let dashboard = kassa_sdk::authenticated(&base_url, &token)?;
    let merchant =
        dashboard.create_merchant(&CreateMerchantRequest { name: "Acme Books".into(), webhook_url: None }).await?;
    let key = dashboard.create_api_key(&merchant.id, &CreateApiKeyRequest { name: "decline".into() }).await?;
    let server = kassa_sdk::authenticated(&base_url, &key.into_inner().key)?;

    let intent = server
        .create_payment_intent(&CreatePaymentIntentRequest {
            amount: 2500,
            currency: "eur".into(),
            success_url: "https://shop.example/thanks".into(),
            cancel_url: "https://shop.example/cart".into(),
            ..Default::default()
        })
        .await?
        .into_inner();
    let card = Card {
        number: kassa_sdk::test_cards::INSUFFICIENT_FUNDS.into(),
        exp_month: 12,
        exp_year: 2034,
        cvc: "123".into(),
        name: "Ada Lovelace".into(),
    };
    let client_secret = intent.client_secret.ok_or("the new intent came without its client secret")?;
    let request = ConfirmCheckoutRequest::with_card(client_secret, card);
    match kassa.confirm_checkout(&intent.id, &request).await {
        Err(kassa_sdk::Error::ErrorResponse(declined)) if declined.status() == 402 => {
            let error = declined.into_inner().error;
            println!(
                "Declined: decline_code={} network_decline_code={} attempts_remaining={} ({})",
                error.decline_code.unwrap_or_default(),
                error.network_decline_code.unwrap_or_default(),
                error.attempts_remaining.unwrap_or_default(),
                error.message,
            );
            Ok(())
        }
        other => Err(format!("expected a decline, got {other:?}").into()),
    }
}
