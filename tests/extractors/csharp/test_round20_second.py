"""Round 20, second wave (C# held-out sets fhir-analytics-pipelines, fhir-loader, group-membership-management,
bounan-downloader, guildsaber, margintrading): the shapes their first scans missed or reported wrongly, each
with its traps."""

from __future__ import annotations

from tests.extractors.csharp.support import contracts, marker_line

CLEANUP = """
public class ProcessingJob {
    public async Task<string> ExecuteAsync(CancellationToken cancellationToken) {
        try {
            await CleanResourceAsync(cancellationToken);
            await ProcessAsync(cancellationToken);
            return "ok";
        } catch (OperationCanceledException ex) {
            _logger.LogInformation(ex, "cancelled");
            await CleanResourceAsync(CancellationToken.None); // cleanup1
            throw new RetriableJobException("cancelled", ex);
        } catch (Exception ex) {
            await CleanResourceAsync(CancellationToken.None); // cleanup2
            throw;
        }
    }
    public async Task<Response> SendAsync(Request req) {
        try {
            return await _client.SendAsync(req);
        } catch (HttpRequestException) {
            return await _client.SendAsync(req); // resend
        }
    }
}
"""


def test_cleanup_in_a_catch_before_rethrowing_is_no_retry_but_a_resend_is(tmp_path):
    found = contracts(tmp_path, {"ProcessingJob.cs": CLEANUP})
    at = {line: value for name, line, kind, value in found if kind == "retry"}
    for marker in ("cleanup1", "cleanup2"):
        assert marker_line(CLEANUP, marker) not in at, marker
    assert at[marker_line(CLEANUP, "resend")] == 2


CREATE_IF_MISSING = """
public class JobQueueClient {
    public async Task<JobIdEntity> GetIds(string pk, string rk, CancellationToken cancellationToken) {
        JobIdEntity entity;
        try {
            entity = (await _jobClient.GetEntityAsync<JobIdEntity>(pk, rk, cancellationToken: cancellationToken)).Value;
        } catch (RequestFailedException ex) when (ex.Status == 404) {
            try {
                await _jobClient.AddEntityAsync(new JobIdEntity { PartitionKey = pk, RowKey = rk }, cancellationToken);
            } catch (RequestFailedException) { }
            entity = (await _jobClient.GetEntityAsync<JobIdEntity>(pk, rk, cancellationToken: cancellationToken)).Value; // reread
        }
        return entity;
    }
    public async Task<Response> SendAsync(Request req) {
        try {
            return await _httpClient.GetAsync(req);
        } catch (HttpRequestException) {
            _logger.LogWarning("read failed, reading again");
            return await _httpClient.GetAsync(req); // again
        }
    }
}
"""


def test_create_if_missing_then_read_is_no_retry_but_a_plain_reread_is(tmp_path):
    found = contracts(tmp_path, {"JobQueueClient.cs": CREATE_IF_MISSING})
    at = {line: value for name, line, kind, value in found if kind == "retry"}
    assert marker_line(CREATE_IF_MISSING, "reread") not in at
    assert at[marker_line(CREATE_IF_MISSING, "again")] == 2


COUNTED_UP = """
public class JobIds {
    private const int MaxRetryCountForConflict = 5;
    public async Task<List<long>> Allocate(byte queueType, int count, CancellationToken token) {
        return await GetIncrementalJobIds(queueType, count, 0, token);
    }
    private async Task<List<long>> GetIncrementalJobIds(byte queueType, int count, int retryCount, CancellationToken token) {
        var result = new List<long>();
        try {
            await _tableClient.UpdateEntityAsync(entity, entity.ETag, cancellationToken: token);
        } catch (RequestFailedException ex) when (ex.Status == 412) {
            if (retryCount >= MaxRetryCountForConflict) {
                throw new JobManagementException("conflicts", ex);
            }
            result = await GetIncrementalJobIds(queueType, count, retryCount + 1, token); // again
        }
        return result;
    }
    private async Task<List<Item>> ReadPages(string query, int page, CancellationToken token) {
        var items = await _http.GetFromJsonAsync<List<Item>>(query + page, token);
        if (page >= 100) {
            return items;
        }
        items.AddRange(await ReadPages(query, page + 1, token)); // paging
        return items;
    }
}
"""


