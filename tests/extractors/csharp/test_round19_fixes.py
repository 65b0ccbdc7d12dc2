"""Round 19 second-wave fixes (each test names the held-out set whose miss, wrong value or false positive it fixes):

- ``catch (OperationCanceledException e) when (e.CancellationToken == token) { throw; }`` before ``catch (Exception)
  when (retry-- > 0)``: the catch that always leaves decides nothing (dnceng: 6 tries, not 1);
- a call of the project's own helper, whatever its name, leaving out a defaulted ``int maxAttempts = 10`` the helper
  hands to a retry (rule b; lancommander), not another overload with exactly that many parameters, not the method
  calling itself again;
- a retry helper around a local unzip (``ReaderFactory.OpenReader`` in a method of the file; lancommander);
- ``Task.WhenAny(task, Task.Delay(10 s))`` racing a local script (lancommander);
- Kestrel's ``RequestHeadersTimeout`` and OIDC's ``RemoteAuthenticationTimeout`` (lancommander, epr-packaging-frontend);
- a request body's ``MaxTimeout`` on a subclass of the file's own request type (prowlarr) and a property set on an
  instance of the service's own type (onefuzz);
- ``WaitAndRetryAsync(waits)`` over ``new TimeSpan[numberOfRetries]`` (das-employer-accounts);
- ``TimeSpan.Parse(setting ?? "00:10:00")`` into a CancellationTokenSource (dnceng);
- an options class asked of the container in a lambda (``GetRequiredService<IOptions<T>>().Value``) read in an
  inner lambda (epr-calculator-service);
- ``var (maxRetryAttempts, delay) = LoadRetrySettings();`` over a method returning the defaults (efs-fulfilment)."""

from __future__ import annotations

from .support import contracts as _contracts, marker_line as _line


CATCH_FILTER = """public class Client
{
    private async Task<string> Get(string uri, CancellationToken cancellationToken)
    {
        int retry = 5;
        while (true) // retry
        {
            try
            {
                using (var response = await _httpClient.GetAsync(uri, cancellationToken))
                {
                    return await response.Content.ReadAsStringAsync();
                }
            }
            catch (OperationCanceledException e) when (e.CancellationToken == cancellationToken)
            {
                throw;
            }
            catch (Exception) when (retry -- > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }
        }
    }
}
"""


def test_catch_filter_counter_after_a_rethrowing_catch(tmp_path):
    """dnceng: the first catch rethrows a cancellation; the second retries while `retry-- > 0`: 6 tries."""
    assert _contracts(tmp_path, {"Client.cs": CATCH_FILTER}) == [("Client.cs", _line(CATCH_FILTER, "retry"), "retry", 6)]


RETRY_HELPER = """internal static class RetryHelper
{
    internal static async Task<T> RetryOnExceptionAsync<T>(int maxAttempts, TimeSpan delay, T @default, Func<Task<T>> action)
    {
        int attempts = 0;
        do
        {
            try
            {
                attempts++;
                return await action();
            }
            catch (Exception ex)
            {
                if (attempts >= maxAttempts)
                    return @default;
                await Task.Delay(delay);
            }
        } while (true);
    }
}
"""

TOOL_CLIENT = """public class ToolClient
{
    private readonly ApiClient _client;

    public async Task InstallAsync(Game game)
    {
        foreach (var tool in game.Tools)
        {
            await InstallAsync(tool, game.InstallDirectory); // leaves it out
        }
    }

    public async Task<bool> InstallAsync(Tool tool, string installDirectory, int maxAttempts = 10)
    {
        return await RetryHelper.RetryOnExceptionAsync(maxAttempts, TimeSpan.FromMilliseconds(500), false, async () => // handed on
        {
            return await _client.DownloadAsync(tool.Id, installDirectory);
        });
    }

    public async Task Reinstall(Tool tool)
    {
        await InstallAsync(tool, "dir", 3); // passes 3
        await Describe(tool, "dir"); // no bound
    }

    public Task Describe(Tool tool, string dir, int width = 10) => _client.DescribeAsync(tool.Id, dir, width);
}
"""

