"""Round 16, shapes of the held-out sets nadekobot and kernel-memory (each test names its set):

- ``trivia.OnTimeout += handler`` subscribes to an event: no timeout;
- ``try { await X(); } catch { await X(); }`` is one retry, but not when the try's first call is a guard's
  report on its way out, nor when the catch sends a message built apart (``Response().Error(..).SendAsync()``);
- Discord.Net ``RetryMode = RetryMode.AlwaysFail`` turns re-sends off (1 try), ``AlwaysRetry`` has no count;
  ``Retry502`` is no contract;
- a gRPC call's ``deadline: DateTime.UtcNow + TimeSpan.FromSeconds(10)`` is 10 s, at the called name's line;
- Polly v8 ``.AddRetry(new() { MaxRetryAttempts = 10 })`` (target-typed options) is 11 tries."""

from __future__ import annotations

from .support import contracts as _contracts, marker_line as _line


EVENTS = """using System;
using System.Threading.Tasks;
public class TriviaCommands
{
    public async Task Run(TriviaGame trivia)
    {
        trivia.OnTimeout += OnTriviaTimeout;
        await trivia.RunAsync();
        trivia.OnTimeout -= OnTriviaTimeout;
    }
    private Task OnTriviaTimeout(TriviaGame g) => Task.CompletedTask;
}
"""


def test_event_subscription_named_timeout_sets_nothing(tmp_path):
    """nadekobot: `trivia.OnTimeout += OnTriviaTimeout;` was read as a timeout setting."""
    assert _contracts(tmp_path, {"TriviaCommands.cs": EVENTS}) == []


CATCH_REPEATS = """using System;
using System.Threading.Tasks;
public class Punisher
{
    public async Task Softban(IGuild guild, IUser user)
    {
        await guild.AddBanAsync(user, 7, "Softban");
        try { await guild.RemoveBanAsync(user); }
        catch { await guild.RemoveBanAsync(user); } // retried
    }
    public async Task Osu(string user)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(_key))
            {
                await Response().Error(strs.osu_api_key).SendAsync();
                return;
            }
            var obj = await _service.GetOsuData(user);
            await Response().Embed(Build(obj)).SendAsync();
        }
        catch (Exception ex)
        {
            await Response().Error(strs.osu_failed).SendAsync();
        }
    }
    public async Task StreamRole(IGuildUser user, IRole addRole)
    {
        try
        {
            if (addRole is null)
            {
                await StopStreamRole(user.Guild);
                return;
            }
            await user.AddRoleAsync(addRole);
        }
        catch (HttpException)
        {
            await StopStreamRole(user.Guild);
            throw;
        }
    }
}
"""


def test_catch_repeat_is_one_retry_but_not_a_guard_report_or_another_message(tmp_path):
    """nadekobot: the softban's RemoveBanAsync tried again in the catch is 2 tries; the osu command's error
    reply and the stream role's StopStreamRole in the catch repeat a guard's report, not the operation."""
    found = _contracts(tmp_path, {"Punisher.cs": CATCH_REPEATS})
    assert found == [("Punisher.cs", _line(CATCH_REPEATS, "retried"), "retry", 2)]


DISCORD = """using Discord;
using Discord.WebSocket;
using System.Threading.Tasks;
public class Publisher
{
    public DiscordSocketClient Make() => new(new DiscordSocketConfig
    {
        MessageCacheSize = 50,
        DefaultRetryMode = RetryMode.Retry502
    });
    public async Task Crosspost(IUserMessage msg)
    {
        await msg.CrosspostAsync(new RequestOptions()
        {
            RetryMode = RetryMode.AlwaysFail // off
        });
        await msg.DeleteAsync(new() { RetryMode = RetryMode.AlwaysRetry }); // always
    }
    public int RetryMode { get; set; }
    public void Local() { var retryMode = "AlwaysFail"; }
}
"""


