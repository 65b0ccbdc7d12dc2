"""Round 14, shapes of the held-out sets reddog, depotdownloader, certify, uksf-api, altinn-notifications,
altinn-storage and coolstore (each test names its set):

- a ``do`` loop that goes round while the answer a call stored is missing or false (``while (secret ==
  null)`` after a try/catch, ``while (!isSuccess)`` after ``TrySaveAsync``) is a retry of unknown bound;
  a paging / work loop (``while (!done)``) and a read of the next input are not;
- a bookkeeping call made again after an auth refresh (``cdnPool.ReturnConnection(connection)``) is no retry;
- a count-bounded poll of a remote resource's ``Status`` is a wait for a state, not a retry; a server's
  ``while (listener.IsListening)`` accept loop is no retry;
- Wolverine error chains (``RetryWithCooldown(..).Then.ScheduleRetry(..)``, ``RetryTimes(n)``) count 1 + all
  retries, at the chain's first retry call;
- a loop repeating the call made just before it counts that first call (``maxAttempts`` tries, not one less),
  and a call leaving the defaulted bound out gets it (rule b);
- waits for a local process (``WaitForExitAsync().WaitAsync(5 s)``, a deadline whose branch kills processes)
  are no timeouts;
- a local function is a helper: ``CreatePolicy(3, ..)`` forwarding ``retries`` to Polly gets 4 at the call;
- a catch repeating the try's call without its cancellation token is the same request again: 2 attempts."""

from __future__ import annotations

from .support import contracts as _contracts, marker_line as _line


UNTIL_ANSWER = """using System;
using System.Threading.Tasks;
public class Bootstrap
{
    private async Task<string> GetSecret(DaprClient daprClient)
    {
        Dictionary<string, string> secret = null;
        do // secret-loop
        {
            try
            {
                secret = await daprClient.GetSecretAsync("store", "reddog-sql");
            }
            catch (Exception e)
            {
                Console.WriteLine(e.Message);
                await Task.Delay(5000);
            }
        } while (secret == null);
        return secret["x"];
    }

    public async Task Save(OrderSummary orderSummary)
    {
        bool isSuccess;
        do // save-loop
        {
            var state = await GetAllOrdersAsync(orderSummary.StoreId);
            state.Value.Add(orderSummary);
            isSuccess = await state.TrySaveAsync(_stateOptions);
        } while (!isSuccess);
    }

    public async Task Drain()
    {
        bool done;
        do // work-loop
        {
            done = await ProcessNextBatchAsync();
        } while (!done);
    }

    public async Task ReadAll(StreamReader reader)
    {
        string line;
        do // read-loop
        {
            line = await reader.ReadLineAsync();
        } while (line == null);
    }

    public async Task<T> WithLock<T>(string key)
    {
        IAsyncDisposable? @lock;
        do // lock-loop
        {
            @lock = await _cacheFactory.TryAcquireLock(key, TimeSpan.FromHours(1));
        } while (@lock == null);
        return default;
    }

    public async Task<ItemAction> DequeueAsync()
    {
        ItemAction itemAction;
        do // dequeue-loop
        {
            itemAction = await _repository.GetHighestPriorityAsync();
            if (itemAction == null)
                return null;
            if (itemAction.AttemptCount < 10) // give-up
                break;
            await _repository.DeleteAsync(itemAction.Id);
            itemAction = null;
        } while (itemAction == null);
        return itemAction;
    }

    public void AskCode()
    {
        string code;
        do // prompt-loop
        {
            code = Console.ReadLine();
        } while (code == null);
    }
}
"""


def test_do_loops_until_the_answer_are_retries_of_unknown_bound(tmp_path):
    found = _contracts(tmp_path, {"Bootstrap.cs": UNTIL_ANSWER})
    assert ("Bootstrap.cs", _line(UNTIL_ANSWER, "secret-loop"), "retry", None) in found
    assert ("Bootstrap.cs", _line(UNTIL_ANSWER, "save-loop"), "retry", None) in found
    lines = {line for _, line, _, _ in found}
    for trap in ("work-loop", "read-loop", "prompt-loop", "lock-loop", "dequeue-loop"):
        assert _line(UNTIL_ANSWER, trap) not in lines, trap
    # the dead item given up after 10 attempts is fluffle's labelled contract (round 13 rule)
    assert ("Bootstrap.cs", _line(UNTIL_ANSWER, "give-up"), "retry", 10) in found
    assert len(found) == 3