GAME_CLIENT = """public class GameClient(ToolClient toolClient, ILogger logger)
{
    public async Task<bool> InstallAsync(Guid gameId, string installDirectory = "", Guid[] addonIds = null, int maxAttempts = 10)
    {
        if (gameId == Guid.Empty)
            return await InstallAsync(gameId, installDirectory, null, maxAttempts); // itself again
        await toolClient.InstallAsync(new Game()); // the one-parameter overload
        return await RetryHelper.RetryOnExceptionAsync(maxAttempts, TimeSpan.FromSeconds(1), false, async () => await Download(gameId));
    }
}
"""


def test_own_helper_leaving_a_defaulted_attempts_parameter_out(tmp_path):
    """lancommander: ToolClient.InstallAsync(tool, dir) leaves `int maxAttempts = 10` (handed to RetryHelper) out:
    10 tries at the call (rule b), 10 at the handing line (rule a), 3 where a call passes 3; a helper whose
    defaulted parameter bounds nothing, the method calling itself again and another overload are no retry."""
    found = _contracts(tmp_path, {"RetryHelper.cs": RETRY_HELPER, "ToolClient.cs": TOOL_CLIENT,
                                  "GameClient.cs": GAME_CLIENT})
    retries = [row for row in found if row[2] == "retry" and row[0] != "RetryHelper.cs"]
    assert ("ToolClient.cs", _line(TOOL_CLIENT, "leaves it out"), "retry", 10) in retries
    assert ("ToolClient.cs", _line(TOOL_CLIENT, "handed on"), "retry", 10) in retries
    assert ("ToolClient.cs", _line(TOOL_CLIENT, "passes 3"), "retry", 3) in retries
    lines = {(row[0], row[1]) for row in retries}
    assert ("ToolClient.cs", _line(TOOL_CLIENT, "no bound")) not in lines
    assert ("GameClient.cs", _line(GAME_CLIENT, "itself again")) not in lines
    assert ("GameClient.cs", _line(GAME_CLIENT, "the one-parameter overload")) not in lines


SAVE_CLIENT = """public class SaveClient
{
    public void Extract(string tempFile, string tempLocation)
    {
        bool success = RetryHelper.RetryOnException(10, TimeSpan.FromMilliseconds(200), false, () => // local unzip
        {
            logger?.LogTrace("Extracting save archive to {TempPath}", tempLocation);
            ExtractFilesFromZip(tempFile, tempLocation);
            return true;
        });
        bool uploaded = RetryHelper.RetryOnException(10, TimeSpan.FromMilliseconds(200), false, () => // upload
        {
            logger?.LogTrace("Uploading");
            return _client.Upload(tempFile);
        });
    }

    private void ExtractFilesFromZip(string zipPath, string destination)
    {
        using (var fs = File.OpenRead(zipPath))
        using (var reader = ReaderFactory.OpenReader(fs, new ReaderOptions()))
        {
            reader.WriteAllToDirectory(destination, new ExtractionOptions());
        }
    }
}
"""

SYNC_HELPER = """internal static class RetryHelper
{
    internal static T RetryOnException<T>(int maxAttempts, TimeSpan delay, T @default, Func<T> action)
    {
        int attempts = 0;
        do
        {
            try
            {
                attempts++;
                return action();
            }
            catch (Exception ex)
            {
                if (attempts >= maxAttempts)
                    return @default;
                Task.Delay(delay).Wait();
            }
        } while (true);
    }
}
"""


def test_retry_helper_around_a_local_unzip_is_no_retry(tmp_path):
    found = _contracts(tmp_path, {"RetryHelper.cs": SYNC_HELPER, "SaveClient.cs": SAVE_CLIENT})
    rows = [row for row in found if row[0] == "SaveClient.cs"]
    assert rows == [("SaveClient.cs", _line(SAVE_CLIENT, "upload"), "retry", 10)]