def test_discord_net_retry_modes(tmp_path):
    found = _contracts(tmp_path, {"Publisher.cs": DISCORD})
    assert found == sorted([("Publisher.cs", _line(DISCORD, "off"), "retry", 1),
                            ("Publisher.cs", _line(DISCORD, "always"), "retry", None)], key=repr)


GRPC = """using System;
using Grpc.Core;
using System.Threading.Tasks;
public class Coordinator
{
    public async Task Beat(Coord.CoordClient client)
    {
        var reply = await client.HeartbeatAsync(new() // beat
            {
                ShardId = 1
            },
            deadline: DateTime.UtcNow + TimeSpan.FromSeconds(10));
        var when = DateTime.UtcNow + TimeSpan.FromSeconds(30); // not a call
        var other = await client.PingAsync(new(), deadline: DateTime.UtcNow.AddSeconds(5)); // ping
    }
}
"""


def test_grpc_deadline_now_plus_span_at_the_called_name(tmp_path):
    found = _contracts(tmp_path, {"Coordinator.cs": GRPC})
    assert found == sorted([("Coordinator.cs", _line(GRPC, "beat"), "timeout", 10000.0),
                            ("Coordinator.cs", _line(GRPC, "ping"), "timeout", 5000.0)], key=repr)


POLLY = """using System;
using System.Net.Http;
using Polly;
public class WebScraper
{
    private static ResiliencePipeline<HttpResponseMessage> RetryLogic()
    {
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new() // retry
            {
                MaxRetryAttempts = 10,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(TimeSpan.FromSeconds(1))
            })
            .Build();
    }
    private static object Other() => Use(new() { MaxRetryAttempts = 3 });
}
"""


def test_polly_v8_add_retry_with_target_typed_options(tmp_path):
    found = _contracts(tmp_path, {"WebScraper.cs": POLLY})
    assert found == [("WebScraper.cs", _line(POLLY, "retry"), "retry", 11)]


DISK = """using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
public class DiskFileSystem
{
    public async Task DeleteVolumeAsync(string path, CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            if (!Directory.Exists(path))
            {
                return;
            }
            try
            {
                Directory.Delete(path, true);
                return;
            }
            catch (IOException e) when (e.Message.Contains("not empty", StringComparison.OrdinalIgnoreCase))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(attempt * 75), cancellationToken);
            }
        }
    }
    public async Task<bool> UploadAsync(Uploader client, string path)
    {
        for (int attempt = 1; attempt <= 3; attempt++) // upload
        {
            try
            {
                await client.PutAsync(path);
                return true;
            }
            catch (IOException e) when (e.Message.Contains("reset"))
            {
                await Task.Delay(100);
            }
        }
        return false;
    }
}
"""


def test_retry_loop_over_local_disk_work_with_a_message_filter_is_no_contract(tmp_path):
    """kernel-memory: DiskFileSystem's 5-try Directory.Delete loop (its catch filter reads e.Message) calls no
    service; the same shape around a client's call stays a retry."""
    found = _contracts(tmp_path, {"DiskFileSystem.cs": DISK})
    assert found == [("DiskFileSystem.cs", _line(DISK, "upload"), "retry", 3)]


SPAM = """using System;
using System.Collections.Generic;
public class UserSpamStats
{
    private readonly Queue<DateTime> _messageTracker = new();
    private readonly TimeSpan _maxTime = TimeSpan.FromMinutes(30);
    private void Cleanup()
    {
        while (_messageTracker.TryPeek(out var dateTime))
        {
            if (DateTime.UtcNow - dateTime < _maxTime)
                break;
            _messageTracker.Dequeue();
        }
    }
}
"""


def test_purge_of_old_entries_peeked_by_the_loop_is_no_deadline(tmp_path):
    """nadekobot: the spam tracker drops entries older than 30 min: an item's age, no bound on a call."""
    assert _contracts(tmp_path, {"UserSpamStats.cs": SPAM}) == []


