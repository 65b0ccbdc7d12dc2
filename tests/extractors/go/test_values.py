"""Go value idioms: durations, DSNs, replica names."""

from __future__ import annotations

import pytest

from extractors.go.values import (dsn_host, dsn_timeouts, is_replica_host, is_replica_name, parse_go_duration,
                                  parse_go_number, redact_dsn)


@pytest.mark.parametrize("text,ms", [
    ("1.5s", 1500), ("300ms", 300), ("1m30s", 90000), ("2h", 7_200_000), ("0", 0), ("500us", 0.5),
    ("-1s", -1000), ("1h2m3s4ms", 3_723_004),
])
def test_parse_go_duration(text, ms):
    assert parse_go_duration(text) == pytest.approx(ms)


@pytest.mark.parametrize("text", ["", "5", "1.5", "s", "5 s", "1x", "ms"])
def test_parse_go_duration_rejects(text):
    assert parse_go_duration(text) is None


@pytest.mark.parametrize("text,value", [("1_000", 1000), ("0x10", 16), ("010", 8), ("2.5", 2.5), ("0", 0)])
def test_parse_go_number(text, value):
    assert parse_go_number(text) == value


def test_dsn_timeouts_mysql_and_postgres():
    assert dsn_timeouts("u:p@tcp(db:3306)/x?timeout=5s&readTimeout=2s&writeTimeout=3s") == [
        ("timeout", "connect", 5000.0, "5s"), ("readTimeout", "read", 2000.0, "2s")]
    assert dsn_timeouts("postgres://h/x?connect_timeout=10") == [("connect_timeout", "connect", 10000.0, "10")]
    assert dsn_timeouts("host=h connect_timeout=3 statement_timeout=1500") == [
        ("connect_timeout", "connect", 3000.0, "3"), ("statement_timeout", "total", 1500.0, "1500")]
    assert dsn_timeouts("postgres://h/x?sslmode=disable") == []
    assert dsn_timeouts("postgres://h/x?application_name=timeout=5s") == []


def test_dsn_host_and_redaction():
    assert dsn_host("postgres://u:secret@orders-db-replica:5432/orders") == "orders-db-replica"
    assert dsn_host("u:secret@tcp(orders-ro:3306)/orders") == "orders-ro"
    assert dsn_host("host=orders-db port=5432") == "orders-db"
    assert redact_dsn("postgres://u:secret@h:5432/db?x=1") == "postgres://h:5432/db?x=1"
    assert redact_dsn("u:secret@tcp(h:3306)/db") == "tcp(h:3306)/db"
    assert redact_dsn("host=h password=secret") == "host=h password=***"


@pytest.mark.parametrize("name", ["replicaDB", "readerDSN", "ORDERS_REPLICA_DSN", "roPool", "dbRO", "readDB",
                                  "read_only_conn", "replica", "ORDERS_READONLY_DSN"])
def test_replica_names(name):
    assert is_replica_name(name)


@pytest.mark.parametrize("name", ["retry", "db", "primary", "reads", "readTimeout", "order", "errors", "robot",
                                  "ORDERS_DB_DSN", "thread"])
def test_not_replica_names(name):
    assert not is_replica_name(name)


def test_replica_hosts():
    assert is_replica_host("orders-db-replica")
    assert is_replica_host("orders-ro.internal")
    assert is_replica_host("mydb.cluster-ro-abc.us-east-1.rds.amazonaws.com")
    assert not is_replica_host("orders-db")
    assert not is_replica_host("router")


