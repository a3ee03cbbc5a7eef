//! Every list operation as a [`Stream`] of its items, following `starting_after` on its own:
//! a list answers one page (`data`, newest first, and `has_more`), and the next page starts
//! after the last id of this one. Pages are fetched as the stream is read, one at a time, so a
//! consumer that stops early fetches no more.
//!
//! ```no_run
//! # async fn recent(server: kassa_sdk::Client) -> Result<(), kassa_sdk::Error<kassa_sdk::types::Error>> {
//! use futures::TryStreamExt as _;
//! let server = &server;
//! let succeeded: Vec<_> = kassa_sdk::pages::all(|after| async move {
//!     server.list_payment_intents(Some(100), after.as_deref(), Some(kassa_sdk::types::PaymentIntentStatus::Succeeded)).await
//! })
//! .try_collect()
//! .await?;
//! # let _ = succeeded; Ok(()) }
//! ```

use std::collections::VecDeque;
use std::future::Future;

use futures::Stream;
use progenitor_client::ResponseValue;

use crate::{Error, types};

/// One page of a list operation's answer.
pub trait Page {
    type Item;
    /// The page's items, and whether another page follows.
    fn into_items(self) -> (Vec<Self::Item>, bool);
    /// The `starting_after` that continues after `item`.
    fn cursor(item: &Self::Item) -> String;
}

macro_rules! pages {
    ($($list:ident of $item:ident by $id:ident),* $(,)?) => {$(
        impl Page for types::$list {
            type Item = types::$item;
            fn into_items(self) -> (Vec<types::$item>, bool) {
                (self.data, self.has_more)
            }
            fn cursor(item: &types::$item) -> String {
                item.$id.to_string()
            }
        }
    )*};
}

pages!(
    MerchantList of Merchant by id,
    TeamMemberList of TeamMember by user_id,
    ApiKeyList of ApiKey by id,
    PaymentIntentList of PaymentIntent by id,
    RefundList of Refund by id,
    ChargeList of Charge by id,
    EventList of Event by id,
    DeliveryAttemptList of DeliveryAttempt by id,
    RequestLogList of RequestLog by id,
);

/// Every item of a list: `fetch(starting_after)` is the list call (`None` for the first page),
/// made again with the last id seen for as long as the server says `has_more`. A failed call
/// (after the client's own retries) ends the stream with its error.
pub fn all<P, F, Fut>(fetch: F) -> impl Stream<Item = Result<P::Item, Error<types::Error>>>
where
    P: Page,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<ResponseValue<P>, Error<types::Error>>>,
{
    // `next`: the cursor of the page to fetch, or `None` once the last page was read.
    let start = (fetch, VecDeque::new(), Some(None::<String>));
    futures::stream::try_unfold(start, |(mut fetch, mut buffered, mut next)| async move {
        loop {
            if let Some(item) = buffered.pop_front() {
                return Ok(Some((item, (fetch, buffered, next))));
            }
            let Some(after) = next.take() else { return Ok(None) };
            let (items, has_more) = fetch(after).await?.into_inner().into_items();
            next = if has_more { items.last().map(|last| Some(P::cursor(last))) } else { None };
            buffered = items.into();
        }
    })
}
