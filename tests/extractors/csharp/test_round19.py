"""Round 19 fixes (each test names the held-out set whose miss or false positive it fixes):

- a Polly.Contrib ``Backoff.*`` schedule held in a local and handed to ``WaitAndRetryAsync(delay)``: the count is
  read at the WaitAndRetryAsync, the Backoff line is not reported on its own (nl-covid19-notification);
- AsyncKeyedLocker's ``LockOrNullAsync(key, timeout)``: a local lock wait, no timeout (btms-backend);
- an attempt method counting itself in a field and throwing past a bound, called again by its caller while it
  fails (nl-covid19-notification);
- an item whose TryCount is under a bound handed back to the project's ``QueueWebhook(item)`` (onefuzz);
- a field that only carries a configured timeout to the setting applied in the same class (rm-asa-manager);
- LanguageExt ``retry(Schedule ... & Schedule.recurs(n), effect)`` / ``retryWhile`` (eryph);
- an empty busy-wait loop on a stopwatch is no deadline (nl-covid19-notification);
- an async method returning a call of itself with its own arguments after a failed answer: unbounded retry
  (prowlarr);
- a SlimMessageBus error handler answering ``ProcessResult.Retry`` until a count passes a bound (btms-backend)."""

from __future__ import annotations

from .support import contracts as _contracts, marker_line as _line


BACKOFF_LOCAL = """public static class IksUploadingProcessSetup
{
    private const int RetryCount = 5;

    static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
    {
        var delay = Backoff.DecorrelatedJitterBackoffV2(medianFirstRetryDelay: TimeSpan.FromSeconds(1), retryCount: RetryCount);

        return HttpPolicyExtensions
            .HandleTransientHttpError()
            .WaitAndRetryAsync(delay); // retry
    }
}
"""

BACKOFF_FIELD = """public class Policies
{
    private static readonly IEnumerable<TimeSpan> Delays = Backoff.ExponentialBackoff(TimeSpan.FromSeconds(1), retryCount: 3);

    public IAsyncPolicy Build() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(Delays); // retry
}
"""

BACKOFF_DISCARDED = """public class GenePoolModule
{
    private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
    {
        Backoff.DecorrelatedJitterBackoffV2(
            TimeSpan.FromSeconds(1), 5);

        return HttpPolicyExtensions
            .HandleTransientHttpError()
            .WaitAndRetryAsync(6, retryAttempt => TimeSpan.FromSeconds(Math.Pow(2, retryAttempt))); // retry
    }
}
"""

NOT_BACKOFF = """public class Worker
{
    public void Run()
    {
        var delay = TimeSpan.FromSeconds(2);
        var backoff = Backoff.ExponentialBackoff(TimeSpan.FromSeconds(1), retryCount: 4); // other
        Schedule(backoff);
    }
}
"""


def test_backoff_local_is_read_at_wait_and_retry(tmp_path):
    found = _contracts(tmp_path, {"Setup.cs": BACKOFF_LOCAL})
    assert found == [("Setup.cs", _line(BACKOFF_LOCAL, "retry"), "retry", 6)]


def test_backoff_field_is_read_at_wait_and_retry(tmp_path):
    found = _contracts(tmp_path, {"Policies.cs": BACKOFF_FIELD})
    assert found == [("Policies.cs", _line(BACKOFF_FIELD, "retry"), "retry", 4)]


def test_discarded_backoff_is_not_a_retry(tmp_path):
    found = _contracts(tmp_path, {"GenePoolModule.cs": BACKOFF_DISCARDED})
    assert found == [("GenePoolModule.cs", _line(BACKOFF_DISCARDED, "retry"), "retry", 7)]


def test_backoff_without_wait_and_retry_keeps_its_count(tmp_path):
    # no WaitAndRetry in the file: the named retryCount stays a retry of its own (as before round 19)
    found = _contracts(tmp_path, {"Worker.cs": NOT_BACKOFF})
    assert found == [("Worker.cs", _line(NOT_BACKOFF, "other"), "retry", 5)]


