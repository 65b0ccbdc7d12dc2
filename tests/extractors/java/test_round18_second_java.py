"""Round 18, second wave (Java): shapes the measure-only helpers met on the held-out sets.

* a project retry class used as an anonymous subclass (CacheCloud's ``new IdempotentConfirmer() { .. }.run()``): the
  class's own ``while (retry-- > 0)`` over a field that defaults to 3 is a retry of 3 at the loop (rule a), each
  construction leaving the count out one of 3 at the ``new`` (rule b), one passing a count that count;
* a private field nothing assigns (``private int defaultTimeout = Protocol.DEFAULT_TIMEOUT * 5;``) and a static
  non-final field nothing assigns (``private static int connectTimeout = 4000;``) are constants;
* a for-each over nodes that stops at the first failure (``if (!isOk) break;``), or whose only break leaves an inner
  loop, is no failover retry;
* Apache MINA sshd ``connect(..).verify(ms)`` / ``auth().verify(ms)``, Jedis ``migrate(.., timeout)``.
"""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve


def _found(files, kind=None):
    results = [EXTRACTOR.extract(path, text.encode()) for path, text in files]
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("max_attempts") if f.kind == "retry" else f.attributes.get("timeout_ms"))
                  for f in resolve(results) if f.kind in ((kind,) if kind else ("timeout", "retry")))


CONFIRMER = """package com.acme.cache.util;

public abstract class IdempotentConfirmer {
    private int retry = 3;

    protected IdempotentConfirmer(int retry) {
        this.retry = retry;
    }

    public IdempotentConfirmer() {
    }

    public abstract boolean execute();

    public boolean run() {
        while (retry-- > 0) {
            try {
                if (execute()) {
                    return true;
                }
            } catch (Exception e) {
                continue;
            }
        }
        return false;
    }
}
"""

CONFIRMER_USE = """package com.acme.cache.redis;

import com.acme.cache.util.IdempotentConfirmer;

public class Reshard {
    public boolean meet(final Jedis jedis) {
        return new IdempotentConfirmer() {
            @Override
            public boolean execute() {
                return "OK".equals(jedis.clusterMeet("h", 1));
            }
        }.run();
    }

    public boolean ping(final Jedis jedis) {
        return new IdempotentConfirmer(5) {
            @Override
            public boolean execute() {
                return jedis.ping() != null;
            }
        }.run();
    }

    public boolean setSlot(final List<HostAndPort> masterNodesList) {
        boolean isOk = false;
        for (HostAndPort hostAndPort : masterNodesList) {
            try {
                String response = jedis(hostAndPort).clusterSetSlotNode(1, "id");
                isOk = response != null;
                if (!isOk) {
                    break;
                }
            } catch (Exception e) {
                log(e);
            }
        }
        return isOk;
    }
}
"""


def test_retry_class_field_default_at_its_loop_and_at_each_construction():
    found = _found([("src/main/java/com/acme/cache/util/IdempotentConfirmer.java", CONFIRMER),
                    ("src/main/java/com/acme/cache/redis/Reshard.java", CONFIRMER_USE)])
    assert ("IdempotentConfirmer.java", 16, "retry", 3) in found  # rule a: the field's default at the loop
    assert ("Reshard.java", 7, "retry", 3) in found  # rule b: no count given
    assert ("Reshard.java", 16, "retry", 5) in found  # a count given
    assert not [f for f in found if f[0] == "Reshard.java" and f[1] == 27]  # stops at the first failing node


RESET_EACH_RUN = """package com.acme.cache.util;

public abstract class Repeater {
    private int retry = 3;

    public boolean run() {
        retry = 3;
        while (retry-- > 0) {
            try {
                if (execute()) {
                    return true;
                }
            } catch (Exception e) {
                continue;
            }
        }
        return false;
    }

    public abstract boolean execute();
}
"""

ONLY_CONSTRUCTOR = """package com.acme.cache.util;

public abstract class Always {
    private int retry = 3;

    public Always(int retry) {
        this.retry = retry;
    }

    public boolean run() {
        while (retry-- > 0) {
            try {
                if (execute()) {
                    return true;
                }
            } catch (Exception e) {
                continue;
            }
        }
        return false;
    }

    public abstract boolean execute();
}
"""


