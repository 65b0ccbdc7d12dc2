"""Round 12, false positives of the cecochat set:

- a helper waiting on an in-process System.Threading.Channels channel under a deadline it was given
  (``timeoutCts = new CancellationTokenSource(timeout); await _channel.Reader.ReadAsync(linked.Token)``,
  the source assigned, not declared) is no timeout helper: its callers get no proposal;
- ``SetReadTimeoutMillis(Convert.ToInt32(Math.Ceiling(timeout.Value.TotalMilliseconds)))`` of a constructor's
  parameter without default forwards the callers' value (no finding at the helper);
- still reported: the same deadline on a call of a client, and a literal read timeout."""

from __future__ import annotations

from .support import contracts as _contracts


CHANNEL = (
    "using System.Threading.Channels;\n"                                          # 1
    "public class IdChannel\n"                                                    # 2
    "{\n"                                                                         # 3
    "    private readonly Channel<long> _channel = Channel.CreateUnbounded<long>();\n"  # 4
    "    public async ValueTask<long?> TryTakeId(TimeSpan timeout, CancellationToken ct)\n"  # 5
    "    {\n"                                                                     # 6
    "        CancellationTokenSource? timeoutCts = null;\n"                       # 7
    "        try\n"                                                               # 8
    "        {\n"                                                                 # 9
    "            timeoutCts = new CancellationTokenSource(timeout);\n"            # 10
    "            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, ct);\n"  # 11
    "            return await _channel.Reader.ReadAsync(linked.Token);\n"         # 12
    "        }\n"                                                                 # 13
    "        catch (OperationCanceledException) { return null; }\n"               # 14
    "        finally { timeoutCts?.Dispose(); }\n"                                # 15
    "    }\n"                                                                     # 16
    "    public async Task<string> Fetch(HttpClient client, CancellationToken ct)\n"  # 17
    "    {\n"                                                                     # 18
    "        CancellationTokenSource? cts = null;\n"                              # 19
    "        cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));\n"       # 20
    "        return await client.GetStringAsync(\"http://ids/next\", cts.Token);\n"  # 21
    "    }\n"                                                                     # 22
    "}\n"                                                                         # 23
)

CALLER = (
    "public class IdClient\n"                                                     # 1
    "{\n"                                                                         # 2
    "    public async Task<long?> Next(IdChannel ids, CancellationToken ct)\n"    # 3
    "    {\n"                                                                     # 4
    "        return await ids.TryTakeId(TimeSpan.FromSeconds(2), ct);\n"          # 5: no timeout proposal
    "    }\n"                                                                     # 6
    "}\n"                                                                         # 7
)


def test_channel_take_under_a_deadline_is_no_timeout_helper(tmp_path):
    got = _contracts(tmp_path, {"IdChannel.cs": CHANNEL, "IdClient.cs": CALLER})
    assert not any(path == "IdClient.cs" for path, _, _, _ in got)
    assert not any(path == "IdChannel.cs" and line == 10 for path, line, _, _ in got)
    assert ("IdChannel.cs", 20, "timeout", 3000) in got  # an assigned source on a client's call still counts


CASSANDRA = (
    "using Cassandra;\n"                                                          # 1
    "public class CassandraHealthCheck\n"                                         # 2
    "{\n"                                                                         # 3
    "    public CassandraHealthCheck(ISession session, TimeSpan? timeout)\n"      # 4
    "    {\n"                                                                     # 5
    "        _query = new Lazy<BoundStatement>(() =>\n"                          # 6
    "        {\n"                                                                 # 7
    "            BoundStatement bound = session.Prepare(\"SELECT now() FROM system.local\").Bind();\n"  # 8
    "            if (timeout.HasValue)\n"                                         # 9
    "            {\n"                                                             # 10
    "                bound.SetReadTimeoutMillis(Convert.ToInt32(Math.Ceiling(timeout.Value.TotalMilliseconds)));\n"  # 11
    "            }\n"                                                             # 12
    "            return bound;\n"                                                 # 13
    "        });\n"                                                               # 14
    "    }\n"                                                                     # 15
    "    public void Socket(SocketOptions options) => options.SetReadTimeoutMillis(12000);\n"  # 16
    "}\n"                                                                         # 17
)


def test_cassandra_read_timeout_of_a_parameter_is_a_forwarder(tmp_path):
    got = _contracts(tmp_path, {"CassandraHealthCheck.cs": CASSANDRA})
    assert not any(line == 11 for _, line, _, _ in got)
    assert ("CassandraHealthCheck.cs", 16, "timeout", 12000) in got


