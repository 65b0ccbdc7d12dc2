"""Round 20 (C# held-out sets notesnook-sync-server, thrivedevcenter, featbit, das-payments-v2, smartstore):
the shapes their first scans missed or reported wrongly, each with its traps."""

from __future__ import annotations

from tests.extractors.csharp.support import contracts, marker_line

COMMAND_TIMEOUTS = """
public class DataProvider {
    private readonly SmartConfiguration _appConfig;
    public int Optimize() {
        var timeout = Database.GetCommandTimeout();
        try {
            Database.SetCommandTimeout(300); // optimize
            return Database.ExecuteSqlRaw("DBCC SHRINKDATABASE(0)");
        } finally {
            Database.SetCommandTimeout(timeout); // restore
        }
    }
    private IDisposable BeginMigration(DbContext context) {
        var prevCommandTimeout = context.Database.GetCommandTimeout();
        if (_appConfig.DbMigrationCommandTimeout.HasValue) {
            context.Database.SetCommandTimeout(_appConfig.DbMigrationCommandTimeout.Value); // migration
        }
        return new ActionDisposable(() => context.Database.SetCommandTimeout(prevCommandTimeout)); // restore2
    }
    public void Copy(SqlCommand cmd) {
        var commandTimeout = Database.GetCommandTimeout();
        cmd.CommandTimeout = commandTimeout.Value; // copied
    }
}
"""
SMART_CONFIGURATION = "public class SmartConfiguration { public int? DbMigrationCommandTimeout { get; set; } = 120; }\n"
SSH = """
public class SshAccess {
    public CommandResult Run(SshClient client, string commandText) {
        using var command = client.CreateCommand(commandText);
        command.CommandTimeout = TimeSpan.FromMinutes(10); // ssh
        return command.Execute();
    }
}
"""


def test_restored_command_timeouts_are_no_setting_and_set_ones_are(tmp_path):
    found = contracts(tmp_path, {"DataProvider.cs": COMMAND_TIMEOUTS, "SmartConfiguration.cs": SMART_CONFIGURATION,
                                 "SshAccess.cs": SSH})
    at = {(name, line): value for name, line, kind, value in found if kind == "timeout"}
    assert at[("DataProvider.cs", marker_line(COMMAND_TIMEOUTS, "optimize"))] == 300000
    # `_appConfig.DbMigrationCommandTimeout.Value` of an `int?` setting: the setting's default
    assert at[("DataProvider.cs", marker_line(COMMAND_TIMEOUTS, "migration"))] == 120000
    for marker in ("restore", "restore2", "copied"):
        assert ("DataProvider.cs", marker_line(COMMAND_TIMEOUTS, marker)) not in at, marker
    # SSH.NET's SshCommand.CommandTimeout is a TimeSpan, not seconds
    assert at[("SshAccess.cs", marker_line(SSH, "ssh"))] == 600000


RELIABLE = """
public class JobStorageService {
    private static readonly TimeSpan TransactionTimeout = new TimeSpan(0, 0, 4);
    public async Task Store(long jobId, Job job, CancellationToken cancellationToken) {
        var cached = await jobCache.TryGetValueAsync(reliableTransactionProvider.Current, jobId, TransactionTimeout, cancellationToken); // get
        await collection.AddOrUpdateAsync(tx, jobId, job, (key, old) => job, TransactionTimeout, cancellationToken); // put
        var inProgress = await stateManager.GetOrAddAsync<IReliableDictionary2<Guid, Job>>("jobs", TransactionTimeout); // state
        await client.UploadAsync(job, TransactionTimeout); // remote
    }
}
"""


def test_service_fabric_reliable_collection_timeouts_bound_no_call(tmp_path):
    found = contracts(tmp_path, {"JobStorageService.cs": RELIABLE})
    lines = {line for _, line, kind, _ in found if kind == "timeout"}
    for marker in ("get", "put", "state"):
        assert marker_line(RELIABLE, marker) not in lines, marker
    # the same timeout handed to another client's call still is one
    assert ("JobStorageService.cs", marker_line(RELIABLE, "remote"), "timeout", 4000) in found