CDN = """using System;
using System.Net;
using System.Threading.Tasks;
public class Downloader
{
    public async Task<byte[]> Chunk(Depot depot, Chunk chunk, CancellationTokenSource cts)
    {
        var written = 0;
        do // chunk-loop
        {
            Server connection = null;
            try
            {
                connection = cdnPool.GetConnection();
                written = await cdnPool.CDNClient.DownloadDepotChunkAsync(depot.DepotId, chunk, connection).ConfigureAwait(false);
                cdnPool.ReturnConnection(connection);
                break;
            }
            catch (SteamKitWebRequestException e)
            {
                if (e.StatusCode == HttpStatusCode.Forbidden && !steam3.CDNAuthTokens.ContainsKey(depot.DepotId))
                {
                    await steam3.RequestCDNAuthToken(depot.AppId, depot.DepotId, connection);
                    cdnPool.ReturnConnection(connection); // bookkeeping
                    continue;
                }
                cdnPool.ReturnBrokenConnection(connection);
            }
        } while (written == 0);
        return null;
    }
}
"""


def test_bookkeeping_call_after_auth_refresh_is_no_retry(tmp_path):
    """depotdownloader: the chunk loop is the retry; the 403 branch's ReturnConnection is not a second one."""
    found = _contracts(tmp_path, {"Downloader.cs": CDN})
    assert found == [("Downloader.cs", _line(CDN, "chunk-loop"), "retry", None)]


POLLS = """using System;
using System.Net;
using System.Threading.Tasks;
public class Acme
{
    public async Task<Order> WaitReady(IOrderContext orderContext)
    {
        var order = await orderContext.Resource();
        var attempts = 5;
        while (attempts > 0 && order.Status != OrderStatus.Ready) // state-poll
        {
            await Task.Delay(3000);
            order = await orderContext.Resource();
            attempts--;
        }
        return order;
    }

    public async Task<Episodes> Episodes(Api api, string id)
    {
        var eps = await api.GetEpisodes(id);
        var tries = 0;
        while (eps == null && tries < 3) // answer-poll
        {
            await Task.Delay(500);
            eps = await api.GetEpisodes(id);
            tries++;
        }
        return eps;
    }

    public async Task Serve(HttpListener listener)
    {
        while (listener != null && listener.IsListening) // accept-loop
        {
            try
            {
                var ctx = await listener.GetContextAsync();
                await Handle(ctx);
                break;
            }
            catch (Exception) { }
        }
    }
}
"""


def test_state_polls_and_accept_loops_are_no_retries(tmp_path):
    """certify: the ACME order's Status polled by count is a wait; an answer polled while null still is a retry."""
    found = _contracts(tmp_path, {"Acme.cs": POLLS})
    lines = {line for _, line, kind, _ in found if kind == "retry"}
    assert _line(POLLS, "state-poll") not in lines
    assert _line(POLLS, "accept-loop") not in lines
    assert _line(POLLS, "answer-poll") in lines


WOLVERINE = """using System;
using Wolverine;
using Wolverine.ErrorHandling;
internal sealed class SendPolicy : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        var chain = chains.First();
        chain
            .OnException<TimeoutException>()
            .Or<InvalidOperationException>()
            .RetryWithCooldown(50.Milliseconds(), 100.Milliseconds(), 250.Milliseconds()) // cooldown
            .Then.ScheduleRetry(1.Minutes(), 5.Minutes()) // schedule
            .Then.MoveToErrorQueue();
        chain.OnException<HttpRequestException>().RetryTimes(3); // times
        chain.OnException<IOException>().RetryOnce(); // once
        chain.OnException<NotFoundException>()
            .RetryWithCooldown(settings.Policy.GetCooldownDelays()) // configured
            .Then.MoveToErrorQueue();
    }
}
"""

NOT_WOLVERINE = """public class Scheduler
{
    public void Run() { jobs.ScheduleRetry(job); jobs.RetryTimes(3); }
}
"""


