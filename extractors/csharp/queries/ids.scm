; Fresh identifiers: Guid.NewGuid(), Guid.CreateVersion7(), Ulid.NewUlid().
(invocation_expression
  function: (member_access_expression
    expression: (identifier) @generator_type
    name: (identifier) @generator_method)
  (#match? @generator_type "^(Guid|Ulid)$")
  (#match? @generator_method "^(NewGuid|CreateVersion7|NewUlid)$")) @id
