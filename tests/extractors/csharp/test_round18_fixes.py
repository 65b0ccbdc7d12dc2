"""Round 18, second-wave fixes (each test names the set whose miss it fixes):

- a value parsed from configuration with a default in code (``if (int.TryParse(raw, out var p)) T = p; else T =
  30;``, also as a ternary), read from a lambda that captures it (flotilla);
- a reconnecting client's failure handler that gives up past a count (MQTTnet ``OnConnectingFailed``) (flotilla);
- MassTransit redelivery intervals a helper applies, handed in by its caller as a local array (altinn-register);
- a consumer counting its own redeliveries in a message property (plan-technology);
- an options record whose parameterless constructor sets the defaults (plan-technology);
- a wait for a remote yes/no state (``while (!has2Fa ..) { delay; has2Fa = await HasTwoFactorAsync(..) }``) is no
  retry (geh-market-participant);
- an options class's poison-queue default is not reported again where a guard reads it (sui-matcher)."""

from __future__ import annotations

from .support import contracts as _contracts, marker_line as _line


TRY_PARSE = """public static class CustomServiceConfigurations
{
    public static IServiceCollection ConfigureDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        int DATABASE_TIMEOUT;
        var timeoutValue = configuration["Database:Timeout"];
        if (
            !string.IsNullOrEmpty(timeoutValue)
            && int.TryParse(timeoutValue, out var parsedTimeout)
        )
        {
            DATABASE_TIMEOUT = parsedTimeout;
        }
        else
        {
            DATABASE_TIMEOUT = 30;
        }
        services.AddDbContext<FlotillaDbContext>(
            options =>
                options.UseNpgsql(
                    connection,
                    o =>
                    {
                        o.CommandTimeout(DATABASE_TIMEOUT); // parsed
                    }
                ));
        var other = int.TryParse(configuration["Db:Other"], out var p) ? p : 45;
        services.AddDbContext<OtherDbContext>(o => o.UseSqlServer(c, s => s.CommandTimeout(other))); // ternary
        var retry = 0;
        var timeoutWords = "CommandTimeout(30)"; // ok: the word in a string
        return services;
    }
}
"""


def test_a_setting_parsed_with_a_default_in_code_flotilla(tmp_path):
    found = _contracts(tmp_path, {"CustomServiceConfigurations.cs": TRY_PARSE})
    name = "CustomServiceConfigurations.cs"
    assert found == sorted([(name, _line(TRY_PARSE, "parsed"), "timeout", 30000),
                            (name, _line(TRY_PARSE, "ternary"), "timeout", 45000)], key=repr)


def test_the_configured_value_wins_over_the_code_default_flotilla(tmp_path):
    settings = '{"Database": {"Timeout": 60}}\n'
    found = _contracts(tmp_path, {"CustomServiceConfigurations.cs": TRY_PARSE, "appsettings.json": settings})
    assert ("CustomServiceConfigurations.cs", _line(TRY_PARSE, "parsed"), "timeout", 60000) in found


MQTT = """public class MqttService : BackgroundService
{
    private int _reconnectAttempts;
    private int _attempts;
    private readonly int _maxRetryAttempts;
    private readonly bool _shouldFailOnMaxRetries;

    private Task OnConnectingFailed(ConnectingFailedEventArgs obj)
    {
        if (_reconnectAttempts == -1)
        {
            return Task.CompletedTask;
        }
        if (_reconnectAttempts >= _maxRetryAttempts) // only when configured
        {
            if (_shouldFailOnMaxRetries)
            {
                StopAsync(_cancellationToken);
                return Task.CompletedTask;
            }
            _reconnectAttempts = -1;
            return Task.CompletedTask;
        }
        _reconnectAttempts++;
        return Task.CompletedTask;
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        if (_attempts >= 5) // stops
        {
            _client.Dispose();
            return Task.CompletedTask;
        }
        _attempts++;
        return Task.CompletedTask;
    }

    private Task HandleConnectionFailed(ConnectingFailedEventArgs e)
    {
        if (_attempts >= 5) // ok: only warns
        {
            _logger.LogWarning("many failures");
            return Task.CompletedTask;
        }
        _attempts++;
        return Task.CompletedTask;
    }

    private Task OnMessage(MessageEventArgs e)
    {
        if (_attempts >= 5) // ok: not a connection failure handler
        {
            StopAsync(default);
            return Task.CompletedTask;
        }
        _attempts++;
        return Task.CompletedTask;
    }
}
"""


def test_a_reconnecting_clients_failure_handler_that_gives_up_flotilla(tmp_path):
    found = _contracts(tmp_path, {"MqttService.cs": MQTT})
    name = "MqttService.cs"
    assert found == sorted([(name, _line(MQTT, "only when configured"), "retry", None),
                            (name, _line(MQTT, "stops"), "retry", 6)], key=repr)


