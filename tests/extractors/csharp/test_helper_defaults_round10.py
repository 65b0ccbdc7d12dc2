"""Round 10 (held-out C# sets: teaching-record-system, arcade-services, fergun): a nullable parameter read
through ``.Value`` is the parameter itself (a forwarder: the calls passing a value hold the contract), a
countdown started from a defaulted parameter publishes it, a helper chain's own line hands its default
on (rule (a)), a call of a remote-work helper leaving its retry count out gets the default (rule (b)),
Polly's ``RetryAsync(onRetry)`` retries once, and ``WithActionOnTimeout(...)`` names no duration."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.csharp.extractor import EXTRACTOR

CSPROJ = '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'


def _contracts(root: Path):
    result = scan(root, jobs=1, cache_dir=root / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in result.findings if f.kind in ("timeout", "retry"))


def _service(tmp_path: Path, files: dict[str, str]) -> Path:
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text(CSPROJ)
    for name, body in files.items():
        (svc / name).write_text(body)
    return tmp_path


def test_a_nullable_parameter_read_through_value_is_a_forwarder(tmp_path: Path) -> None:
    root = _service(tmp_path, {
        "NpgsqlExtensions.cs": (
            "public static class NpgsqlExtensions\n{\n"
            "    public static async Task<int> SaveEventsAsync(this NpgsqlTransaction transaction, string suffix,\n"
            "        CancellationToken cancellationToken, int? timeoutSeconds = null)\n    {\n"
            "        using var mergeCommand = transaction.Connection!.CreateCommand();\n"
            "        if (timeoutSeconds.HasValue)\n        {\n"
            "            mergeCommand.CommandTimeout = timeoutSeconds.Value;\n"  # line 9: forwards, not reported
            "        }\n"
            "        return await mergeCommand.ExecuteNonQueryAsync(cancellationToken);\n    }\n}\n"),
        "ProcessManager.cs": (
            "public class ProcessManager\n{\n"
            "    public async Task Execute(string exe, TimeSpan? timeout = null, CancellationToken ct = default)\n    {\n"
            "        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);\n"
            "        if (timeout.HasValue)\n        {\n"
            "            cts.CancelAfter((int) Math.Min(timeout.Value.TotalMilliseconds, int.MaxValue));\n"  # line 8
            "        }\n"
            "        await Run(exe, cts.Token);\n    }\n\n"
            "    public Task Clone() => Execute(\"git\", TimeSpan.FromMinutes(2));\n"  # line 13: 120000
            "    public Task Status() => Execute(\"git\");\n"  # line 14: no timeout at all
            "}\n"),
        "Processor.cs": (
            "public class Processor\n{\n"
            "    public async Task Run(NpgsqlTransaction transaction, CancellationToken cancellationToken)\n    {\n"
            "        await transaction.SaveEventsAsync(\"x\", cancellationToken, 120);\n"  # line 5: 120 s
            "        await transaction.SaveEventsAsync(\"x\", cancellationToken);\n"  # line 6: no timeout set
            "        var timeoutSeconds = 30; // a local named like one: no call\n"
            "    }\n}\n"),
    })
    assert _contracts(root) == [
        ("ProcessManager.cs", 13, "timeout", 120000),
        ("Processor.cs", 5, "timeout", 120000),
    ]


MANAGER = (
    "public class HttpRequestManager\n{\n"
    "    private readonly HttpClient _client;\n"
    "    public HttpRequestManager(HttpClient client) { _client = client; }\n\n"
    "    public async Task<HttpResponseMessage> ExecuteAsync(int retryCount = 3)\n    {\n"
    "        var retriesRemaining = retryCount + 1;\n"
    "        while (true)\n        {\n"  # line 9: (a) 4 tries
    "            retriesRemaining--;\n"
    "            try\n            {\n"
    "                return await _client.GetAsync(\"https://dev.azure.com/\");\n"
    "            }\n"
    "            catch (HttpRequestException)\n            {\n"
    "                if (retriesRemaining <= 0)\n                {\n                    throw;\n                }\n"
    "            }\n"
    "            await Task.Delay(1000);\n"
    "        }\n    }\n}\n")

CLIENT = (
    "public class AzureDevOpsClient\n{\n"
    "    public bool AllowRetries { get; set; } = true;\n\n"
    "    public async Task<string> GetThing(string id)\n    {\n"
    "        var content = await ExecuteAzureDevOpsAPIRequestAsync(\n"
    "            HttpMethod.Get,\n"
    "            id,\n"
    "            retryCount: 0);\n"  # line 10: (c) on a line of its own: 1 try
    "        return content;\n    }\n\n"
    "    public Task<string> GetOther(string id) => ExecuteAzureDevOpsAPIRequestAsync(HttpMethod.Get, id);\n"  # 14: (b) 16
    "    public Task<string> Page(string id, int pageSize = 50) => Format(id, pageSize);\n"  # 15: no bound handed on
    "\n"
    "    public async Task<string> ExecuteAzureDevOpsAPIRequestAsync(\n"
    "        HttpMethod method,\n"
    "        string requestPath,\n"
    "        int retryCount = 15)\n    {\n"
    "        if (!AllowRetries)\n        {\n            retryCount = 0;\n        }\n"
    "        using (HttpClient client = new HttpClient())\n        {\n"
    "            var requestManager = new HttpRequestManager(client);\n"
    "            using (var response = await requestManager.ExecuteAsync(retryCount))\n"  # line 29: (a) 16
    "            {\n                return \"\";\n            }\n        }\n    }\n\n"
    "    private Task<string> Format(string id, int size) => Task.FromResult(id + size);\n"
    "}\n")


def test_a_countdown_from_a_defaulted_parameter_reaches_the_calls_through_a_helper_chain(tmp_path: Path) -> None:
    root = _service(tmp_path, {"HttpRequestManager.cs": MANAGER, "AzureDevOpsClient.cs": CLIENT})
    assert _contracts(root) == [
        ("AzureDevOpsClient.cs", 10, "retry", 1),
        ("AzureDevOpsClient.cs", 14, "retry", 16),
        ("AzureDevOpsClient.cs", 29, "retry", 16),
        ("HttpRequestManager.cs", 9, "retry", 4),
    ]


def test_the_countdown_loop_names_its_parameter_for_the_callers() -> None:
    result = EXTRACTOR.extract("HttpRequestManager.cs", MANAGER.encode())
    loop = next(f for f in result.findings if f.kind == "retry")
    assert (loop.line, loop.attributes["max_attempts"], loop.attributes.get("attempts_expression")) == \
        (9, 4, "retryCount + 1")


def test_polly_retry_with_only_an_on_retry_callback_retries_once() -> None:
    source = (
        "public class MusixmatchClient\n{\n"
        "    private readonly AsyncRetryPolicy<JsonDocument> _retryPolicy;\n"
        "    private readonly AsyncRetryPolicy _counted;\n"
        "    public MusixmatchClient(ILogger logger)\n    {\n"
        "        _retryPolicy = Policy<JsonDocument>\n"
        "            .Handle<MusixmatchException>(x => x.Hint is \"renew\")\n"
        "            .RetryAsync(async (result, _) =>\n"  # line 9: 2 tries
        "            {\n                await RenewAsync();\n            });\n"
        "        _counted = Policy.Handle<HttpRequestException>().RetryAsync(3);\n"  # line 13: 4 tries
        "    }\n}\n")
    got = sorted((f.line, f.attributes["max_attempts"]) for f in
                 EXTRACTOR.extract("MusixmatchClient.cs", source.encode()).findings
                 if f.kind == "retry" and f.detector != "csharp.wrapper_call")
    assert got == [(9, 2), (13, 4)]


def test_an_action_on_timeout_names_no_duration() -> None:
    source = (
        "public class ImageModule\n{\n"
        "    public async Task Show(IInteraction interaction)\n    {\n"
        "        var paginator = new LazyPaginatorBuilder()\n"
        "            .WithActionOnTimeout(Constants.DefaultPaginatorActionOnTimeout)\n"  # line 6: what to do, no time
        "            .Build();\n"
        "        var onTimeout = ActionOnStop.DisableInput; // a word, not a bound\n"
        "        await work.TimeoutAfter(TimeSpan.FromSeconds(5));\n"  # line 9: a deadline of 5 s
        "    }\n}\n")
    got = sorted((f.line, f.attributes.get("timeout_ms")) for f in
                 EXTRACTOR.extract("ImageModule.cs", source.encode()).findings
                 if f.kind == "timeout" and f.detector != "csharp.wrapper_call")  # (proposals: the pipeline's)
    assert got == [(9, 5000)]


def test_an_exponential_retry_built_from_an_options_object_is_read_at_its_count() -> None:
    """Azure Storage v8's ``new ExponentialRetry()`` / ``(deltaBackoff, maxAttempts)`` keep their reading; a
    one-argument ``ExponentialRetry(Options.Create(new ExponentialRetryOptions { RetryCount = 3 }))`` (dotnet's
    Microsoft.DotNet.Services.Utility) is counted once, at its RetryCount (3 retries: 4 tries)."""
    source = (
        "public class LocalLibGit2Client\n{\n"
        "    private readonly ExponentialRetry _exponentialRetry;\n"
        "    public LocalLibGit2Client()\n    {\n"
        "        _exponentialRetry = new ExponentialRetry(Options.Create(new ExponentialRetryOptions\n"
        "        {\n"
        "            RetryCount = 3,\n"  # line 8: 4 tries
        "            RetryBackOffFactor = 1.3,\n"
        "        }));\n"
        "        var blob = new BlobRequestOptions { RetryPolicy = new ExponentialRetry(TimeSpan.FromSeconds(2), 5) };\n"
        "    }\n}\n")  # line 11: Azure Storage, 6 tries
    got = sorted((f.line, f.attributes["max_attempts"]) for f in
                 EXTRACTOR.extract("LocalLibGit2Client.cs", source.encode()).findings
                 if f.kind == "retry" and f.detector != "csharp.wrapper_call")
    assert got == [(8, 4), (11, 6)]


def test_dotnet_services_utility_default_exponential_retry_tries_eleven_times() -> None:
    source = (
        "public class ProcessManager\n{\n"
        "    public async Task<ProcessExecutionResult> ExecuteGit(string repoPath, string[] arguments)\n    {\n"
        "        return await ExponentialRetry.Default.RetryAsync(\n"  # line 5: 11 tries
        "            async () => await Execute(\"git\", arguments),\n"
        "            ex => _logger.LogDebug(\"retrying...\"),\n"
        "            ex => ex is ProcessFailedException);\n    }\n\n"
        "    public Task Other(Policy retry) => retry.RetryAsync(() => Execute(\"git\", []));\n"  # another object: not read
        "}\n")
    got = sorted((f.line, f.attributes["max_attempts"], f.attributes["library"]) for f in
                 EXTRACTOR.extract("ProcessManager.cs", source.encode()).findings
                 if f.kind == "retry" and f.detector != "csharp.wrapper_call")
    assert got == [(5, 11, "dotnet-services-utility")]


def test_a_queue_consumer_giving_a_message_up_after_n_deliveries_retries_it(tmp_path: Path) -> None:
    source = (
        "public class WorkItemConsumer\n{\n"
        "    private async Task ProcessAsync(QueueMessage message)\n    {\n"
        "        if (message.DequeueCount > 100) { Log(\"odd\"); }\n"  # line 5: not after a failure
        "        try\n        {\n            await RunAsync(message);\n        }\n"
        "        catch (Exception ex)\n        {\n"
        "            if (message.DequeueCount == MaxWorkItemRetries)\n            {\n"  # line 12: 3 tries
        "                await queueClient.DeleteMessageAsync(message.MessageId, message.PopReceipt);\n"
        "            }\n"
        "            if (retryCount == 3) { Log(\"a counter of our own\"); }\n"  # line 16: not a delivery count
        "        }\n    }\n\n"
        "    private const int MaxWorkItemRetries = 3;\n}\n")
    assert _contracts(_service(tmp_path, {"WorkItemConsumer.cs": source})) == [("WorkItemConsumer.cs", 12, "retry", 3)]
