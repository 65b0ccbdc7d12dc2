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


VIPER_CLIENT = '''package payment

import (
	"net/http"

	"github.com/spf13/viper"
)

func Capture() error {
	client := &http.Client{Timeout: viper.GetDuration("payment.timeout")}
	req, _ := http.NewRequest(http.MethodPost, viper.GetString("payment.url")+"/v1/captures", nil)
	_, err := client.Do(req)
	return err
}

func Label() string {
	return viper.GetString("payment.label")
}
'''


def test_a_viper_string_from_config_yaml_is_the_calls_destination(tmp_path):
    (tmp_path / "go.mod").write_text("module github.com/acme/orders\n\ngo 1.22\n")
    (tmp_path / "config.yaml").write_text("payment:\n  url: http://payment:8080\n  timeout: 1500ms\n  label: x\n")
    (tmp_path / "internal" / "payment").mkdir(parents=True)
    (tmp_path / "internal" / "payment" / "client.go").write_text(VIPER_CLIENT)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    found = sorted((f.kind, f.line, f.attributes.get("timeout_ms"), f.target.url if f.target else None)
                   for f in result.findings if f.kind in ("timeout", "outbound_call"))
    assert ("timeout", 10, 1500, "http://payment:8080") in found
    assert ("outbound_call", 11, None, "http://payment:8080") in found


def test_a_viper_key_the_config_file_lacks_gives_no_destination(tmp_path):
    (tmp_path / "go.mod").write_text("module github.com/acme/orders\n\ngo 1.22\n")
    (tmp_path / "config.yaml").write_text("payment:\n  timeout: 1500ms\n")
    (tmp_path / "internal" / "payment").mkdir(parents=True)
    (tmp_path / "internal" / "payment" / "client.go").write_text(VIPER_CLIENT)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    assert [f.target.url if f.target else None for f in result.findings if f.kind == "timeout"] == [None]


OPENER = '''package events

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func OpenReplica(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	return pgxpool.New(ctx, dsn)
}
'''

OPENER_MAIN = '''package main

import (
	"context"

	"github.com/spf13/viper"

	"github.com/acme/orders/internal/events"
)

func main() {
	_, _ = events.OpenReplica(context.Background(), viper.GetString("replica.dsn"))
}
'''


def _scan_dsn(tmp_path: Path, config: str) -> list:
    (tmp_path / "go.mod").write_text("module github.com/acme/orders\n\ngo 1.22\n")
    (tmp_path / "config.yaml").write_text(config)
    (tmp_path / "internal" / "events").mkdir(parents=True)
    (tmp_path / "internal" / "events" / "replica.go").write_text(OPENER)
    (tmp_path / "main.go").write_text(OPENER_MAIN)
    return sorted((f.line, f.attributes.get("timeout_ms"), f.attributes.get("phase"))
                  for f in scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache").findings if f.kind == "timeout")


def test_a_dsn_from_config_handed_to_an_opener_gives_its_connect_timeout(tmp_path):
    found = _scan_dsn(tmp_path, "replica:\n  dsn: postgres://orders@replica:5432/orders?connect_timeout=4\n")
    assert found == [(10, 4000, "connect")]


def test_a_dsn_without_connect_timeout_gives_nothing(tmp_path):
    assert _scan_dsn(tmp_path, "replica:\n  dsn: postgres://orders@replica:5432/orders\n") == []
