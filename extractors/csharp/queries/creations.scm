; `new HttpClient { Timeout = ... }`, `new CancellationTokenSource(...)`, `new RetryStrategyOptions { ... }`.
(object_creation_expression type: (_) @type) @new
