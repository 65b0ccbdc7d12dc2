"""Round 19 (js3, second-wave fixes), part two: re-sends from response-handler factories (gekko), Postgres
`SET statement_timeout` queries (cartodb-sql-api), AMQP messages requeued once (greenkeeper)."""

from __future__ import annotations

from tests.extractors.javascript.conftest import extract_text


def _found(source: str, path: str = "example.js"):
    return {(f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts"))
            for f in extract_text(source, path).findings if f.kind in ("timeout", "retry")}


# ------------------------------------------------ response-handler factories (gekko's exchange wrappers)

HANDLERS = """const Kraken = require('kraken-api');
Trader.prototype.handleResponse = function(funcName, callback, nonMutating, payload) {
  return (error, body) => {
    if(error) {
      if(funcName === 'addOrder' && error.message.includes('502')) {
        return setTimeout(() => {
          this.getRawOpenOrders((err2, orders) => {
            if(!orders.length) {
              return this.addOrder(payload.type, payload.amount, callback);
            }
            return callback(undefined, orders[0]);
          });
        }, 5000);
      }
      if(funcName === 'cancelOrder' && error.message.includes('502')) {
        const fetch = cb => this.kraken.api('QueryOrders', {}, this.handleResponse('checkOrder', cb, true));
        return fetch(callback);
      }
      return callback(error);
    }
    callback(undefined, body);
  };
};
Trader.prototype.addOrder = function(type, amount, callback) {
  this.kraken.api('AddOrder', { type, amount }, this.handleResponse('addOrder', callback, false, { type, amount }));
};
Trader.prototype.getRawOpenOrders = function(callback) {
  this.kraken.api('OpenOrders', {}, this.handleResponse('getOpenOrders', callback, true));
};
Trader.prototype.retry = function(method, args) {
  var wait = 1000;
  setTimeout(() => {
    method.apply(this, args);
  }, wait);
};
Trader.prototype.log = function(method, args) {
  method.apply(this, args);
};
"""


def test_handler_factory_resends_and_retry_method():
    found = _found(HANDLERS)
    assert (9, "retry", None) in found  # the failed addOrder sent again from its handler
    assert not any(line == 7 for line, kind, _ in found if kind == "retry")  # a lookup, not a re-send
    assert not any(line == 16 for line, kind, _ in found if kind == "retry")  # a new handler made, nothing re-run
    assert (33, "retry", None) in found  # Trader.retry re-runs the failed method after a wait
    assert not any(line == 37 for line, kind, _ in found if kind == "retry")  # not named retry, no wait


# ------------------------------------------------ Postgres SET statement_timeout sent as a query (cartodb)

STATEMENT_TIMEOUT = """const PSQL = require('cartodb-psql');
const DEFAULT_TIMEOUT = "'5h'";
const timeoutQuery = timeout => `SET statement_timeout=${timeout}`;
class StreamCopy {
    constructor (sql) {
        this.timeout = settings.copy_timeout || DEFAULT_TIMEOUT;
    }
    run (client, cb) {
        client.query(timeoutQuery(this.timeout), (err) => cb(err));
        client.query("SET LOCAL statement_timeout TO '30s'");
        client.query('SET statement_timeout = 5000');
        client.query('SHOW statement_timeout');
        client.query('SET lock_timeout = 1000');
        client.query('SET statement_timeout = 0');
        logger.info('SET statement_timeout=7000');
    }
}
"""


def test_set_statement_timeout_queries():
    found = _found(STATEMENT_TIMEOUT)
    assert (9, "timeout", 18000000) in found  # the code's fallback, 5 h
    assert (10, "timeout", 30000) in found
    assert (11, "timeout", 5000) in found
    assert not any(line in (12, 13, 14) for line, _, _ in found)


# ------------------------------------------------ an AMQP message requeued once, dropped when redelivered (greenkeeper)

REDELIVERED = """async function consume (channel, job) {
  try {
    await work(job)
  } catch (err) {
    if (err.message.includes('bad credentials')) {
      channel.nack(job)
    } else if (/not implemented/.test(err.message)) {
      channel.nack(job, false, false)
    } else if (job.fields.redelivered) {
      channel.nack(job, false, false)
    } else {
      channel.nack(job)
    }
  }
}
async function schedule (channel, job) {
  try {
    await publish(job)
  } catch (err) {
    if (job.fields.redelivered) {
      return channel.nack(job, false, false)
    }
    return channel.nack(job)
  }
}
async function always (channel, job) {
  try { await work(job) } catch (err) { channel.nack(job) }
}
"""


def test_requeued_once_then_dropped_when_redelivered():
    found = _found(REDELIVERED)
    assert (12, "retry", 2) in found
    assert (23, "retry", 2) in found
    assert not any(line in (6, 8, 10, 27) for line, kind, _ in found if kind == "retry")


FETCHER = """const _ = require('lodash');
Fetcher.prototype._fetch = function(since) {
  this.exchangeTrader.getTrades(since, this.processTrades, false);
}
Fetcher.prototype.processTrades = function(err, trades) {
  if(err || _.isEmpty(trades)) {
    setTimeout(this._fetch, 1000);
    return;
  }
  this.batcher.write(trades);
}
Poller.prototype.check = function() {
  this.api.getStatus(this.handleStatus);
}
Poller.prototype.handleStatus = function(status) {
  if(status.done) {
    return this.finish();
  }
  setTimeout(this.check, 5000);
}
"""


def test_callback_rerunning_its_method_on_an_error():
    found = _found(FETCHER)
    assert (7, "retry", None) in found
    assert not any(line == 19 for line, kind, _ in found if kind == "retry")  # a poll of a status, no error
