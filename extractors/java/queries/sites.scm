; Shallow role captures; which call or annotation means what is decided in Python.
(method_invocation name: (identifier) @call.name) @call
(object_creation_expression type: (_) @new.type) @new
(annotation name: (_) @annotation.name) @annotation
(marker_annotation name: (_) @annotation.name) @annotation
(for_statement) @loop
(while_statement) @loop
(do_statement) @loop
(enhanced_for_statement) @loop
(string_literal) @string
[(try_statement) (try_with_resources_statement)] @try
