"""Round 15, shapes of the held-out sets mewdeko, altinn-correspondence, trade-imports-gmr-finder,
chat-copilot and ninechronicles-headless (each test names its set):

- ``nameof(HandlerTimeout)`` in a validation exception and a circuit breaker's ``CircuitBreakerTimeout`` bound
  no call;
- ``if (await Task.WhenAny(task, Task.Delay(5000)) != task) return ..;`` gives up on the task: a deadline; a head
  start that goes on to start other work is not;
- Kernel Memory's AI-service sections in appsettings.json (``"Deployment": .., "MaxRetries": 10``): 11 tries;
- ``AddRetry(settings.Retry)`` / ``AddTimeout(settings.Timeout)`` with an options class (another file) whose
  strategy properties are initialized ``= new() { MaxRetryAttempts = 3 }``: that class's values, at the calls;
- a project's own EF execution strategy (``: NpgsqlRetryingExecutionStrategy`` with ``base(deps, 5, ..)``): 6;
- a timeout only added to when an event last happened (a staleness watchdog) bounds no call;
- ``var rcon = await RconClient.ConnectAsync(..)``: ``rcon.SendCommandAsync(..)`` is RconClient's, not another
  class's helper of that name."""

from __future__ import annotations

from .support import contracts as _contracts, marker_line as _line


OPTIONS_VALIDATION = """using System;
public sealed class EventHandlerOptions
{
    public TimeSpan CircuitBreakerTimeout { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public void Validate()
    {
        if (CircuitBreakerTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(CircuitBreakerTimeout), "Must be greater than zero");
        if (HandlerTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(HandlerTimeout), "Must be greater than zero");
    }
    public EventHandlerOptions HighTraffic() => new EventHandlerOptions
    {
        CircuitBreakerTimeout = TimeSpan.FromMinutes(2),
        HandlerTimeout = TimeSpan.FromSeconds(15),
    };
}
public class Dns
{
    public LookupClient Make() => new LookupClient(new LookupClientOptions { Timeout = TimeSpan.FromSeconds(15) }); // dns
}
"""


def test_validation_messages_and_breaker_durations_are_no_timeouts(tmp_path):
    """mewdeko: EventHandlerOptions' nameof() checks and CircuitBreakerTimeout; a client's Timeout stays."""
    found = _contracts(tmp_path, {"Options.cs": OPTIONS_VALIDATION})
    assert found == [("Options.cs", _line(OPTIONS_VALIDATION, "dns"), "timeout", 15000)]


RACES = """using System;
using System.Net.Sockets;
using System.Threading.Tasks;
public class Query
{
    public async Task<Status> Ping(string address, int port)
    {
        using var udp = new UdpClient();
        var receiveTask = udp.ReceiveAsync();
        if (await Task.WhenAny(receiveTask, Task.Delay(5000)) != receiveTask) // race
            return new Status { IsOnline = false };
        var handshake = udp.ReceiveAsync();
        if (await Task.WhenAny(handshake, Task.Delay(3000)) != handshake) // race-block
        {
            logger.LogWarning("no answer");
            return null;
        }
        var first = ConnectV6(address);
        if (await Task.WhenAny(first, Task.Delay(250)) != first) // head-start
        {
            return await ConnectV4(address);
        }
        var t = udp.ReceiveAsync();
        if (await Task.WhenAny(t, Task.Delay(1000)) == t) // same-branch
        {
            Console.WriteLine("fast");
        }
        return null;
    }
}
"""


def test_a_race_that_gives_up_is_a_deadline(tmp_path):
    """mewdeko: the Minecraft Bedrock / query-protocol pings."""
    found = _contracts(tmp_path, {"Query.cs": RACES})
    assert found == [("Query.cs", _line(RACES, "race"), "timeout", 5000),
                     ("Query.cs", _line(RACES, "race-block"), "timeout", 3000)]


KERNEL_MEMORY = """{
  "Service": { "Name": "chat" },
  "KernelMemory": {
    "Services": {
      "AzureOpenAIText": {
        "Auth": "ApiKey",
        "Endpoint": "",
        "Deployment": "gpt-4o",
        "MaxRetries": 10
      },
      "OpenAI": {
        "TextModel": "gpt-4o",
        "OrgId": "",
        "MaxRetries": 10
      }
    }
  },
  "Payments": { "Endpoint": "https://pay", "MaxRetries": 3 },
  "Policy": { "MaxRetries": 5, "Name": "x" }
}
"""


def test_ai_service_sections_in_appsettings(tmp_path):
    """chat-copilot: Kernel Memory binds its AI-service sections itself; other sections are the project's."""
    found = _contracts(tmp_path, {"appsettings.json": KERNEL_MEMORY, "Program.cs": "public class P {}\n"})
    lines = [n for n, line in enumerate(KERNEL_MEMORY.splitlines(), 1) if '"MaxRetries": 10' in line]
    assert sorted(found) == [("appsettings.json", lines[0], "retry", 11), ("appsettings.json", lines[1], "retry", 11)]


STRATEGY_OPTIONS = """using System;
using Microsoft.Extensions.Http.Resilience;
namespace Finder.Configuration;
public class GvmsApiOptions
{
    public const string SectionName = "GvmsApi";
    public string BaseUri { get; init; } = "";
    public HttpCircuitBreakerStrategyOptions CircuitBreaker { get; init; } = new();
    public HttpRetryStrategyOptions Retry { get; init; } = new() { MaxRetryAttempts = 3 };
    public HttpTimeoutStrategyOptions Timeout { get; init; } = new() { Timeout = TimeSpan.FromSeconds(30) };
}
public class OtherOptions
{
    public HttpRetryStrategyOptions Retry { get; init; } = new() { MaxRetryAttempts = 5 };
}
"""