def test_config_fields_take_their_flag_defaults_across_the_files_of_a_package():
    """`l.limit` <- `limit: cfg.Retry.Limit` (this file) <- `f.IntVar(&c.Limit, ..., 2, ...)` (config.go)."""
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
    from contract_discovery.values import Num
    from extractors.go.extractor import EXTRACTOR

    retrier = b'''package congestion
type Config struct{ Retry RetrierConfig }
type limited struct{ limit int }
func newLimited(cfg Config) *limited { return &limited{limit: cfg.Retry.Limit} }
func (l *limited) Do(fn func(int) error, isRetryable func(error) bool) error {
	for i := 0; i <= l.limit; i++ {
		if err := fn(i); err != nil && !isRetryable(err) {
			return err
		}
	}
	return nil
}
'''
    config = b'''package congestion
import "flag"
type RetrierConfig struct{ Limit int; Window int }
func (c *RetrierConfig) RegisterFlags(f *flag.FlagSet) {
	f.IntVar(&c.Limit, "strategy.limited.limit", 2, "Maximum number of retries allowed.")
	f.IntVar(&c.Window, "strategy.window", 0, "0: off")
}
'''
    results = [EXTRACTOR.extract("store/congestion/retry.go", retrier),
               EXTRACTOR.extract("store/congestion/config.go", config)]
    # A zero default switches a setting off: not published, neither by field nor by flag name.
    assert results[1].symbols == {"$flag:Limit": Num(2), "$flagname:strategy.limited.limit": Num(2)}
    [finding] = [f for f in results[0].findings if f.kind == "retry"]
    assert finding.attributes["max_attempts"] is None
    resolved = resolve_finding(finding, results[0], Resolver(results), ServiceIndex([]))
    assert resolved.attributes["max_attempts"] == 3


def test_struct_tag_defaults_become_flag_symbols_by_path_of_two_names_or_more():
    from contract_discovery.values import Num
    from extractors.go.extractor import EXTRACTOR
    from tests.extractors.go.conftest import FIXTURES

    path = FIXTURES / "values" / "struct_tags.go"
    symbols = EXTRACTOR.extract("values/struct_tags.go", path.read_bytes()).symbols
    assert {k: v for k, v in symbols.items() if k.startswith("$flag:")} == {
        "$flag:RPC/TimeOut": Num(5000.0), "$flag:Store/RPC/TimeOut": Num(5000.0),
        "$flag:SMTP/TimeOut": Num(10000.0), "$flag:Cache/TTL": Num(300000.0), "$flag:Cache/Retries": Num(3.0),
        # each struct type's own fields, by type name (a receiver of that type, or embedding it)
        "$flag:RPCGroup/TimeOut": Num(5000.0), "$flag:StoreGroup/RPC/TimeOut": Num(5000.0),
        "$flag:SMTPGroup/TimeOut": Num(10000.0), "$flag:Options/Store/RPC/TimeOut": Num(5000.0),
        "$flag:Options/SMTP/TimeOut": Num(10000.0), "$flag:Options/Cache/TTL": Num(300000.0),
        "$flag:Options/Cache/Retries": Num(3.0), "$flag:Options/Timeout": Num(60000.0),
        "$flag:SupportOpts/Timeout": Num(3600000.0), "$flag:BackupCommand/Timeout": Num(3600000.0),
        # and under the name Go gives a field of that type (`rpc rpcGroup`, `config *Config`)
        "$flag:rpcGroup/TimeOut": Num(5000.0), "$flag:storeGroup/RPC/TimeOut": Num(5000.0),
        "$flag:smtpGroup/TimeOut": Num(10000.0), "$flag:options/Store/RPC/TimeOut": Num(5000.0),
        "$flag:options/SMTP/TimeOut": Num(10000.0), "$flag:options/Cache/TTL": Num(300000.0),
        "$flag:options/Cache/Retries": Num(3.0), "$flag:options/Timeout": Num(60000.0),
        "$flag:supportOpts/Timeout": Num(3600000.0), "$flag:backupCommand/Timeout": Num(3600000.0),
    }


