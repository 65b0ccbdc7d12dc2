; Every call and `new` expression: @call is the whole expression, @callee the function,
; @args the argument list. Context (which library, inside which loop) is decided in Python.
(call_expression
  function: (_) @callee
  arguments: (arguments) @args) @call

(new_expression
  constructor: (_) @callee
  arguments: (arguments)? @args) @call