PERSON = """using System;
using System.Threading.Tasks;
public class Module
{
    public async Task<string> GetUserInputAsync(ulong userId)
    {
        var userInputTask = new TaskCompletionSource<string>();
        if (await Task.WhenAny(userInputTask.Task, Task.Delay(10000)) != userInputTask.Task)
            return null;
        return await userInputTask.Task;
    }
    public async Task<string> StatusAsync(Client client)
    {
        var receiveTask = client.ReceiveAsync();
        if (await Task.WhenAny(receiveTask, Task.Delay(5000)) != receiveTask) // status
            return null;
        return await receiveTask;
    }
}
"""


def test_race_against_a_person_signal_is_no_deadline(tmp_path):
    """nadekobot: waiting 10 s for the user's next message is a wait for a person; a receive stays a deadline."""
    found = _contracts(tmp_path, {"Module.cs": PERSON})
    assert found == [("Module.cs", _line(PERSON, "status"), "timeout", 5000.0)]


HUB = {
    "HubOptions.cs": """namespace Hub;
public sealed class HubOptions
{
    public const string Position = "Hub";
    public float AdvertisementStatusTestTimeoutSeconds { get; set; } = 5;
}
""",
    "ServerListController.cs": """using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;
namespace Hub;
public class ServerListController
{
    private readonly IOptions<HubOptions> _options;
    public ServerListController(IOptions<HubOptions> options) { _options = options; }
    public async Task Query(Uri uri)
    {
        var options = _options.Value;
        var timeout = TimeSpan.FromSeconds(options.AdvertisementStatusTestTimeoutSeconds);
        var cts = new CancellationTokenSource(timeout);
        await Fetch(uri, cts.Token);
    }
    private Task Fetch(Uri uri, CancellationToken ct) => Task.CompletedTask;
    public void Write(object writer, object value, System.Text.Json.JsonSerializerOptions options) { }
}
""",
}


def test_local_holding_an_options_value_reads_the_options_class_default(tmp_path):
    """SS14.Web: `var options = _options.Value;` then `options.AdvertisementStatusTestTimeoutSeconds` (5 s)."""
    found = _contracts(tmp_path, HUB)
    assert found == [("ServerListController.cs", 14, "timeout", 5000.0)]


REDIS = """public class Creds
{
    public string RedisOptions { get; set; }
    public string Description { get; set; }
    public string RedisKeyPrefix { get; set; }
    public Creds()
    {
        RedisOptions = "localhost:6379,syncTimeout=30000,responseTimeout=30000,allowAdmin=true,password="; // redis
        Description = "localhost:6379,syncTimeout=3000";
        RedisKeyPrefix = "nadeko:syncTimeout=5";
    }
    public void Migrate()
    {
        if (string.IsNullOrWhiteSpace(RedisOptions))
            RedisOptions = "127.0.0.1,syncTimeout=3000"; // fallback
    }
}
"""


def test_redis_configuration_string_held_in_a_redis_setting(tmp_path):
    """nadekobot: the creds' default and fallback StackExchange.Redis strings (syncTimeout); the same text in
    another property, or a redis key prefix, is none."""
    found = _contracts(tmp_path, {"Creds.cs": REDIS})
    assert found == sorted([("Creds.cs", _line(REDIS, "redis"), "timeout", 30000.0),
                            ("Creds.cs", _line(REDIS, "fallback"), "timeout", 3000.0)], key=repr)


GRAPH = {
    "GraphConstants.cs": """namespace Graph;
public static class GraphConstants
{
    public const int MaxRetry = 5;
}
""",
    "GroupsService.cs": """using System.Threading.Tasks;
namespace Graph;
internal class GroupsService
{
    private int MaxRetry { get; set; } = 2;
    public async Task<Group> Get(string id)
    {
        return await this.graphServiceClient
                        .Groups[id]
                        .Request()
                        .WithMaxRetry(this.MaxRetry) // own
                        .GetAsync();
    }
    public async Task<User> User(string id)
    {
        var maxRetry = 3;
        return await this.graphServiceClient.Users[id].Request().WithMaxRetry(GraphConstants.MaxRetry).GetAsync(); // shared
    }
}
""",
}