def test_a_method_calling_itself_with_its_count_of_tries_raised_until_a_guard(tmp_path):
    found = contracts(tmp_path, {"JobIds.cs": COUNTED_UP})
    at = {line: value for name, line, kind, value in found if kind == "retry"}
    # calls with retryCount 0..5, the sixth conflict throws: 6 tries
    assert at[marker_line(COUNTED_UP, "again")] == 6
    assert marker_line(COUNTED_UP, "paging") not in at


RETRY_HELPER = """
internal static class Retry {
    public static Task DoAsync(Func<CancellationToken, Task> action, ILogger logger, int maxRetries = 3,
                               int delayInMs = 1000, CancellationToken cancellationToken = default) {
        return DoAsync<object?>(async ct => { await action(ct); return null; }, // overload
            logger, maxRetries, delayInMs, cancellationToken);
    }
    public static async Task<T> DoAsync<T>(Func<CancellationToken, Task<T>> action, ILogger logger,
                                           int maxRetries = 3, int delayInMs = 1000,
                                           CancellationToken cancellationToken = default) {
        int attempts = 0;
        while (true) { // loop
            try {
                return await action(cancellationToken);
            } catch (Exception ex) when (attempts < maxRetries) {
                attempts++;
                await Task.Delay(delayInMs, cancellationToken);
            }
        }
    }
    public static string Describe(string text, int maxRetries = 3) => text + maxRetries;
}
public class VideoCopyingService {
    public async Task Run(string key, CancellationToken token) {
        await Retry.DoAsync(async ct => await CopyAsync(key, ct), Logger, cancellationToken: token); // omitted
        await Retry.DoAsync(async ct => await CopyAsync(key, ct), Logger, 5); // passed
        var label = Retry.Describe("copy"); // describe
    }
}
"""


def test_a_retry_helper_overload_hands_its_default_on_and_a_call_leaving_it_out_gets_it(tmp_path):
    found = contracts(tmp_path, {"Retry.cs": RETRY_HELPER})
    at = {line: value for name, line, kind, value in found if kind == "retry"}
    assert at[marker_line(RETRY_HELPER, "loop")] == 4
    assert at[marker_line(RETRY_HELPER, "overload")] == 4  # rule a: the non-generic overload's default
    assert at[marker_line(RETRY_HELPER, "omitted")] == 4  # rule b
    assert at[marker_line(RETRY_HELPER, "passed")] == 6
    assert marker_line(RETRY_HELPER, "describe") not in at  # a parameter that bounds no retry


DURABLE = """
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
public static class ExportAllOrchestrator {
    private static RetryOptions _exportAllRetryOptions = new RetryOptions(firstRetryInterval: TimeSpan.FromSeconds(30), maxNumberOfAttempts: 5); // shared
    public static async Task Run(IDurableOrchestrationContext context) {
        var tasks = new List<Task<DataPageResult>>();
        tasks.Add(context.CallActivityWithRetryAsync<DataPageResult>( // call
                    nameof(GetPage),
                    _exportAllRetryOptions,
                    new DataPageRequest(1)));
        await context.CallActivityWithRetryAsync(nameof(GetPage), _settings.RetryOptions, null); // setting
    }
}
"""


def test_durable_retry_options_of_a_field_of_the_file_are_read_once_at_their_creation(tmp_path):
    found = contracts(tmp_path, {"ExportAllOrchestrator.cs": DURABLE})
    at = {line: value for name, line, kind, value in found if kind == "retry"}
    assert at[marker_line(DURABLE, "shared")] == 5
    assert marker_line(DURABLE, "call") not in at
    assert marker_line(DURABLE, "setting") in at  # options held by a setting: at the call


