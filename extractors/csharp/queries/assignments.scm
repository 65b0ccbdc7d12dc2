; Property writes: `client.Timeout = ...`, `o.Retry.MaxRetryAttempts = 3`, and object-initializer items.
(assignment_expression left: (_) @left right: (_) @right) @assign
