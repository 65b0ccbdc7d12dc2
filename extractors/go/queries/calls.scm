; Every call: the callee expression and its argument list. Context (inside a retry loop,
; inside a retried closure, which client it goes through) is decided in Python.
(call_expression
  function: (_) @callee
  arguments: (argument_list) @args) @call