DRAIN = """
public static class FHIRUtils {
    private static HttpClient Make() {
        var handler = new SocketsHttpHandler {
            ResponseDrainTimeout = TimeSpan.FromSeconds(60), // drain
            ConnectTimeout = TimeSpan.FromSeconds(10), // connect
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(100) }; // request
    }
}
"""


def test_the_response_drain_timeout_of_the_pool_bounds_no_call(tmp_path):
    found = contracts(tmp_path, {"FHIRUtils.cs": DRAIN})
    at = {line: value for name, line, kind, value in found if kind == "timeout"}
    assert marker_line(DRAIN, "drain") not in at
    assert at[marker_line(DRAIN, "connect")] == 10000
    assert at[marker_line(DRAIN, "request")] == 100000


UNUSED_POLICY = """
using Polly;
using Polly.Extensions.Http;
public class Startup {
    public void Configure(IServiceCollection services) {
        services.AddHttpClient<IGraphClient, GraphClient>().AddPolicyHandler(GetUsedPolicy());
    }
    static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy() {
        return HttpPolicyExtensions.HandleTransientHttpError()
            .WaitAndRetryAsync(5, retryAttempt => TimeSpan.FromSeconds(Math.Pow(2, retryAttempt))); // unused
    }
    static IAsyncPolicy<HttpResponseMessage> GetUsedPolicy() {
        return HttpPolicyExtensions.HandleTransientHttpError()
            .WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds(retryAttempt)); // used
    }
    public static IAsyncPolicy<HttpResponseMessage> GetSharedPolicy() {
        return HttpPolicyExtensions.HandleTransientHttpError()
            .WaitAndRetryAsync(2, retryAttempt => TimeSpan.FromSeconds(retryAttempt)); // shared
    }
}
"""


def test_a_private_polly_factory_no_code_calls_makes_no_retry(tmp_path):
    found = contracts(tmp_path, {"Startup.cs": UNUSED_POLICY})
    at = {line: value for name, line, kind, value in found if kind == "retry"}
    assert marker_line(UNUSED_POLICY, "unused") not in at
    assert at[marker_line(UNUSED_POLICY, "used")] == 4
    assert at[marker_line(UNUSED_POLICY, "shared")] == 3  # public: other files may call it


ATTEMPTS_INTERFACE = """
public interface IGraphServiceAttemptsValue {
    int MaxRetryAfterAttempts { get; }
    int MaxExceptionHandlingAttempts { get; }
}
"""
ATTEMPTS_VALUE = """
public class GraphServiceAttemptsValue : IGraphServiceAttemptsValue {
    public int MaxRetryAfterAttempts { get; set; }
    public int MaxExceptionHandlingAttempts { get; set; }
}
"""
ATTEMPTS_STARTUP = """
public class CommonStartup {
    public void Configure(IFunctionsHostBuilder builder) {
        builder.Services.AddOptions<GraphServiceAttemptsValue>().Configure<IConfiguration>((settings, configuration) => {
            settings.MaxRetryAfterAttempts = GetIntSetting(configuration, "MaxRetryAfterAttempts", 4);
            settings.MaxExceptionHandlingAttempts = GetIntSetting(configuration, "MaxExceptionHandlingAttempts", 2);
            settings.Label = GetStringSetting(configuration, "Label", "retry");
        });
        builder.Services.AddSingleton<IGraphServiceAttemptsValue>(services => {
            var options = services.GetRequiredService<IOptions<GraphServiceAttemptsValue>>();
            return new GraphServiceAttemptsValue { MaxRetryAfterAttempts = options.Value.MaxRetryAfterAttempts };
        });
    }
    private int GetIntSetting(IConfiguration configuration, string settingName, int defaultValue) {
        var checkParse = int.TryParse(configuration[settingName], out int value);
        return checkParse ? value : defaultValue;
    }
}
"""
ATTEMPTS_PROVIDER = """
using Polly;
public class RetryPolicyProvider : IRetryPolicyProvider {
    private readonly IGraphServiceAttemptsValue _maxGraphServiceAttempts;
    public RetryPolicyProvider(IGraphServiceAttemptsValue maxGraphServiceAttempts) {
        _maxGraphServiceAttempts = maxGraphServiceAttempts;
    }
    public AsyncPolicy<HttpResponseMessage> CreateRetryAfterPolicy() {
        return Policy.HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.TooManyRequests)
            .WaitAndRetryAsync( // after
                _maxGraphServiceAttempts.MaxRetryAfterAttempts,
                sleepDurationProvider: GetSleepDuration);
    }
    public AsyncPolicy<HttpResponseMessage> CreateExceptionHandlingPolicy() {
        return Policy.Handle<HttpRequestException>()
            .WaitAndRetryAsync( // exception
                _maxGraphServiceAttempts.MaxExceptionHandlingAttempts,
                retryAttempt => TimeSpan.FromSeconds(Math.Pow(2, retryAttempt)));
    }
}
"""


