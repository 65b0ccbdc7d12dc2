; The `retry` keyword (only meaningful inside a rescue clause; checked in Python).
(retry) @retry