KEYED_LOCK = """public class NotificationConsumer
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);
    private readonly AsyncKeyedLocker<string> _asyncKeyedLocker;
    private readonly IRiskClient _client;

    public async Task OnHandle(Message message)
    {
        using var asyncLock = await _asyncKeyedLocker.LockOrNullAsync(message.ReferenceNumber!, _timeout, CancellationToken.None);
        await _client.CheckAsync(message.ReferenceNumber, _timeout); // call
    }
}
"""


def test_keyed_lock_wait_is_no_timeout(tmp_path):
    """btms-backend: AsyncKeyedLocker's LockOrNullAsync(key, timeout) waits on a local lock; a client call handed
    the same timeout field is still one."""
    found = _contracts(tmp_path, {"NotificationConsumer.cs": KEYED_LOCK})
    assert found == [("NotificationConsumer.cs", _line(KEYED_LOCK, "call"), "timeout", 5000)]


ATTEMPT_FIELD = """public class PublishTekCommand
{
    private int _attemptCount;
    private const int AttemptCountMax = 5;
    private readonly WorkflowDbContext _workflowDb;

    public async Task<bool> PublishTek(TekReleaseWorkflowStateEntity entity)
    {
        var success = await WriteAttempt(entity);
        while (!success)
        {
            success = await WriteAttempt(entity);
        }
        return success;
    }

    private async Task<bool> WriteAttempt(TekReleaseWorkflowStateEntity entity)
    {
        if (++_attemptCount > AttemptCountMax) // guard
        {
            throw new InvalidOperationException("Maximum attempts reached.");
        }
        try
        {
            await _workflowDb.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateException ex)
        {
            if (CanRetry(ex))
            {
                return false;
            }
            throw;
        }
    }
}
"""

ONE_CALL = """public class Sequencer
{
    private int _attempts;

    public void Run()
    {
        Next();
    }

    private void Next()
    {
        if (++_attempts > 3) // not a retry: called once
        {
            throw new InvalidOperationException("too many");
        }
    }
}
"""

LOCAL_COUNTER = """public class Pages
{
    public void Read()
    {
        Load();
        Load();
    }

    private void Load()
    {
        var retries = 0;
        if (++retries > 3) // a local: starts again each call
        {
            throw new InvalidOperationException();
        }
    }
}
"""


def test_attempt_field_guard_bounds_the_callers_repeats(tmp_path):
    """nl-covid19-notification: WriteAttempt counts itself in a field and throws past AttemptCountMax; its caller
    calls it again while it fails: 5 tries, at the guard."""
    found = _contracts(tmp_path, {"PublishTekCommand.cs": ATTEMPT_FIELD})
    assert ("PublishTekCommand.cs", _line(ATTEMPT_FIELD, "guard"), "retry", 5) in found


def test_prefix_counter_called_once_or_local_is_no_retry(tmp_path):
    assert _contracts(tmp_path, {"Sequencer.cs": ONE_CALL, "Pages.cs": LOCAL_COUNTER}) == []


WEBHOOK = """public class WebhookMessageLogOperations
{
    const int MAX_TRIES = 5;

    private async Task Process(WebhookMessageLog message)
    {
        var newMessage = message with { TryCount = message.TryCount + 1 };
        var success = await Send(newMessage);
        if (success)
        {
            await Replace(newMessage with { State = WebhookMessageState.Succeeded });
        }
        else if (newMessage.TryCount < MAX_TRIES) // requeue
        {
            await Replace(newMessage with { State = WebhookMessageState.Retrying });
            await QueueWebhook(newMessage);
        }
        else
        {
            await Replace(newMessage with { State = WebhookMessageState.Failed });
        }
    }
}
"""

NOT_QUEUED = """public class Counter
{
    private async Task Process(Item item)
    {
        if (item.TryCount < 5) // not handed back
        {
            await QueueReport(other);
        }
    }
}
"""