def test_graph_request_with_max_retry(tmp_path):
    """company-communicator (round-15 request): Graph `.WithMaxRetry(n)` is n + 1 tries, at its line."""
    found = _contracts(tmp_path, GRAPH)
    source = GRAPH["GroupsService.cs"]
    assert found == sorted([("GroupsService.cs", _line(source, "own"), "retry", 3),
                            ("GroupsService.cs", _line(source, "shared"), "retry", 6)], key=repr)


CLIENT_POLICY = """using System;
using System.ClientModel.Primitives;
internal sealed class ClientSequentialRetryPolicy : ClientRetryPolicy
{
    public ClientSequentialRetryPolicy(
        int maxRetries = 3,
        object loggerFactory = null) : base(maxRetries) // base
    {
    }
    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount) => TimeSpan.FromSeconds(1);
}
internal sealed class Other : Exception
{
    public Other(int code = 3) : base(code.ToString()) { }
}
"""


def test_client_model_retry_policy_subclass_default_count(tmp_path):
    """kernel-memory: a System.ClientModel ClientRetryPolicy subclass handing its maxRetries = 3 to the base:
    4 tries at `base(` (rule a); another base class's constructor is none."""
    found = _contracts(tmp_path, {"ClientSequentialRetryPolicy.cs": CLIENT_POLICY})
    assert found == [("ClientSequentialRetryPolicy.cs", _line(CLIENT_POLICY, "base"), "retry", 4)]


PROCESS = """using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
public class LocalBuildService
{
    public async Task Run(Process process, CancellationToken cancellationToken)
    {
        await Task.Run(() => process.Start(), cancellationToken).WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
        await Task.Run(() => Fetch(), cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken); // fetch
    }
    private Task Fetch() => Task.CompletedTask;
}
"""


def test_wait_on_starting_a_local_process_is_no_deadline(tmp_path):
    """SS14.MapServer: `Task.Run(() => process.Start()).WaitAsync(1 min)` bounds a local process start."""
    found = _contracts(tmp_path, {"LocalBuildService.cs": PROCESS})
    assert ("LocalBuildService.cs", 9, "timeout", 60000.0) not in found


WOLVERINE = {
    "PolicyExtensions.cs": """using System;
using Wolverine.ErrorHandling;
public static class PolicyExtensions
{
    public static IAdditionalActions RetryWithJitteredCooldown(this PolicyExpression policyExpression, params TimeSpan[] delays)
    {
        var jittered = new TimeSpan[delays.Length];
        for (var i = 0; i < delays.Length; i++)
            jittered[i] = TimeSpan.FromMilliseconds(delays[i].TotalMilliseconds * (0.5 + Random.Shared.NextDouble()));
        return policyExpression.RetryWithCooldown(jittered);
    }
}
""",
    "Setup.cs": """using System;
using Wolverine;
using Wolverine.ErrorHandling;
public static class Setup
{
    public static void Configure(WolverineOptions opts, Clock clock)
    {
        opts.Policies
            .OnException<ApiException>(ex => ex.Conflict)
            .RetryWithJitteredCooldown(clock.Seconds(1), clock.Seconds(3), clock.Seconds(5)) // jittered
            .Then.MoveToErrorQueue();
        opts.Policies
            .OnException<ApiException>(ex => ex.Unprocessable)
            .RetryWithJitteredCooldown(clock.Seconds(1), clock.Seconds(3), clock.Seconds(5)) // then
            .Then.ScheduleRetry(clock.Seconds(10), clock.Seconds(30), clock.Minutes(1), clock.Minutes(5),
                clock.Minutes(5), clock.Minutes(10))
            .Then.MoveToErrorQueue();
        var cooldown = RetryWithCooldownMinutes(5);
    }
    private static int RetryWithCooldownMinutes(int n) => n;
}
""",
}