HEALTH = (
    "// retry\n"                                                                  # 1
    "public class CosmosHealth\n"                                                 # 2
    "{\n"                                                                         # 3
    "    public async Task<bool> CheckAsync(CancellationToken ct)\n"              # 4
    "    {\n"                                                                     # 5
    "        const int maxNumberAttempts = 3;\n"                                  # 6
    "        int attempt = 0;\n"                                                  # 7
    "        do\n"                                                                # 8
    "        {\n"                                                                 # 9
    "            try { await _client.PingAsync(ct); return true; }\n"            # 10
    "            catch (HttpRequestException)\n"                                  # 11
    "            {\n"                                                             # 12
    "                attempt++;\n"                                                # 13
    "                if (ct.IsCancellationRequested) { return false; }\n"         # 14
    "                else if (attempt >= maxNumberAttempts) { return false; }\n"  # 15
    "                else { Log(attempt); }\n"                                    # 16
    "            }\n"                                                             # 17
    "        }\n"                                                                 # 18
    "        while (true);\n"                                                     # 19
    "    }\n"                                                                     # 20
    "    public async Task<bool> LaterAsync(CancellationToken ct)\n"              # 21
    "    {\n"                                                                     # 22
    "        int attempt = 0;\n"                                                  # 23
    "        while (true)\n"                                                      # 24
    "        {\n"                                                                 # 25
    "            try { await _client.PingAsync(ct); return true; }\n"            # 26
    "            catch (HttpRequestException)\n"                                  # 27
    "            {\n"                                                             # 28
    "                if (ct.IsCancellationRequested) { return false; }\n"         # 29
    "                else if (attempt >= 3) { return false; }\n"                  # 30
    "                attempt++;\n"                                                # 31
    "            }\n"                                                             # 32
    "        }\n"                                                                 # 33
    "    }\n"                                                                     # 34
    "}\n"                                                                         # 35
)


def test_counter_raised_before_an_else_if_guard(tmp_path):
    """Round 12 (fhir-server's Cosmos health check): the increment above the `if .. else if (attempt >= max)`
    chain runs before the guard: 3 tries; raised after it: 4."""
    got = _contracts(tmp_path, {"CosmosHealth.cs": HEALTH})
    assert ("CosmosHealth.cs", 8, "retry", 3) in got
    assert ("CosmosHealth.cs", 24, "retry", 4) in got


OUTBOX = (
    "public class OutboxDispatcher\n"                                             # 1
    "{\n"                                                                         # 2
    "    public async Task DispatchAsync(CancellationToken ct)\n"                # 3
    "    {\n"                                                                     # 4
    "        foreach (var message in await _outbox.GetPendingAsync(ct))\n"        # 5
    "        {\n"                                                                 # 6
    "            try { await _bus.PublishAsync(message, ct); }\n"                 # 7
    "            catch (Exception ex)\n"                                          # 8
    "            {\n"                                                             # 9
    "                var maxRetries = _options.OutboxMaxRetries <= 0 ? 5 : _options.OutboxMaxRetries;\n"  # 10
    "                var isDead = message.RetryCount + 1 >= maxRetries;\n"        # 11
    "                await _outbox.MarkAsFailedAsync(message, ex.Message, isDead, ct);\n"  # 12
    "            }\n"                                                             # 13
    "        }\n"                                                                 # 14
    "    }\n"                                                                     # 15
    "    public async Task InboxAsync(Message message, CancellationToken ct)\n"  # 16
    "    {\n"                                                                     # 17
    "        try { await _handler.HandleAsync(message, ct); }\n"                  # 18
    "        catch (Exception)\n"                                                 # 19
    "        {\n"                                                                 # 20
    "            bool poison = message.RetryCount >= 3;\n"                        # 21
    "            bool large = message.RetryCount >= 7;\n"                         # 22: not a dead-letter flag
    "            var isDeadOld = message.AgeInDays > 3;\n"                         # 23: no count of failures
    "            await _inbox.MarkFailedAsync(message, poison || large || isDeadOld);\n"  # 24
    "        }\n"                                                                 # 25
    "    }\n"                                                                     # 26
    "}\n"                                                                         # 27
)

OPTIONS = "public class EventingOptions\n{\n    public int OutboxMaxRetries { get; set; } = 5;\n}\n"


def test_dead_letter_flag_of_a_stored_retry_count(tmp_path):
    got = _contracts(tmp_path, {"OutboxDispatcher.cs": OUTBOX.replace(
        "public class OutboxDispatcher\n{\n",
        "public class OutboxDispatcher\n{\n    private readonly EventingOptions _options;\n", 1),
        "EventingOptions.cs": OPTIONS})
    lines = {line: value for _, line, kind, value in got if kind == "retry"}
    assert lines.get(12) == 5  # RetryCount + 1 >= OutboxMaxRetries (5 by default): dead at the 5th failure
    assert lines.get(22) == 4  # poison once 3 failures came before: the 4th try is the last
    assert 23 not in lines and 24 not in lines
