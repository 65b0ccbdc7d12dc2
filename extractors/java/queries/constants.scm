; Fields with initialisers: static final constants, and @Value-injected fields.
(field_declaration
  (modifiers) @modifiers
  declarator: (variable_declarator name: (identifier) @name value: (_) @value)) @field
(field_declaration
  (modifiers) @modifiers
  declarator: (variable_declarator name: (identifier) @name)) @field.any