def test_go_envconfig_defaults_reach_a_handler_in_another_file_through_a_config_field():
    """`ctx, cancel := context.WithTimeout(ctx, s.config.Timeout)` in handler.go, `config *Config`
    on the server (server.go), `env:"CLEANUP_TIMEOUT, default=10m"` on Config.Timeout in config.go
    (sethvargo/go-envconfig): 10 minutes; a parameter `config *StackdriverConfig` reads that type's
    default. A field without a default stays unresolved."""
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
    from extractors.go.extractor import EXTRACTOR

    config = (b'package cleanup\nimport "time"\ntype Config struct {\n'
              b'\tPort    string        `env:"PORT, default=8080"`\n'
              b'\tTimeout time.Duration `env:"CLEANUP_TIMEOUT, default=10m"`\n'
              b'\tBudget  time.Duration `env:"BUDGET, required"`\n'
              b'\tGrace   time.Duration `env:"GRACE,overwrite,default=2s" json:",omitempty"`\n}\n'
              b'type StackdriverConfig struct {\n\tTimeout time.Duration `env:"STACKDRIVER_TIMEOUT, default=15s"`\n}\n')
    server = b'package cleanup\ntype Server struct {\n\tconfig *Config\n}\n'
    handler = (b'package cleanup\nimport ("context"; "net/http")\n'
               b'func (s *Server) handle(ctx context.Context) {\n'
               b'\tctx, cancel := context.WithTimeout(ctx, s.config.Timeout)\n'
               b'\tdefer cancel()\n'
               b'\tbudget, done := context.WithTimeout(ctx, s.config.Budget)\n'
               b'\tdefer done()\n'
               b'\tclient := &http.Client{Timeout: s.config.Grace}\n'
               b'\t_, _, _ = ctx, budget, client\n}\n'
               b'func exporter(config *StackdriverConfig) *http.Client {\n'
               b'\treturn &http.Client{Timeout: config.Timeout}\n}\n')
    results = [EXTRACTOR.extract("internal/cleanup/handler.go", handler),
               EXTRACTOR.extract("internal/cleanup/server.go", server),
               EXTRACTOR.extract("internal/cleanup/config.go", config)]
    resolver = Resolver(results)
    values = sorted((f.line, resolve_finding(f, results[0], resolver, ServiceIndex([])).attributes["timeout_ms"])
                    for f in results[0].findings if f.kind == "timeout")
    assert values == [(4, 600000), (6, None), (8, 2000), (12, 15000)]


def test_getters_over_an_options_map_resolve_across_packages():
    """`.WithTimeout(config.Opts.HTTPClientTimeout())` <- `return c.options["HTTP_CLIENT_TIMEOUT"].parsed`
    <- `"HTTP_CLIENT_TIMEOUT": {parsed: 20 * time.Second}` in the config package; a getter whose
    entry this file does not write publishes nothing, and a plain method is no getter."""
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
    from extractors.go.extractor import EXTRACTOR

    config = b'''package config
import "time"
const defaultIdle = 90 * time.Second
type value struct{ parsed time.Duration; raw string }
type options struct{ options map[string]*value }
var Opts = &options{options: map[string]*value{
	"HTTP_CLIENT_TIMEOUT": {parsed: 20 * time.Second, raw: "20"},
	"LABEL": {raw: "timeout"},
}}
func (c *options) HTTPClientTimeout() time.Duration { return c.options["HTTP_CLIENT_TIMEOUT"].parsed }
func (c *options) ProxyTimeout() time.Duration { return c.options["PROXY_TIMEOUT"].parsed }
func (c *options) IdleTimeout() time.Duration { return defaultIdle }
func (c *options) Label() string { return "timeout" }
'''
    fetch = b'''package ui
import "example.com/app/internal/config"
func fetch() {
	NewRequestBuilder().WithTimeout(config.Opts.HTTPClientTimeout())
	NewRequestBuilder().WithTimeout(config.Opts.ProxyTimeout())
	NewRequestBuilder().WithTimeout(config.Opts.IdleTimeout())
}
'''
    results = [EXTRACTOR.extract("internal/config/options.go", config),
               EXTRACTOR.extract("internal/ui/fetch.go", fetch)]
    assert sorted(k for k in results[0].symbols if k.startswith("$getter.")) == [
        "$getter.HTTPClientTimeout", "$getter.IdleTimeout"]
    resolver = Resolver(results)
    values = {f.line: resolve_finding(f, results[1], resolver, ServiceIndex([])).attributes["timeout_ms"]
              for f in results[1].findings if f.kind == "timeout"}
    assert values == {4: 20000, 5: None, 6: 90000}


def _resolved(files: dict[str, bytes], path: str, kind: str) -> list[tuple[int, object]]:
    """(line, value) of each `kind` finding of `path` once the pipeline resolved it across `files`."""
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
    from extractors.go.extractor import EXTRACTOR

    results = [EXTRACTOR.extract(p, data) for p, data in files.items()]
    result = next(r for r in results if r.path == path)
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return [(f.line, resolve_finding(f, result, Resolver(results), ServiceIndex([])).attributes[key])
            for f in result.findings if f.kind == kind]


