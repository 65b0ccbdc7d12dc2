"""Spring Framework 7's core resilience (round 10, ported from the Kotlin extractor): ``@Retryable`` from
``org.springframework.resilience.annotation`` counts ``maxRetries`` after the first call (4 tries by default),
and the programmatic ``org.springframework.core.retry`` ``RetryTemplate`` / ``RetryPolicy`` likewise. Spring
Retry's ``org.springframework.retry`` annotation and template keep counting the first call."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve


def _retries(source: str):
    result = EXTRACTOR.extract("src/main/java/com/acme/T.java", source.encode())
    return sorted((f.line, f.attributes.get("max_attempts"), f.attributes.get("library"))
                  for f in resolve([result]) if f.kind == "retry")


ANNOTATED = """package com.acme;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.web.client.RestClient;

class PdlClient {
    private RestClient client;
    @Retryable
    String person(String id) { return client.get().retrieve().body(String.class); }

    @Retryable(maxRetries = 5, delay = 200, multiplier = 2.0)
    String other(String id) { return client.get().retrieve().body(String.class); }

    @Retryable(maxRetriesString = "${pdl.retries:2}")
    String third(String id) { return client.get().retrieve().body(String.class); }
}
"""


def test_spring_framework_7_retryable_counts_retries_after_the_first_call():
    assert _retries(ANNOTATED) == [(7, 4, "spring-framework"), (10, 6, "spring-framework"),
                                   (13, 3, "spring-framework")]


def test_spring_retry_retryable_still_counts_the_first_call():
    source = ANNOTATED.replace("org.springframework.resilience.annotation", "org.springframework.retry.annotation") \
        .replace("maxRetries = 5", "maxAttempts = 5").replace('maxRetriesString = "${pdl.retries:2}"', "maxAttempts = 2")
    assert _retries(source) == [(7, 3, "spring-retry"), (10, 5, "spring-retry"), (13, 2, "spring-retry")]


PROGRAMMATIC = """package com.acme;
import java.time.Duration;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

class Retries {
    private final RetryTemplate template = new RetryTemplate(RetryPolicy.builder()
            .maxRetries(4)
            .delay(Duration.ofMillis(100)).build());
    private final RetryTemplate few = new RetryTemplate(RetryPolicy.withMaxRetries(2));
    private final RetryTemplate plain = new RetryTemplate();
    private final RetryTemplate defaults = new RetryTemplate(RetryPolicy.withDefaults());
    private final RetryTemplate unbounded = new RetryTemplate(RetryPolicy.builder().delay(Duration.ofMillis(100)).build());
    private final RetryTemplate applied = new RetryTemplate();
    private final int maxRetries = 7;

    Retries() {
        applied.setRetryPolicy(RetryPolicy.withMaxRetries(1));
    }

    RetryTemplate local() {
        RetryTemplate t = new RetryTemplate();
        return t;
    }
}
"""


def test_spring_framework_7_programmatic_retry_template_and_policy():
    got = _retries(PROGRAMMATIC)
    assert got == [(8, 5, "spring-framework"), (10, 3, "spring-framework"), (11, 4, "spring-framework"),
                   (12, 4, "spring-framework"), (13, 4, "spring-framework"), (18, 2, "spring-framework"),
                   (22, 4, "spring-framework")]


def test_spring_retry_template_of_the_other_package_is_not_read_as_spring_framework():
    source = PROGRAMMATIC.replace("org.springframework.core.retry", "org.springframework.retry.support")
    assert not any(library == "spring-framework" for *_, library in _retries(source))
    # a `retryPolicy` variable or a comment naming the policy is no retry
    plain = """package com.acme;
import org.springframework.core.retry.RetryPolicy;
class C {
    // RetryPolicy.withMaxRetries(3) would be better
    private String retryPolicy = "RetryPolicy.withDefaults()";
    void run(RetryPolicy policy) { policy.toString(); }
}
"""
    assert _retries(plain) == []


def test_failsafe_retry_policy_builder_is_not_springs():
    # dev.failsafe's RetryPolicy.builder().withMaxRetries(3): 4 tries, read by the client retry setter (a file
    # without Spring's org.springframework.core.retry)
    source = """package com.acme;
import dev.failsafe.RetryPolicy;
import org.springframework.web.client.RestClientException;
class LedgerClient {
    private final RetryPolicy<Object> retryPolicy = RetryPolicy.builder()
            .handle(RestClientException.class)
            .withMaxRetries(3)
            .build();
}
"""
    assert [(line, attempts) for line, attempts, _ in _retries(source)] == [(7, 4)]
