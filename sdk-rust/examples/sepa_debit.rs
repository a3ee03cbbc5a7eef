//! A SEPA Direct Debit: the intent takes `sepa_debit` (euro only), the customer confirms with
//! an IBAN, and the payment is `processing` until the bank settles it a few seconds later
//! (`KASSA_DEBIT_SETTLEMENT_DELAY`); the server then sees `succeeded`. A real integration
//! learns that from the `payment_intent.succeeded` webhook; this example polls.
//!
//! ```sh
//! cargo run -p kassa-sdk --example sepa_debit        # against http://127.0.0.1:4242
//! ```

use std::time::Duration;

use kassa_sdk::types::{
    ConfirmCheckoutRequest, CreateApiKeyRequest, CreateMerchantRequest, CreatePaymentIntentRequest, LoginRequest,
    PaymentIntentStatus, RegisterRequest,
};

type Error = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let base_url = std::env::var("KASSA_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:4242".into());
    let kassa = kassa_sdk::builder(&base_url).build()?;
    let email = format!("sepa-debit-{}@example.com", std::process::id());
    let password = "correct-horse-42".to_owned();
    kassa.register(&RegisterRequest { email: email.clone(), password: password.clone(), name: "Ada".into() }).await?;
    let token = kassa.login(&LoginRequest { email, password, ..Default::default() }).await?.into_inner().access_token;
    let dashboard = kassa_sdk::authenticated(&base_url, &token)?;
    let merchant =
        dashboard.create_merchant(&CreateMerchantRequest { name: "Acme Books".into(), webhook_url: None }).await?;
    let key = dashboard.create_api_key(&merchant.id, &CreateApiKeyRequest { name: "sepa".into() }).await?;
    let server = kassa_sdk::authenticated(&base_url, &key.into_inner().key)?;

    let intent = server
        .create_payment_intent(&CreatePaymentIntentRequest {
            amount: 3100,
            currency: "eur".into(),
            success_url: "https://shop.example/thanks".into(),
            cancel_url: "https://shop.example/cart".into(),
            description: Some("Subscription, first month".into()),
            payment_method_types: Some(vec![
                kassa_sdk::types::PaymentMethodType::Card,
                kassa_sdk::types::PaymentMethodType::SepaDebit,
            ]),
            ..Default::default()
        })
        .await?
        .into_inner();
    let client_secret = intent.client_secret.ok_or("the new intent came without its client secret")?;

    // The customer enters the IBAN of the test account that settles.
    let confirm = ConfirmCheckoutRequest::with_sepa_debit(client_secret, kassa_sdk::test_accounts::SEPA_SETTLES);
    let answer = kassa.confirm_checkout(&intent.id, &confirm).await?.into_inner();
    println!("Confirm answered {}; the browser goes to {}", answer.status, answer.redirect_url);

    // The bank settles it after the server's settlement delay.
    for _ in 0..120 {
        let read = server.get_payment_intent(&intent.id).await?.into_inner();
        if !matches!(read.status, PaymentIntentStatus::Processing) {
            let method = read.payment_method.ok_or("a settled debit names its account")?;
            println!(
                "Settled: amount={} cents, status={}, paid from {} account ending {}",
                read.amount_received,
                read.status,
                method.bank.unwrap_or_default(),
                method.last4
            );
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err("the debit did not settle within 30 seconds".into())
}