def test_wolverine_error_chains(tmp_path):
    """altinn-notifications: one retry per chain, 1 + every retry of its calls."""
    found = _contracts(tmp_path, {"SendPolicy.cs": WOLVERINE, "Scheduler.cs": NOT_WOLVERINE})
    assert ("SendPolicy.cs", _line(WOLVERINE, "cooldown"), "retry", 6) in found
    assert ("SendPolicy.cs", _line(WOLVERINE, "times"), "retry", 4) in found
    assert ("SendPolicy.cs", _line(WOLVERINE, "once"), "retry", 2) in found
    assert ("SendPolicy.cs", _line(WOLVERINE, "configured"), "retry", None) in found
    assert not any(line == _line(WOLVERINE, "schedule") for _, line, _, _ in found)
    assert not any(name == "Scheduler.cs" for name, _, _, _ in found)


STEAMCMD = """using System;
using System.Threading.Tasks;
public class SteamCmdService
{
    private const int MaxLoginAttempts = 3;

    public static async Task<string> ExecuteWithCodeRetry(Func<Task<string>> execute, Func<TimeSpan, Task> delay,
        bool codeConfigured, int maxAttempts = MaxLoginAttempts)
    {
        var output = await execute();
        for (var attempt = 1; attempt < maxAttempts && codeConfigured && IsTransientLoginFailure(output); attempt++) // loop
        {
            await delay(TimeSpan.FromSeconds(30));
            output = await execute();
        }
        return output;
    }

    private Task<string> Login(string tail)
    {
        return ExecuteWithCodeRetry( // left-out
            () => ExecuteSteamCmd(tail),
            Task.Delay,
            _guard.IsConfigured);
    }

    private Task<string> Update(string tail)
    {
        return ExecuteWithCodeRetry(() => ExecuteSteamCmd(tail), Task.Delay, true, 5); // passed
    }
}
"""


def test_call_before_the_loop_is_the_first_attempt(tmp_path):
    """uksf-api: 1 + (maxAttempts - 1) turns = maxAttempts; rule (b) and (c) at the calls."""
    found = _contracts(tmp_path, {"SteamCmdService.cs": STEAMCMD})
    assert ("SteamCmdService.cs", _line(STEAMCMD, "loop"), "retry", 3) in found
    assert ("SteamCmdService.cs", _line(STEAMCMD, "left-out"), "retry", 3) in found
    assert ("SteamCmdService.cs", _line(STEAMCMD, "passed"), "retry", 5) in found


PROCESSES = """using System;
using System.Diagnostics;
using System.Threading.Tasks;
public class ProcessManager
{
    public async Task Stop(Process process)
    {
        process.Kill();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)); // process-wait
    }

    public async Task<string> Ask(HttpClient client, string url)
    {
        var response = await client.GetStringAsync(url).WaitAsync(TimeSpan.FromSeconds(7)); // call-wait
        return response;
    }

    public async Task Watch()
    {
        var orphanStart = DateTime.UtcNow;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var count = await CountInstancesAsync();
            if (count == 0) break;
            if (DateTime.UtcNow - orphanStart >= TimeSpan.FromMinutes(5)) // kill-deadline
            {
                KillOrphanedProcesses();
            }
        }
    }

    public async Task Sync(HttpClient client)
    {
        var start = DateTime.UtcNow;
        while (true)
        {
            var r = await client.GetAsync("https://example.com/status");
            if (r.IsSuccessStatusCode) break;
            if (DateTime.UtcNow - start > TimeSpan.FromMinutes(2)) // call-deadline
            {
                break;
            }
        }
    }
}
"""


def test_waits_for_local_processes_are_no_timeouts(tmp_path):
    """uksf-api: WaitForExitAsync().WaitAsync and a deadline that kills processes; a call's are kept."""
    found = _contracts(tmp_path, {"ProcessManager.cs": PROCESSES})
    timeouts = {line: value for _, line, kind, value in found if kind == "timeout"}
    assert _line(PROCESSES, "process-wait") not in timeouts
    assert _line(PROCESSES, "kill-deadline") not in timeouts
    assert timeouts.get(_line(PROCESSES, "call-wait")) == 7000
    assert timeouts.get(_line(PROCESSES, "call-deadline")) == 120000


