; Struct literals with at least one keyed field: http.Client{Timeout: ...}, net.Dialer{...},
; http.Transport{...}, gobreaker.Settings{...}, retryablehttp.Client{RetryMax: ...}.
(composite_literal
  type: [(qualified_type) (type_identifier) (generic_type)] @type
  body: (literal_value
    (keyed_element
      key: (literal_element) @key
      value: (literal_element) @value) @element)) @literal
