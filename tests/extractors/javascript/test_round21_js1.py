"""Round 21 (js1, plain-JavaScript services): callback-era shapes found on unseen code (OpenWhisk's
alarm and Cloudant providers, pump.io, StatsD, Licode, Persona, probate-frontend)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}


# --- a method assigned to `this` in an ES5 constructor, re-called through an alias of `this` ---

ES5_CONSTRUCTOR = """module.exports = function (logger, db) {
    var utilsDB = this;
    this.db = db;

    this.deleteTrigger = function (triggerID, retryCount) {
        return new Promise(function (resolve, reject) {
            utilsDB.db.get(triggerID, function (err, existing) {
                if (!err) {
                    utilsDB.db.destroy(existing._id, existing._rev, function (err) {
                        if (err) {
                            if (err.statusCode === 409 && retryCount < 5) {
                                setTimeout(function () {
                                    utilsDB.deleteTrigger(triggerID, (retryCount + 1))
                                    .then(id => resolve(id))
                                    .catch(err => reject(err));
                                }, 1000);
                            } else {
                                reject(err);
                            }
                        } else {
                            resolve();
                        }
                    });
                }
            });
        });
    };

    // ok: a tree walk re-calling itself is no retry
    this.walk = function (node, depth) {
        node.children.forEach(function (child) { utilsDB.walk(child, depth + 1); });
    };
};

function remove(db, id) {
    return new module.exports(null, db).deleteTrigger(id, 0);
}
"""


def test_member_of_this_recalled_through_an_alias_is_a_retry_and_its_timer_no_deadline():
    found = _found("lib/Database.js", ES5_CONSTRUCTOR)
    assert found[(13, "retry")] == 6
    assert (12, "timeout") not in found  # the timer is the retry's delay, not a bound on the wait
    assert not any(line >= 27 for line, kind in found if kind == "retry")


# --- a factory's `that.method` and a static member re-calling themselves ---

FACTORY = """const amqper = require('./amqper');

exports.RoomController = (spec) => {
  const that = {};
  const MAX_ERIZOJS_RETRIES = 3;

  that.addPublisher = (clientId, streamId, callback, retries) => {
    if (retries === undefined) {
      retries = 0;
    }
    amqper.callRpc('ErizoJS', 'addPublisher', [clientId, streamId], { callback: (data) => {
      if (data === 'timeout') {
        if (retries < MAX_ERIZOJS_RETRIES) {
          retries += 1;
          that.addPublisher(clientId, streamId, callback, retries);
          return;
        }
        callback('timeout-erizojs');
        return;
      }
      callback(data);
    } });
  };
  return that;
};
"""

STATIC_MEMBER = """var Step = require("step");

ActivityObject.getRemoteObject = function(url, retries, callback) {
    if (!callback) {
        callback = retries;
        retries = 0;
    }
    Step(
        function() {
            host.getOAuth(this);
        },
        function(err, oa) {
            if (err) throw err;
            oa.get(url, null, null, this);
        },
        function(err, body, resp) {
            if (err) {
                if (err.statusCode === 401 && retries === 0) {
                    cred.del(function(err) {
                        ActivityObject.getRemoteObject(url, retries + 1, callback);
                    });
                } else {
                    throw err;
                }
            } else {
                callback(null, JSON.parse(body));
            }
        }
    );
};

var describe = function(node, level) {
    // ok: a count compared with 0 in a walk that is no retry
    if (level === 0 && node.parent) {
        describe(node.parent, level + 1);
    }
};
"""


def test_factory_member_recalled_through_its_holder_is_a_retry():
    found = _found("erizoController/roomController.js", FACTORY)
    assert found[(15, "retry")] == 4


def test_static_member_resent_once_while_its_count_is_zero_makes_two_tries():
    found = _found("lib/model/activityobject.js", STATIC_MEMBER)
    assert found[(20, "retry")] == 2
    assert (35, "retry") not in found


# --- a connection re-run from its error callback under a counter declared outside it ---

DB_CONN = """const mongoose = require('mongoose');
const config = require('../utils/commonConfig');
const constants = { DEFAULT_MONGODB_RETRIES: 5 };

function init(logger, url, options, callback) {
    let retries = 0;
    const maxRetries = 5;

    function connectionAttempt(callback) {
        mongoose
            .connect(url, options)
            .then(() => callback())
            .catch((err) => {
                retries++;
                if (retries < maxRetries) {
                    setTimeout(() => connectionAttempt(callback), 5000);
                } else {
                    callback(err);
                }
            });
    }

    connectionAttempt(callback);
}
"""


def test_connection_rerun_under_an_outer_counter_bumped_in_its_error_callback():
    found = _found("lib/model/dbConn.js", DB_CONN)
    assert found[(16, "retry")] == 5  # bumped before `retries < 5`: tries 1..5


# --- ok: a member function re-calling itself until a variable another callback sets arrives ---

SCANNER = """function Scanner(client, table) {
  var self = this;
  var scan_id;
  var error;

  client.scannerOpen(table, function(err, id) {
    if (err) {
      error = err;
    }
    scan_id = id;
  });

  self.getNext = function(callback) {
    if (!scan_id && !error) {
      setTimeout(function() {
        self.getNext(callback);
      }, 50);
      return;
    }
    client.scannerGetList(scan_id, 100, callback);
  };
}
"""


def test_member_waiting_for_a_closure_variable_is_no_retry():
    found = _found("lib/hbase/index.js", SCANNER)
    assert not any(kind == "retry" for _, kind in found)


# --- attempts left counted down before each re-call, given up at the top ---

COUNTDOWN = """const nuve = require('./nuveProxy');

exports.ErizoController = (spec) => {
  const addECToCloudHandler = (attempt) => {
    if (attempt <= 0) {
      process.exit(-1);
      return;
    }
    nuve.addNewErizoController(spec.controller).then((msg) => {
      spec.start(msg);
    }).catch((reason) => {
      if (reason === 'timeout') {
        setTimeout(() => {
          attempt -= 1;
          addECToCloudHandler(attempt);
        }, 3000);
      }
    });
  };
  addECToCloudHandler(5);
};
"""


def test_attempts_counted_down_to_a_give_up_at_the_top():
    found = _found("erizoController/erizoController.js", COUNTDOWN)
    assert found[(15, "retry")] == 5