MASSTRANSIT = """using MassTransit;
public static class MassTransitExtensions
{
    public static void AddBus(IHostApplicationBuilder builder)
    {
        TimeSpan[] redeliveryIntervals;
        if (builder.Environment.IsDevelopment())
        {
            redeliveryIntervals = [
                TimeSpan.FromSeconds(5),
                TimeSpan.FromSeconds(30),
            ];
        }
        else
        {
            redeliveryIntervals = [
                TimeSpan.FromMinutes(1),
                TimeSpan.FromMinutes(5),
                TimeSpan.FromMinutes(15),
            ];
        }
        SetupCoreBusServices( // setup
            builder.Services,
            redeliveryIntervals,
            static (s, c) => s.AddMassTransit(c));
        string[] names = ["a", "b"];
        Register(builder.Services, names); // ok: a list of names to a helper that bounds nothing
    }

    internal static void SetupCoreBusServices(
        IServiceCollection services,
        TimeSpan[]? redeliveryIntervals,
        Action<IServiceCollection, Action<IBusRegistrationConfigurator>> addBus)
    {
        addBus(services, configurator =>
        {
            configurator.AddConfigureEndpointsCallback((ctx, name, cfg) =>
            {
                if (redeliveryIntervals is not null)
                {
                    cfg.UseScheduledRedelivery(r => r.Intervals(redeliveryIntervals)); // ok: the callers' intervals
                }
            });
        });
    }

    internal static void Register(IServiceCollection services, string[] names) { }
}
"""

HARNESS = """public static class TestHarness
{
    public static void AddTestBus(IServiceCollection services)
    {
        MassTransitExtensions.SetupCoreBusServices(services, null, (s, c) => s.AddMassTransitTestHarness(c)); // ok: null
    }
}
"""


def test_redelivery_intervals_handed_to_a_helper_altinn_register(tmp_path):
    found = _contracts(tmp_path, {"MassTransitExtensions.cs": MASSTRANSIT, "TestHarness.cs": HARNESS})
    assert found == [("MassTransitExtensions.cs", _line(MASSTRANSIT, "setup"), "retry", 4)]


REDELIVERY = """using Azure.Messaging.ServiceBus;
public class MessageRetryHandler(IOptions<MessageRetryHandlingOptions> options) : IMessageRetryHandler
{
    private readonly ServiceBusSender _serviceBusSender;
    private readonly MessageRetryHandlingOptions _messageRetryHandlingOptions = options.Value;
    private const string CustomMessageProperty = "DeliveryAttempts";

    public async Task<bool> RetryRequired(ServiceBusReceivedMessage message, CancellationToken cancellationToken)
    {
        var deliveryAttempts = 0;
        if (message.ApplicationProperties.TryGetValue(CustomMessageProperty, out object? attemptObj)
            && int.TryParse(attemptObj?.ToString(), out int existingAttempt))
        {
            deliveryAttempts = existingAttempt;
        }

        if (deliveryAttempts >= _messageRetryHandlingOptions.MaxMessageDeliveryAttempts) // check
        {
            return false;
        }

        await RedeliverMessage(message, deliveryAttempts, cancellationToken);
        return true;
    }

    private async Task RedeliverMessage(ServiceBusReceivedMessage message, int deliveryAttempts, CancellationToken ct)
    {
        var resubmittedMessage = new ServiceBusMessage() { Subject = message.Subject, Body = message.Body };
        ++deliveryAttempts;
        resubmittedMessage.ApplicationProperties.Add(CustomMessageProperty, deliveryAttempts);
        await _serviceBusSender.SendMessageAsync(resubmittedMessage, ct);
    }

    public bool TooOld(ServiceBusReceivedMessage message)
    {
        var retries = 0;
        if (message.ApplicationProperties.TryGetValue("Retries", out object? o) && int.TryParse(o?.ToString(), out int n))
        {
            retries = n;
        }
        if (retries >= 3) // ok: read and checked, but nothing is sent again
        {
            return true;
        }
        return false;
    }
}
"""

REDELIVERY_OPTIONS = """public class MessageRetryHandlingOptions
{
    public int MaxMessageDeliveryAttempts { get; set; } = 4;
}
"""


def test_a_redelivery_counter_in_a_message_property_plan_technology(tmp_path):
    found = _contracts(tmp_path, {"MessageRetryHandler.cs": REDELIVERY,
                                  "MessageRetryHandlingOptions.cs": REDELIVERY_OPTIONS})
    assert found == [("MessageRetryHandler.cs", _line(REDELIVERY, "check"), "retry", 5)]


RECORD = """namespace Core.Configuration;
public readonly record struct DatabaseConfiguration
{
    public DatabaseConfiguration(int maxRetryCount, int maxDelayInMilliseconds)
    {
        MaxRetryCount = maxRetryCount;
        MaxDelayInMilliseconds = maxDelayInMilliseconds;
    }

    public DatabaseConfiguration()
        : this(5, 5000) { }

    public int MaxRetryCount { get; init; }
    public int MaxDelayInMilliseconds { get; init; }
}
"""

