; Shallow role captures; what a call, assignment or loop means is decided in Python.
(call_expression) @call
(assignment) @assignment
(for_statement) @loop
(while_statement) @loop
(do_while_statement) @loop
(annotation) @annotation
(string_literal) @string
(property_declaration) @property
(try_expression) @try