def test_field_default_not_taken_when_reset_or_always_given():
    # assigned again outside a constructor: the count is not the field's default
    assert ("Repeater.java", 8, "retry", 3) not in _found([("src/main/java/com/acme/cache/util/Repeater.java",
                                                            RESET_EACH_RUN)])
    # every constructor sets it: the initializer never holds when the loop runs
    assert ("Always.java", 11, "retry", 3) not in _found([("src/main/java/com/acme/cache/util/Always.java",
                                                           ONLY_CONSTRUCTOR)])


HELPER = """package com.acme.cache.redis;

public interface RedisCenter {
    Jedis getAdminJedis(long appId, String host, int port, int connectionTimeout, int soTimeout);
}
"""

HELPER_IMPL = """package com.acme.cache.redis.impl;

import com.acme.cache.redis.RedisCenter;

public class RedisCenterImpl implements RedisCenter {
    @Override
    public Jedis getAdminJedis(long appId, String host, int port, int connectionTimeout, int soTimeout) {
        Jedis jedis = new Jedis(host, port);
        jedis.getClient().setConnectionTimeout(connectionTimeout);
        jedis.getClient().setSoTimeout(soTimeout);
        return jedis;
    }
}
"""

FIELD_CALLER = """package com.acme.cache.redis;

import redis.clients.jedis.Protocol;

public class Reshard {
    private int defaultTimeout = Protocol.DEFAULT_TIMEOUT * 5;
    private int changingTimeout = 1000;
    private RedisCenter redisCenter;

    public void join(long appId, String host, int port) {
        Jedis a = redisCenter.getAdminJedis(appId, host, port, defaultTimeout, defaultTimeout);
        Jedis b = redisCenter.getAdminJedis(appId, host, port, changingTimeout, changingTimeout);
    }

    public void slower() {
        changingTimeout = changingTimeout * 2;
    }
}
"""


def test_never_assigned_private_field_is_a_constant():
    found = _found([("src/main/java/com/acme/cache/redis/RedisCenter.java", HELPER),
                    ("src/main/java/com/acme/cache/redis/impl/RedisCenterImpl.java", HELPER_IMPL),
                    ("src/main/java/com/acme/cache/redis/Reshard.java", FIELD_CALLER)])
    assert ("Reshard.java", 11, "timeout", 10000) in found
    assert not [f for f in found if f[0] == "Reshard.java" and f[1] == 12 and f[3] is not None]  # assigned: unknown


STATIC_FIELDS = """package com.acme.cache.configuration;

import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

public class DefaultRestTemplateConfig {
    private static int connectTimeout = 4000;
    private static int readTimeout = 5000;

    RestTemplate restTemplate() {
        HttpComponentsClientHttpRequestFactory f = new HttpComponentsClientHttpRequestFactory();
        f.setConnectTimeout(connectTimeout);
        f.setReadTimeout(readTimeout);
        return new RestTemplate(f);
    }

    static void configure(int t) {
        readTimeout = t;
    }
}
"""


def test_static_non_final_field_nothing_assigns():
    found = _found([("src/main/java/com/acme/cache/configuration/DefaultRestTemplateConfig.java", STATIC_FIELDS)])
    assert ("DefaultRestTemplateConfig.java", 11, "timeout", 4000) in found
    assert ("DefaultRestTemplateConfig.java", 12, "timeout", None) in found  # assigned in configure(): unknown


SSHD = """package com.acme.cache.ssh;

import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;

public class SessionFactory {
    private static final int SSH_CONNECTION_TIMEOUT = 5000;
    private SshClient client;
    private Integer serverConnectTimeout;

    public ClientSession make(String ip) throws Exception {
        ClientSession session = client.connect("root", ip,
                22).verify(SSH_CONNECTION_TIMEOUT, TimeUnit.MILLISECONDS).getSession();
        session.auth().verify(SSH_CONNECTION_TIMEOUT);
        signature.verify(bytes);
        return session;
    }

    public ClientSession configured(String ip) throws Exception {
        ClientSession session = client.connect("root", ip, 22).verify(getServerConnectTimeout()).getSession();
        session.auth().verify();
        return session;
    }
}
"""


