"""Round 20 (lead, polyglot16): a call's URL built on a function of the file that returns the service's
base URL, an env value or a literal default."""

from __future__ import annotations

from contract_discovery.model import Target
from tests.extractors.go.conftest import extract_text

BASE_URL_FUNCTION = '''package payment

import (
	"net/http"
	"os"
	"time"
)

var client = &http.Client{Timeout: 2500 * time.Millisecond}

func baseURL() string {
	if u := os.Getenv("PAYMENT_URL"); u != "" {
		return u
	}
	return "http://payment:8080"
}

func Capture() error {
	req, _ := http.NewRequest(http.MethodPost, baseURL()+"/v1/captures", nil)
	_, err := client.Do(req)
	return err
}
'''


def _timeouts(source: str) -> list[tuple[int, object, Target | None]]:
    return [(f.line, f.attributes.get("timeout_ms"), f.target)
            for f in extract_text(source).findings if f.kind == "timeout"]


def test_base_url_function_with_env_and_literal_default_gives_the_target():
    assert _timeouts(BASE_URL_FUNCTION) == [(9, 2500, Target(url="http://payment:8080/v1/captures"))]


def test_base_url_function_returning_two_literals_gives_no_target():
    source = BASE_URL_FUNCTION.replace('return u\n', 'return "http://payment-eu:8080"\n')
    assert _timeouts(source) == [(9, 2500, None)]


def test_function_with_arguments_is_not_read_as_a_base_url():
    source = BASE_URL_FUNCTION.replace("func baseURL() string", "func baseURL(region string) string").replace(
        "baseURL()+", 'baseURL("eu")+')
    assert _timeouts(source) == [(9, 2500, None)]


def test_word_url_in_a_string_is_no_target():
    source = BASE_URL_FUNCTION.replace('baseURL()+"/v1/captures"', '"see baseURL() in the docs"')
    [(line, value, target)] = _timeouts(source)
    assert (line, value) == (9, 2500) and (target is None or "payment:8080" not in (target.url or ""))
