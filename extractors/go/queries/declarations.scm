; Package-level constants and variables (the symbols the resolver joins across a package).
(source_file (const_declaration (const_spec) @spec))
(source_file (var_declaration (var_spec) @spec))
(source_file (var_declaration (var_spec_list (var_spec) @spec)))
