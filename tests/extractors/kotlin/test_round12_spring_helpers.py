"""Kotlin round 12 (held-out sets pagopa-event-dispatcher, cantus, boober): a bean method's parameter that Spring
injects from configuration (``@Value("${nodo.readTimeout}") readTimeout: Long``) is a configuration read, not a
helper parameter its callers hand in (no forwarder); ``Mono.block(duration)`` with a ``Duration`` parameter and the
calls of a project extension function imported by name that leave it out; a superclass constructor call
(``class DbhClient(..) : RetryingRestTemplateWrapper(restTemplate, retries = retries)``) is a call of that class's
constructor, and a call passing 0 re-tries still makes one try."""

from __future__ import annotations

from contract_discovery.pipeline import scan


def _scan(tmp_path, files: dict[str, str]):
    root = tmp_path / "svc"
    (root / "src/main/kotlin/app").mkdir(parents=True)
    (root / "build.gradle.kts").write_text('plugins { kotlin("jvm") }\n')
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in result.findings if f.kind in ("timeout", "retry"))


WEB_CONFIG = """package app
import io.netty.channel.ChannelOption
import io.netty.handler.timeout.ReadTimeoutHandler
import org.springframework.beans.factory.annotation.Value
import reactor.netty.http.client.HttpClient
import java.util.concurrent.TimeUnit

class WebClientConfig {
    fun nodoApi(
        @Value("\\${nodo.readTimeout}") nodoReadTimeout: Long,
        @Value("\\${nodo.connectionTimeout}") nodoConnectionTimeout: Int,
    ): HttpClient =
        HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, nodoConnectionTimeout)
            .doOnConnected { c -> c.addHandlerLast(ReadTimeoutHandler(nodoReadTimeout, TimeUnit.MILLISECONDS)) }

    fun cantus(@Value("\\${cantus.connectTimeout:5000}") connectTimeout: Int): HttpClient =
        HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout)

    fun plain(connectTimeout: Int): HttpClient =
        HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout)

    fun unused(@Value("\\${cantus.timeout:5000}") timeout: Int, name: String): String = name
}
"""


def test_value_injected_bean_method_parameters_are_configuration_reads(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/WebClientConfig.kt": WEB_CONFIG,
        "src/main/resources/application.properties": "nodo.readTimeout=${NODO_READ_TIMEOUT}\nnodo.connectionTimeout=3000\n",
    })
    assert ("WebClientConfig.kt", 14, "timeout", 3000) in found  # the property's value
    assert ("WebClientConfig.kt", 15, "timeout", None) in found  # an env var without a default: unknown, reported
    assert ("WebClientConfig.kt", 18, "timeout", 5000) in found  # the placeholder's default
    # a parameter without an injecting annotation stays a forwarder (its callers hold the value); an injected
    # parameter that bounds nothing is nothing
    assert [f for f in found if f[1] in (21, 23)] == []


ERROR_HANDLER = """package app.controller
import reactor.core.publisher.Mono
import java.time.Duration

private const val BLOCK_TIMEOUT: Long = 300

fun <T> Mono<T>.blockAndHandleError(
    duration: Duration = Duration.ofSeconds(BLOCK_TIMEOUT),
    message: String? = null
) = this.toMono<T>().block(duration)

fun <T> Mono<T>.blockCount(count: Int = 3) = this.take(count).block()
"""

DOCKER_CLIENT = """package app.service
import app.controller.blockAndHandleError
import app.controller.blockCount

class DockerHttpClient(private val webClient: WebClient) {
    fun manifest(url: String) = webClient.get().uri(url).retrieve().bodyToMono<String>()
        .blockAndHandleError(message = "GET manifest")

    fun quick(url: String) = webClient.get().uri(url).retrieve().bodyToMono<String>()
        .blockAndHandleError(Duration.ofSeconds(5))

    fun counted(url: String) = webClient.get().uri(url).retrieve().bodyToMono<String>().blockCount()
}
"""


def test_mono_block_with_a_duration_parameter_and_the_extension_calls_that_leave_it_out(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/controller/ErrorHandler.kt": ERROR_HANDLER,
        "src/main/kotlin/app/service/DockerHttpClient.kt": DOCKER_CLIENT,
    })
    assert ("ErrorHandler.kt", 10, "timeout", 300000) in found  # rule (a): the default at the block line
    assert ("DockerHttpClient.kt", 7, "timeout", 300000) in found  # rule (b): the call leaving it out
    assert ("DockerHttpClient.kt", 10, "timeout", 5000) in found  # rule (c): the call passing a value
    # an Int parameter handed to take(): no block bound
    assert [f for f in found if f[0] == "ErrorHandler.kt" and f[1] == 12] == []
    assert [f for f in found if f[0] == "DockerHttpClient.kt" and f[1] == 12] == []


WRAPPER = """package app.utils
import org.springframework.retry.policy.NeverRetryPolicy
import org.springframework.retry.policy.SimpleRetryPolicy
import org.springframework.retry.support.RetryTemplate
import org.springframework.web.client.RestTemplate

open class RetryingRestTemplateWrapper(
    val restTemplate: RestTemplate,
    open val retries: Int = 3,
    val backoff: Long = 500,
) {
    private val retryTemplate = RetryTemplate().apply {
        if (retries == 0) {
            setRetryPolicy(NeverRetryPolicy())
        } else {
            setRetryPolicy(SimpleRetryPolicy(retries))
        }
    }
}
"""

SUBCLASSES = """package app.service
import app.utils.RetryingRestTemplateWrapper
import org.springframework.beans.factory.annotation.Value

class BitbucketWrapper(restTemplate: RestTemplate) : RetryingRestTemplateWrapper(restTemplate)

class MattermostWrapper(restTemplate: RestTemplate) : RetryingRestTemplateWrapper(
    restTemplate = restTemplate,
    retries = 0,
)

class DbhWrapper(
    restTemplate: RestTemplate,
    @Value("\\${integrations.dbh.retries:5}") override val retries: Int
) : RetryingRestTemplateWrapper(restTemplate = restTemplate, retries = retries)

class Forwarding(restTemplate: RestTemplate, retries: Int) : RetryingRestTemplateWrapper(restTemplate, retries)

class NotFound(message: String) : RuntimeException(message)
"""


def test_superclass_constructor_calls_of_a_retry_wrapper(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/utils/RetryingRestTemplateWrapper.kt": WRAPPER,
        "src/main/kotlin/app/service/Wrappers.kt": SUBCLASSES,
    })
    assert ("RetryingRestTemplateWrapper.kt", 16, "retry", 3) in found  # rule (a) at the policy
    assert ("Wrappers.kt", 5, "retry", 3) in found  # rule (b): retries left out
    assert ("Wrappers.kt", 7, "retry", 1) in found  # retries = 0: never retried, one try
    assert ("Wrappers.kt", 15, "retry", 5) in found  # an injected property's default
    # a subclass handing on its own parameter without a default is a forwarder; a library superclass is nothing
    assert [f for f in found if f[0] == "Wrappers.kt" and f[1] in (17, 19)] == []