SCRIPT_RACE = """public class ScriptClient
{
    public async Task<bool> RunAsync(string path)
    {
        var script = powerShellScriptFactory.Create(ScriptType.Install);
        script.UseFile(path);
        using (var cts = new CancellationTokenSource())
        {
            var task = script.ExecuteAsync<bool>();
            var completedTask = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10), cts.Token)); // script
            if (completedTask == task)
                return await task;
            throw new TimeoutException("The operation has timed out.");
        }
    }

    public async Task<bool> FetchAsync(string url)
    {
        var task = _http.GetStringAsync(url);
        var completedTask = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10))); // remote
        if (completedTask == task)
            return true;
        throw new TimeoutException("The operation has timed out.");
    }
}
"""


def test_race_with_a_local_script_is_no_timeout(tmp_path):
    assert _contracts(tmp_path, {"ScriptClient.cs": SCRIPT_RACE}) == [
        ("ScriptClient.cs", _line(SCRIPT_RACE, "remote"), "timeout", 10000)]


SERVER_SIDE = """public static class Startup
{
    public static void Configure(WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Limits.RequestHeadersTimeout = TimeSpan.FromMinutes(5); // kestrel
        });
        builder.Services.AddAuthentication().AddOpenIdConnect(options =>
        {
            options.RemoteAuthenticationTimeout = TimeSpan.FromHours(1); // sign-in
            options.BackchannelTimeout = TimeSpan.FromSeconds(30); // backchannel
        });
    }
}
"""


def test_server_side_and_sign_in_windows_are_no_timeouts(tmp_path):
    assert _contracts(tmp_path, {"Startup.cs": SERVER_SIDE}) == [
        ("Startup.cs", _line(SERVER_SIDE, "backchannel"), "timeout", 30000)]


REQUEST_BODY = """public class FlareSolverr
{
    public HttpRequest Build(string url, int maxTimeout)
    {
        FlareSolverrRequest req = new FlareSolverrRequestPostUrlEncoded
        {
            Cmd = "request.post",
            Url = url,
            MaxTimeout = 60000, // body
        };
        var newRequest = new HttpRequest(url);
        newRequest.SetContent(req.ToJson());
        return newRequest;
    }

    private class FlareSolverrRequest
    {
        public string Cmd { get; set; }
        public string Url { get; set; }
    }

    private class FlareSolverrRequestPost : FlareSolverrRequest
    {
        public int MaxTimeout { get; set; }
    }

    private class FlareSolverrRequestPostUrlEncoded : FlareSolverrRequestPost
    {
        public string PostData { get; set; }
    }
}
"""

OWN_TYPE = """public class Config
{
    public async Task<TaskUnitConfig> Build(Task task, TaskDefinition definition)
    {
        var config = new TaskUnitConfig(task.JobId, task.TaskId);
        if (definition.Features.Contains(TaskFeature.TargetTimeout)) {
            config.TargetTimeout = task.Config.Task.TargetTimeout; // copied
        }
        var client = new SmtpLikeClient();
        client.Timeout = TimeSpan.FromSeconds(5); // library client
        return config;
    }
}

public record TaskUnitConfig(Guid JobId, Guid TaskId)
{
    public long? TargetTimeout { get; set; }
}
"""


def test_request_body_and_own_type_settings_are_no_timeouts(tmp_path):
    """prowlarr: MaxTimeout of a subclass of the file's own request type, serialised as the body; onefuzz: a
    property of the service's own config record set in place (no code of the service applies it)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _contracts(tmp_path / "a", {"FlareSolverr.cs": REQUEST_BODY}) == []
    assert _contracts(tmp_path / "b", {"Config.cs": OWN_TYPE}) == [
        ("Config.cs", _line(OWN_TYPE, "library client"), "timeout", 5000)]


SIZED_WAITS = """public abstract class ExecutionPolicy
{
    protected static IAsyncPolicy CreateAsyncRetryPolicy<T>(Func<T, bool> canHandle, int numberOfRetries, TimeSpan waitBetweenTries)
        where T : Exception
    {
        var waits = new TimeSpan[numberOfRetries];
        for (var retryCount = 0; retryCount < waits.Length; retryCount++)
        {
            waits[retryCount] = waitBetweenTries;
        }
        return Policy.Handle(canHandle).WaitAndRetryAsync(waits, (ex, wait) => { }); // forwarder
    }
}

