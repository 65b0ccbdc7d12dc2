; Object properties whose key names a deadline (gRPC call options).
(pair
  key: (property_identifier) @key
  value: (_) @value
  (#match? @key "^deadline$")) @pair

; `{ deadline }` shorthand.
((shorthand_property_identifier) @value @pair
  (#eq? @value "deadline"))