LOCAL_FUNCTION = """using System;
using Polly;
using Polly.Retry;
public static class Extensions
{
    public static async Task DoDbMigrationAsync(this IApplicationBuilder app, ILogger logger)
    {
        var policy = CreatePolicy(3, logger, "app"); // call
        await policy.ExecuteAsync(async () => { await db.MigrateAsync(); });

        static AsyncRetryPolicy CreatePolicy(int retries, ILogger logger, string prefix)
        {
            return Policy.Handle<Exception>().WaitAndRetryAsync( // forwarder
                retries,
                retry => TimeSpan.FromSeconds(15));
        }
    }
}
"""


def test_local_function_is_a_helper(tmp_path):
    """coolstore: the local function forwards its parameter; the call passing 3 gets 4 attempts."""
    found = _contracts(tmp_path, {"Extensions.cs": LOCAL_FUNCTION})
    assert found == [("Extensions.cs", _line(LOCAL_FUNCTION, "call"), "retry", 4)]


BLOB = """using System;
using System.Threading;
using System.Threading.Tasks;
public class BlobRepository
{
    public async Task<Stream> ReadBlob(string org, string path, int? account, CancellationToken cancellationToken = default)
    {
        try
        {
            return await DownloadBlobAsync(org, path, account, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "AuthenticationFailed")
        {
            _memoryCache.Remove(_credsCacheKey);
            return await DownloadBlobAsync(org, path, account); // again
        }
    }

    public async Task<Stream> ReadOther(string org, string path, string other)
    {
        try
        {
            return await DownloadBlobAsync(org, path, other);
        }
        catch (RequestFailedException)
        {
            return await DownloadBlobAsync(org, "fallback", other); // other-request
        }
    }
}
"""


def test_catch_repeat_without_the_token_is_the_same_request(tmp_path):
    """altinn-storage: the download retried once with fresh credentials, its token dropped: 2 attempts."""
    found = _contracts(tmp_path, {"BlobRepository.cs": BLOB})
    assert ("BlobRepository.cs", _line(BLOB, "again"), "retry", 2) in found
    assert not any(line == _line(BLOB, "other-request") for _, line, _, _ in found)


ALREADY_RETRIED = """using System;
using System.Threading.Tasks;
public class WebhookExecutor
{
    private readonly HttpClient _http;

    public async Task Execute(Msg m, bool hasRetried = false)
    {
        try
        {
            await _rest.ExecuteWebhook(m);
        }
        catch (UnknownWebhookException) when (!hasRetried)
        {
            await RefreshWebhook();
            await Execute(m, true); // again
        }
    }

    public async Task Render(Page p, bool hasRetried = false)
    {
        await _rest.Post(p);
        await Render(p.Next, false); // next-page
    }
}
"""


def test_recursion_with_an_already_retried_flag(tmp_path):
    """pluralkit (round-13 request): the webhook executed once more with hasRetried = true: 2 attempts."""
    found = _contracts(tmp_path, {"WebhookExecutor.cs": ALREADY_RETRIED})
    assert found == [("WebhookExecutor.cs", _line(ALREADY_RETRIED, "again"), "retry", 2)]


BATCH_BUDGET = """using System;
using System.Diagnostics;
using System.Threading.Tasks;
public class OrderProcessing
{
    public async Task StartProcessingPastDueOrders()
    {
        var stopwatch = Stopwatch.StartNew();
        List<Order> pastDueOrders;
        do
        {
            pastDueOrders = await _orderRepository.GetPastDueOrdersAndSetProcessingState();
            await _publisher.PublishAsync(pastDueOrders);
        }
        while (pastDueOrders.Count >= 50 && stopwatch.ElapsedMilliseconds < 60_000); // budget
    }

    public async Task WaitHealthy(HttpClient client)
    {
        var stopwatch = Stopwatch.StartNew();
        bool ok;
        do
        {
            ok = (await client.GetAsync("/health")).IsSuccessStatusCode;
        }
        while (!ok && stopwatch.ElapsedMilliseconds < 30_000); // deadline
    }
}
"""


def test_time_budget_of_a_batch_drain_is_no_deadline(tmp_path):
    """altinn-notifications: the past-due drain's 60 s budget beside a batch-size test; a wait's deadline stays."""
    found = _contracts(tmp_path, {"OrderProcessing.cs": BATCH_BUDGET})
    timeouts = {line: value for _, line, kind, value in found if kind == "timeout"}
    assert _line(BATCH_BUDGET, "budget") not in timeouts
    assert timeouts.get(_line(BATCH_BUDGET, "deadline")) == 30000