def test_try_count_under_bound_queued_again(tmp_path):
    """onefuzz: a webhook message whose TryCount (raised before each send) is under MAX_TRIES goes back on its
    queue through the project's QueueWebhook(newMessage): 5 tries, at the check."""
    found = _contracts(tmp_path, {"WebhookOperations.cs": WEBHOOK})
    assert found == [("WebhookOperations.cs", _line(WEBHOOK, "requeue"), "retry", 5)]


def test_queue_call_without_the_item_is_no_requeue(tmp_path):
    assert _contracts(tmp_path, {"Counter.cs": NOT_QUEUED}) == []


CARRIED_FIELD = """public class Rules
{
    private readonly int rulesWebServiceTimeout;
    private readonly IHttpClient httpClient;

    public Rules(IServicesConfig config, IHttpClient httpClient)
    {
        this.httpClient = httpClient;
        this.rulesWebServiceTimeout = config.DeviceTelemetryWebServiceTimeout;
    }

    public async Task<string> GetAsync()
    {
        var request = new HttpRequest();
        request.Options.Timeout = this.rulesWebServiceTimeout; // applied
        return await this.httpClient.GetAsync(request);
    }
}
"""

UNAPPLIED_FIELD = """public class Settings
{
    private TimeSpan connectTimeout;

    public Settings(IConfig config)
    {
        this.connectTimeout = config.ConnectTimeout; // kept
    }
}
"""


def test_field_carrying_a_timeout_to_its_setting_is_not_reported_twice(tmp_path):
    """rm-asa-manager: the constructor's field copy of a configured timeout is not a setting of its own; the
    line applying it to the request is."""
    found = _contracts(tmp_path, {"Rules.cs": CARRIED_FIELD})
    assert [(name, line, kind) for name, line, kind, _ in found] == [("Rules.cs", _line(CARRIED_FIELD, "applied"),
                                                                    "timeout")]


def test_field_not_applied_in_its_class_stays(tmp_path):
    found = _contracts(tmp_path, {"Settings.cs": UNAPPLIED_FIELD})
    assert [(name, line, kind) for name, line, kind, _ in found] == [("Settings.cs", _line(UNAPPLIED_FIELD, "kept"),
                                                                    "timeout")]


LANGUAGE_EXT = """public class GeneProvider
{
    public Aff<CancelRt, Unit> Download(string id) =>
        from result in retry( // bounded
            Schedule.NoDelayOnFirst & Schedule.spaced(TimeSpan.FromSeconds(2)) & Schedule.recurs(5),
            DownloadOnce(id))
        select result;

    public Aff<CancelRt, Unit> Fetch(string id) =>
        retryWhile( // forever
            Schedule.Forever,
            FetchOnce(id),
            e => e.Is(UrlExpiredError));

    public void Other() => retry(3, () => Work()); // not a schedule
}
"""


def test_language_ext_schedule_retries(tmp_path):
    """eryph: LanguageExt retry(Schedule ... & Schedule.recurs(5), effect): 6 tries at the call; a schedule that
    never stops counting: unbounded (null); a project `retry(3, ..)` without a Schedule is not this."""
    found = _contracts(tmp_path, {"GeneProvider.cs": LANGUAGE_EXT})
    assert ("GeneProvider.cs", _line(LANGUAGE_EXT, "bounded"), "retry", 6) in found
    assert ("GeneProvider.cs", _line(LANGUAGE_EXT, "forever"), "retry", None) in found
    assert not [row for row in found if row[1] == _line(LANGUAGE_EXT, "not a schedule")]


BUSY_WAIT = """public class DecoyTimeGeneratorAttribute
{
    private readonly IDecoyTimeCalculator _calculator;
    private readonly IClient _client;

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
        var delayStopWatch = new Stopwatch();
        delayStopWatch.Start();
        while (delayStopWatch.Elapsed <= _calculator.GetDelay()) // busy
        {
        }
        delayStopWatch.Stop();
    }

    public async Task Poll()
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed <= TimeSpan.FromSeconds(30)) // polls
        {
            await _client.CheckAsync();
        }
    }
}
"""