ACCESS = """
public class NotificationsHub {
    private bool CanJoin(string groupName, User user) {
        if (groupName.StartsWith("admin-"))
        {
            if (RequireAccessLevel(UserAccessLevel.Admin, user))
                return true;
            return false;
        }
        if (groupName.StartsWith("secrets-"))
            return RequireAccessLevel(UserAccessLevel.Admin, user); // sibling
        return false;
    }
    private bool Login(Session session) {
        if (client.SignIn(session.User, session.Password))
            return true;
        client.ForceSignOut(session.User);
        return client.SignIn(session.User, session.Password); // again
    }
    private static bool RequireAccessLevel(UserAccessLevel level, User user) => user != null && user.Level >= level;
}
"""


def test_a_check_repeated_in_a_sibling_branch_is_no_retry(tmp_path):
    found = contracts(tmp_path, {"NotificationsHub.cs": ACCESS})
    retries = {(line, value) for _, line, kind, value in found if kind == "retry"}
    assert (marker_line(ACCESS, "again"), 2) in retries
    assert all(line != marker_line(ACCESS, "sibling") for line, _ in retries)


PROCESSES = """
public static class ProcessRunHelpers {
    public static Task<ProcessResult> RunProcessAsync(ProcessStartInfo startInfo, CancellationToken token,
        bool captureOutput = true, int startRetries = 3)
    {
        try
        {
            return StartProcessInternal(startInfo, token, captureOutput).Task;
        }
        catch (InvalidOperationException)
        {
            if (startRetries > 0)
                return RunProcessAsync(startInfo, token, captureOutput, startRetries - 1); // restart
            throw;
        }
    }
    public static void StartProcessOutputRead(Process process, CancellationToken token) {
        const int retries = 3;
        for (int i = 0; i < retries; ++i) // read
        {
            try
            {
                process.BeginOutputReadLine();
                break;
            }
            catch (InvalidOperationException)
            {
                token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(10 * (i + 1)));
            }
        }
    }
    public static async Task Fetch(HttpClient http, CancellationToken token) {
        const int retries = 3;
        for (int i = 0; i < retries; ++i) // fetch
        {
            try
            {
                await http.GetAsync("https://example.org/status", token);
                break;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100 * (i + 1), token);
            }
        }
    }
}
"""


def test_local_process_starts_and_reads_tried_again_are_no_retry(tmp_path):
    found = contracts(tmp_path, {"ProcessRunHelpers.cs": PROCESSES})
    retries = {line: value for _, line, kind, value in found if kind == "retry"}
    assert retries.get(marker_line(PROCESSES, "fetch")) == 3
    assert marker_line(PROCESSES, "read") not in retries
    assert marker_line(PROCESSES, "restart") not in retries


SOCKETS = """
public class BuildWebSocketHandler {
    public async Task Run(RealTimeBuildMessageSocket socket) {
        while (!socket.CloseStatus.HasValue) // pump
        {
            RealTimeBuildMessage message;
            try
            {
                var readResult = await socket.Read(CancellationToken.None);
                if (readResult.closed)
                    break;
                message = readResult.message;
            }
            catch (InvalidWebSocketBuildMessageFormatException e)
            {
                await SendMessage(new RealTimeBuildMessage { ErrorMessage = e.Message });
                continue;
            }
            await Handle(message);
        }
    }
    public async Task Connect(ClientWebSocket socket, Uri uri) {
        while (socket.State != WebSocketState.Open) // connect
        {
            try
            {
                await socket.ConnectAsync(uri, CancellationToken.None);
                break;
            }
            catch (WebSocketException)
            {
                await Task.Delay(1000);
            }
        }
    }
}
"""


