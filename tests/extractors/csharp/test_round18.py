"""Round 18, shapes of the held-out sets (each test names its set):

- Durable Task (isolated worker) retry options made by a parameterless method of the orchestration
  (``var options = CreateEnqueueRetryOptions();``) and handed to the project's own helpers
  (``GetGridAreaOwnersActivity.StartActivityAsync(context, options)``): the retry is at each call handing the
  options on, the helper's own ``CallActivityAsync(.., options: options)`` is a forwarder (not reported);
  ``maxNumberOfAttempts: int.MaxValue`` is unbounded (null)."""

from __future__ import annotations

from .support import contracts as _contracts, marker_line as _line


ORCHESTRATION = """using Microsoft.DurableTask;
public class EnqueueMessagesOrchestration
{
    public async Task<string> Run(TaskOrchestrationContext context)
    {
        var defaultRetryOptions = CreateDefaultRetryOptions();
        var enqueueRetryOptions = CreateEnqueueRetryOptions();
        var owners = await GetOwnersActivity.StartActivityAsync(context, enqueueRetryOptions); // helper
        var first = context.CallActivityAsync<int>( // direct
            nameof(EnqueueActivity),
            owners,
            options: enqueueRetryOptions);
        var second = EnqueueAllAsync(context, owners, enqueueRetryOptions); // own helper
        await context.CallActivityAsync(nameof(NotifyActivity), owners, defaultRetryOptions); // notify
        var plain = Summarise(owners, "options"); // not options
        return "ok";
    }

    private static async Task<int> EnqueueAllAsync(TaskOrchestrationContext context, object input, TaskOptions options)
    {
        return await context.CallActivityAsync<int>(nameof(EnqueueActivity), input, options: options);
    }

    private static TaskOptions CreateEnqueueRetryOptions()
    {
        return TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: int.MaxValue,
            firstRetryInterval: TimeSpan.FromSeconds(2)));
    }

    private static TaskOptions CreateDefaultRetryOptions() =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(30)));
}
"""

ACTIVITY = """using Microsoft.DurableTask;
public class GetOwnersActivity
{
    public static Task<object> StartActivityAsync(TaskOrchestrationContext context, TaskOptions? options)
    {
        return context.CallActivityAsync<object>(nameof(GetOwnersActivity), null, options: options);
    }
}
"""


def test_durable_task_options_from_a_factory_method_handed_to_helpers_opengeh_edi(tmp_path):
    found = _contracts(tmp_path, {"EnqueueMessagesOrchestration.cs": ORCHESTRATION, "GetOwnersActivity.cs": ACTIVITY})
    o = "EnqueueMessagesOrchestration.cs"
    assert found == sorted([
        (o, _line(ORCHESTRATION, "helper"), "retry", None),
        (o, _line(ORCHESTRATION, "direct"), "retry", None),
        (o, _line(ORCHESTRATION, "own helper"), "retry", None),
        (o, _line(ORCHESTRATION, "notify"), "retry", 5),
    ], key=repr)


REDIS = """using Polly;
using Polly.Retry;
using StackExchange.Redis;
public class RedisCache
{
    private readonly AsyncRetryPolicy _retryPolicyAsync;
    private readonly AsyncRetryPolicy _other;
    public RedisCache(ILogger logger)
    {
        var retryPolicyBuilder = Policy
            .Handle<TimeoutException>()
            .Or<RedisServerException>()
            .OrInner<RedisException>();
        _retryPolicyAsync = retryPolicyBuilder.WaitAndRetryAsync( // builder
            3,
            _ => TimeSpan.FromMilliseconds(50));
        var notABuilder = Retries.For("redis");
        _other = notABuilder.WaitAndRetryAsync(5, _ => TimeSpan.FromSeconds(1));
    }
}
"""


def test_polly_builder_kept_in_a_local_plan_technology(tmp_path):
    found = _contracts(tmp_path, {"RedisCache.cs": REDIS})
    assert found == [("RedisCache.cs", _line(REDIS, "builder"), "retry", 4)]


KIOTA = """using System.Net;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
public static class NotFoundRetryHandlerOptionFactory
{
    public static RetryHandlerOption CreateNotFoundRetryHandlerOption()
    {
        return new RetryHandlerOption // default
        {
            ShouldRetry = (_, _, response) => response.StatusCode == HttpStatusCode.NotFound
        };
    }
    public static RetryHandlerOption Five() => new RetryHandlerOption { MaxRetry = 5 }; // five
    public static string Describe() => "RetryHandlerOption MaxRetry = 7";
}
"""


