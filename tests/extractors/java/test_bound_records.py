"""Typed configuration bound to a prefix: a Spring `@ConfigurationProperties` record's components and a Quarkus
`@ConfigMapping` interface's methods return the property the service's configuration sets, else their default."""

from __future__ import annotations

from contract_discovery.pipeline import scan

RECORD = """package a;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
@ConfigurationProperties(prefix = "clients.ledger")
public record LedgerProperties(Duration connectTimeout, Duration readTimeout, @DefaultValue("7s") Duration writeTimeout) {}
"""
MAPPING = """package a;
import java.time.Duration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
@ConfigMapping(prefix = "fx")
public interface FxConfig {
    Duration requestTimeout();
    @WithDefault("4") int maxAttempts();
}
"""
CLIENT = """package a;
public class LedgerClient {
    LedgerClient(LedgerProperties props, FxConfig fx) {
        factory.setConnectTimeout(props.connectTimeout());
        factory.setReadTimeout(props.readTimeout());
        client.setWriteTimeout(props.writeTimeout());
        fxFactory.setReadTimeout(fx.requestTimeout());
    }
}
"""


def _service(tmp_path, yml: str):
    (tmp_path / "build.gradle").write_text("plugins { id 'java' }\n")
    src = tmp_path / "src/main/java/a"
    src.mkdir(parents=True)
    (src / "LedgerProperties.java").write_text(RECORD)
    (src / "FxConfig.java").write_text(MAPPING)
    (src / "LedgerClient.java").write_text(CLIENT)
    res = tmp_path / "src/main/resources"
    res.mkdir(parents=True)
    (res / "application.yml").write_text(yml)
    return {(f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("phase")): f.attributes.get("timeout_ms")
            for f in scan(tmp_path).findings if f.kind == "timeout"}


def test_record_components_and_mapping_methods_read_the_configuration(tmp_path):
    got = _service(tmp_path, "clients:\n  ledger:\n    connect-timeout: 500ms\n    read-timeout: 3s\nfx:\n  request-timeout: 1200ms\n")
    assert got[("LedgerClient.java", 4, "connect")] == 500
    assert got[("LedgerClient.java", 5, "read")] == 3000
    # not in the file: the component's own @DefaultValue
    assert got[("LedgerClient.java", 6, "write")] == 7000
    assert got[("LedgerClient.java", 7, "read")] == 1200


def test_properties_the_configuration_leaves_out_stay_unknown(tmp_path):
    got = _service(tmp_path, "clients:\n  other:\n    read-timeout: 3s\n")
    assert got[("LedgerClient.java", 5, "read")] is None
    assert got[("LedgerClient.java", 6, "write")] == 7000
