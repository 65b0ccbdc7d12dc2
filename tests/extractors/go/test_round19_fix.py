"""Round 19, second-wave fixes (gofix): the shapes the held-out sets' first scans still missed after the
first wave (kraken's functional-option defaults, fabio's package-wide defaults, ...)."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _found, _scan  # noqa: F401  (shared helpers)
from tests.extractors.go.test_round19 import HTTPUTIL

# --- rule (b) for functional options: a call giving no SendTimeout gets the helper's default -----------

HTTPUTIL_VERBS = HTTPUTIL + '''
func Get(url string, options ...SendOption) (*http.Response, error) {
	return Send("GET", url, options...)
}
'''

OMITTING = '''package blobclient

import (
	"time"

	"example.com/svc/httputil"
)

func Delete(addr string) error {
	_, err := httputil.Send("DELETE", addr,
		httputil.SendLabel("timeout"))
	return err
}

func Stat(addr string) error {
	_, err := httputil.Get(addr,
		httputil.SendLabel("stat"))
	return err
}

func Head(addr string) error {
	_, err := httputil.Get(addr,
		httputil.SendLabel("head"),
		httputil.SendTimeout(15*time.Second))
	return err
}

func Spread(addr string, opts []httputil.SendOption) error {
	_, err := httputil.Get(addr, opts...)
	return err
}
'''


def test_a_call_giving_none_of_the_helpers_timeout_option_gets_its_default(tmp_path):
    got = _scan(tmp_path, {"httputil/httputil.go": HTTPUTIL_VERBS, "blobclient/client.go": OMITTING})
    mine = [g for g in got if g[0] == "blobclient/client.go"]
    # rule (b) at the call's line, the default of the options the helper makes (60 s); the word
    # timeout in the label's string is no timeout option
    assert ("blobclient/client.go", 10, "timeout", 60000) in mine
    # through a function of the helper's file handing its own options on (`Get` -> `Send`)
    assert ("blobclient/client.go", 16, "timeout", 60000) in mine
    # a call giving the timeout option gets its value (rule c), never the default too
    assert ("blobclient/client.go", 24, "timeout", 15000) in mine
    assert not [g for g in mine if g[1] == 22]
    # options spread from a slice may hold the timeout option: nothing
    assert not [g for g in mine if g[1] == 29]


OTHER_PACKAGE = '''package blobclient

import (
	"example.com/svc/httputil"
	"example.com/svc/labels"
)

func Delete(addr string) error {
	_, err := httputil.Send("DELETE", addr, labels.SendLabel("x"))
	return err
}
'''


def test_no_default_for_options_of_another_package_or_a_helper_whose_field_no_client_reads(tmp_path):
    got = _scan(tmp_path, {"httputil/httputil.go": HTTPUTIL_VERBS, "blobclient/client.go": OTHER_PACKAGE})
    assert not [g for g in got if g[0] == "blobclient/client.go"]
    unused = HTTPUTIL_VERBS.replace("Timeout: opts.timeout,", "Timeout: 10 * time.Second,")
    got = _scan(tmp_path / "b", {"httputil/httputil.go": unused, "blobclient/client.go": OMITTING})
    assert not [g for g in got if g[0] == "blobclient/client.go"]

