; Every method call: `x.Name(args)`, `Name<T>(args)`; detectors filter by name in Python.
(invocation_expression function: (_) @function arguments: (argument_list) @arguments) @call
