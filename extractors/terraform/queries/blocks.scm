; Top-level blocks of a Terraform file: resource, data, module, variable, locals...
; Which block types matter is decided in Python (extractors/terraform/hcl.py).
(config_file
  (body
    (block
      (identifier) @block.type) @block))