def test_urfave_flag_defaults_reach_the_reads_in_other_files_of_the_package():
    flags = b'''package server
import ("time"; "github.com/urfave/cli/v3")
var Flags = []cli.Flag{
	&cli.DurationFlag{Name: "forge-timeout", Usage: "how long to wait", Value: time.Second * 5},
	&cli.UintFlag{Name: "db-max-retries", Value: 10},
}
'''
    server = b'''package server
import ("context"; "github.com/urfave/cli/v3"; "github.com/cenkalti/backoff/v7")
func run(ctx context.Context, c *cli.Command, open func() (int, error)) {
	ctx, cancel := context.WithTimeout(ctx, c.Duration("forge-timeout"))
	defer cancel()
	backoff.Retry(ctx, open, backoff.WithMaxTries(c.Uint("db-max-retries")))
	backoff.Retry(ctx, open, backoff.WithMaxTries(c.Uint("db-max-connections")))
}
'''
    files = {"cmd/server/flags.go": flags, "cmd/server/server.go": server}
    assert _resolved(files, "cmd/server/server.go", "timeout") == [(4, 5000)]
    assert _resolved(files, "cmd/server/server.go", "retry") == [(6, 10), (7, None)]
    # Another package has flags of its own: the name is not looked up across packages.
    other = {"cmd/agent/flags.go": flags, "cmd/server/server.go": server}
    assert _resolved(other, "cmd/server/server.go", "retry") == [(6, None), (7, None)]


def test_viper_bound_config_fields_take_the_flag_default():
    flags = b'''package app
import ("flag"; "github.com/spf13/viper")
const timeout = "timeout"
type Config struct{ Timeout int; Prefix string }
func AddFlags(flags *flag.FlagSet) {
	flags.Int(timeout, 120, "Number of seconds to wait for master node response")
	flags.String("prefix", "", "Index prefix")
}
func (c *Config) InitFromViper(v *viper.Viper) {
	c.Timeout = v.GetInt(timeout)
	c.Prefix = v.GetString("prefix")
}
'''
    client = b'''package app
import ("time"; "example.com/tracing/internal/esconfig")
func newClient(cfg *Config) *esconfig.Configuration {
	return &esconfig.Configuration{QueryTimeout: time.Duration(cfg.Timeout) * time.Second}
}
func other(opts *Options) *esconfig.Configuration {
	return &esconfig.Configuration{QueryTimeout: time.Duration(opts.Timeout) * time.Second}
}
'''
    files = {"cmd/rollover/app/flags.go": flags, "cmd/rollover/app/client.go": client}
    # `opts *Options`: no flag sets Options.Timeout, and a bare field name is not guessed at.
    assert _resolved(files, "cmd/rollover/app/client.go", "timeout") == [(4, 120000), (7, None)]


def test_default_config_of_another_package_reaches_a_field_read_through_its_type():
    options = b'''package prometheus
import ("time"; config "example.com/tracing/internal/config/promcfg")
const defaultConnectTimeout = 30 * time.Second
func DefaultConfig() config.Configuration {
	return config.Configuration{ServerURL: "http://localhost:9090", ConnectTimeout: defaultConnectTimeout}
}
'''
    reader = b'''package metricstore
import ("net"; "net/http"; config "example.com/tracing/internal/config/promcfg"; other "example.com/tracing/internal/config/othercfg")
func transport(c *config.Configuration) *http.Transport {
	return &http.Transport{DialContext: (&net.Dialer{Timeout: c.ConnectTimeout}).DialContext}
}
func transport2(c *other.Configuration) *http.Transport {
	return &http.Transport{DialContext: (&net.Dialer{Timeout: c.ConnectTimeout}).DialContext}
}
'''
    files = {"internal/storage/prometheus/options.go": options,
             "internal/storage/prometheus/metricstore/reader.go": reader}
    # The same type name from another import path gets nothing.
    assert _resolved(files, "internal/storage/prometheus/metricstore/reader.go", "timeout") == [(4, 30000), (7, None)]
    # The defaults function itself reports nothing: the client reading the config does.
    assert _resolved(files, "internal/storage/prometheus/options.go", "timeout") == []


