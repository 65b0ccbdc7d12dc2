"""Round 21 (lead, polyglot18): a client's URL kept in a field from its constructor's parameter, handed a flag's
default (or a literal) by the constructor's caller in another package."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CLIENT = '''package payment

import (
	"net/http"
	"time"
)

type Client struct {
	baseURL string
	http    *http.Client
}

func NewClient(baseURL string) *Client {
	return &Client{baseURL: baseURL, http: &http.Client{Timeout: 2 * time.Second}}
}

func (c *Client) Charge() error {
	req, _ := http.NewRequest(http.MethodPost, c.baseURL+"/v1/charges", nil)
	_, err := c.http.Do(req)
	return err
}
'''

MAIN = '''package main

import (
	"flag"

	"github.com/acme/orders/internal/payment"
)

func main() {
	paymentURL := flag.String("payment-url", "http://payment:8080", "payment base URL")
	name := flag.String("name", "orders", "service name")
	flag.Parse()
	_ = *name
	pay := payment.NewClient(*paymentURL)
	_ = pay.Charge()
}
'''


def _scan(tmp_path: Path, main: str = MAIN) -> list[tuple]:
    (tmp_path / "go.mod").write_text("module github.com/acme/orders\n\ngo 1.22\n")
    (tmp_path / "internal" / "payment").mkdir(parents=True)
    (tmp_path / "cmd" / "orders").mkdir(parents=True)
    (tmp_path / "internal" / "payment" / "client.go").write_text(CLIENT)
    (tmp_path / "cmd" / "orders" / "main.go").write_text(main)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.kind, f.line, f.target.url if f.target else None)
                  for f in result.findings if f.kind in ("timeout", "outbound_call"))


def test_a_constructor_parameter_kept_as_the_url_takes_the_flag_default_of_its_caller(tmp_path):
    found = _scan(tmp_path)
    assert ("timeout", 14, "http://payment:8080") in found
    assert ("outbound_call", 18, "http://payment:8080") in found


def test_a_flag_that_is_no_url_gives_no_destination(tmp_path):
    found = _scan(tmp_path, MAIN.replace("payment.NewClient(*paymentURL)", "payment.NewClient(*name)"))
    assert ("timeout", 14, None) in found