public class HmrcExecutionPolicy : ExecutionPolicy
{
    public HmrcExecutionPolicy(TimeSpan retryWaitTime)
    {
        var serviceUnavailablePolicy = CreateAsyncRetryPolicy<ApiHttpException>(ex => ex.HttpCode.Equals(503), 5, retryWaitTime); // five
        var fixedWaits = new TimeSpan[3];
        var local = Policy.Handle<Exception>().WaitAndRetryAsync(fixedWaits); // three
    }
}
"""


def test_wait_and_retry_over_a_sized_array(tmp_path):
    """das-employer-accounts: `new TimeSpan[numberOfRetries]` handed to WaitAndRetryAsync: the helper's line is a
    forwarder, its call passing 5 is 6 tries; a literal size of 3 is 4 tries."""
    assert _contracts(tmp_path, {"Policies.cs": SIZED_WAITS}) == sorted([
        ("Policies.cs", _line(SIZED_WAITS, "five"), "retry", 6),
        ("Policies.cs", _line(SIZED_WAITS, "three"), "retry", 4)], key=repr)


PARSED_SPAN = """public class Processor
{
    private readonly TimelineOptions _options;

    private async Task Scrape(CancellationToken cancellationToken)
    {
        TimeSpan cancellationTime = TimeSpan.Parse(_options.LogScrapingTimeout ?? "00:10:00");
        var cts = new CancellationTokenSource(cancellationTime); // parsed
        await _client.GetLogs(cts.Token);
    }
}

public class TimelineOptions
{
    public string LogScrapingTimeout { get; set; }
}
"""


def test_timespan_parse_of_a_setting_with_a_fallback(tmp_path):
    assert _contracts(tmp_path, {"Processor.cs": PARSED_SPAN}) == [
        ("Processor.cs", _line(PARSED_SPAN, "parsed"), "timeout", 600000)]


CONTAINER_OPTIONS = """public static class Startup
{
    private static void RegisterDatabase(IServiceCollection services)
    {
        services.AddDbContextFactory<ApplicationDBContext>((provider, builder) =>
        {
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            builder.UseSqlServer(
                options.ConnectionString,
                sqlOptions => { sqlOptions.CommandTimeout((int)options.CommandTimeout.TotalSeconds); }); // command
        });
    }
}

public record DatabaseOptions
{
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(15);
}
"""


def test_options_asked_of_the_container_read_in_an_inner_lambda(tmp_path):
    assert _contracts(tmp_path, {"Startup.cs": CONTAINER_OPTIONS}) == [
        ("Startup.cs", _line(CONTAINER_OPTIONS, "command"), "timeout", 900000)]


TUPLE_SETTINGS = """public static class HttpRetryPolicyFactory
{
    private const int MaxRetryAttempts = 3;
    private const int RetryDelayInMilliseconds = 10000;
    private static IConfiguration? _configuration;

    private static (int maxRetryAttempts, int retryDelayMs) LoadRetrySettings()
    {
        if (_configuration is null)
        {
            return (MaxRetryAttempts, RetryDelayInMilliseconds);
        }
        return (GetValue("RETRIES", MaxRetryAttempts), GetValue("DELAY", RetryDelayInMilliseconds));

        static int GetValue(string key, int defaultValue)
        {
            if (int.TryParse(_configuration![key], out var value) && value > 0)
            {
                return value;
            }
            return defaultValue;
        }
    }

    public static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
    {
        var (maxRetryAttempts, retryDelayInMilliseconds) = LoadRetrySettings();
        return Policy<HttpResponseMessage>
            .Handle<HttpRequestException>()
            .WaitAndRetryAsync( // tuple
                maxRetryAttempts,
                retryAttempt => TimeSpan.FromMilliseconds(retryDelayInMilliseconds));
    }
}
"""


def test_count_read_through_a_tuple_of_settings(tmp_path):
    assert _contracts(tmp_path, {"HttpRetryPolicyFactory.cs": TUPLE_SETTINGS}) == [
        ("HttpRetryPolicyFactory.cs", _line(TUPLE_SETTINGS, "tuple"), "retry", 4)]


WARMUP = """public class WarmupService(IServiceScopeFactory scopeFactory, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested) // warm-up
        {
            if (await TryLoadAsync())
            {
                return;
            }
            var delay = RetryDelays[Math.Min(attempt, RetryDelays.Length - 1)];
            attempt++;
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> TryLoadAsync()
    {
        try
        {
            var periods = await _payments.GetSubmissionPeriods();
            return true;
        }
        catch (Exception ex)
        {
            return false;
        }
    }
}

