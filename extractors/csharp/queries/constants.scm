; Fields that can hold a constant: `const int TimeoutSeconds = 5;`, `static readonly TimeSpan Budget = ...;`.
(field_declaration
  (variable_declaration
    type: (_) @type
    (variable_declarator name: (identifier) @name))) @field
