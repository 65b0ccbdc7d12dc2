"""Round 10: settings defined in code and read through a settings object (Debezium-style `Field.create(..)
.withDefault(..)` constants read in a constructor or the one method it calls; a private helper returning an optional
setting's default; an interface implemented by a settings class in the app that uses the library; Gradle's
type-safe project accessors linking the modules)."""

from __future__ import annotations

from contract_discovery.pipeline import scan

FIELDS = """package a;
import io.debezium.config.Field;
import java.time.Duration;
public class SinkConfig {
    public static final Field TIMEOUT_MS = Field.create("timeout.ms").withDisplayName("Timeout").withDefault(60000L);
    public static final Field RETRIES = Field.create("retries").withDefault(5);
    public static final Field NAME = Field.create("name").withDescription("no default");
    private static final String RETRY_NOTE = "timeout.retry";  // a string constant: not a setting
    private Duration timeout;
    private int retries;
    private String name;
    public SinkConfig(Configuration config) {
        init(config);
    }
    protected void init(Configuration config) {
        timeout = Duration.ofMillis(config.getLong(TIMEOUT_MS));
        retries = config.getInteger(RETRIES);
        name = config.getString(NAME);
    }
    public Duration getTimeout() { return timeout; }
    public int getRetries() { return retries; }
}
"""
SINK = """package a;
import java.net.http.HttpRequest;
public class Sink {
    private SinkConfig config;
    void start(Configuration c) {
        this.config = new SinkConfig(c);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(this.config.getTimeout());
    }
    void send(Event e) throws Exception {
        int attempts = 0;
        while (!sent(e)) {
            attempts++;
            if (attempts >= config.getRetries()) {
                throw new IllegalStateException("gave up");
            }
            Thread.sleep(1000);
        }
    }
}
"""


def _findings(root):
    return {(f.path.rsplit("/", 1)[-1], f.line, f.kind): f.attributes.get("timeout_ms", f.attributes.get("max_attempts"))
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


def test_field_definitions_read_in_the_constructors_init_method(tmp_path):
    (tmp_path / "pom.xml").write_text("<project><artifactId>sink</artifactId></project>\n")
    src = tmp_path / "src/main/java/a"
    src.mkdir(parents=True)
    (src / "SinkConfig.java").write_text(FIELDS)
    (src / "Sink.java").write_text(SINK)
    got = _findings(tmp_path)
    assert got[("Sink.java", 8, "timeout")] == 60000
    # `while (!sent(e)) { attempts++; if (attempts >= config.getRetries()) throw ..; }`: retries 5 -> 5 tries
    assert got[("Sink.java", 12, "retry")] == 5
    # nothing reported in the settings class itself (definitions and reads are no contract)
    assert not [k for k in got if k[0] == "SinkConfig.java"]


HELPER_CONFIG = """package a;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
class DefaultServiceConfig implements ServiceConfig {
  private static final Long DEFAULT_CLIENT_TIMEOUT_SECONDS = 10L;
  private static final String GATEWAY_TIMEOUT = "gateway.service.timeout";
  Duration gatewayTimeout;
  int gatewayPort;
  DefaultServiceConfig(Config untypedConfig) {
    this.gatewayTimeout = durationOrFallback(() -> untypedConfig.getDuration(GATEWAY_TIMEOUT));
    this.gatewayPort = portOf(untypedConfig);
  }
  private Duration durationOrFallback(Supplier<Duration> durationSupplier) {
    return optionallyGet(durationSupplier).orElse(Duration.ofSeconds(DEFAULT_CLIENT_TIMEOUT_SECONDS));
  }
  private int portOf(Config config) {
    return config.getInt("port");
  }
  private <T> Optional<T> optionallyGet(Supplier<T> valueSupplier) {
    try {
      return Optional.ofNullable(valueSupplier.get());
    } catch (Throwable unused) {
      return Optional.empty();
    }
  }
  public Duration getGatewayTimeout() { return gatewayTimeout; }
}
"""
SERVICE_CONFIG = """package a;
import java.time.Duration;
public interface ServiceConfig {
  Duration getGatewayTimeout();
}
"""
DAO = """package b;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import a.ServiceConfig;
class GatewayDao {
  private final ServiceConfig serviceConfig;
  private final GatewayStub stub;
  Response fetch(Request request) {
    return stub
        .withDeadlineAfter(serviceConfig.getGatewayTimeout().toMillis(), MILLISECONDS)
        .getEntities(request);
  }
}
"""


def _gradle(tmp_path):
    (tmp_path / "settings.gradle.kts").write_text(
        'enableFeaturePreview("TYPESAFE_PROJECT_ACCESSORS")\ninclude(":my-app")\ninclude(":gateway-dao")\n'
        'include(":service-config")\n')
    for folder, deps in (("my-app", ["gatewayDao", "serviceConfig"]), ("gateway-dao", ["serviceConfig"]),
                         ("service-config", [])):
        (tmp_path / folder).mkdir()
        lines = "".join(f"  implementation(projects.{d})\n" for d in deps)
        (tmp_path / folder / "build.gradle.kts").write_text(f"plugins {{ java }}\ndependencies {{\n{lines}}}\n")
    app = tmp_path / "my-app/src/main/java/a"
    app.mkdir(parents=True)
    (app / "DefaultServiceConfig.java").write_text(HELPER_CONFIG)
    conf = tmp_path / "service-config/src/main/java/a"
    conf.mkdir(parents=True)
    (conf / "ServiceConfig.java").write_text(SERVICE_CONFIG)
    dao = tmp_path / "gateway-dao/src/main/java/b"
    dao.mkdir(parents=True)
    (dao / "GatewayDao.java").write_text(DAO)


def test_library_reads_the_interface_its_app_implements(tmp_path):
    _gradle(tmp_path)
    got = _findings(tmp_path)
    # the helper returns `optionallyGet(..).orElse(Duration.ofSeconds(10))`; the app implements the interface
    # the library module holds; the modules are linked by `projects.gatewayDao` accessors
    assert got[("GatewayDao.java", 9, "timeout")] == 10000


def test_without_the_app_the_interface_stays_unresolved(tmp_path):
    _gradle(tmp_path)
    (tmp_path / "my-app/build.gradle.kts").write_text("plugins { java }\n")  # the app no longer uses the DAO
    got = _findings(tmp_path)
    assert got[("GatewayDao.java", 9, "timeout")] is None


def test_gradle_type_safe_accessors_link_projects(tmp_path):
    from contract_discovery.links import project_links
    from contract_discovery.model import Service

    _gradle(tmp_path)
    services = [Service(name=n, path=n) for n in ("my-app", "gateway-dao", "service-config")]
    links = project_links(tmp_path, services)
    assert links["my-app"] == ("gateway-dao", "service-config")
    assert links["gateway-dao"] == ("service-config",)