RESEND = """using System;
using System.Threading.Tasks;
using Wolverine;
public static class ProcessPastDueOrderHandler
{
    public static async Task Handle(ProcessPastDueOrderCommand command, IMessageContext messageContext, Settings settings)
    {
        if (command.IsProcessOrderRetry)
        {
            await service.ProcessOrderRetry(command.Order);
            return;
        }
        try
        {
            await service.ProcessOrder(command.Order);
        }
        catch (PlatformDependencyException)
        {
            await messageContext.ScheduleAsync( // resend
                command with { IsProcessOrderRetry = true },
                TimeSpan.FromMilliseconds(settings.RetryDelayMs));
            return;
        }
        await messageContext.PublishAsync(command with { Status = "Done" }); // status
    }
}
"""


def test_message_handed_back_marked_as_the_retry(tmp_path):
    """altinn-notifications: the command rescheduled once with its retry mark set: 2 attempts."""
    found = _contracts(tmp_path, {"ProcessPastDueOrderHandler.cs": RESEND})
    assert found == [("ProcessPastDueOrderHandler.cs", _line(RESEND, "resend"), "retry", 2)]


FOLLOW_UP = """using System;
using System.Data.Common;
using System.Threading.Tasks;
public class Repository
{
    public async Task<bool> Find(ulong guild, ulong[] accounts)
    {
        var searchRes = await _db.QueryFirst<bool>(Sql, new { guild, accounts }, queryName: "find_from_commands", messages: true);
        if (!searchRes)
            searchRes = await _db.QueryFirst<bool>(Sql, new { guild, accounts }, queryName: "find_from_messages", messages: true); // follow-up
        return searchRes;
    }
}

public class PKCommand : DbCommand
{
    private readonly DbCommand Inner;
    public override int CommandTimeout
    {
        get => Inner.CommandTimeout;
        set => Inner.CommandTimeout = value; // setter
    }

    public void Long(DbCommand cmd)
    {
        cmd.CommandTimeout = 300; // set
    }
}
"""


def test_follow_up_query_and_setter_pass_through(tmp_path):
    """pluralkit (round-13 requests): a second query named differently after a negative answer is no retry;
    a DbCommand wrapper's CommandTimeout setter hands its caller's value on; a set value stays a timeout."""
    found = _contracts(tmp_path, {"Repository.cs": FOLLOW_UP})
    assert found == [("Repository.cs", _line(FOLLOW_UP, "set"), "timeout", 300000)]


PUMPS = """using System;
using System.Threading.Tasks;
using SteamKit2;
public class Steam3Session
{
    private readonly HttpClient _http;

    public async Task Login(IAnsiConsole console)
    {
        var username = await PromptForUsernameAsync(console).WaitAsync(TimeSpan.FromSeconds(30)); // prompt
        while (!_loggedOn)
        {
            _callbackManager.RunWaitAllCallbacks(timeout: TimeSpan.FromMilliseconds(50)); // pump
        }
        var r = await _http.GetStringAsync(url).WaitAsync(TimeSpan.FromSeconds(15)); // call
    }
}
"""


def test_callback_pumps_and_prompts_bound_no_call(tmp_path):
    """steam-lancache-prefill (round-13 requests): the callback pump's 50 ms and the username prompt's 30 s."""
    found = _contracts(tmp_path, {"Steam3Session.cs": PUMPS})
    assert found == [("Steam3Session.cs", _line(PUMPS, "call"), "timeout", 15000)]


INTERACTIVE = """using System;
using System.Threading;
using System.Threading.Tasks;
public class YesNoPrompt : BaseInteractive
{
    public async Task<bool> Run(Duration timeout)
    {
        var cts = new CancellationTokenSource(timeout.ToTimeSpan()); // prompt
        return await WaitForButton(cts.Token);
    }
}

public class Client
{
    private readonly HttpClient _http;

    public async Task<string> Get(string url)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(8)); // call
        return await _http.GetStringAsync(url, cts.Token);
    }
}
"""


def test_token_source_of_an_interactive_prompt_bounds_no_call(tmp_path):
    """pluralkit (round-13 request): the yes/no prompt's wait for a click; a client's token source stays."""
    found = _contracts(tmp_path, {"Interactive.cs": INTERACTIVE})
    assert found == [("Interactive.cs", _line(INTERACTIVE, "call"), "timeout", 8000)]
