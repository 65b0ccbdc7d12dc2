"""Round 11 (held-out C# sets: GZCTF, pitstop, data-api-builder, booking-microservices,
food-delivery-microservices): nested options objects (``policyOptions.RetryPolicyOptions.Count`` of an
options class resolved from DI or a house binder), ``AddStandardResilienceHandler().Configure((cfg, sp)
=> cfg.AttemptTimeout = new HttpTimeoutStrategyOptions { ... })``, v8 ``AddTimeout`` of a TimeSpan
product, give-up guards opening a retried region (``if (retry++ >= 3) return null;``), a ``while (true)``
left by a flag its try sets, file reads with hashing or printing beside them, host lifecycle timeouts,
an options record's ``Effective...`` fallback, and JSON converters' named arguments."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CSPROJ = ('<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework>'
          '</PropertyGroup></Project>\n')


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


NESTED_OPTIONS = (
    "namespace Demo;\n"
    "public class RetryPolicyOptions { public int Count { get; set; } = 3; }\n"
    "public class TimeoutPolicyOptions { public int TimeoutInSeconds { get; set; } = 30; }\n"
    "public class BackoffOptions { public int Tries { get; set; } = 5; }\n"
    "public class PolicyOptions\n"
    "{\n"
    "    public RetryPolicyOptions RetryPolicyOptions { get; set; } = new();\n"
    "    public TimeoutPolicyOptions TimeoutPolicyOptions { get; set; } = new();\n"
    "    public BackoffOptions Backoff { get; set; } = new();\n"
    "    public Dictionary<string, int> Limits { get; set; } = new();\n"
    "}\n"
)
NESTED_USE = (
    "using Polly;\n"
    "using Microsoft.Extensions.Options;\n"
    "namespace Demo;\n"
    "public static class Resiliency\n"
    "{\n"
    "    public static void Add(IHostApplicationBuilder builder)\n"
    "    {\n"
    "        var bound = builder.Configuration.BindOptions<PolicyOptions>();\n"
    "        builder.Services.AddSingleton<IAsyncPolicy>(sp =>\n"
    "        {\n"
    "            var policyOptions = sp.GetRequiredService<IOptions<PolicyOptions>>().Value.NotBeNull();\n"
    "            var retry = Policy.Handle<HttpRequestException>()\n"
    "                .RetryAsync(policyOptions.RetryPolicyOptions.Count);\n"
    "            var timeout = Policy.TimeoutAsync(policyOptions.TimeoutPolicyOptions.TimeoutInSeconds);\n"
    "            var backoff = Policy.Handle<HttpRequestException>().RetryAsync(bound.Backoff.Tries);\n"
    "            var other = Policy.Handle<HttpRequestException>().RetryAsync(unknown.RetryPolicyOptions.Count);\n"
    "            return Policy.WrapAsync(retry, timeout);\n"
    "        });\n"
    "    }\n"
    "}\n"
)


def test_a_nested_options_object_reads_the_member_of_its_property_class(tmp_path: Path) -> None:
    root = _service(tmp_path, {"PolicyOptions.cs": NESTED_OPTIONS, "Resiliency.cs": NESTED_USE})
    found = _contracts(root)
    assert ("Resiliency.cs", 13, "retry", 4) in found  # IOptions<PolicyOptions>.Value.NotBeNull(): Count 3 -> 4
    assert ("Resiliency.cs", 14, "timeout", 30000) in found  # Polly v7's seconds
    assert ("Resiliency.cs", 15, "retry", 6) in found  # BindOptions<T>(); the property named apart from its class
    assert ("Resiliency.cs", 16, "retry", None) in found  # a receiver of no known class: unresolved


NESTED_APPSETTINGS_PROGRAM = (
    "var builder = WebApplication.CreateBuilder(args);\n"
    "var policy = builder.Configuration.GetSection(\"Policy\").Get<PolicyOptions>()!;\n"
    "builder.Services.AddHttpClient<Client>(c => c.Timeout = TimeSpan.FromSeconds(policy.TimeoutPolicyOptions.TimeoutInSeconds));\n"
)


def test_a_nested_options_object_bound_from_a_section_reads_appsettings_first(tmp_path: Path) -> None:
    root = _service(tmp_path, {
        "PolicyOptions.cs": NESTED_OPTIONS, "Program.cs": NESTED_APPSETTINGS_PROGRAM,
        "appsettings.json": '{ "Policy": { "TimeoutPolicyOptions": { "TimeoutInSeconds": 12 } } }\n'})
    assert ("Program.cs", 3, "timeout", 12000) in _contracts(root)


STANDARD_CONFIGURE = (
    "public static class Http\n"
    "{\n"
    "    public static void Add(IServiceCollection services)\n"
    "    {\n"
    "        services.ConfigureHttpClientDefaults(http =>\n"
    "        {\n"
    "            http.AddStandardResilienceHandler()\n"
    "                .Configure((cfg, sp) =>\n"
    "                {\n"
    "                    cfg.AttemptTimeout = new HttpTimeoutStrategyOptions\n"
    "                    {\n"
    "                        Timeout = TimeSpan.FromSeconds(5),\n"
    "                    };\n"
    "                    cfg.TotalRequestTimeout = new HttpTimeoutStrategyOptions\n"
    "                    {\n"
    "                        Timeout = TimeSpan.FromSeconds(20),\n"
    "                    };\n"
    "                    cfg.Retry = new HttpRetryStrategyOptions\n"
    "                    {\n"
    "                        MaxRetryAttempts = 2,\n"
    "                    };\n"
    "                });\n"
    "        });\n"
    "        var probe = new HttpTimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(9) };\n"
    "        var retry = new HttpRetryStrategyOptions { MaxRetryAttempts = 6 };\n"
    "    }\n"
    "}\n"
)


def test_standard_handler_options_set_as_objects_are_read_at_their_assignments(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"Http.cs": STANDARD_CONFIGURE}))
    handler = [c for c in found if c[1] < 24]
    assert sorted(handler) == [("Http.cs", 10, "timeout", 5000), ("Http.cs", 14, "timeout", 20000),
                               ("Http.cs", 18, "retry", 3)]
    # options made outside a handler keep their own readers
    assert ("Http.cs", 25, "retry", 7) in found


V8_TIMEOUT = (
    "public static class Grpc\n"
    "{\n"
    "    public static void Add(IServiceCollection services)\n"
    "    {\n"
    "        services.AddGrpcClient<FlightClient>(o => o.Address = new Uri(\"https://flight\"))\n"
    "            .AddResilienceHandler(\"flight\", options =>\n"
    "            {\n"
    "                var timeSpan = TimeSpan.FromMinutes(1);\n"
    "                options.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = timeSpan * 3 });\n"
    "            });\n"
    "    }\n"
    "}\n"
)


def test_v8_add_timeout_reads_a_timespan_product(tmp_path: Path) -> None:
    assert ("Grpc.cs", 9, "timeout", 180000) in _contracts(_service(tmp_path, {"Grpc.cs": V8_TIMEOUT}))


GUARDS = (
    "public class Containers\n"
    "{\n"
    "    public async Task<string?> Create(Parameters p, CancellationToken token)\n"
    "    {\n"
    "        var retry = 0;\n"
    "    CreateContainer:\n"
    "        try\n"
    "        {\n"
    "            if (retry++ >= 3)\n"
    "                return null;\n"
    "            await _client.Containers.CreateContainerAsync(p, token);\n"
    "        }\n"
    "        catch (DockerApiException)\n"
    "        {\n"
    "            await _client.Containers.RemoveContainerAsync(p.Name, token);\n"
    "            goto CreateContainer;\n"
    "        }\n"
    "        retry = 0;\n"
    "        while (true)\n"
    "        {\n"
    "            if (retry++ >= 3)\n"
    "                return null;\n"
    "            var started = await _client.Containers.StartContainerAsync(p.Name, token);\n"
    "            if (started)\n"
    "                break;\n"
    "            await Task.Delay(500, token);\n"
    "        }\n"
    "        var count = 0;\n"
    "        while (true)\n"
    "        {\n"
    "            if (count++ >= 3)\n"
    "                return null;  // ok: a counter not named for tries\n"
    "            var page = await _client.Containers.ListAsync(count, token);\n"
    "            if (page.Done)\n"
    "                break;\n"
    "            await Task.Delay(500, token);\n"
    "        }\n"
    "        var attempt = 0;\n"
    "        while (true)\n"
    "        {\n"
    "            if (attempt++ >= 3)\n"
    "                return null;  // ok: no pause, nothing asked again after one\n"
    "            var next = await _client.Containers.NextAsync(token);\n"
    "            if (next == null)\n"
    "                break;\n"
    "        }\n"
    "        return \"ok\";\n"
    "    }\n"
    "}\n"
)


def test_give_up_guards_bound_goto_and_while_true_retries(tmp_path: Path) -> None:
    found = [c for c in _contracts(_service(tmp_path, {"Containers.cs": GUARDS})) if c[2] == "retry"]
    assert found == [("Containers.cs", 6, "retry", 3), ("Containers.cs", 19, "retry", 3)]


RESUBSCRIBE = (
    "public class Subscription\n"
    "{\n"
    "    private void Resubscribe()\n"
    "    {\n"
    "        while (true)\n"
    "        {\n"
    "            var resubscribed = false;\n"
    "            try\n"
    "            {\n"
    "                SubscribeToAll(options, token).Wait(token);\n"
    "                resubscribed = true;\n"
    "            }\n"
    "            catch (Exception exception)\n"
    "            {\n"
    "                logger.LogWarning(exception, \"Failed to resubscribe\");\n"
    "            }\n"
    "            if (resubscribed)\n"
    "                break;\n"
    "            Thread.Sleep(TimeSpan.FromSeconds(1));\n"
    "        }\n"
    "        while (true)\n"
    "        {\n"
    "            var done = false;\n"
    "            try\n"
    "            {\n"
    "                Send(message);\n"
    "                done = true;\n"
    "            }\n"
    "            catch (Exception)\n"
    "            {\n"
    "                throw;  // ok: every failure leaves the loop\n"
    "            }\n"
    "            if (done)\n"
    "                break;\n"
    "        }\n"
    "    }\n"
    "}\n"
)


def test_a_flag_set_by_the_try_and_tested_by_a_break_ends_a_retry_loop(tmp_path: Path) -> None:
    found = [c for c in _contracts(_service(tmp_path, {"Subscription.cs": RESUBSCRIBE})) if c[2] == "retry"]
    assert found == [("Subscription.cs", 5, "retry", None)]


FILE_READ = (
    "public static class FileUtilities\n"
    "{\n"
    "    public static byte[] Hash(IFileSystem fileSystem, string filePath)\n"
    "    {\n"
    "        int runCount = 1;\n"
    "        while (runCount <= 3)\n"
    "        {\n"
    "            try\n"
    "            {\n"
    "                if (fileSystem.File.Exists(filePath))\n"
    "                {\n"
    "                    byte[] contents = fileSystem.File.ReadAllBytes(filePath);\n"
    "                    return SHA256.Create().ComputeHash(contents);\n"
    "                }\n"
    "                Console.WriteLine(\"not found\");\n"
    "                throw new FileNotFoundException();\n"
    "            }\n"
    "            catch (IOException ex)\n"
    "            {\n"
    "                Console.WriteLine($\"IO Exception, retrying due to {ex.Message}\");\n"
    "                Thread.Sleep(TimeSpan.FromSeconds(Math.Pow(2, runCount)));\n"
    "                runCount++;\n"
    "            }\n"
    "        }\n"
    "        return Array.Empty<byte>();\n"
    "    }\n"
    "}\n"
)


def test_a_file_read_retried_with_hashing_and_printing_is_local_work(tmp_path: Path) -> None:
    assert [c for c in _contracts(_service(tmp_path, {"FileUtilities.cs": FILE_READ})) if c[2] == "retry"] == []


HOST = (
    "public static class Bus\n"
    "{\n"
    "    public static void Add(IServiceCollection services)\n"
    "    {\n"
    "        services.AddOptions<MassTransitHostOptions>().Configure(options =>\n"
    "        {\n"
    "            options.WaitUntilStarted = true;\n"
    "            options.StartTimeout = TimeSpan.FromSeconds(30);\n"
    "            options.StopTimeout = TimeSpan.FromSeconds(60);\n"
    "        });\n"
    "        services.AddOptions<HostOptions>().Configure(options =>\n"
    "        {\n"
    "            options.StartupTimeout = TimeSpan.FromSeconds(60);\n"
    "            options.ShutdownTimeout = TimeSpan.FromSeconds(60);\n"
    "        });\n"
    "    }\n"
    "}\n"
)


def test_host_stop_and_startup_timeouts_bound_no_call(tmp_path: Path) -> None:
    assert _contracts(_service(tmp_path, {"Bus.cs": HOST})) == [("Bus.cs", 8, "timeout", 30000)]


EFFECTIVE = (
    "public record EmbeddingsOptions\n"
    "{\n"
    "    public const int DEFAULT_TIMEOUT_MS = 30000;\n"
    "    public int? TimeoutMs { get; init; }\n"
    "    public int? Retries { get; init; } = 2;\n"
    "    public int EffectiveTimeoutMs => TimeoutMs ?? DEFAULT_TIMEOUT_MS;\n"
    "    public int EffectiveRetries => Retries ?? 5;\n"
    "}\n"
)
EMBEDDING_SERVICE = (
    "public class EmbeddingService\n"
    "{\n"
    "    private readonly HttpClient _httpClient;\n"
    "    private readonly EmbeddingsOptions _options;\n"
    "    private void Configure()\n"
    "    {\n"
    "        _httpClient.Timeout = TimeSpan.FromMilliseconds(_options.EffectiveTimeoutMs);\n"
    "        var retry = Policy.Handle<HttpRequestException>().RetryAsync(_options.EffectiveRetries);\n"
    "    }\n"
    "}\n"
)


def test_an_effective_property_falls_back_to_its_constant_when_the_setting_has_no_default(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"EmbeddingsOptions.cs": EFFECTIVE, "EmbeddingService.cs": EMBEDDING_SERVICE}))
    assert ("EmbeddingService.cs", 7, "timeout", 30000) in found
    # `Retries` has a default of its own (2): the fallback 5 is not what runs
    assert ("EmbeddingService.cs", 8, "retry", 6) not in found


CONVERTER = (
    "internal class DmlToolsConfigConverter : JsonConverter<DmlToolsConfig>\n"
    "{\n"
    "    public override DmlToolsConfig Read(ref Utf8JsonReader reader, Type t, JsonSerializerOptions o)\n"
    "    {\n"
    "        TimeSpan queryTimeout = TimeSpan.FromSeconds(reader.GetInt32());\n"
    "        return new DmlToolsConfig(\n"
    "            queryTimeout: queryTimeout);  // ok: a setting's record built from JSON\n"
    "    }\n"
    "}\n"
    "public class Storage\n"
    "{\n"
    "    public void Register(string cs) => RegisterStorageAccount(cs,\n"
    "        requestTimeout: TimeSpan.FromMinutes(2));\n"
    "}\n"
)


def test_a_json_converter_building_a_record_sets_no_timeout(tmp_path: Path) -> None:
    assert _contracts(_service(tmp_path, {"Converter.cs": CONVERTER})) == [("Converter.cs", 13, "timeout", 120000)]


PUMP = (
    "public class StdioServer\n"
    "{\n"
    "    public async Task RunAsync(TextReader reader, CancellationToken cancellationToken)\n"
    "    {\n"
    "        while (!cancellationToken.IsCancellationRequested)\n"
    "        {\n"
    "            string? line = await reader.ReadLineAsync(cancellationToken);\n"
    "            if (line is null)\n"
    "                return;\n"
    "            try\n"
    "            {\n"
    "                switch (Method(line))\n"
    "                {\n"
    "                    case \"tools/call\":\n"
    "                        await HandleCallToolAsync(line, cancellationToken);\n"
    "                        break;\n"
    "                    case \"shutdown\":\n"
    "                        return;\n"
    "                }\n"
    "            }\n"
    "            catch (Exception)\n"
    "            {\n"
    "                WriteError(\"Internal error\");  // ok: the next request, not this one again\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "    public async Task<string> FetchAsync(CancellationToken cancellationToken)\n"
    "    {\n"
    "        for (var attempt = 0; attempt < 3; attempt++)\n"
    "        {\n"
    "            try\n"
    "            {\n"
    "                switch (await _client.GetStatusAsync(cancellationToken))\n"
    "                {\n"
    "                    case \"busy\":\n"
    "                        break;  // ok: leaves the switch, the loop asks again\n"
    "                    default:\n"
    "                        return \"ok\";\n"
    "                }\n"
    "            }\n"
    "            catch (HttpRequestException)\n"
    "            {\n"
    "                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);\n"
    "            }\n"
    "        }\n"
    "        return \"gave up\";\n"
    "    }\n"
    "}\n"
)


def test_a_loop_reading_its_next_request_first_is_a_pump_not_a_retry(tmp_path: Path) -> None:
    found = [c for c in _contracts(_service(tmp_path, {"StdioServer.cs": PUMP})) if c[2] == "retry"]
    assert found == [("StdioServer.cs", 29, "retry", 3)]


BATCH = (
    "public class DatabaseSink\n"
    "{\n"
    "    private async Task WriteToDatabase(CancellationToken token)\n"
    "    {\n"
    "        while (!token.IsCancellationRequested)\n"
    "        {\n"
    "            await _resetEvent.WaitAsync(token);\n"
    "            if (buffer.Count <= 50 && DateTimeOffset.Now - _lastFlushTime <= TimeSpan.FromSeconds(10))\n"
    "                continue;  // ok: not yet due, a batch waits\n"
    "            await db.SaveChangesAsync(token);\n"
    "        }\n"
    "        var start = DateTime.UtcNow;\n"
    "        while (true)\n"
    "        {\n"
    "            await _client.PollAsync(token);\n"
    "            if (DateTime.UtcNow - start > TimeSpan.FromSeconds(30))\n"
    "                break;\n"
    "        }\n"
    "    }\n"
    "}\n"
)


def test_a_batch_skipping_turns_until_due_is_no_deadline(tmp_path: Path) -> None:
    found = [c for c in _contracts(_service(tmp_path, {"DatabaseSink.cs": BATCH})) if c[2] == "timeout"]
    assert found == [("DatabaseSink.cs", 16, "timeout", 30000)]


LOCK_WAIT = (
    "public class CacheHelper\n"
    "{\n"
    "    private async Task<byte[]?> WaitLockAsync(string key, CancellationToken token)\n"
    "    {\n"
    "        var lockValue = await cache.GetAsync(LockKey(key), token);\n"
    "        while (lockValue is not null)\n"
    "        {\n"
    "            await Task.Delay(100, token);  // ok: another holder's lock, waited out\n"
    "            lockValue = await cache.GetAsync(LockKey(key), token);\n"
    "        }\n"
    "        var block = await node.GetBlockAsync(hash, token);\n"
    "        while (block is null)\n"
    "        {\n"
    "            await Task.Delay(TimeSpan.FromSeconds(1), token);\n"
    "            block = await node.GetBlockAsync(hash, token);\n"
    "        }\n"
    "        return await cache.GetAsync(key, token);\n"
    "    }\n"
    "}\n"
)


def test_waiting_for_a_lock_to_go_is_no_retry(tmp_path: Path) -> None:
    found = [c for c in _contracts(_service(tmp_path, {"CacheHelper.cs": LOCK_WAIT})) if c[2] == "retry"]
    assert found == [("CacheHelper.cs", 12, "retry", None)]  # `block` asked again: still a retry


EF_CHAIN = (
    "public static class Data\n"
    "{\n"
    "    public static void Add(IServiceCollection services, string cs)\n"
    "    {\n"
    "        services.AddDbContext<OrdersDb>(o => o.UseSqlServer(cs, sql => sql\n"
    "            .EnableRetryOnFailure(maxRetryCount: 5, maxRetryDelay: TimeSpan.FromSeconds(10), errorNumbersToAdd: null)\n"
    "            .CommandTimeout(60)));\n"
    "        var commandTimeout = 30;  // ok: a local, not a setting\n"
    "        services.AddDbContext<AuditDb>(o => o.UseNpgsql(cs).CommandTimeoutLabel(commandTimeout));\n"
    "    }\n"
    "}\n"
)


def test_a_command_timeout_chained_after_another_provider_option_is_read(tmp_path: Path) -> None:
    assert _contracts(_service(tmp_path, {"Data.cs": EF_CHAIN})) == [("Data.cs", 6, "retry", 6),
                                                                      ("Data.cs", 7, "timeout", 60000)]


FUNCTIONS = (
    "public class Functions\n"
    "{\n"
    "    [FixedDelayRetry(5, \"00:00:10\")]\n"
    "    [Function(\"orders\")]\n"
    "    public Task Run([QueueTrigger(\"orders\")] string message) => _client.PostAsync(message);\n"
    "    [ExponentialBackoffRetry(-1, \"00:00:04\", \"00:15:00\")]\n"
    "    [FunctionName(\"sync\")]\n"
    "    public Task Sync([TimerTrigger(\"0 */5 * * * *\")] TimerInfo timer) => _client.SyncAsync();\n"
    "    [Obsolete(\"FixedDelayRetry was removed\")]  // ok: the word in a string\n"
    "    public Task Old() => Task.CompletedTask;\n"
    "}\n"
)


def test_azure_functions_retry_attributes_count_the_first_execution(tmp_path: Path) -> None:
    found = [c for c in _contracts(_service(tmp_path, {"Functions.cs": FUNCTIONS})) if c[2] == "retry"]
    assert found == [("Functions.cs", 3, "retry", 6), ("Functions.cs", 6, "retry", None)]


MASSTRANSIT_HELPER = (
    "public static class Bus\n"
    "{\n"
    "    public static void Add(IBusRegistrationConfigurator bus)\n"
    "    {\n"
    "        bus.UsingRabbitMq((context, cfg) => cfg.UseMessageRetry(AddRetryConfiguration));\n"
    "    }\n"
    "    private static void AddRetryConfiguration(IRetryConfigurator retryConfigurator)\n"
    "    {\n"
    "        retryConfigurator\n"
    "            .Exponential(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(120), TimeSpan.FromMilliseconds(200))\n"
    "            .Ignore<ValidationException>();\n"
    "    }\n"
    "    private static double Grow(Curve curve, int attempt) => curve.Exponential(attempt, 2);  // ok: not a retry configurator\n"
    "}\n"
)


def test_masstransit_retry_set_in_a_method_taking_the_configurator(tmp_path: Path) -> None:
    found = [c for c in _contracts(_service(tmp_path, {"Bus.cs": MASSTRANSIT_HELPER})) if c[2] == "retry"]
    assert found == [("Bus.cs", 10, "retry", 4)]


COLLECTOR = (
    "public class LogCollector\n"
    "{\n"
    "    private readonly Channel<LogEntry> _logs = Channel.CreateUnbounded<LogEntry>();\n"
    "    public async Task<List<LogEntry>> DequeueAllAsync(int flushIntervalSeconds)\n"
    "    {\n"
    "        var list = new List<LogEntry>();\n"
    "        if (await _logs.Reader.WaitToReadAsync())\n"
    "        {\n"
    "            Stopwatch time = Stopwatch.StartNew();\n"
    "            while (true)\n"
    "            {\n"
    "                if (_logs.Reader.TryRead(out LogEntry? item))\n"
    "                    list.Add(item);\n"
    "                if (time.Elapsed >= TimeSpan.FromSeconds(flushIntervalSeconds))\n"
    "                    break;  // ok: a collection window over an in-process channel\n"
    "            }\n"
    "        }\n"
    "        return list;\n"
    "    }\n"
    "    public async Task Drain(Stopwatch sw)\n"
    "    {\n"
    "        while (_queue.TryDequeue(out var job))\n"
    "        {\n"
    "            await _client.SendAsync(job);\n"
    "            if (sw.Elapsed > TimeSpan.FromSeconds(20))\n"
    "                break;\n"
    "        }\n"
    "    }\n"
    "}\n"
)
FLUSHER = (
    "public class Flusher\n"
    "{\n"
    "    protected async Task Run(CancellationToken token)\n"
    "    {\n"
    "        var logs = await _collector.DequeueAllAsync(_options.FlushIntervalSeconds);\n"
    "    }\n"
    "}\n"
)


def test_a_collection_window_over_an_in_process_channel_bounds_no_call(tmp_path: Path) -> None:
    found = _contracts(_service(tmp_path, {"LogCollector.cs": COLLECTOR, "Flusher.cs": FLUSHER}))
    assert [c for c in found if c[2] == "timeout"] == [("LogCollector.cs", 25, "timeout", 20000)]
