; Object properties of client options that carry a timeout or a retry limit
; (ioredis, Redlock, kafkajs, Sequelize, nodemailer, ws, net-snmp, mongodb, pg, http agents,
; BullMQ job options).
(pair
  key: [(property_identifier) (string)] @key
  value: (_) @value
  (#match? @key "^[\"']?(maxRetriesPerRequest|retryStrategy|clusterRetryStrategy|reconnectStrategy|retryCount|retry|retries|timeout|connectionTimeout|connectTimeout|connectTimeoutMS|connectionTimeoutMillis|handshakeTimeout|readyTimeout|greetingTimeout|authenticationTimeout|socketTimeout|socketTimeoutMS|serverSelectionTimeoutMS|slotsRefreshTimeout|requestTimeout|request_timeout|query_timeout|statement_timeout|statementTimeout|startToCloseTimeout|scheduleToCloseTimeout|onRateLimit|onSecondaryRateLimit|maxRetries|maxAttempts|retryConfig|retryOptions|commandTimeout|headersTimeout|bodyTimeout|attempts|autoSelectFamilyAttemptTimeout|max_execution_time|connect_timeout|maxRetryDuration|maxRetryTime|retryDuration|connectTimeoutMs|connectionTimeoutMs|requestTimeoutMs|uploadTimeoutMs|downloadTimeoutMs|responseTimeoutMs|defaultQueryTimeoutMs|queryTimeoutMs|transactionOpts|retryDelays|exportTimeoutMillis|signal|fetchRetries|timeoutMillis|timeoutMs|generateTimeout)[\"']?$")) @pair

; `retryStrategy(times) { ... }` written as a method of the options object.
(method_definition
  name: (property_identifier) @key
  (#match? @key "^(retryStrategy|clusterRetryStrategy|reconnectStrategy|onRateLimit|onSecondaryRateLimit)$")) @pair

; `{ connectionTimeout, statementTimeout }`: shorthand keys of client options (`attempts` only in a
; queue job's options, beside `backoff` / `removeOnComplete`: client_options._job_options, round 14).
((shorthand_property_identifier) @key @pair
  (#match? @key "^(connectionTimeout|connectTimeout|connectTimeoutMS|connectionTimeoutMillis|socketTimeout|socketTimeoutMS|requestTimeout|statementTimeout|statement_timeout|query_timeout|maxRetriesPerRequest|connectTimeoutMs|connectionTimeoutMs|requestTimeoutMs|uploadTimeoutMs|retryStrategy|clusterRetryStrategy|reconnectStrategy|attempts)$"))
