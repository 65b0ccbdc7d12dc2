; Loops that may be hand-written retries, and try statements that may repeat a call in their catch.
[
  (for_statement)
  (for_in_statement)
  (while_statement)
  (do_statement)
] @loop

(try_statement
  body: (statement_block) @try_body
  handler: (catch_clause body: (statement_block) @catch_body)) @try
