"""Round 12, false positives of the cecochat set:

- a helper waiting on an in-process System.Threading.Channels channel under a deadline it was given
  (``timeoutCts = new CancellationTokenSource(timeout); await _channel.Reader.ReadAsync(linked.Token)``,
  the source assigned, not declared) is no timeout helper: its callers get no proposal;
- ``SetReadTimeoutMillis(Convert.ToInt32(Math.Ceiling(timeout.Value.TotalMilliseconds)))`` of a constructor's
  parameter without default forwards the callers' value (no finding at the helper);
- still reported: the same deadline on a call of a client, and a literal read timeout."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CSPROJ = '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'


def _contracts(root: Path, files: dict[str, str]):
    (root / "App.csproj").write_text(CSPROJ)
    for name, body in files.items():
        (root / name).write_text(body)
    result = scan(root, jobs=1, cache_dir=root / ".cache")
    return sorted(((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                    f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                   for f in result.findings if f.kind in ("timeout", "retry")), key=repr)


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
