; `new HttpClient { Timeout = ... }`, `new CancellationTokenSource(...)`, `new RetryStrategyOptions { ... }`.
(object_creation_expression type: (_) @type) @new
; `CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));`: the type is the declaration's.
(implicit_object_creation_expression) @implicit_new