def test_options_set_in_a_configure_lambda_with_a_defaulted_setting_value_the_polly_counts(tmp_path):
    found = contracts(tmp_path, {"IGraphServiceAttemptsValue.cs": ATTEMPTS_INTERFACE,
                                 "GraphServiceAttemptsValue.cs": ATTEMPTS_VALUE,
                                 "CommonStartup.cs": ATTEMPTS_STARTUP, "RetryPolicyProvider.cs": ATTEMPTS_PROVIDER})
    at = {(name, line): value for name, line, kind, value in found if kind == "retry"}
    assert at[("RetryPolicyProvider.cs", marker_line(ATTEMPTS_PROVIDER, "after"))] == 5
    assert at[("RetryPolicyProvider.cs", marker_line(ATTEMPTS_PROVIDER, "exception"))] == 3
    assert not [key for key in at if key[0] == "CommonStartup.cs"]  # the settings are no retry themselves


HEALTH_ENGINE = """
using Microsoft.Extensions.Options;
public class HealthCheckEngine : IHealthCheckEngine {
    private readonly TimeSpan _healthCheckTimeoutInSeconds;
    private TimeSpan _changing;
    public HealthCheckEngine(IOptions<HealthCheckConfiguration> healthCheckConfiguration) {
        _healthCheckTimeoutInSeconds = TimeSpan.FromSeconds(healthCheckConfiguration.Value.HealthCheckTimeoutInSeconds);
        _changing = TimeSpan.FromSeconds(healthCheckConfiguration.Value.HealthCheckTimeoutInSeconds);
    }
    public void Reset() { _changing = TimeSpan.FromSeconds(5); }
    public async Task CheckHealthAsync(CancellationToken cancellationToken = default) {
        using var healthCheckToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        healthCheckToken.CancelAfter(_healthCheckTimeoutInSeconds); // engine
        await _checker.PerformHealthCheckAsync(healthCheckToken.Token);
        using var other = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        other.CancelAfter(_changing); // changing
        await _checker.PerformHealthCheckAsync(other.Token);
    }
}
"""
HEALTH_CONFIGURATION = "public class HealthCheckConfiguration { public int HealthCheckTimeoutInSeconds { get; set; } = 100; }\n"


def test_a_timespan_field_set_once_from_an_options_value_has_the_options_default(tmp_path):
    found = contracts(tmp_path, {"HealthCheckEngine.cs": HEALTH_ENGINE,
                                 "HealthCheckConfiguration.cs": HEALTH_CONFIGURATION})
    at = {line: value for name, line, kind, value in found if kind == "timeout" and name == "HealthCheckEngine.cs"}
    assert at[marker_line(HEALTH_ENGINE, "engine")] == 100000
    assert at.get(marker_line(HEALTH_ENGINE, "changing")) is None  # set twice: no one value