def test_busy_wait_is_no_deadline(tmp_path):
    """nl-covid19-notification: an empty loop spinning until a padding delay has passed calls nothing; a loop
    calling a client until 30 s have passed is still a deadline."""
    found = _contracts(tmp_path, {"DecoyTimeGeneratorAttribute.cs": BUSY_WAIT})
    assert not [row for row in found if row[1] == _line(BUSY_WAIT, "busy")]
    assert ("DecoyTimeGeneratorAttribute.cs", _line(BUSY_WAIT, "polls"), "timeout", 30000) in found


SELF_AGAIN = """public class Rarbg : TorrentIndexerBase
{
    protected override async Task<IndexerResponse> FetchIndexerResponse(IndexerRequest request)
    {
        var response = await base.FetchIndexerResponse(request);
        var json = Parse(response);
        if (json.error_code is 5)
        {
            _logger.Debug("Rarbg temp rate limit hit, retrying request");
            return await FetchIndexerResponse(request); // again
        }
        return response;
    }

    private async Task<Node> Walk(Node node, int depth)
    {
        var loaded = await Load(node);
        if (loaded.Children.Count > 0)
        {
            return await Walk(loaded.Children[0], depth + 1); // walk
        }
        return loaded;
    }
}
"""


def test_self_call_with_own_arguments_after_a_failure_is_unbounded_retry(tmp_path):
    """prowlarr: Rarbg's FetchIndexerResponse returns itself again when the answer reports a rate-limit error:
    an unbounded retry at the call; a recursive walk to a child is not one."""
    found = _contracts(tmp_path, {"Rarbg.cs": SELF_AGAIN})
    assert ("Rarbg.cs", _line(SELF_AGAIN, "again"), "retry", None) in found
    assert not [row for row in found if row[1] == _line(SELF_AGAIN, "walk")]


ERROR_HANDLER = """public class ConsumerOptions
{
    public int ErrorRetries { get; set; } = 10;
}

public class InMemoryConsumerErrorHandler<T>(ILogger logger, IOptions<ConsumerOptions> options) : IMemoryConsumerErrorHandler<T>
{
    private async Task<ProcessResult> AttemptRetry(IConsumerContext consumerContext, Exception exception)
    {
        consumerContext.IncrementRetryAttempt();
        var retryCount = consumerContext.GetRetryAttempt();

        if (retryCount > options.Value.ErrorRetries) // give up
        {
            return ProcessResult.Failure;
        }

        await Task.Delay(retryCount * 2000);
        return ProcessResult.Retry;
    }

    public Task<ProcessResult> OnHandleError(T message, IConsumerContext consumerContext, Exception exception, int attempts)
        => AttemptRetry(consumerContext, exception);
}
"""

NO_RETRY_ANSWER = """public class Handler
{
    public ProcessResult OnHandleError(Context ctx)
    {
        var retryCount = ctx.Count;
        if (retryCount > 3) // no retry answer
        {
            return ProcessResult.Failure;
        }
        return ProcessResult.Success;
    }
}
"""


def test_error_handler_answering_retry_until_a_bound(tmp_path):
    """btms-backend: the SlimMessageBus error handler answers Retry until its count of failures passes
    ErrorRetries (10 by the options' default): 11 tries, at the check."""
    found = _contracts(tmp_path, {"InMemoryConsumerErrorHandler.cs": ERROR_HANDLER})
    rows = [row for row in found if row[1] == _line(ERROR_HANDLER, "give up")]
    assert rows == [("InMemoryConsumerErrorHandler.cs", _line(ERROR_HANDLER, "give up"), "retry", 11)]


def test_error_handler_without_retry_answer_is_no_retry(tmp_path):
    assert _contracts(tmp_path, {"Handler.cs": NO_RETRY_ANSWER}) == []
