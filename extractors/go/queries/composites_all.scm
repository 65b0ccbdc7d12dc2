; Every struct literal, keyed or not (an http.Client{} without a Timeout matters too).
(composite_literal
  type: [(qualified_type) (type_identifier) (generic_type)] @type
  body: (literal_value) @body) @literal