PAGING = """
public class OldApi {
    public async IAsyncEnumerable<Result<Item[]?>> GetPages(int guildId, PageOptions options) {
        var rateLimitRetries = 0;
        while (options.Page <= options.MaxPage) { // paging
            var response = await httpClient.GetAsync(Url(guildId, options));
            if (response.StatusCode == (HttpStatusCode)429) {
                rateLimitRetries++;
                if (rateLimitRetries > 8) {
                    yield return Failure<Item[]?>("rate limited");
                    yield break;
                }
                await Task.Delay(TimeSpan.FromSeconds(4));
                continue;
            }
            options.Page++;
            rateLimitRetries = 0;
            yield return await Read(response);
        }
    }
    public async Task<List<Item>> Walk(PageOptions options) {
        var items = new List<Item>();
        var skippedRetries = 0;
        while (options.Page <= options.MaxPage) { // walk
            var response = await httpClient.GetAsync(Url(1, options));
            options.Page++;
            if (response.StatusCode == HttpStatusCode.NotFound) {
                skippedRetries++;
                if (skippedRetries > 3) {
                    break;
                }
                continue;
            }
            items.AddRange(await Read(response));
        }
        return items;
    }
}
"""


def test_a_throttled_answer_sent_again_inside_a_paging_loop_until_a_counter_gives_up(tmp_path):
    found = contracts(tmp_path, {"OldApi.cs": PAGING})
    at = {line: value for name, line, kind, value in found if kind == "retry"}
    assert at[marker_line(PAGING, "paging")] == 9
    assert marker_line(PAGING, "walk") not in at  # the page moved on before the test: skipping, not resending


CHUNKS = """
public class MembershipUpdater {
    public async Task Send(Queue<ChunkOfUsers> queue) {
        while (queue.TryDequeue(out var chunk)) {
            var response = await _graph.SendBatchAsync(chunk.ToSend);
            if (!response.IsSuccessStatusCode && chunk.ShouldRetry) {
                queue.Enqueue(chunk.UpdateIdForRetry());
            }
        }
    }
    private class ChunkOfUsers {
        public List<User> ToSend { get; set; }
        public const int MaxBatchRetries = 5;
        public int RetryCount { get; set; }
        public bool ShouldRetry => RetryCount < MaxBatchRetries; // chunk
        public ChunkOfUsers UpdateIdForRetry() { RetryCount++; return this; }
    }
    private class Settings {
        public int RetryCount { get; set; }
        public bool CanRetry => RetryCount < 3; // never counted
    }
}
"""


def test_a_work_item_that_counts_its_own_retries_and_says_whether_to_send_again(tmp_path):
    found = contracts(tmp_path, {"MembershipUpdater.cs": CHUNKS})
    at = {line: value for name, line, kind, value in found if kind == "retry"}
    assert at[marker_line(CHUNKS, "chunk")] == 6
    assert marker_line(CHUNKS, "never counted") not in at


LYKKE = """
using Lykke.RabbitMqBroker.Subscriber;
using Lykke.Cqrs;
public static class Wiring {
    private static IErrorHandlingStrategy Build(ILogger logger, SubscriptionSettings settings) {
        var dlq = new DeadQueueErrorHandlingStrategy(logger, settings);
        var other = new ResilientErrorHandlingStrategy(logger, settings, TimeSpan.FromSeconds(1), 2, dlq); // two
        return new ResilientErrorHandlingStrategy(logger, settings, TimeSpan.FromSeconds(1), next: dlq); // default
    }
    private static IRegistration RegisterContext() {
        return Register.BoundedContext("accounts")
            .FailedCommandRetryDelay(_defaultRetryDelayMs) // delay
            .ProcessingOptions(DefaultRoute).MultiThreaded(8);
    }
    private static void Trap(Context c) {
        var retryDelay = c.FailedCommandRetryDelayMs; // a property named for it
    }
}
"""


def test_lykke_rabbitmq_error_strategy_and_cqrs_failed_command_redelivery(tmp_path):
    found = contracts(tmp_path, {"Wiring.cs": LYKKE})
    at = {line: value for name, line, kind, value in found if kind == "retry"}
    assert at[marker_line(LYKKE, "default")] == 6
    assert at[marker_line(LYKKE, "two")] == 3
    assert marker_line(LYKKE, "delay") in at and at[marker_line(LYKKE, "delay")] is None
    assert marker_line(LYKKE, "a property named for it") not in at