def test_a_websocket_receive_loop_is_no_retry(tmp_path):
    found = contracts(tmp_path, {"BuildWebSocketHandler.cs": SOCKETS})
    lines = {line for _, line, kind, _ in found if kind == "retry"}
    assert marker_line(SOCKETS, "pump") not in lines
    assert marker_line(SOCKETS, "connect") in lines  # a connect retried until the socket is open still is one


LOCKS = """
public class RedisPopulatingService {
    public async Task PopulateAsync(CancellationToken stoppingToken) {
        var maxWait = TimeSpan.FromSeconds(90);
        var waitStopwatch = Stopwatch.StartNew();
        var redis = redisClient.GetDatabase();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await redis.StringGetAsync("populated") == "true")
                return;
            if (await redis.LockTakeAsync("populate-lock", "me", TimeSpan.FromSeconds(60)))
            {
                await PopulateAsync();
                return;
            }
            if (waitStopwatch.Elapsed > maxWait) // lock
                throw new InvalidOperationException("Timed out waiting for another instance");
            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
        }
    }
    public async Task WaitForExport(HttpClient http, CancellationToken token) {
        var maxWait = TimeSpan.FromSeconds(90);
        var waitStopwatch = Stopwatch.StartNew();
        while (true)
        {
            var status = await http.GetStringAsync("https://example.org/export/status", token);
            if (status == "done")
                return;
            if (waitStopwatch.Elapsed > maxWait) // poll
                throw new TimeoutException();
            await Task.Delay(TimeSpan.FromSeconds(2), token);
        }
    }
}
"""


def test_a_deadline_on_taking_a_lock_is_a_lock_wait(tmp_path):
    found = contracts(tmp_path, {"RedisPopulatingService.cs": LOCKS})
    timeouts = {line: value for _, line, kind, value in found if kind == "timeout"}
    assert marker_line(LOCKS, "lock") not in timeouts
    assert timeouts.get(marker_line(LOCKS, "poll")) == 90000


REDIS = """
public class Startup {
    public void ConfigureServices(IServiceCollection services) {
        services.AddSignalR().AddStackExchangeRedis(options =>
        {
            options.Configuration = ConfigurationOptions.Parse(Constants.RedisConnectionString);
            options.Configuration.AbortOnConnectFail = false;
            options.Configuration.ConnectRetry = 5; // retry
            options.Configuration.ConnectTimeout = 5000; // connect
            options.Configuration.SyncTimeout = 5000; // sync
            // options.Configuration.AsyncTimeout = 100;
        });
        services.AddStackExchangeRedisCache(options =>
        {
            options.Configuration = "localhost:6379"; // a connection string
            options.ConfigurationOptions = new ConfigurationOptions();
            options.ConfigurationOptions.SyncTimeout = 2000; // cache
        });
        var settings = new Settings();
        settings.Configuration.ConnectTimeout = 30; // other
    }
}
"""


def test_redis_options_reached_through_the_member_holding_them(tmp_path):
    found = contracts(tmp_path, {"Startup.cs": REDIS})
    assert ("Startup.cs", marker_line(REDIS, "retry"), "retry", 5) in found
    assert ("Startup.cs", marker_line(REDIS, "connect"), "timeout", 5000) in found
    assert ("Startup.cs", marker_line(REDIS, "sync"), "timeout", 5000) in found
    assert ("Startup.cs", marker_line(REDIS, "cache"), "timeout", 2000) in found
    lines = {line for _, line, _, _ in found}
    assert marker_line(REDIS, "other") not in lines  # an object of unknown type's Configuration
    assert marker_line(REDIS, "a connection string") not in lines


