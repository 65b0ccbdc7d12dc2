"""Kotlin settings classes publish their body defaults; ordinary classes do not."""

from __future__ import annotations

from contract_discovery.values import BinOp, Call, Num, Ref
from extractors.kotlin.extractor import EXTRACTOR


def test_settings_class_body_defaults_are_published_in_ms():
    result = EXTRACTOR.extract("src/WorkProcessingConfig.kt", b"""package com.example.config
import java.time.Duration
import org.springframework.boot.context.properties.ConfigurationProperties

@ConfigurationProperties(prefix = "work")
class WorkProcessing {
  var timeoutDuration: Duration = Duration.ofMinutes(2)
  var batchSize: Int = 1
  var label: String
}

class ClientSettings {
  val retries = 3
}

class Downloader {
  var timeout: Duration = Duration.ofSeconds(9)
}
""")
    # round 21: a @ConfigurationProperties class's body property is bound to `<prefix>.<kebab-case name>` (or the
    # name as written), its initial value the fallback
    assert result.symbols["WorkProcessing.timeoutDuration"] == Call("coalesce", (
        Ref("work.timeout-duration"), Ref("work.timeoutDuration"), BinOp("*", Num(2.0), Num(60000.0))))
    assert result.symbols["WorkProcessing.batchSize"] == Call("coalesce", (
        Ref("work.batch-size"), Ref("work.batchSize"), Num(1.0)))
    assert result.symbols["ClientSettings.retries"] == Num(3.0)
    assert "WorkProcessing.label" not in result.symbols
    assert "Downloader.timeout" not in result.symbols  # an instance's state, not settings


def test_a_timeout_read_from_a_settings_property_resolves_across_files(tmp_path):
    from contract_discovery.pipeline import scan
    src = tmp_path / "svc" / "src" / "main" / "kotlin" / "app"
    src.mkdir(parents=True)
    (tmp_path / "svc" / "build.gradle.kts").write_text('plugins { kotlin("jvm") }\n')
    (src / "ClientConfig.kt").write_text("""package app
import java.time.Duration
class ClientConfig {
    var readTimeout: Duration = Duration.ofSeconds(7)
}
""")
    (src / "Client.kt").write_text("""package app
import okhttp3.OkHttpClient
class Client(private val config: ClientConfig) {
    val http = OkHttpClient.Builder()
        .readTimeout(config.readTimeout)
        .build()
}
""")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    assert sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"]) for f in result.findings
                  if f.kind == "timeout") == [("Client.kt", 5, 7000)]