def test_mina_sshd_verify_bounds():
    found = _found([("src/main/java/com/acme/cache/ssh/SessionFactory.java", SSHD)])
    assert ("SessionFactory.java", 14, "timeout", 5000) in found
    assert ("SessionFactory.java", 15, "timeout", 5000) in found
    assert not [f for f in found if f[1] in (16, 21, 22)]  # a signature's verify, a configured field, no bound


MIGRATE = """package com.acme.cache.redis;

import redis.clients.jedis.Jedis;

public class Mover {
    private int migrateTimeout = 10000;

    public void move(final Jedis source, final Jedis target, final String key) {
        boolean ok = new Object() {
            private int factor = 1;

            public boolean go() {
                String r = source.migrate(target.getClient().getHost(), target.getClient().getPort(),
                        key, 0, migrateTimeout * (factor++));
                return r != null;
            }
        }.go();
    }
}
"""


def test_jedis_migrate_timeout_first_try():
    found = _found([("src/main/java/com/acme/cache/redis/Mover.java", MIGRATE)])
    assert ("Mover.java", 13, "timeout", 10000) in found
    # a schema tool's migrate(..) in a file that does not use Jedis is none
    other = MIGRATE.replace("import redis.clients.jedis.Jedis;", "import org.flywaydb.core.Flyway;")
    assert not _found([("src/main/java/com/acme/cache/redis/Mover.java", other)])


DRIVER_POLICY = """package io.acme.storage.cassandra;

import com.datastax.oss.driver.api.core.retry.RetryDecision;
import com.datastax.oss.driver.api.core.retry.RetryPolicy;
import com.datastax.oss.driver.api.core.session.Request;

public final class RetryPolicyImpl implements RetryPolicy {
  private static final int MAX_READ_RETRIES = 10;
  private static final int MAX_WRITE_RETRIES = 10;

  private RetryDecision retryIfIdempotent(Request request, int retry, int maxRetries, String methodName) {
    if (retry >= maxRetries) {
      return RetryDecision.RETHROW;
    }
    if (Boolean.TRUE.equals(request.isIdempotent())) {
      return RetryDecision.RETRY_NEXT;
    }
    return RetryDecision.RETHROW;
  }

  @Override
  public RetryDecision onReadTimeout(Request request, ConsistencyLevel cl, int required, int received,
      boolean retrieved, int retry) {
    return retryIfIdempotent(request, retry, MAX_READ_RETRIES, "onReadTimeout");
  }

  @Override
  public RetryDecision onWriteTimeout(Request request, ConsistencyLevel cl, WriteType t, int required, int received,
      int retry) {
    return retryIfIdempotent(request, retry, MAX_WRITE_RETRIES, "onWriteTimeout");
  }
}
"""


def test_driver_retry_policy_helper_bound_from_its_calls():
    found = _found([("src/main/java/io/acme/storage/cassandra/RetryPolicyImpl.java", DRIVER_POLICY)])
    assert ("RetryPolicyImpl.java", 12, "retry", 11) in found
    # calls passing different bounds: the count is unknown, not the first call's
    mixed = DRIVER_POLICY.replace("MAX_WRITE_RETRIES = 10", "MAX_WRITE_RETRIES = 3")
    assert ("RetryPolicyImpl.java", 12, "retry", 11) not in _found(
        [("src/main/java/io/acme/storage/cassandra/RetryPolicyImpl.java", mixed)])
    # not a driver policy (no DataStax import): a comparison of a variable named retry is nothing
    plain = DRIVER_POLICY.replace("com.datastax.oss.driver.api.core", "com.acme")
    assert not [f for f in _found([("src/main/java/io/acme/storage/cassandra/RetryPolicyImpl.java", plain)])
                if f[1] == 12]
