; Fresh identifiers: SecureRandom.uuid / hex / urlsafe_base64 / alphanumeric, Digest::UUID, ULID.
(call
  receiver: [(constant) (scope_resolution)] @generator_receiver
  method: (identifier) @generator_method
  (#match? @generator_receiver "^(SecureRandom|Digest::UUID|ULID|UUIDTools::UUID)$")
  (#match? @generator_method "^(uuid|uuid_v4|uuid_v7|hex|urlsafe_base64|alphanumeric|base58|generate|random_create)$")) @id