def test_a_nested_settings_group_and_a_local_bound_resolve_across_files(tmp_path):
    """``properties.languageTool.readTimeoutSeconds`` with the group's class in a file of its own
    (the settings naming convention: ``LanguageToolProperties``), and a retry loop bounded by a local
    ``val`` read from settings."""
    from contract_discovery.pipeline import scan
    src = tmp_path / "svc" / "src" / "main" / "kotlin" / "app"
    src.mkdir(parents=True)
    (src / "AppProperties.kt").write_text("""package app
import org.springframework.boot.context.properties.ConfigurationProperties
@ConfigurationProperties(prefix = "app")
class AppProperties {
    var languageTool: LanguageToolProperties = LanguageToolProperties()
    var startupWaitTries: Long = 300
}
""")
    (src / "LanguageToolProperties.kt").write_text("""package app
class LanguageToolProperties(
    var readTimeoutSeconds: Long = 60,
    var url: String? = null,
)
""")
    (src / "Checker.kt").write_text("""package app
import java.time.Duration
import org.springframework.boot.web.client.RestTemplateBuilder
class Checker(private val appProperties: AppProperties, private val builder: RestTemplateBuilder) {
    private val rest = builder
        .readTimeout(Duration.ofSeconds(appProperties.languageTool.readTimeoutSeconds))
        .build()

    fun waitForDatabase(dataSource: javax.sql.DataSource) {
        val maxTries = appProperties.startupWaitTries
        var tries = 0
        while (tries < maxTries) {
            try {
                dataSource.connection.use { it.createStatement().executeQuery("SELECT 1") }
                break
            } catch (e: Exception) {
                Thread.sleep(1000)
                tries++
            }
        }
    }
}
""")
    result = scan(tmp_path / "svc")
    got = sorted((f.line, f.kind, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                 for f in result.findings if f.path.endswith("Checker.kt") and f.kind in ("timeout", "retry"))
    assert got == [(6, "timeout", 60000), (12, "retry", 300)]


def test_a_value_parameter_takes_the_service_config_before_its_default(tmp_path):
    """``@param:Value("${api.timeout:20s}") val timeout: Duration``: application.yml's ``api.timeout``
    wins over the placeholder's default; a key the config leaves unset keeps the default. A retry
    count read through a member val of another class (``val maxRetries = config.maxRetries``) too."""
    from contract_discovery.pipeline import scan
    root = tmp_path / "svc"
    src = root / "src" / "main" / "kotlin" / "app"
    src.mkdir(parents=True)
    (root / "src" / "main" / "resources").mkdir(parents=True)
    (root / "src" / "main" / "resources" / "application.yml").write_text(
        "api:\n  timeout: 60s\nweb-client:\n  configuration:\n    max-retries: 2\n")
    (src / "WebClientConfiguration.kt").write_text('''package app
import org.springframework.beans.factory.annotation.Value
import uk.gov.justice.hmpps.kotlin.auth.authorisedWebClient
import uk.gov.justice.hmpps.kotlin.auth.healthWebClient
import java.time.Duration
class WebClientConfiguration(
  @param:Value("\\${api.health-timeout:2s}") val healthTimeout: Duration,
  @param:Value("\\${api.timeout:20s}") val timeout: Duration,
  @param:Value("\\${web-client.configuration.max-retries:0}") val maxRetries: Long,
) {
  fun health(builder: WebClient.Builder) = builder.healthWebClient("http://prison-api/health", healthTimeout)
  fun api(m: OAuth2AuthorizedClientManager, builder: WebClient.Builder) = builder.authorisedWebClient(m, "sar", "http://prison-api", timeout)
}
''')
    (src / "RetriesSpec.kt").write_text('''package app
import reactor.util.retry.Retry
import java.time.Duration
class RetriesSpec(webClientConfiguration: WebClientConfiguration) {
  val maxRetries: Long = webClientConfiguration.maxRetries
  fun spec() = Retry.backoff(maxRetries, Duration.ofSeconds(10))
}
''')
    result = scan(root)
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                  f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [("RetriesSpec.kt", 6, "retry", 3), ("WebClientConfiguration.kt", 11, "timeout", 2000),
                   ("WebClientConfiguration.kt", 12, "timeout", 60000)]


def test_an_objects_timeout_getter_values_the_calls_of_it(tmp_path):
    """`HTTPVariables.getHTTPReadTimeout()` (a parameterless getter of an object, named for a timeout, that
    returns one expression) is valued through the object's file; a getter with a parameter, an instance's
    member and a getter named for something else are not published."""
    from contract_discovery.pipeline import scan

    src = tmp_path / "svc" / "src" / "main" / "kotlin" / "a"
    src.mkdir(parents=True)
    (src / "HTTPVariables.kt").write_text("""package a
object HTTPVariables {
    private const val HTTP_READ_TIMEOUT = 20000L
    fun getHTTPReadTimeout(): Long =
        HTTP_READ_TIMEOUT
    fun getHTTPWriteTimeout(): Long {
        return 15_000L
    }
    fun scaledTimeout(factor: Long): Long = HTTP_READ_TIMEOUT * factor
    fun getPageSize(): Int = 50
}

class Settings {
    fun callTimeout(): Long = 9_000L
}
""")
    (src / "HttpModule.kt").write_text("""package a
import okhttp3.OkHttpClient
import java.util.concurrent.TimeUnit
class HttpModule(private val settings: Settings) {
    fun client() = OkHttpClient.Builder()
        .readTimeout(HTTPVariables.getHTTPReadTimeout(), TimeUnit.MILLISECONDS)
        .writeTimeout(HTTPVariables.getHTTPWriteTimeout(), TimeUnit.MILLISECONDS)
        .connectTimeout(HTTPVariables.scaledTimeout(2), TimeUnit.MILLISECONDS)
        .callTimeout(settings.callTimeout(), TimeUnit.MILLISECONDS)
        .build()
}
""")
    symbols = EXTRACTOR.extract("HTTPVariables.kt", (src / "HTTPVariables.kt").read_bytes()).symbols
    assert {k for k in symbols if k.endswith("()")} == {
        "getHTTPReadTimeout()", "HTTPVariables.getHTTPReadTimeout()",
        "getHTTPWriteTimeout()", "HTTPVariables.getHTTPWriteTimeout()"}
    result = scan(tmp_path / "svc")
    got = sorted((f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms"))
                 for f in result.findings if f.kind == "timeout")
    assert got == [(6, "read", 20000), (7, "write", 15000), (8, "connect", None), (9, "total", None)]
