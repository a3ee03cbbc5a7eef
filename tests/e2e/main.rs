//! End-to-end tests: the built `kassa` binary, started as a user would start it, driven from
//! outside through the SDK and the conformance suite. One binary, a module per concern.

mod balancer;
mod browser;
mod harness;
mod listen;

mod checkout_page;
mod clients;
mod conformance;
mod contract_tools;
mod crash;
mod dashboard;
mod docs_browser;
mod ops;
mod quickstart;
mod sdk_flow;
mod sdk_retries;
mod serve;
mod shop;
mod webhooks;