def test_kiota_retry_handler_option_geh_market_participant(tmp_path):
    found = _contracts(tmp_path, {"NotFoundRetryHandlerOptionFactory.cs": KIOTA})
    name = "NotFoundRetryHandlerOptionFactory.cs"
    assert found == sorted([(name, _line(KIOTA, "default"), "retry", 4), (name, _line(KIOTA, "five"), "retry", 6)],
                           key=repr)


MASSTRANSIT = """using MassTransit;
public static class BusSetup
{
    internal static void Setup(IServiceCollection services, TimeSpan[]? redeliveryIntervals)
    {
        services.AddMassTransit(configurator =>
        {
            configurator.AddConfigureEndpointsCallback((ctx, name, cfg) =>
            {
                if (redeliveryIntervals is not null)
                {
                    cfg.UseScheduledRedelivery(r => r.Intervals(redeliveryIntervals));
                }
                cfg.UseMessageRetry(r => r.Intervals( // one interval
                    TimeSpan.FromSeconds(1)));
                cfg.UseMessageRetry(r => r.Intervals(100, 200)); // two intervals
            });
        });
    }
}
"""


def test_masstransit_single_interval_and_forwarded_intervals_altinn_register(tmp_path):
    found = _contracts(tmp_path, {"BusSetup.cs": MASSTRANSIT})
    assert found == sorted([("BusSetup.cs", _line(MASSTRANSIT, "one interval"), "retry", 2),
                            ("BusSetup.cs", _line(MASSTRANSIT, "two intervals"), "retry", 3)], key=repr)


HEALTH = """using Microsoft.Graph;
public class GraphApiHealthCheck
{
    private readonly GraphServiceClient _graphServiceClient;
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await _graphServiceClient
                .Admin
                .GetAsync(cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception)
        {
            await _graphServiceClient
                .Admin
                .GetAsync(cancellationToken: cancellationToken) // again
                .ConfigureAwait(false);
        }
        return HealthCheckResult.Healthy();
    }
}
"""


def test_repeat_in_catch_is_at_the_called_name_not_configure_await_geh_market_participant(tmp_path):
    found = _contracts(tmp_path, {"GraphApiHealthCheck.cs": HEALTH})
    assert found == [("GraphApiHealthCheck.cs", _line(HEALTH, "again"), "retry", 2)]


NOT_CALLS = """using Hangfire;
using Hangfire.PostgreSql;
using MassTransit;
using System.Threading.Channels;
public static class Setup
{
    public static void ConfigureHangfire(IServiceCollection services)
    {
        services.AddHangfire((provider, config) =>
        {
            config.UsePostgreSqlStorage(
                c => c.UseConnectionFactory(provider.GetRequiredService<IConnectionFactory>()),
                new PostgreSqlStorageOptions
                {
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = TimeSpan.FromMinutes(5),
                    DistributedLockTimeout = TimeSpan.FromSeconds(30),
                });
        });
    }

    public static void Endpoints(IReceiveEndpointConfigurator cfg, IBusRegistrationConfigurator harness)
    {
        cfg.UseKillSwitch(options => options
            .SetRestartTimeout(TimeSpan.FromMinutes(15))
            .SetTripThreshold(1));
        harness.SetTestTimeouts(
            testTimeout: TimeSpan.FromMinutes(3),
            testInactivityTimeout: TimeSpan.FromMinutes(1));
    }

    public static async Task Drain(ChannelReader<int> reader, CancellationToken cancellationToken)
    {
        var done = !await reader.WaitToReadAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(1));
    }

    public static async Task<bool> IsFileReadyAsync(string filePath, int maxAttempts = 5)
    {
        for (int attempt = 0; attempt < maxAttempts; attempt++)
        {
            try
            {
                await using var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.None);
                return true;
            }
            catch (IOException)
            {
                await Task.Delay(1000);
            }
        }
        return false;
    }
}
"""


def test_leases_lock_waits_kill_switch_test_harness_channel_and_file_waits_are_no_calls_altinn_broker_register_sui(tmp_path):
    assert _contracts(tmp_path, {"Setup.cs": NOT_CALLS}) == []


QUEUE = """using Azure.Storage.Queues;
public class AzureStorageQueueClient(QueueServiceClient queueServiceClient, IOptions<StorageProcessJobOptions> options)
{
    public async Task<QueueMessage?> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var queueClient = queueServiceClient.GetQueueClient(options.Value.QueueName);
        var response = await queueClient.ReceiveMessageAsync(cancellationToken: cancellationToken);
        var message = response?.Value;
        if (message is null)
        {
            return null;
        }
        if (message.DequeueCount > options.Value.MaxDequeueCount) // poison
        {
            var poisonQueueClient = queueServiceClient.GetQueueClient($"{options.Value.QueueName}-poison");
            await poisonQueueClient.SendMessageAsync(message.MessageText, cancellationToken: cancellationToken);
            await queueClient.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            return null;
        }
        if (message.DequeueCount > options.Value.MaxDequeueCount) // only logged
        {
            Log(message.DequeueCount);
        }
        return message;
    }
}

public class StorageProcessJobOptions
{
    public string QueueName { get; init; } = "";
    public int MaxDequeueCount { get; init; } = 3;
}
"""


