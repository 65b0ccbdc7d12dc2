; Attribute writers: `http.read_timeout = 5`, `conn.options.timeout = 5`, `f.options[:timeout] = 5`.
(assignment
  left: (call receiver: (_) @receiver method: (identifier) @attr)
  right: (_) @value) @assign

(assignment
  left: (element_reference object: (_) @receiver (simple_symbol) @attr)
  right: (_) @value) @assign