CONFIGURATION = """
public interface IApplicationConfiguration { int ImmediateMessageRetries { get; } int DelayedMessageRetries { get; } }
public class ApplicationConfiguration : IApplicationConfiguration
{
    public int ImmediateMessageRetries { get; set; }
    public int DelayedMessageRetries { get; set; }
}
"""
MODULE = """
public class ConfigurationModule : Module
{
    protected override void Load(ContainerBuilder builder)
    {
        builder.Register((c, p) =>
            {
                var configHelper = c.Resolve<IConfigurationHelper>();
                return new ApplicationConfiguration
                {
                    ImmediateMessageRetries = configHelper.GetSettingOrDefault("ImmediateMessageRetries", 1),
                    DelayedMessageRetries = configHelper.GetSettingOrDefault("DelayedMessageRetries", 3),
                };
            })
            .As<IApplicationConfiguration>();
    }
}
"""
MESSAGING = """
public class MessagingModule : Module
{
    protected override void Load(ContainerBuilder builder)
    {
        builder.Register((c, p) =>
            {
                var config = c.Resolve<IApplicationConfiguration>();
                var endpointConfiguration = new EndpointConfiguration("payments");
                var recoverability = endpointConfiguration.Recoverability();
                recoverability.Immediate(immediate => immediate.NumberOfRetries(config.ImmediateMessageRetries)); // immediate
                recoverability.Delayed(delayed =>
                {
                    delayed.NumberOfRetries(config.DelayedMessageRetries); // delayed
                });
                return endpointConfiguration;
            });
    }
}
"""


def test_settings_read_through_an_interface_of_a_registered_settings_object(tmp_path):
    found = contracts(tmp_path, {"ApplicationConfiguration.cs": CONFIGURATION, "ConfigurationModule.cs": MODULE,
                                 "MessagingModule.cs": MESSAGING})
    assert ("MessagingModule.cs", marker_line(MESSAGING, "immediate"), "retry", 2) in found
    assert ("MessagingModule.cs", marker_line(MESSAGING, "delayed"), "retry", 4) in found


def test_a_settings_object_made_outside_a_registration_publishes_nothing(tmp_path):
    made = MODULE.replace("builder.Register((c, p) =>", "Build((c, p) =>").replace(
        ".As<IApplicationConfiguration>();", ";")
    found = contracts(tmp_path, {"ApplicationConfiguration.cs": CONFIGURATION, "ConfigurationModule.cs": made,
                                 "MessagingModule.cs": MESSAGING})
    assert ("MessagingModule.cs", marker_line(MESSAGING, "immediate"), "retry", None) in found


RACES = """
public class MetricsService {
    public async Task Submission(long jobId, CancellationToken cancellationToken) {
        var dataTask = Task.WhenAll(repo.GetEarnings(jobId, cancellationToken), repo.GetPayments(jobId, cancellationToken));
        var waitTime = TimeSpan.Parse(configurationHelper.GetSettingOrDefault("MetricsGenerationWaitTime", "00:04:30"));
        var waitTask = Task.Delay(waitTime, cancellationToken);
        Task.WaitAny(dataTask, waitTask); // single
        cancellationToken.ThrowIfCancellationRequested();
        if (!dataTask.IsCompleted)
            throw new InvalidOperationException("Took too long to get data");
    }
    public async Task PeriodEnd(long jobId, CancellationToken cancellationToken) {
        var dataTask = Task.WhenAll(repo.GetEarnings(jobId, cancellationToken), repo.GetPayments(jobId, cancellationToken));
        var waitTask = Task.Delay(TimeSpan.FromSeconds(270), cancellationToken); // shared
        Task.WaitAny(dataTask, waitTask);
        if (!dataTask.IsCompleted)
            throw new InvalidOperationException("Took too long to get data");
        var more = repo.GetNegativeEarnings(jobId, cancellationToken);
        Task.WaitAny(more, waitTask);
        if (!more.IsCompleted)
            throw new InvalidOperationException("Took too long to get more data");
    }
    public async Task HeadStart(CancellationToken cancellationToken) {
        var first = ConnectV6Async(cancellationToken);
        var wait = Task.Delay(200, cancellationToken);
        Task.WaitAny(first, wait); // headstart
        await ConnectV4Async(cancellationToken);
    }
}
"""


