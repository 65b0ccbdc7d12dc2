; What python.replica_read's attribute pass reads: `connections[...]` subscripts and
; attributes named like a replica (`db.replica`, `settings.READ_DB`, `pool.reader`).
; The detector decides the rest (the receiver's name, assignment targets) in Python.
(subscript value: [(identifier) (attribute)] @value (#match? @value "connections$")) @sub
((attribute attribute: (identifier) @name) @attr
 (#match? @name "^(?i:replica|read_replica|replica_db|readonly_db|read_db|reader_db|reader|ro|read)$"))