def test_dequeue_count_guard_against_a_setting_sui_matcher(tmp_path):
    found = _contracts(tmp_path, {"AzureStorageQueueClient.cs": QUEUE})
    assert ("AzureStorageQueueClient.cs", _line(QUEUE, "poison"), "retry", 3) in found
    assert not [f for f in found if f[1] == _line(QUEUE, "only logged")]


REPLACE_HELPER = """using Microsoft.Extensions.Http.Resilience;
public static class HttpReciliencyExtensions
{
    public static IHttpClientBuilder ReplaceResilienceHandler(this IHttpClientBuilder builder, Action<HttpStandardResilienceOptions> configure)
    {
        builder.AddStandardResilienceHandler(configure); // helper
        return builder;
    }

    public static IHttpClientBuilder FromConfig(this IHttpClientBuilder builder, IConfigurationSection section)
    {
        builder.AddStandardResilienceHandler(section);
        return builder;
    }
}
"""

REPLACE_CALLERS = """using Microsoft.Extensions.Http.Resilience;
public static class RegisterHost
{
    public static void Configure(IServiceCollection services)
    {
        services.AddHttpClient<IImportService, ImportService>()
            .ReplaceResilienceHandler(static c =>
            {
                c.Retry.ShouldHandle = static _ => ValueTask.FromResult(false); // off
            });
        services.AddHttpClient<IOther, Other>()
            .ReplaceResilienceHandler(static c =>
            {
                c.Retry.ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is not null);
            });
        services.AddHttpClient("direct")
            .AddStandardResilienceHandler(o => // handler
            {
                o.Retry.ShouldHandle = _ => ValueTask.FromResult(false); // direct off
            });
    }
}
"""


def test_standard_handler_in_a_helper_and_retries_turned_off_altinn_register(tmp_path):
    found = _contracts(tmp_path, {"HttpReciliencyExtensions.cs": REPLACE_HELPER, "RegisterHost.cs": REPLACE_CALLERS})
    h, r = "HttpReciliencyExtensions.cs", "RegisterHost.cs"
    handler = _line(REPLACE_CALLERS, "handler")
    expected = [
        (h, _line(REPLACE_HELPER, "helper"), "timeout", 10000), (h, _line(REPLACE_HELPER, "helper"), "timeout", 30000),
        (r, _line(REPLACE_CALLERS, "off"), "retry", 1), (r, _line(REPLACE_CALLERS, "direct off"), "retry", 1),
        (r, handler, "timeout", 10000), (r, handler, "timeout", 30000),
    ]
    assert found == sorted(expected, key=repr)


RETRY_UTIL = """using Microsoft.Extensions.Logging;
namespace Shared.Util;
public static class RetryUtil
{
    public static async Task RetryAsync(Func<Task> action, int retryCount, int delayMs, ILogger logger)
    {
        int attempts = 0;
        while (attempts < retryCount)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception ex)
            {
                attempts++;
                logger.LogInformation(ex, "Retry attempt {Attempts} failed", attempts);
                if (attempts >= retryCount)
                    throw;
                await Task.Delay(delayMs);
            }
        }
    }
}
"""

MONITOR = """using Shared.Util;
public class CsvFileMonitor
{
    private readonly HttpClient _client;
    public async Task ProcessAsync(string filePath, string destPath)
    {
        await RetryUtil.RetryAsync(
            () =>
            {
                File.Move(filePath, destPath);
                _logger.LogInformation("File moved to {DestPath}", destPath);
                Interlocked.Increment(ref _processedCount);
                return Task.CompletedTask;
            },
            3,
            1000,
            _logger);
        await RetryUtil.RetryAsync(() => _client.PostAsync("http://matching/api", null), 4, 1000, _logger); // remote
    }
}
"""


def test_a_helper_retrying_a_local_file_move_bounds_no_call_sui_matcher(tmp_path):
    found = _contracts(tmp_path, {"RetryAsync.cs": RETRY_UTIL, "CsvFileMonitor.cs": MONITOR})
    assert [f for f in found if f[0] == "CsvFileMonitor.cs" and f[2] == "retry"] == \
        [("CsvFileMonitor.cs", _line(MONITOR, "remote"), "retry", 4)]
