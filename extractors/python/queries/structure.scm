; The shapes every Python detector starts from. Keep patterns shallow: context (inside a
; loop, a retried function, a class) is decided in Python by walking parents.
; Only the outer nodes are captured: each capture costs a Python object per match.
(call function: (_)) @call
(import_statement) @import
(import_from_statement) @import_from
(class_definition name: (identifier)) @class
(function_definition name: (identifier)) @function
(for_statement) @loop
(while_statement) @loop
(try_statement) @try
(if_statement) @if
