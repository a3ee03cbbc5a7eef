"""What a correct client does that no schema can state, applied to every request Schemathesis
makes, in every phase. Loaded with SCHEMATHESIS_HOOKS=hooks by tests/e2e/schemathesis.rs.
"""

import re
import uuid

import schemathesis

# openapi/kassa.json's Idempotency-Key pattern (server/src/openapi.rs).
KEY = re.compile(r"^[!-~]([ -~]{0,253}[!-~])?$")


@schemathesis.hook
def before_call(context, case, kwargs):
    # A client sends a new Idempotency-Key with each new request: one key with two bodies is
    # `400 idempotency_key_reused` by design, and Schemathesis would reuse a generated key. A key
    # the schema refuses, and the requests made to be refused, are left alone, so that their 4xx
    # are still checked.
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    headers = case.headers or {}
    if not negative and isinstance(headers.get("Idempotency-Key"), str) and KEY.match(headers["Idempotency-Key"]):
        headers["Idempotency-Key"] = f"st-{uuid.uuid4()}"
    # A long poll waits up to 25 s when no event comes, longer than Schemathesis waits for an
    # answer; one second is as valid a wait and keeps the run short (tests/e2e/listen.rs waits).
    # (Without `wait` it is 25 s; the coverage phase sends query values as strings. A `wait` made
    # to be refused is left alone.)
    if case.operation.path == "/v1/listen/events":
        if case.query is None:
            case.query = {}
        wait = str(case.query.get("wait", "25"))
        if wait.isdigit() and 1 < int(wait) <= 25:
            case.query["wait"] = 1
