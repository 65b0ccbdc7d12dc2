; Object properties of client options that carry a timeout or a retry limit
; (ioredis, Redlock, kafkajs, Sequelize, nodemailer, ws, net-snmp, mongodb, pg, http agents).
(pair
  key: [(property_identifier) (string)] @key
  value: (_) @value
  (#match? @key "^[\"']?(maxRetriesPerRequest|retryStrategy|clusterRetryStrategy|retryCount|retry|retries|timeout|connectionTimeout|connectTimeout|connectTimeoutMS|connectionTimeoutMillis|handshakeTimeout|greetingTimeout|socketTimeout|socketTimeoutMS|serverSelectionTimeoutMS|slotsRefreshTimeout|requestTimeout|request_timeout|query_timeout|statement_timeout|startToCloseTimeout|scheduleToCloseTimeout)[\"']?$")) @pair

; `retryStrategy(times) { ... }` written as a method of the options object.
(method_definition
  name: (property_identifier) @key
  (#match? @key "^(retryStrategy|clusterRetryStrategy)$")) @pair