public class LockWaiter
{
    public async Task WaitAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested) // lock
        {
            if (await TryAcquireLockAsync())
            {
                return;
            }
            await Task.Delay(1000, token);
        }
    }
}
"""

OPTIMISTIC = """public class TokenStore
{
    private async Task UpdateAsync<T>(string partitionKey, string rowKey, Action<T> update)
    {
        TableClient table = await GetCloudTable();
        while (true) // concurrency
        {
            var fetchResult = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey);
            var entity = (T) fetchResult.Value;
            update(entity);
            var updateResult = await table.UpdateEntityAsync(entity, entity.ETag, mode: TableUpdateMode.Replace);
            if (updateResult.Status == (int) HttpStatusCode.PreconditionFailed)
            {
                _logger.LogInformation("Concurrent update failed, re-fetching and updating...");
                continue;
            }
            return;
        }
    }

    private async Task PageAsync()
    {
        while (true) // paging
        {
            var page = await _client.GetPageAsync(_token);
            if (page.HasMore)
            {
                _token = page.Next;
                continue;
            }
            return;
        }
    }
}
"""


def test_unbounded_loops_calling_again_until_the_answer_is_good(tmp_path):
    """epr-packaging-frontend: a warm-up that tries a load until it succeeds (not a lock wait); dnceng: a table
    update that lost an optimistic-concurrency race (412) reads and writes again (not a paging loop)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _contracts(tmp_path / "a", {"Warmup.cs": WARMUP}) == [("Warmup.cs", _line(WARMUP, "warm-up"), "retry", None)]
    assert _contracts(tmp_path / "b", {"TokenStore.cs": OPTIMISTIC}) == [
        ("TokenStore.cs", _line(OPTIMISTIC, "concurrency"), "retry", None)]


OBJECT_EXTENSION = """public static class Extensions
{
    public static async Task RetryOnFailure(this object retrySource, Func<Task> action, int retryCount = 3)
    {
        var policy = Policy.Handle<Exception>().WaitAndRetryAsync(retryCount, _ => TimeSpan.FromSeconds(1)); // helper
        await policy.ExecuteAsync(action);
    }
}

public class EfTxBehavior(IDbContext dbContextBase)
{
    public async Task Handle(CancellationToken cancellationToken)
    {
        await dbContextBase.RetryOnFailure(async () => // extension
        {
            await dbContextBase.SaveChangesAsync(cancellationToken);
        });
    }
}
"""


def test_extension_on_object_called_on_a_primary_constructor_parameter(tmp_path):
    """booking-microservices (regression guard): `dbContextBase.RetryOnFailure(..)` of a `this object` extension with
    `int retryCount = 3`, on a primary constructor parameter of another type: 4 tries at the call."""
    found = _contracts(tmp_path, {"Extensions.cs": OBJECT_EXTENSION})
    assert ("Extensions.cs", _line(OBJECT_EXTENSION, "extension"), "retry", 4) in found


RENDER_FALLBACK = """public class GithubIssue
{
    private string Render(string field) {
        try {
            return _renderer.Render(field, _instanceUrl, strictRendering: true);
        } catch {
            _logTracer.LogWarning("Failed to render field in strict mode. Falling back to relaxed mode. {Field}", field);
            return _renderer.Render(field, _instanceUrl, strictRendering: false); // relaxed
        }
    }

    private async Task<string> Send(string body) {
        try {
            return await _client.SendAsync(body, force: false);
        } catch (HttpRequestException) {
            return await _client.SendAsync(body, force: true); // again
        }
    }
}
"""