def test_default_configuration_in_the_same_file_sets_a_nested_retry_count():
    source = b'''package config
import ("time"; "github.com/gocql/gocql")
type Query struct{ Timeout time.Duration; MaxRetryAttempts int }
type Configuration struct{ Query Query }
func DefaultConfiguration() Configuration {
	return Configuration{Query: Query{MaxRetryAttempts: 3}}
}
func (c *Configuration) NewCluster() *gocql.ClusterConfig {
	cluster := gocql.NewCluster("127.0.0.1")
	if c.Query.Timeout > 0 {
		cluster.Timeout = c.Query.Timeout
	}
	if c.Query.MaxRetryAttempts > 1 {
		cluster.RetryPolicy = &gocql.SimpleRetryPolicy{NumRetries: c.Query.MaxRetryAttempts - 1}
	}
	return cluster
}
'''
    files = {"internal/storage/cassandra/config/config.go": source}
    assert _resolved(files, "internal/storage/cassandra/config/config.go", "retry") == [(14, 3)]
    assert _resolved(files, "internal/storage/cassandra/config/config.go", "timeout") == [(11, None)]


def test_env_tag_defaults_reach_a_field_of_an_imported_type_by_the_folder_name():
    """A module `github.com/acme/orders` kept in `services/orders/`: the folders do not end with the
    import path, the package's folder name still finds the type's defaults."""
    config = b'''package config
import ("time"; "github.com/caarlos0/env/v11")
type Config struct {
	PaymentURL   string        `env:"PAYMENT_URL" envDefault:"http://payment:8080"`
	QueryTimeout time.Duration `env:"ORDERS_QUERY_TIMEOUT" envDefault:"1500ms"`
	ReadTimeout  time.Duration `env:"ORDERS_READ_TIMEOUT"`
	DialTimeout  time.Duration `long:"dial-timeout" env:"DIAL_TIMEOUT" default:"3s"`
}
func Load() (Config, error) { var c Config; return c, env.Parse(&c) }
'''
    store = b'''package store
import ("context"; "database/sql"; "net"; "github.com/acme/orders/internal/config")
type Store struct { db *sql.DB; cfg config.Config }
func (s *Store) Recent(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	defer cancel()
	_, err := s.db.QueryContext(ctx, "SELECT 1")
	return err
}
func (s *Store) Read(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ReadTimeout)
	defer cancel()
	_, err := s.db.QueryContext(ctx, "SELECT 2")
	return err
}
func dialer(cfg config.Config) *net.Dialer { return &net.Dialer{Timeout: cfg.DialTimeout} }
'''
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
    from extractors.go.extractor import EXTRACTOR

    files = {"services/orders/internal/config/config.go": config, "services/orders/internal/store/store.go": store}
    results = [EXTRACTOR.extract(p, data) for p, data in files.items()]
    resolved = [resolve_finding(f, results[1], Resolver(results), ServiceIndex([]))
                for f in results[1].findings if f.kind == "timeout"]
    got = [(f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in resolved]
    # the env default; a variable without a default stays unresolved; go-flags' `default:` (its env
    # name takes a prefix) is a plain default of another file
    assert got == [(5, 1500, "env_default"), (11, None, "unresolved"), (16, 3000, "constant")]


def test_default_variables_of_the_schema_package_reach_fields_read_through_a_holder_struct():
    schema = b'''package schema
import "time"
type SessionRedis struct { Timeout time.Duration; MaxRetries int }
type Session struct { Name string; Redis *SessionRedis }
type LDAP struct { Timeout time.Duration }
var DefaultRedisConfiguration = SessionRedis{Timeout: time.Second * 5}
var DefaultRedisHighAvailabilityConfiguration = SessionRedis{Timeout: time.Second * 5}
var DefaultLDAPCustom = LDAP{Timeout: time.Second * 20}
var DefaultLDAPActiveDirectory = LDAP{Timeout: time.Second * 5}
var redisExample = SessionRedis{Timeout: time.Minute}
'''
    provider = b'''package session
import ("net"; "github.com/fasthttp/session/v2/providers/redis"; "github.com/acme/auth/internal/configuration/schema")
func newRedis(config *schema.Session) (*redis.Provider, error) {
	return redis.New(redis.Config{Addr: "redis:6379", DialTimeout: config.Redis.Timeout})
}
func dialLDAP(config *schema.LDAP) *net.Dialer { return &net.Dialer{Timeout: config.Timeout} }
'''
    files = {"internal/configuration/schema/session.go": schema, "internal/session/provider.go": provider}
    # Both Redis defaults agree (5 s); the LDAP defaults differ per implementation, so none is
    # guessed; `redisExample` is no default (its name does not say so).
    assert _resolved(files, "internal/session/provider.go", "timeout") == [(4, 5000), (6, None)]


def test_a_config_packages_own_duration_type_takes_its_tag_default_through_to_duration():
    """`Timeout Duration \\`default:"1s"\\`` with `type Duration time.Duration`, read as
    `p.Timeout.ToDuration()` by a function taking that config: 1000 ms."""
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
    from extractors.go.extractor import EXTRACTOR
    from tests.extractors.go.conftest import FIXTURES

    path = FIXTURES / "values" / "custom_duration.go"
    result = EXTRACTOR.extract("proxy/custom_duration.go", path.read_bytes())
    [finding] = [f for f in result.findings if f.kind == "timeout"]
    resolved = resolve_finding(finding, result, Resolver([result]), ServiceIndex([]))
    assert (resolved.line, resolved.attributes["timeout_ms"], resolved.attributes["phase"]) == (22, 1000, "deadline")


def test_a_zero_filled_default_earlier_in_the_function_values_the_field_it_fills():
    """`if conf.IOTimeout == 0 { conf.IOTimeout = 4 * time.Second }` then `ConnWriteTimeout:
    conf.IOTimeout`: 4000 ms when nothing else gives the field a value."""
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
    from extractors.go.extractor import EXTRACTOR
    from tests.extractors.go.conftest import FIXTURES

    path = FIXTURES / "client_config" / "rueidis.go"
    result = EXTRACTOR.extract("cache/rueidis.go", path.read_bytes())
    resolved = {(f.line, f.attributes["phase"]): resolve_finding(f, result, Resolver([result]), ServiceIndex([]))
                .attributes["timeout_ms"] for f in result.findings if f.kind == "timeout"}
    assert resolved == {(15, "read"): 4000, (18, "connect"): 1000, (35, "read"): 4000,
                        (41, "connect"): None, (42, "read"): None}


def test_a_type_alias_of_another_packages_config_takes_that_types_defaults(tmp_path):
    """`type Config = configtypes.Proxy` (proxy.go) and `p.config.Timeout.ToDuration()` (grpc.go) with
    `Timeout Duration \\`default:"1s"\\`` in configtypes: 1000 ms."""
    import shutil

    from contract_discovery.pipeline import scan
    from tests.extractors.go.conftest import FIXTURES

    root = tmp_path / "hub"
    shutil.copytree(FIXTURES / "values" / "aliased", root)
    (root / "go.mod").write_text("module example.com/hub\n\ngo 1.22\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = [(f.path.split("/", 1)[1], f.line, f.attributes["timeout_ms"]) for f in result.findings if f.kind == "timeout"]
    assert got == [("proxy/grpc.go", 13, 1000)]


def test_a_field_another_package_sets_where_it_builds_the_type_values_the_reads_of_that_field():
    main = b'''package main
import ("time"; "example.com/gw/app/proxy")
var opts struct {
	Timeouts struct {
		Dial time.Duration `long:"dial" default:"30s"`
	} `group:"timeout"`
}
func run() {
	h := proxy.Http{Name: "gw", Timeouts: proxy.Timeouts{Dial: opts.Timeouts.Dial, Header: 5 * time.Second}}
	_ = h
}
'''
    proxy = b'''package proxy
import ("net"; "net/http"; "time")
type Timeouts struct { Dial, Header, Other time.Duration }
type Http struct { Name string; Timeouts Timeouts }
func (h *Http) transport() *http.Transport {
	return &http.Transport{
		ResponseHeaderTimeout: h.Timeouts.Header,
		DialContext: (&net.Dialer{Timeout: h.Timeouts.Dial}).DialContext,
		TLSHandshakeTimeout: h.Timeouts.Other,
	}
}
'''
    files = {"app/main.go": main, "app/proxy/proxy.go": proxy}
    # a go-flags default of the options value reaches Dial; a literal reaches Header; Other is never built: unknown
    assert _resolved(files, "app/proxy/proxy.go", "timeout") == [(7, 5000), (8, 30000), (9, None)]


def test_or_helpers_give_a_config_field_its_default() -> None:
    """`c.DialTimeout = util.EmptyOr(c.DialTimeout, 10)`, `c.Read = cmp.Or(c.Read, 5*time.Second)` in
    a method of the type: the default when the config leaves the field unset; a receiver named `c`
    in methods of several types still names the method's own type."""
    from contract_discovery.values import BinOp, Num, Str
    from extractors.go.extractor import EXTRACTOR

    config = b'''package v1
import ("cmp"; "time"; "example.com/app/util")
type Transport struct{ DialTimeout int64; Read time.Duration; Other int; Name string }
type Other struct{ Timeout int64 }
func (c *Transport) Complete(d *Transport) {
	c.DialTimeout = util.EmptyOr(c.DialTimeout, 10)
	c.Read = cmp.Or(c.Read, 5*time.Second)
	c.Other = util.EmptyOr(d.Other, 3)
	c.Name = cmp.Or(c.Name, "frps")
}
func (c *Other) Complete() {
	c.Timeout = util.EmptyOr(c.Timeout, 30)
}
'''
    symbols = EXTRACTOR.extract("pkg/config/v1/transport.go", config).symbols
    assert symbols["$flag:Transport/DialTimeout"] == Num(10)
    assert symbols["$flag:Transport/Read"] == BinOp("*", Num(5), Num(1000))
    assert symbols["$flag:Other/Timeout"] == Num(30)
    assert "$flag:Transport/Other" not in symbols  # another value's field: no default of this one
    assert symbols["$flag:Transport/Name"] == Str("frps")  # a default host name, for URLs


def test_a_setting_built_in_main_reaches_an_engine_field_read_in_another_file_of_its_package():
    # cmd/hepa/main.go builds the package's own Config from flags; server.go hands its field to another
    # package's EngineConfig; the engine's methods, in two files, bound their work by that field.
    main = b'''package main
import ("context"; "os"; "time"; "github.com/urfave/cli/v3")
func main() {
	app := &cli.Command{Flags: []cli.Flag{
		&cli.DurationFlag{Name: "record-event-timeout", Value: 30 * time.Second},
		&cli.DurationFlag{Name: "ozone-event-timeout", Value: 10 * time.Second},
	}, Action: run}
	_ = app.Run(context.Background(), os.Args)
}
func run(ctx context.Context, cmd *cli.Command) error {
	_ = NewServer(Config{RecordEventTimeout: cmd.Duration("record-event-timeout"), OzoneEventTimeout: cmd.Duration("ozone-event-timeout")})
	return nil
}
'''
    server = b'''package main
import ("time"; "github.com/acme/mod/automod/engine")
type Config struct { RecordEventTimeout time.Duration; OzoneEventTimeout time.Duration }
func NewServer(config Config) *engine.Engine {
	return &engine.Engine{Config: engine.EngineConfig{RecordEventTimeout: config.RecordEventTimeout, OzoneEventTimeout: config.OzoneEventTimeout}}
}
'''
    engine = b'''package engine
import ("context"; "net/http"; "time")
type Engine struct { Client *http.Client; Config EngineConfig }
type EngineConfig struct { RecordEventTimeout time.Duration; OzoneEventTimeout time.Duration; Name string }
func (eng *Engine) Record(ctx context.Context, req *http.Request) error {
	ctx, cancel := context.WithTimeout(ctx, eng.Config.RecordEventTimeout)
	defer cancel()
	_, err := eng.Client.Do(req.WithContext(ctx))
	return err
}
'''
    ozone = b'''package engine
import ("context"; "net/http")
func (eng *Engine) Ozone(ctx context.Context, req *http.Request) error {
	ctx, cancel := context.WithTimeout(ctx, eng.Config.OzoneEventTimeout)
	defer cancel()
	_, err := eng.Client.Do(req.WithContext(ctx))
	return err
}
'''
    other = b'''package main
import "time"
func other() Config { return Config{RecordEventTimeout: time.Second} }
'''
    files = {"cmd/hepa/main.go": main, "cmd/hepa/server.go": server, "automod/engine/engine.go": engine,
             "automod/engine/engine_ozone.go": ozone}
    assert _resolved(files, "automod/engine/engine.go", "timeout") == [(6, 30000)]
    assert _resolved(files, "automod/engine/engine_ozone.go", "timeout") == [(4, 10000)]  # the type in engine.go
    # two constructions of Config in one file that disagree: neither is the field's value
    clashing = {**files, "cmd/hepa/main.go": main.replace(b"\treturn nil\n}", b"\treturn nil\n}\n" + other.split(b"\n", 2)[2])}
    assert _resolved(clashing, "automod/engine/engine.go", "timeout") == [(6, None)]
    assert _resolved(clashing, "automod/engine/engine_ozone.go", "timeout") == [(4, 10000)]  # one construction


def test_a_config_getter_reads_the_default_its_types_constructor_gives():
    config = b'''package server
type Config interface { GetLive() *LiveConfig }
type config struct { Live *LiveConfig }
func (c *config) GetLive() *LiveConfig { return c.Live }
type LiveConfig struct { Url string; HttpTimeoutMs int; RetryCount int; PageSize int }
func NewLiveConfig() *LiveConfig {
	return &LiveConfig{HttpTimeoutMs: 10_000, PageSize: 50}
}
'''
    runtime = b'''package server
import ("net/http"; "time")
func newClient(config Config) *http.Client {
	return &http.Client{Timeout: time.Duration(config.GetLive().HttpTimeoutMs) * time.Millisecond}
}
func tries(config Config, do func() error) error {
	var err error
	for attempt := 0; attempt <= config.GetLive().RetryCount; attempt++ {
		if err = do(); err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
	return err
}
'''
    files = {"server/config.go": config, "server/runtime.go": runtime}
    assert _resolved(files, "server/runtime.go", "timeout") == [(4, 10000)]
    # RetryCount is left out of the default: Go's zero, no retries, one try
    assert _resolved(files, "server/runtime.go", "retry") == [(8, 1)]
    # without a default constructor nothing is guessed
    bare = {**files, "server/config.go": config.replace(b"func NewLiveConfig", b"func makeLiveConfig")}
    assert _resolved(bare, "server/runtime.go", "timeout") == [(4, None)]


def test_a_fill_in_after_a_setting_copied_by_a_constructor_is_only_the_fallback():
    main = b'''package main
import ("context"; "os"; "time"; "github.com/urfave/cli/v3")
func main() {
	app := &cli.Command{Flags: []cli.Flag{&cli.DurationFlag{Name: "repo-fetch-timeout", Value: 300 * time.Second}}, Action: run}
	_ = app.Run(context.Background(), os.Args)
}
func run(ctx context.Context, cmd *cli.Command) error {
	_ = NewResyncer(&TapConfig{RepoFetchTimeout: cmd.Duration("repo-fetch-timeout")})
	return nil
}
'''
    resyncer = b'''package main
import ("net/http"; "time")
type TapConfig struct { RepoFetchTimeout time.Duration }
type Resyncer struct { repoFetchTimeout time.Duration }
func NewResyncer(config *TapConfig) *Resyncer { return &Resyncer{repoFetchTimeout: config.RepoFetchTimeout} }
func (r *Resyncer) client() *http.Client {
	timeout := r.repoFetchTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &http.Client{Timeout: timeout}
}
'''
    files = {"cmd/tap/main.go": main, "cmd/tap/resyncer.go": resyncer}
    assert _resolved(files, "cmd/tap/resyncer.go", "timeout") == [(11, 300000)]  # the flag's default
    alone = {"cmd/tap/resyncer.go": resyncer}
    assert _resolved(alone, "cmd/tap/resyncer.go", "timeout") == [(11, 30000)]  # nothing sets it: the fill-in
