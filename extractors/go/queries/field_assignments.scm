; Field assignments: client.Timeout = 2 * time.Second, rc.RetryMax = 3.
(assignment_statement
  left: (expression_list
    (selector_expression
      operand: (_) @operand
      field: (field_identifier) @field))
  right: (expression_list) @right) @assignment