def test_wolverine_cooldown_wrapper_counts_in_its_chain(tmp_path):
    """dialogporten-adapter (round-15 request): a project's RetryWithJitteredCooldown(params TimeSpan[]) over
    Wolverine's RetryWithCooldown is one retry per delay in the error chain (3 -> 4 tries; with a ScheduleRetry of
    6 after it, 10), at the wrapper's line; the wrapper's own forwarding call is no contract."""
    found = _contracts(tmp_path, WOLVERINE)
    source = WOLVERINE["Setup.cs"]
    assert found == sorted([("Setup.cs", _line(source, "jittered"), "retry", 4),
                            ("Setup.cs", _line(source, "then"), "retry", 10)], key=repr)


CLI = """using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CliWrap;
public class AppriseCliDetector
{
    private static readonly System.TimeSpan DetectionTimeout = System.TimeSpan.FromSeconds(5);
    public async Task<string> GetAppriseVersionAsync()
    {
        using var cts = new CancellationTokenSource(DetectionTimeout);
        StringBuilder version = new();
        _ = await Cli.Wrap("apprise")
            .WithArguments("--version")
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(version))
            .ExecuteAsync(cts.Token);
        return version.ToString();
    }
    public async Task<string> FetchAsync(Client client)
    {
        using var cts = new CancellationTokenSource(DetectionTimeout); // fetch
        return await client.GetStringAsync("https://x", cts.Token);
    }
}
"""


def test_cliwrap_command_under_a_token_is_a_local_process(tmp_path):
    """cleanuparr: CliWrap's Cli.Wrap("apprise")..ExecuteAsync(cts.Token) runs a local command; an HTTP call
    under the same kind of source stays a deadline."""
    found = _contracts(tmp_path, {"AppriseCliDetector.cs": CLI})
    assert found == [("AppriseCliDetector.cs", _line(CLI, "fetch"), "timeout", 5000.0)]


REAUTH = """using System;
using System.Threading.Tasks;
public class UTorrentClient
{
    private async Task<string> SendAuthenticatedRequestAsync(UTorrentRequest request)
    {
        try
        {
            var token = await _authenticator.GetValidTokenAsync();
            var guidCookie = await _authenticator.GetValidGuidCookieAsync();
            request.Token = token;
            return await _httpService.SendRawRequestAsync(request, guidCookie);
        }
        catch (UTorrentAuthenticationException)
        {
            await _authenticator.InvalidateSessionAsync();
            var token = await _authenticator.GetValidTokenAsync();
            var guidCookie = await _authenticator.GetValidGuidCookieAsync();
            request.Token = token;
            return await _httpService.SendRawRequestAsync(request, guidCookie); // resend
        }
    }
}
"""


def test_catch_repeat_after_reauth_is_reported_at_the_request(tmp_path):
    """cleanuparr: the catch signs in again and re-sends: the retry is the request's, at the re-sent call."""
    found = _contracts(tmp_path, {"UTorrentClient.cs": REAUTH})
    assert found == [("UTorrentClient.cs", _line(REAUTH, "resend"), "retry", 2)]


BROADCAST = """using System;
using System.Threading.Tasks;
public class MainController
{
    public async Task<bool> Broadcast(Tx tx, Context ctx)
    {
        try
        {
            await ctx.RpcClient.SendRawTransactionAsync(tx);
            await ctx.Indexer.SaveMatches(tx);
            return true;
        }
        catch (RPCException ex)
        {
            foreach (var parent in ctx.Unconfirmed)
            {
                try { await ctx.RpcClient.SendRawTransactionAsync(parent); } catch { }
            }
            try
            {
                await ctx.RpcClient.SendRawTransactionAsync(tx); // again
                await ctx.Indexer.SaveMatches(tx); // save
                return true;
            }
            catch (RPCException) { }
        }
        return false;
    }
}
"""


def test_catch_repeat_stays_at_the_operation_when_no_credential_came_first(tmp_path):
    """NBXplorer: the broadcast sent again after its missing parents is the retry, not the save after it."""
    found = _contracts(tmp_path, {"MainController.cs": BROADCAST})
    assert not [x for x in found if x[1] == _line(BROADCAST, "save")]