def test_relaxed_mode_after_a_strict_failure_is_no_retry(tmp_path):
    """onefuzz: a template rendered again in relaxed mode after the strict mode failed; a send again with another
    flag stays a retry (2 tries)."""
    assert _contracts(tmp_path, {"GithubIssue.cs": RENDER_FALLBACK}) == [
        ("GithubIssue.cs", _line(RENDER_FALLBACK, "again"), "retry", 2)]


STATE_REAUTH = """public class Indexer
{
    public async Task<HttpResponse> Fetch(IndexerRequest request)
    {
        var response = await RetryStrategy
            .ExecuteAsync(static async (state, _) => await state._httpClient.ExecuteProxiedAsync(state.HttpRequest, state.Definition), (_httpClient, request.HttpRequest, Definition))
            .ConfigureAwait(false);

        // Check response to see if auth is needed, if needed try again
        if (CheckIfLoginNeeded(response))
        {
            await DoLogin();
            response = await _httpClient.ExecuteProxiedAsync(request.HttpRequest, Definition); // again
        }
        return response;
    }

    public async Task<HttpResponse> Other(IndexerRequest request)
    {
        var response = await RetryStrategy
            .ExecuteAsync(static async (state, _) => await state._httpClient.ExecuteProxiedAsync(state.HttpRequest, state.Definition), (_httpClient, request.HttpRequest, Definition))
            .ConfigureAwait(false);
        if (CheckIfLoginNeeded(response))
        {
            await DoLogin();
            response = await _httpClient.ExecuteProxiedAsync(request.LoginRequest, Definition); // another request
        }
        return response;
    }
}
"""


def test_request_sent_again_after_sign_in_through_a_polly_state_lambda(tmp_path):
    """prowlarr: the first send runs in a Polly v8 state lambda (`state.HttpRequest` of the tuple `(_httpClient,
    request.HttpRequest, Definition)`); the same request sent again after DoLogin is 2 tries; another request is not."""
    found = [row for row in _contracts(tmp_path, {"Indexer.cs": STATE_REAUTH}) if row[2] == "retry"]
    assert found == [("Indexer.cs", _line(STATE_REAUTH, "again"), "retry", 2)]


LOCAL_PROCESS_WAIT = """public class StartTomcatNode
{
    protected override async Task<NodeResultStatus> PerformExecuteAsync(IExecutionContext context)
    {
        var process = new Process
        {
            StartInfo = new ProcessStartInfo { FileName = "catalina.sh", Arguments = "run" }
        };
        process.Start();
        var ready = false;
        const int maxRetries = 30;
        for (var i = 0; i < maxRetries; i++) // local process
        {
            var result = await toolClient.ListWorkspaceAsync(key);
            if (result.IsSuccess(out var response) && !string.IsNullOrEmpty(response))
            {
                ready = true;
                break;
            }
            await Task.Delay(1000);
        }
        if (!ready)
        {
            throw new Exception("Tomcat did not start in time");
        }
        return NodeResultStatus.Succeeded;
    }

    protected async Task<bool> Remote()
    {
        const int maxRetries = 30;
        for (var i = 0; i < maxRetries; i++) // remote
        {
            var result = await toolClient.ListWorkspaceAsync(key);
            if (result.IsSuccess(out var response) && !string.IsNullOrEmpty(response))
            {
                return true;
            }
            await Task.Delay(1000);
        }
        return false;
    }
}
"""


def test_wait_for_a_process_the_method_started_is_no_retry(tmp_path):
    """efs-fulfilment: a loop asking a local Tomcat the method started whether it is up; the same loop without the
    process start stays a retry."""
    found = _contracts(tmp_path, {"StartTomcatNode.cs": LOCAL_PROCESS_WAIT})
    lines = {row[1] for row in found}
    assert _line(LOCAL_PROCESS_WAIT, "local process") not in lines
    assert _line(LOCAL_PROCESS_WAIT, "remote") in lines