RECORD_USE = """using Microsoft.EntityFrameworkCore;
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        void databaseOptionsAction(DbContextOptionsBuilder options) =>
            options.UseSqlServer(
                configuration.GetConnectionString("Database"),
                opts =>
                {
                    var databaseRetryOptions = configuration
                        .GetRequiredSection("Database")
                        .Get<DatabaseConfiguration>();
                    opts.EnableRetryOnFailure( // ef
                        databaseRetryOptions.MaxRetryCount,
                        TimeSpan.FromMilliseconds(databaseRetryOptions.MaxDelayInMilliseconds),
                        null
                    );
                }
            );
        services.AddDbContext<PlanTechDbContext>(databaseOptionsAction);
        return services;
    }
}
"""

PLAIN_RECORD = """public class RetrySettings
{
    public RetrySettings() { MaxRetryCount = 2; }
    public RetrySettings(int maxRetryCount) { MaxRetryCount = maxRetryCount; }
    public int MaxRetryCount { get; set; }
}
public class Unset
{
    public Unset(int maxRetryCount) { MaxRetryCount = maxRetryCount; }
    public int MaxRetryCount { get; set; }
}
"""


def test_an_options_record_whose_parameterless_constructor_sets_the_defaults_plan_technology(tmp_path):
    found = _contracts(tmp_path, {"DatabaseConfiguration.cs": RECORD, "ServiceCollectionExtensions.cs": RECORD_USE})
    assert found == [("ServiceCollectionExtensions.cs", _line(RECORD_USE, "ef"), "retry", 6)]
    from extractors.csharp.extractor import EXTRACTOR
    symbols = EXTRACTOR.extract("RetrySettings.cs", PLAIN_RECORD.encode()).symbols
    assert symbols.get("RetrySettings.MaxRetryCount") is not None and "Unset.MaxRetryCount" not in symbols


POLL = """public class GetUserPermissionsHandler
{
    private async Task ValidateAsync(User user)
    {
        var waitTimeS = 1;
        var has2Fa = await _auth.HasTwoFactorAuthenticationAsync(user.ExternalId).ConfigureAwait(false);
        while (!has2Fa && waitTimeS <= 4) // ok: waits for the user's state to change
        {
            await Task.Delay(TimeSpan.FromSeconds(waitTimeS)).ConfigureAwait(false);
            has2Fa = await _auth.HasTwoFactorAuthenticationAsync(user.ExternalId).ConfigureAwait(false);
            waitTimeS *= 2;
        }
    }

    private async Task<Result> SendAsync(Request request)
    {
        var attempt = 0;
        var result = await _client.SendAsync(request);
        while (result == null && attempt < 3) // asks again
        {
            await Task.Delay(1000);
            result = await _client.SendAsync(request);
            attempt++;
        }
        return result;
    }
}
"""


def test_a_wait_for_a_remote_yes_no_state_is_no_retry_geh_market_participant(tmp_path):
    found = _contracts(tmp_path, {"GetUserPermissionsHandler.cs": POLL})
    assert [(line, kind) for _, line, kind, _ in found] == [(_line(POLL, "asks again"), "retry")]


QUEUE = """using Azure.Storage.Queues;
public class AzureStorageQueueClient(QueueServiceClient queueServiceClient, IOptions<StorageProcessJobOptions> options)
{
    public async Task<QueueMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var response = await queueClient.ReceiveMessageAsync(cancellationToken: cancellationToken);
        var message = response?.Value;
        if (message.DequeueCount > options.Value.MaxDequeueCount) // poison
        {
            var poisonQueueClient = queueServiceClient.GetQueueClient("poison");
            await poisonQueueClient.SendMessageAsync(message.MessageText);
            return null;
        }
        return message;
    }
}
"""

QUEUE_OPTIONS = """public sealed class StorageProcessJobOptions
{
    public string QueueName { get; init; } = "storage-process-job";
    public int MaxDequeueCount { get; init; } = 3; // default
}
"""

OTHER_OPTIONS = """public sealed class WorkerOptions
{
    public int MaxDequeueCount { get; init; } = 5; // unread
}
"""


def test_an_options_default_read_by_a_guard_is_reported_once_sui_matcher(tmp_path):
    found = _contracts(tmp_path, {"AzureStorageQueueClient.cs": QUEUE, "StorageProcessJobOptions.cs": QUEUE_OPTIONS,
                                  "WorkerOptions.cs": OTHER_OPTIONS})
    assert ("AzureStorageQueueClient.cs", _line(QUEUE, "poison"), "retry", 3) in found
    assert ("WorkerOptions.cs", _line(OTHER_OPTIONS, "unread"), "retry", 5) in found  # no guard reads it
    assert not [f for f in found if f[0] == "StorageProcessJobOptions.cs"]