STRATEGY_USE = """using Microsoft.Extensions.DependencyInjection;
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddGvms(this IServiceCollection services)
    {
        services.AddHttpClient<IGvmsApiClient, GvmsApiClient>()
            .AddResilienceHandler("GvmsApi", (pipelineBuilder, context) =>
            {
                var settings = context.GetOptions<GvmsApiOptions>();
                pipelineBuilder
                    .AddRetry(settings.Retry) // retry
                    .AddTimeout(settings.Timeout); // timeout
            });
        return services;
    }

    public static void AddOther(ResiliencePipelineBuilder builder, IOptions<OtherOptions> options)
    {
        builder.AddRetry(options.Value.Retry); // other
    }
}
"""


def test_strategy_options_of_an_options_class(tmp_path):
    """trade-imports-gmr-finder: the GVMS client's pipeline reads an options class's initialized strategies."""
    found = _contracts(tmp_path, {"GvmsApiOptions.cs": STRATEGY_OPTIONS, "ServiceCollectionExtensions.cs": STRATEGY_USE})
    assert sorted(found) == [("ServiceCollectionExtensions.cs", _line(STRATEGY_USE, "retry"), "retry", 4),
                             ("ServiceCollectionExtensions.cs", _line(STRATEGY_USE, "timeout"), "timeout", 30000),
                             ("ServiceCollectionExtensions.cs", _line(STRATEGY_USE, "other"), "retry", 6)]


EXECUTION_STRATEGY = """using System;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;
public class DbRetryStrategy : NpgsqlRetryingExecutionStrategy
{
    private const int MaxRetries = 5;
    private new static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);
    public DbRetryStrategy(ExecutionStrategyDependencies dependencies)
        : base(dependencies, MaxRetries, MaxRetryDelay, ["40001"]) // strategy
    {
    }
}
public class DefaultStrategy : SqlServerRetryingExecutionStrategy
{
    public DefaultStrategy(ExecutionStrategyDependencies dependencies) : base(dependencies) // default
    {
    }
}
public class Repository : BaseRepository
{
    public Repository(DbContext context) : base(context, 5) { }
}
"""


def test_a_projects_own_execution_strategy(tmp_path):
    """altinn-correspondence: CorrespondenceNpgsqlRetryingExecutionStrategy; a repository's base(ctx, 5) is none."""
    found = _contracts(tmp_path, {"Strategy.cs": EXECUTION_STRATEGY})
    assert found == [("Strategy.cs", _line(EXECUTION_STRATEGY, "default"), "retry", 7),
                     ("Strategy.cs", _line(EXECUTION_STRATEGY, "strategy"), "retry", 6)]


WATCHDOG = """using System;
using System.Threading;
using System.Threading.Tasks;
public class NodeService
{
    public async Task Run(CancellationToken ct)
    {
        await Task.WhenAll(CheckMessage(Properties.MessageTimeout, ct), CheckTip(Properties.TipTimeout, ct));
        await Fetch(url, Properties.RequestTimeout); // fetch
    }
    async Task CheckMessage(TimeSpan messageTimeout, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMinutes(5), ct);
            if (Swarm.LastMessageTimestamp + messageTimeout < DateTimeOffset.UtcNow) Restart();
        }
    }
    async Task CheckTip(TimeSpan tipTimeout, CancellationToken ct)
    {
        if (lastTipChanged + tipTimeout < DateTimeOffset.Now) Log.Error($"no tip within {tipTimeout}");
    }
    async Task Fetch(string url, TimeSpan requestTimeout)
    {
        using var cts = new CancellationTokenSource();
        cts.CancelAfter(requestTimeout);
        await http.GetAsync(url, cts.Token);
    }
}
"""


def test_a_staleness_watchdog_bounds_no_call(tmp_path):
    """ninechronicles-headless: CheckMessage / CheckTip restart the node when it went quiet too long."""
    found = _contracts(tmp_path, {"NodeService.cs": WATCHDOG})
    assert [(line, kind) for _, line, kind, _ in found] == [(_line(WATCHDOG, "fetch"), "timeout")]


FACTORY_RECEIVER = """using System.Threading.Tasks;
public class RconClient
{
    public static async Task<RconClient> ConnectAsync(string address, int port, string password)
    {
        var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address, port);
        return new RconClient();
    }
    public async Task<string> SendCommandAsync(string command) => await Send(command);
}
public class Minecraft
{
    public async Task<string> Run(string address, string command)
    {
        using var rcon = await RconClient.ConnectAsync(address, 25575, "pw");
        return await rcon.SendCommandAsync(command); // rcon
    }
}
"""

BRIDGE = """using System.Threading.Tasks;
public class BridgeService
{
    public async Task<string> SendCommandAsync(int serverId, string command, int timeout = 5000)
    {
        var tcs = new TaskCompletionSource<string>();
        await socket.SendAsync(command);
        var completed = await Task.WhenAny(tcs.Task, Task.Delay(timeout)); // bridge
        if (completed != tcs.Task) throw new TimeoutException("timed out");
        return tcs.Task.Result;
    }
}
"""


def test_a_factory_made_receiver_is_of_the_factory_type(tmp_path):
    """mewdeko: RconClient's SendCommandAsync is not the bridge's SendCommandAsync(.., timeout = 5000)."""
    found = _contracts(tmp_path, {"Rcon.cs": FACTORY_RECEIVER, "Bridge.cs": BRIDGE})
    assert ("Rcon.cs", _line(FACTORY_RECEIVER, "rcon"), "timeout", 5000) not in found
    assert ("Bridge.cs", _line(BRIDGE, "bridge"), "timeout", 5000) in found
