"""Round 11, first wave (held-out C# sets: energy-origin, dicom-server, ServiceControl, Lykke Dash API):
Durable Functions calls handed retry options held by a setting (``CallActivityWithRetryAsync(nameof(A),
_options.RetryOptions, input)``); a house retry loop whose throwing guard has the counter in one ``||``
part (``if (!filter(ex) || @try >= tryCount) throw;``), so its parameter reaches the helpers and calls
around it (rules a, b and c)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CSPROJ = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'


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


ORCHESTRATION = (
    "using Microsoft.Azure.WebJobs.Extensions.DurableTask;\n"
    "public class UpdateOrchestration\n"
    "{\n"
    "    private readonly UpdateOptions _options;\n"
    "    public async Task Run(IDurableOrchestrationContext context)\n"
    "    {\n"
    "        var batches = await context\n"
    "            .CallActivityWithRetryAsync<IReadOnlyList<int>>(\n"
    "                nameof(GetBatches),\n"
    "                _options.RetryOptions,\n"
    "                input);\n"
    "        await context.CallActivityWithRetryAsync(nameof(Done), _options.RetryOptions, null);\n"
    "        var local = new RetryOptions(TimeSpan.FromSeconds(1), 5);\n"
    "        await context.CallActivityWithRetryAsync(nameof(Done), local, null);\n"
    "        await context.CallActivityAsync(nameof(Done), _options.RetryOptions);  // ok: no retry\n"
    "        var retryOptions = \"RetryOptions\";  // ok: a string\n"
    "    }\n"
    "    private Task Helper(IDurableOrchestrationContext context, RetryOptions retry)\n"
    "        => context.CallActivityWithRetryAsync(nameof(Done), retry, null);  // ok: its callers hand it in\n"
    "}\n"
)


def test_durable_calls_with_retry_options_held_by_a_setting(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"Orchestration.cs": ORCHESTRATION}))
    retries = [c for c in found if c[2] == "retry"]
    # the called name's line; the options' MaxNumberOfAttempts lives in configuration: unresolved here
    assert ("Orchestration.cs", 8, "retry", None) in retries
    assert ("Orchestration.cs", 12, "retry", None) in retries
    assert ("Orchestration.cs", 13, "retry", 5) in retries  # a local RetryOptions: read at its creation
    assert {c[1] for c in retries} == {8, 12, 13}


INSIGHT = (
    "using Flurl.Http;\n"
    "public class InsightClient\n"
    "{\n"
    "    public async Task<Block> GetBlock(string url)\n"
    "    {\n"
    "        return await GetJson<Block>(url);\n"
    "    }\n"
    "    public async Task<Tx> GetTx(string url)\n"
    "    {\n"
    "        return await GetJson<Tx>(url, 5);\n"
    "    }\n"
    "    private async Task<T> GetJson<T>(string url, int tryCount = 3)\n"
    "    {\n"
    "        return await Retry.Try(() => url.GetJsonAsync<T>(), ex => ex is FlurlHttpException, tryCount, 100);\n"
    "    }\n"
    "}\n"
)
RETRY = (
    "public class Retry\n"
    "{\n"
    "    public static async Task<T> Try<T>(Func<Task<T>> action, Func<Exception, bool> exceptionFilter,\n"
    "        int tryCount, int delayAfterException = 0)\n"
    "    {\n"
    "        var @try = 0;\n"
    "        while (true)\n"
    "        {\n"
    "            try\n"
    "            {\n"
    "                return await action();\n"
    "            }\n"
    "            catch (Exception ex)\n"
    "            {\n"
    "                @try++;\n"
    "                if (!exceptionFilter(ex) || @try >= tryCount)\n"
    "                {\n"
    "                    throw;\n"
    "                }\n"
    "                await Task.Delay(delayAfterException);\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n"
)
NOT_A_RETRY = (
    "public class Pages\n"
    "{\n"
    "    public async Task Read(Client client)\n"
    "    {\n"
    "        var page = 0;\n"
    "        while (true)\n"
    "        {\n"
    "            try\n"
    "            {\n"
    "                await client.ReadPage(page++);\n"
    "            }\n"
    "            catch (Exception ex)\n"
    "            {\n"
    "                if (!IsTransient(ex) || client.Closed)  // ok: no counter in either part\n"
    "                {\n"
    "                    throw;\n"
    "                }\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n"
)


def test_retry_helper_with_a_disjunct_guard_reaches_its_callers(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"InsightClient.cs": INSIGHT, "Retry.cs": RETRY, "Pages.cs": NOT_A_RETRY}))
    retries = [c for c in found if c[2] == "retry"]
    # Retry.Try's loop is bounded by its own parameter without a default: a forwarder, not reported
    assert not [c for c in retries if c[0] == "Retry.cs"]
    assert ("InsightClient.cs", 14, "retry", 3) in retries   # rule (a): GetJson's default handed on
    assert ("InsightClient.cs", 6, "retry", 3) in retries    # rule (b): a call leaving tryCount out
    assert ("InsightClient.cs", 10, "retry", 5) in retries   # rule (c): a call passing 5
    assert not [c for c in retries if c[0] == "Pages.cs"]


SQS = (
    "using Amazon.Runtime;\n"
    "using Amazon.SQS;\n"
    "public class Queues\n"
    "{\n"
    "    void Make(AWSCredentials credentials)\n"
    "    {\n"
    "        var sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig\n"
    "        {\n"
    "            RetryMode = RequestRetryMode.Adaptive,\n"
    "        });\n"
    "        var s3 = new AmazonS3Config { RetryMode = RequestRetryMode.Standard, MaxErrorRetry = 5 };\n"
    "        var legacy = new AmazonCloudWatchConfig { RetryMode = RequestRetryMode.Legacy };\n"
    "        var other = new ExportSettings { RetryMode = RequestRetryMode.Standard };  // ok: not an AWS config\n"
    "        var text = \"RetryMode = RequestRetryMode.Standard\";  // ok: a string\n"
    "    }\n"
    "}\n"
)


def test_aws_retry_mode_without_a_count_is_the_modes_default(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"Queues.cs": SQS}))
    retries = [c for c in found if c[2] == "retry"]
    assert ("Queues.cs", 9, "retry", 3) in retries    # standard / adaptive: 3 attempts
    assert ("Queues.cs", 11, "retry", 6) in retries   # MaxErrorRetry = 5 on the same config decides
    assert ("Queues.cs", 12, "retry", 5) in retries   # legacy: 4 retries
    assert {c[1] for c in retries} == {9, 11, 12}


VALUES = (
    "using System.Net.Mail;\n"
    "public class Watchdog\n"
    "{\n"
    "    public async Task Start(Func<CancellationToken, Task> ensureStarted)\n"
    "    {\n"
    "        try\n"
    "        {\n"
    "            const int MaxStartDurationMs = 15000;\n"
    "            using var cts = new CancellationTokenSource();\n"
    "            cts.CancelAfter(MaxStartDurationMs);\n"
    "            await ensureStarted(cts.Token);\n"
    "        }\n"
    "        catch (Exception) { }\n"
    "    }\n"
    "}\n"
    "public class EmailSender\n"
    "{\n"
    "    SmtpClient Make() => new SmtpClient(\"smtp\", 25)\n"
    "    {\n"
    "        Timeout = defaultTimeout\n"
    "    };\n"
    "    static int defaultTimeout = (int)TimeSpan.FromSeconds(10).TotalMilliseconds;\n"
    "}\n"
)


def test_a_local_const_and_a_private_static_field_hold_their_values(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"Values.cs": VALUES}))
    assert ("Values.cs", 10, "timeout", 15000) in found
    assert ("Values.cs", 20, "timeout", 10000) in found


MIGRATOR = (
    "using DbUp;\n"
    "public class DbMigrator\n"
    "{\n"
    "    private readonly TimeSpan _timeout = TimeSpan.FromMinutes(5);\n"
    "    public void Migrate(string cs, Assembly scripts, ILogger logger)\n"
    "    {\n"
    "        var engine = DeployChanges.To\n"
    "            .PostgresqlDatabase(cs)\n"
    "            .LogTo(new LoggerWrapper(logger))\n"
    "            .WithExecutionTimeout(_timeout)\n"
    "            .Build();\n"
    "        _logger.LogTimeout(_timeout);  // ok: a log call\n"
    "    }\n"
    "}\n"
)
REMOTES = (
    "public class CheckRemotes\n"
    "{\n"
    "    public async Task Check(Remote[] remotes)\n"
    "    {\n"
    "        var queryTimeout = TimeSpan.FromSeconds(10);\n"
    "        using var cts = new CancellationTokenSource(queryTimeout);\n"
    "        foreach (var remote in remotes)\n"
    "        {\n"
    "            await CheckRemote(remote, queryTimeout, cts.Token);  // ok: the helper only names it in a message\n"
    "        }\n"
    "    }\n"
    "    async Task CheckRemote(Remote remote, TimeSpan queryTimeout, CancellationToken token)\n"
    "    {\n"
    "        try { await client.GetAsync(remote.Url, token); }\n"
    "        catch (OperationCanceledException e)\n"
    "        {\n"
    "            throw new TimeoutException($\"{remote.Url} did not respond within '{queryTimeout}'\", e);\n"
    "        }\n"
    "    }\n"
    "    async Task Stop(Task disposeTask, CancellationToken token)\n"
    "    {\n"
    "        var waitForCancellation = Task.Delay(Timeout.Infinite, token);\n"
    "        await Task.WhenAny(disposeTask, waitForCancellation);  // ok: an infinite pause is no deadline\n"
    "    }\n"
    "}\n"
)


def test_builder_timeout_after_a_log_step_and_false_timeouts(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"DbMigrator.cs": MIGRATOR, "CheckRemotes.cs": REMOTES}))
    assert ("DbMigrator.cs", 10, "timeout", 300000) in found
    assert not [c for c in found if c[0] == "DbMigrator.cs" and c[1] == 12]
    assert [c for c in found if c[0] == "CheckRemotes.cs"] == [("CheckRemotes.cs", 6, "timeout", 10000)]


LOOPS = (
    "public class Wallet\n"
    "{\n"
    "    public async Task<List<Cert>> FetchAll(Client client)\n"
    "    {\n"
    "        var hasMore = true;\n"
    "        var certs = new List<Cert>();\n"
    "        while (hasMore)  // ok: a failure ends the paging\n"
    "        {\n"
    "            try\n"
    "            {\n"
    "                var page = await client.GetPage(certs.Count);\n"
    "                certs.AddRange(page.Items);\n"
    "                if (certs.Count >= page.Total) { hasMore = false; }\n"
    "            }\n"
    "            catch (Exception e)\n"
    "            {\n"
    "                hasMore = false;\n"
    "            }\n"
    "        }\n"
    "        return certs;\n"
    "    }\n"
    "    public async Task<List<Entry>> OneByOne(long from, Client client)\n"
    "    {\n"
    "        long start = from;\n"
    "        var entries = new List<Entry>();\n"
    "        while (start < from + Limit)  // ok: a failed item is skipped like a read one\n"
    "        {\n"
    "            try\n"
    "            {\n"
    "                var entry = await client.Get(start);\n"
    "                if (entry == null) { return entries; }\n"
    "                start++;\n"
    "                entries.Add(entry);\n"
    "            }\n"
    "            catch (JsonException)\n"
    "            {\n"
    "                start++;\n"
    "            }\n"
    "        }\n"
    "        return entries;\n"
    "    }\n"
    "    public async Task<Reply> Send(Client client)\n"
    "    {\n"
    "        var retry = true;\n"
    "        var attempts = 0;\n"
    "        while (retry)\n"
    "        {\n"
    "            try\n"
    "            {\n"
    "                var reply = await client.Send();\n"
    "                retry = false;\n"
    "                return reply;\n"
    "            }\n"
    "            catch (HttpRequestException)\n"
    "            {\n"
    "                retry = true;  // goes round again: a retry\n"
    "                if (++attempts >= 3) throw;\n"
    "            }\n"
    "        }\n"
    "        return null;\n"
    "    }\n"
    "}\n"
)


def test_loops_whose_failure_ends_or_skips_are_no_retries(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"Wallet.cs": LOOPS}))
    retries = [c for c in found if c[2] == "retry"]
    assert [c[1] for c in retries] == [46]


CLEANUP = (
    "public class DeleteService\n"
    "{\n"
    "    private readonly CleanupConfiguration _config;\n"
    "    public async Task Cleanup(IStore store, IFileStore files)\n"
    "    {\n"
    "        foreach (var item in await store.RetrieveDeletedAsync(_config.BatchSize, _config.MaxRetries))\n"
    "        {\n"
    "            try\n"
    "            {\n"
    "                await files.DeleteAsync(item);\n"
    "            }\n"
    "            catch (Exception ex)\n"
    "            {\n"
    "                int newRetryCount = await store.IncrementDeletedRetryAsync(item);\n"
    "                if (newRetryCount > _config.MaxRetries)\n"
    "                {\n"
    "                    _logger.LogCritical(ex, \"retry will not be re-attempted\");\n"
    "                }\n"
    "                int newCount = await store.IncrementDeletedAsync(item);\n"
    "                if (newCount > _config.MaxRetries) { }  // ok: not named for failures\n"
    "            }\n"
    "            int retryCount = await store.IncrementRetryAsync(item);\n"
    "            if (retryCount > 3) { }  // ok: not in a catch\n"
    "        }\n"
    "    }\n"
    "}\n"
    "public class CleanupConfiguration { public int MaxRetries { get; set; } = 5; public int BatchSize { get; set; } = 10; }\n"
)


def test_a_failure_count_kept_in_the_store_bounds_a_job_retry(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"DeleteService.cs": CLEANUP}))
    assert [c for c in found if c[2] == "retry"] == [("DeleteService.cs", 15, "retry", 6)]
