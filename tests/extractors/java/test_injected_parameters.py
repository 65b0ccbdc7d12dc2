"""A bean method's `@Value` parameter handed to a class that keeps it as a retry bound: the contract is where the
class is built, with the property's value (the parameter is configuration, not a forwarded argument)."""

from pathlib import Path

from contract_discovery.pipeline import scan

RECHECK = """package com.acme.auth;

public class TokenRecheck extends RemoteTokenServices {
    private int invalidTokenRetryLimit;

    public TokenRecheck(int invalidTokenRetryLimit) {
        this.invalidTokenRetryLimit = invalidTokenRetryLimit;
    }

    public Authentication load(String token) {
        return load(token, 0);
    }

    private Authentication load(String token, int attempt) {
        try {
            return super.loadAuthentication(token);
        } catch (InvalidTokenException e) {
            if (attempt < invalidTokenRetryLimit) {
                attempt++;
                return load(token, attempt);
            }
            throw e;
        }
    }
}
"""

CONFIG = """package com.acme.auth;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

public class TokenConfig {
    @Bean
    public RemoteTokenServices tokenServices(@Value("${auth.invalidToken.retryLimit:3}") int limit) {
        return new TokenRecheck(limit);
    }

    public RemoteTokenServices strict(int limit) {
        return new TokenRecheck(limit);
    }
}
"""


def test_an_injected_bound_is_counted_where_the_class_is_built(tmp_path: Path) -> None:
    src = tmp_path / "auth" / "src" / "main" / "java" / "com" / "acme" / "auth"
    src.mkdir(parents=True)
    (tmp_path / "auth" / "pom.xml").write_text("<project><artifactId>auth</artifactId></project>\n")
    (src / "TokenRecheck.java").write_text(RECHECK)
    (src / "TokenConfig.java").write_text(CONFIG)
    retries = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["max_attempts"])
                     for f in scan(tmp_path, jobs=1).findings if f.kind == "retry")
    # 1 + 3 re-checks; the recursion itself is a forwarder of the constructor's parameter, and strict()'s plain
    # parameter is its caller's to decide
    assert retries == [("TokenConfig.java", 9, 4)]


HOLDER = """package com.acme.zk;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;

public class ZkHolder {
    private final int connectionTimeoutMs;
    private final CuratorFramework zk;

    public ZkHolder(String hosts, int connectionTimeoutMs) {
        this.connectionTimeoutMs = connectionTimeoutMs;
        this.zk = create(hosts, connectionTimeoutMs);
    }

    private CuratorFramework create(String hosts, int connectionTimeoutMs) {
        return CuratorFrameworkFactory.builder()
                .connectString(hosts)
                .connectionTimeoutMs(connectionTimeoutMs)
                .build();
    }
}
"""

ZK_CONFIG = """package com.acme.zk;

import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

public class ZkConfig {
    @Bean
    public ZkHolder zkHolder(final Environment environment) {
        return new ZkHolder(environment.getProperty("zk.hosts"),
                Integer.parseInt(environment.getProperty("zk.connection-timeout-ms")));
    }
}
"""


def test_a_setting_read_from_the_environment_is_counted_where_it_is_handed_over(tmp_path: Path) -> None:
    base = tmp_path / "registry"
    src = base / "src" / "main" / "java" / "com" / "acme" / "zk"
    src.mkdir(parents=True)
    (base / "src" / "main" / "resources").mkdir(parents=True)
    (base / "pom.xml").write_text("<project><artifactId>registry</artifactId></project>\n")
    (base / "src" / "main" / "resources" / "application.yml").write_text("zk:\n  connection-timeout-ms: 3000\n")
    (src / "ZkHolder.java").write_text(HOLDER)
    (src / "ZkConfig.java").write_text(ZK_CONFIG)
    timeouts = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"])
                      for f in scan(tmp_path, jobs=1).findings if f.kind == "timeout")
    assert timeouts == [("ZkConfig.java", 9, 3000)]


RELEASES = """package com.acme.ui;

import java.time.Duration;

public class ReleaseInfo {
    public static final String TIMEOUT_KEY = "github.release.info.timeout";
    private static final String URL = "https://api.github.com/repos/acme/ui/releases/latest";
    private final Mono<Release> refresh;

    public ReleaseInfo(int maxWaitSeconds) {
        this(URL, maxWaitSeconds);
    }

    ReleaseInfo(String url, int maxWaitSeconds) {
        this.refresh = webClient.get().uri(url).retrieve().bodyToMono(Release.class)
                .timeout(Duration.ofSeconds(maxWaitSeconds));
    }
}
"""

INFO = """package com.acme.ui;

import org.springframework.beans.factory.annotation.Value;

public class InfoService {
    private final ReleaseInfo releases;

    public InfoService(@Value("${" + ReleaseInfo.TIMEOUT_KEY + ":10}") int maxWaitSeconds) {
        this.releases = new ReleaseInfo(maxWaitSeconds);
    }
}
"""


def test_a_telescoping_constructor_hands_its_parameter_to_the_primary_ones_slot(tmp_path: Path) -> None:
    src = tmp_path / "ui" / "src" / "main" / "java" / "com" / "acme" / "ui"
    src.mkdir(parents=True)
    (tmp_path / "ui" / "pom.xml").write_text("<project><artifactId>ui</artifactId></project>\n")
    (src / "ReleaseInfo.java").write_text(RELEASES)
    (src / "InfoService.java").write_text(INFO)
    timeouts = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"])
                      for f in scan(tmp_path, jobs=1).findings if f.kind == "timeout")
    # the @Value key sits in a constant (`"${" + KEY + ":10}"`): its default, 10 s
    assert timeouts == [("InfoService.java", 9, 10000)]
