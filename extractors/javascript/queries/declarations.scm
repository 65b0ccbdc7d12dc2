; `const name = value` (and let/var), and class fields `client = axios.create()`.
(variable_declarator
  name: (identifier) @name
  value: (_) @value) @decl