def test_a_wait_for_remote_queries_bounded_by_a_pause(tmp_path):
    found = contracts(tmp_path, {"MetricsService.cs": RACES})
    timeouts = [(line, value) for _, line, kind, value in found if kind == "timeout"]
    assert (marker_line(RACES, "single"), 270000) in timeouts
    # one pause shared by two races: one bound, at the pause
    assert timeouts.count((marker_line(RACES, "shared"), 270000)) == 1
    assert all(line != marker_line(RACES, "headstart") for line, _ in timeouts)


DEFER = """
public static class Extensions
{
    public static async Task<bool> DeferDueToJobNotFound(this IMessageHandlerContext context, object message, int delayInSeconds)
    {
        return await Defer(context, message, TimeSpan.FromSeconds(delayInSeconds), "JobNotFoundRetries"); // omitted
    }

    public static async Task<bool> DeferTwice(this IMessageHandlerContext context, object message)
    {
        return await Defer(context, message, TimeSpan.FromSeconds(5), "Twice", 2); // passed
    }

    public static async Task<bool> Defer(this IMessageHandlerContext context, object message, TimeSpan delay,
        string retriesKey, int maxnumberOfRetries = 5)
    {
        var retriesHeader = context.MessageHeaders.ContainsKey(retriesKey) ? context.MessageHeaders[retriesKey] : null;
        var retries = string.IsNullOrEmpty(retriesHeader) ? 0 : int.Parse(retriesHeader);
        if (++retries > maxnumberOfRetries) // check
        {
            return false;
        }
        var options = new SendOptions();
        options.DelayDeliveryWith(delay);
        options.SetHeader(retriesKey, retries.ToString());
        await context.Send(message, options).ConfigureAwait(false);
        return true;
    }

    public static void Audit(IMessageHandlerContext context, ILogger logger)
    {
        var retries = int.Parse(context.MessageHeaders["NServiceBus.Retries"]);
        if (retries > 3) // logged
        {
            logger.LogWarning("Message retried {Retries} times", retries);
            return;
        }
    }
}
"""


def test_a_message_sent_again_with_its_count_of_tries_in_a_header(tmp_path):
    found = contracts(tmp_path, {"Extensions.cs": DEFER})
    retries = {line: value for _, line, kind, value in found if kind == "retry"}
    assert retries.get(marker_line(DEFER, "check")) == 6  # rule (a): the helper's default, 5 resends + the first
    assert retries.get(marker_line(DEFER, "omitted")) == 6  # rule (b): a call leaving the count out
    assert retries.get(marker_line(DEFER, "passed")) == 3  # rule (c): a call passing 2
    assert marker_line(DEFER, "logged") not in retries  # a count only logged: no message sent again


REQUEUE = """
public class RunJobOnServerJob {
    public async Task Execute(long jobId, long serverId, int retries, CancellationToken cancellationToken)
    {
        var job = await Database.CiJobs.FindAsync(jobId);
        try
        {
            sshAccess.ConnectTo(server.PublicAddress);
        }
        catch (SocketException)
        {
            await Requeue(job, retries - 1, server); // counted
            return;
        }
    }
    public async Task Handle(Job job, int attempt = 3)
    {
        try
        {
            await client.PostAsync(job.Url, null);
        }
        catch (HttpRequestException)
        {
            await Requeue(job, attempt - 1, null); // defaulted
        }
    }
    public async Task Send(Item item)
    {
        try
        {
            await client.PostAsync(item.Url, null);
        }
        catch (HttpRequestException)
        {
            await RequeueAsync(item); // plain
        }
    }
}
"""


def test_a_requeue_with_the_callers_count_lowered_is_theirs(tmp_path):
    found = contracts(tmp_path, {"RunJobOnServerJob.cs": REQUEUE})
    lines = {line for _, line, kind, _ in found if kind == "retry"}
    assert marker_line(REQUEUE, "counted") not in lines
    assert marker_line(REQUEUE, "plain") in lines
    assert marker_line(REQUEUE, "defaulted") in lines
