; Object keys only one database, queue or cloud library spells (MongoDB, mysql, undici, Google
; Cloud, Azure, cassandra-driver, Typesense, NATS, Bull/BullMQ, Sequelize, GameDig): see detectors/drivers.py.
(pair
  key: [(property_identifier) (string)] @key
  value: (_) @value
  (#match? @key "^[\"']?(maxTimeMS|waitQueueTimeoutMS|timeout|headersTimeout|bodyTimeout|retryOptions|readTimeout|connectionTimeoutSeconds|numRetries|attempts|retry|attemptTimeout|maxRetries|tries|acquire|queryTimeout)[\"']?$")) @pair
