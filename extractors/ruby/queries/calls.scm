; Every method call; detectors filter by receiver and method name in Python.
(call method: (_) @method) @call
