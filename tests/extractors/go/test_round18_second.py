"""Round 18, second wave (held-out sets keda-scalers, goim, node-problem-detector, glider,
cloud-connector, cloudreve, liftbridge): values handed through a constructor's parameter into a
field, a field filled when unset in one function and read in another, keda's `default=` tag
option; with the traps beside each."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from extractors.go.extractor import EXTRACTOR
from tests.extractors.go.test_round18 import _found, _scan  # noqa: F401  (shared helpers)


MAIN = '''package main

import (
	"time"

	"example.com/svc/pkg/scaling"
	"example.com/svc/pkg/util"
)

func main() {
	timeoutMS, _ := util.ResolveOsEnvInt("HTTP_DEFAULT_TIMEOUT", 3000)
	globalHTTPTimeout := time.Duration(timeoutMS) * time.Millisecond
	h := scaling.NewScaleHandler(nil, globalHTTPTimeout, 5)
	h.Run()
}
'''

UTIL = '''package util

import (
	"net/http"
	"os"
	"strconv"
	"time"
)

func ResolveOsEnvInt(name string, def int) (int, error) {
	if v, ok := os.LookupEnv(name); ok {
		return strconv.Atoi(v)
	}
	return def, nil
}

func CreateHTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout}
}
'''

HANDLER = '''package scaling

import (
	"time"

	"example.com/svc/pkg/config"
)

type scaleHandler struct {
	client            interface{}
	globalHTTPTimeout time.Duration
	workers           int
}

func NewScaleHandler(client interface{}, globalHTTPTimeout time.Duration, workers int) *scaleHandler {
	return &scaleHandler{client: client, globalHTTPTimeout: globalHTTPTimeout, workers: workers}
}

func (h *scaleHandler) Run() {
	cfg := &config.ScalerConfig{GlobalHTTPTimeout: h.globalHTTPTimeout, Workers: h.workers}
	build(cfg)
}

func build(cfg *config.ScalerConfig) {}
'''

CONFIG = '''package config

import "time"

type ScalerConfig struct {
	GlobalHTTPTimeout time.Duration
	Workers           int
}
'''

SCALER = '''package scalers

import (
	"net/http"
	"time"

	"example.com/svc/pkg/config"
	"example.com/svc/pkg/util"
)

type promMetadata struct {
	Timeout           time.Duration `keda:"name=timeout,       order=triggerMetadata, optional"`
	MinConnectTimeout int           `keda:"name=minConnectTimeout, order=triggerMetadata, default=5"`
	Name              string        `keda:"name=name, order=triggerMetadata, default=x"`
}

func NewPromScaler(cfg *config.ScalerConfig) *http.Client {
	meta := &promMetadata{}
	timeout := cfg.GlobalHTTPTimeout
	if meta.Timeout > 0 {
		timeout = meta.Timeout // the trigger's own value, when given
	}
	return util.CreateHTTPClient(timeout)
}

func NewDatadogScaler(cfg *config.ScalerConfig) *http.Client {
	meta := &promMetadata{}
	if meta.Timeout == 0 {
		meta.Timeout = cfg.GlobalHTTPTimeout
	}
	first := util.CreateHTTPClient(meta.Timeout)
	_ = first
	return newAPIClient(meta)
}

func newAPIClient(s *promMetadata) *http.Client {
	return util.CreateHTTPClient(s.Timeout)
}

func dialParams(meta *promMetadata) time.Duration {
	return time.Duration(meta.MinConnectTimeout) * time.Second
}
'''


def test_a_value_handed_through_a_constructor_parameter_into_a_field_reaches_the_readers(tmp_path):
    found = _scan(tmp_path, {"cmd/main.go": MAIN, "pkg/util/http.go": UTIL, "pkg/scaling/handler.go": HANDLER,
                             "pkg/config/config.go": CONFIG, "pkg/scalers/prom.go": SCALER})
    assert ("pkg/scalers/prom.go", 23, "timeout", 3000) in found  # the env default, through the handler
    # filled when unset in one function, read in the function it is handed to
    assert ("pkg/scalers/prom.go", 31, "timeout", 3000) in found
    assert ("pkg/scalers/prom.go", 37, "timeout", 3000) in found


def test_two_callers_handing_different_values_give_no_value(tmp_path):
    other = MAIN.replace("func main() {", "func other() {\n\tscaling.NewScaleHandler(nil, 10*time.Second, 1)\n}\n\nfunc main() {")
    found = _scan(tmp_path, {"cmd/main.go": other, "pkg/util/http.go": UTIL, "pkg/scaling/handler.go": HANDLER,
                             "pkg/config/config.go": CONFIG, "pkg/scalers/prom.go": SCALER})
    assert ("pkg/scalers/prom.go", 23, "timeout", None) in found
    assert not any(f[3] in (3000, 10000) for f in found if f[0] == "pkg/scalers/prom.go")


def test_a_keda_tag_default_option_values_the_field():
    result = EXTRACTOR.extract("svc/pkg/scalers/prom.go", SCALER.encode())
    assert result.symbols.get("$flag:promMetadata/MinConnectTimeout") is not None
    assert result.symbols["$flag:promMetadata/MinConnectTimeout"].value == 5.0
    # `optional` without a default, and a string's default, give no duration
    assert "$flag:promMetadata/Timeout" not in result.symbols


BACKOFF = '''package backoff

import "time"

type ConstantBackoff struct {
	Sleep time.Duration
	Max   int

	tried int
}

func (c *ConstantBackoff) Next(err error) bool {
	c.tried++
	if c.tried > c.Max {
		return false
	}
	time.Sleep(c.Sleep)
	return true
}

type Pager struct {
	MaxPages int
	page     int
}

func (p *Pager) More() bool {
	p.page++
	return p.page < p.MaxPages
}
'''

SETTINGS = '''package setting

import "context"

type provider struct{}

func (s *provider) getInt(ctx context.Context, name string, def int) int { return def }

func (s *provider) ChunkRetryLimit(ctx context.Context) int {
	return s.getInt(ctx, "chunk_retries", 3)
}
'''

SEED = '''package inventory

var DefaultSettings = map[string]string{
	"site_name":     `Cloud`,
	"chunk_retries": `5`,
}
'''

DRIVER = '''package cos

import (
	"context"
	"time"

	"example.com/svc/pkg/backoff"
	"example.com/svc/pkg/setting"
)

type Driver struct {
	settings *setting.Provider
}

func (d *Driver) Put(ctx context.Context, chunk func() error) error {
	bo := &backoff.ConstantBackoff{
		Max:   d.settings.ChunkRetryLimit(ctx),
		Sleep: 5 * time.Second,
	}
	presign := &backoff.ConstantBackoff{}
	pages := &backoff.Pager{MaxPages: 10}
	_, _, _ = bo, presign, pages
	return nil
}

func (d *Driver) process(ctx context.Context, bo *backoff.ConstantBackoff, send func() error) error {
	err := send()
	if err != nil {
		if err != context.Canceled && bo.Next(err) {
			return d.process(ctx, bo, send)
		}
		return err
	}
	return nil
}
'''


def test_a_project_backoff_type_counting_tries_against_a_field_is_a_retry_where_it_is_built(tmp_path):
    found = _scan(tmp_path, {"pkg/backoff/backoff.go": BACKOFF, "pkg/setting/provider.go": SETTINGS,
                             "inventory/setting.go": SEED, "pkg/cos/cos.go": DRIVER})
    retries = [f for f in found if f[2] == "retry"]
    # Max re-tries after the first (`>`): the seeded 5 (not the getter's fallback 3) + 1 = 6, at the Max line
    assert retries == [("pkg/cos/cos.go", 17, "retry", 6)]
    # traps: the empty backoff (no bound set), the pager's MaxPages (no sleep, no `return false` stop),
    # the recursion guarded by bo.Next(err) (the bound is the backoff's)


def test_a_settings_getter_without_a_seeded_value_answers_its_fallback(tmp_path):
    found = _scan(tmp_path, {"pkg/backoff/backoff.go": BACKOFF, "pkg/setting/provider.go": SETTINGS,
                             "pkg/cos/cos.go": DRIVER})
    assert [f for f in found if f[2] == "retry"] == [("pkg/cos/cos.go", 17, "retry", 4)]


SELECTS = '''package job

import (
	"log"
	"time"
)

func (j *Job) watchComet(resolver Resolver) {
	event := resolver.Watch()
	select {
	case _, ok := <-event:
		if ok {
			j.newAddress(resolver.Fetch())
		}
	case <-time.After(10 * time.Second):
		log.Printf("watchComet init instances timeout")
	}
}

func connect(client Client, connected chan struct{}) {
	client.Connect()
	select {
	case <-connected:
		break
	case <-time.After(2 * time.Second):
		logger.Fatal("Failed to connect")
	}
}

func (t *timeoutFuture) Error() error {
	errC := make(chan error)
	go func() { errC <- t.wrapped.Error() }()
	select {
	case e := <-errC:
		return e
	case <-time.After(time.Until(t.deadline)):
		return errors.New("raft operation timed out")
	}
}

func poll(events chan int) {
	for {
		select {
		case e := <-events:
			handle(e)
		case <-time.After(5 * time.Second):
			log.Error("no event for a while: timeout")
		}
	}
}

func pause(events chan int) {
	select {
	case e := <-events:
		handle(e)
	case <-time.After(3 * time.Second):
		log.Error("nothing yet")
	}
}
'''


def test_a_wait_for_a_remote_event_that_ends_the_process_or_logs_its_timeout_is_a_timeout():
    found = _found(SELECTS, "svc/internal/job/job.go")
    # Printf is no error log: only the Fatal case counts
    assert found == [(25, "timeout", 2000)]


def test_an_error_log_naming_the_timeout_gives_up_and_a_deadline_carried_down_is_no_setting():
    source = SELECTS.replace('log.Printf("watchComet', 'log.Error("watchComet')
    found = _found(source, "svc/internal/job/job.go")
    # traps: time.Until(t.deadline) (carried down), a periodic loop logging, an error log not naming a timeout
    assert found == [(15, "timeout", 10000), (25, "timeout", 2000)]


PLUGIN = '''package plugin

import (
	"context"
	"net/http"
	"time"

	"example.com/npd/pkg/util"
)

func (p *Plugin) run(rule Rule) string {
	var ctx context.Context
	var cancel context.CancelFunc
	if rule.Timeout != nil && *rule.Timeout < *p.global {
		ctx, cancel = context.WithTimeout(context.Background(), *rule.Timeout)
	} else {
		ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	}
	defer cancel()
	cmd := util.Exec(ctx, rule.Path, rule.Args...)
	select {
	case <-ctx.Done():
		if ctx.Err() == context.Canceled {
			return ""
		}
	default:
	}
	return cmd.String()
}

func (p *Plugin) probe(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	_, err := http.DefaultClient.Do(req)
	return err
}
'''


def test_a_context_handed_only_to_the_project_exec_helper_bounds_a_local_process():
    found = _found(PLUGIN, "npd/pkg/plugin/plugin.go")
    # trap beside it: a context handed to an HTTP request stays a timeout
    assert found == [(32, "timeout", 3000)]


KMSG = '''package kmsg

import (
	"time"

	"github.com/euank/go-kmsg-parser/v2/kmsgparser"
	"k8s.io/klog/v2"
)

type watcher struct {
	newParser func() (kmsgparser.Parser, error)
	tomb      *Tomb
}

func New() *watcher {
	return &watcher{newParser: kmsgparser.NewParser}
}

func (k *watcher) restart() (<-chan kmsgparser.Message, bool) {
	for {
		parser, err := k.newParser()
		if err != nil {
			klog.Errorf("Failed to create new kmsg parser, retrying: %v", err)
		} else if seekErr := parser.SeekEnd(); seekErr != nil {
			parser.Close()
		} else {
			return parser.Parse(), true
		}
		select {
		case <-k.tomb.Stopping():
			return nil, false
		case <-time.After(5 * time.Second):
		}
	}
}

func (k *watcher) fetch(c Client) error {
	for {
		err := c.Get()
		if err == nil {
			return nil
		}
		select {
		case <-k.tomb.Stopping():
			return err
		case <-time.After(5 * time.Second):
		}
	}
}
'''


def test_a_loop_restarting_a_kernel_log_parser_retries_no_remote_call():
    found = _found(KMSG, "npd/pkg/kmsg/watcher.go")
    assert not any(line < 36 for line, kind, _ in found)
    assert (38, "retry", None) in found  # trap: the same loop around a client's call is a retry


GLIDER_MAIN = '''package main

import (
	"context"
	"net"
	"time"

	"example.com/glider/dns"
)

func main() {
	if config.DNS != "" {
		d, _ := dns.NewServer(config.DNS, nil)
		d.Start()
		net.DefaultResolver = &net.Resolver{
			Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
				d := net.Dialer{Timeout: time.Second * 3}
				return d.DialContext(ctx, "udp", config.DNS)
			},
		}
	}
	upstream := net.Dialer{Timeout: time.Second * 5}
	upstream.DialContext(context.Background(), "tcp", config.Upstream)
}
'''


def test_a_dialer_pointed_at_the_process_own_listener_is_no_timeout():
    found = _found(GLIDER_MAIN, "svc/main.go")
    assert found == [(22, "timeout", 5000)]  # trap: a dialer to another address stays


RELAY = '''package tproxy

import (
	"net"
	"time"
)

func (s *TProxy) serveSession(session *session) {
	dstPC, err := net.ListenUDP("udp", nil)
	dstPC, _, err = s.proxy.DialUDP("udp", session.dst.String())
	if err != nil {
		return
	}
	go func() {
		timeout, step := 2*time.Minute, 5*time.Second
		buf := make([]byte, 2048)
		for {
			dstPC.SetReadDeadline(time.Now().Add(timeout))
			n, _, err := dstPC.ReadFrom(buf)
			if err != nil {
				break
			}
			srcPC, _ := ListenPacket(session.src)
			srcPC.WriteTo(buf[:n], session.src)
		}
		_ = step
	}()
}

func query(addr string) error {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	conn.Write([]byte("q"))
	conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 512)
	_, err = conn.Read(buf)
	return err
}
'''


def test_a_read_deadline_in_a_relay_loop_is_an_idle_bound_not_a_call_timeout():
    found = _found(RELAY, "svc/proxy/tproxy/server.go")
    assert found == [(36, "timeout", 3000)]  # trap: a read deadline after a query stays


GLIDER_CONFIG = '''package main

import (
	"flag"

	"example.com/svc/dns"
)

type Config struct {
	DNS       string
	DNSConfig dns.Config
}

var conf Config

func parse() {
	flag.IntVar(&conf.DNSConfig.Timeout, "dnstimeout", 3, "timeout (seconds)")
}
'''

DNS_CLIENT = '''package dns

import (
	"net"
	"time"
)

type Config struct {
	Timeout int
}

type Client struct {
	config *Config
}

func (c *Client) exchange(server string) error {
	rc, err := net.Dial("udp", server)
	if err != nil {
		return err
	}
	rc.SetDeadline(time.Now().Add(time.Duration(c.config.Timeout) * time.Second))
	return nil
}
'''


def test_a_flag_default_of_a_field_of_another_package_type_reaches_that_package(tmp_path):
    found = _scan(tmp_path, {"config.go": GLIDER_CONFIG, "dns/client.go": DNS_CLIENT})
    assert ("dns/client.go", 21, "timeout", 3000) in found


def test_an_error_log_of_a_timed_out_stop_is_a_grace_period():
    source = SELECTS.replace('log.Printf("watchComet init instances timeout")',
                             'log.Warn("timed out waiting for the alert monitor to stop")')
    assert _found(source, "svc/internal/job/job.go") == [(25, "timeout", 2000)]


CONSUMER = '''package main

import (
	"context"
	"time"

	kafka "github.com/segmentio/kafka-go"
)

func consume(reader *kafka.Reader, ctx context.Context, fatal chan struct{}) {
	const maxConsecutiveFetchErrors = 10
	consecutiveFetchErrors := 0
	for {
		m, err := reader.FetchMessage(ctx)
		if err != nil {
			consecutiveFetchErrors++
			if consecutiveFetchErrors >= maxConsecutiveFetchErrors {
				fatal <- struct{}{}
				break
			}
			timer := time.NewTimer(2 * time.Second)
			<-timer.C
			continue
		}
		consecutiveFetchErrors = 0
		if err := process(m); err != nil {
			fatal <- struct{}{}
			break
		}
	}
}

func dialer() *kafka.Dialer {
	return &kafka.Dialer{
		Timeout:   10 * time.Second,
		DualStack: true,
	}
}
'''


def test_a_consume_loop_giving_up_after_consecutive_failed_calls_is_a_retry_budget_and_a_dialer_timeout_connects():
    found = _found(CONSUMER, "svc/cmd/consumer/consumer.go")
    assert found == [(17, "retry", 10), (35, "timeout", 10000)]
    result = EXTRACTOR.extract("svc/cmd/consumer/consumer.go", CONSUMER.encode())
    assert [f.attributes["phase"] for f in result.findings if f.line == 35] == ["connect"]
    # trap: without the reset on success it is no budget of consecutive failures
    unreset = CONSUMER.replace("\t\tconsecutiveFetchErrors = 0\n", "")
    assert not any(kind == "retry" for _, kind, _ in _found(unreset, "svc/cmd/consumer/consumer.go"))


REGISTRAR = '''package repository

import (
	"context"
	"database/sql"
	"time"

	"example.com/svc/internal/config"
)

type SqlConnectionRegistrar struct {
	database     *sql.DB
	queryTimeout time.Duration
}

func NewSqlConnectionRegistrar(cfg *config.Config, database *sql.DB) *SqlConnectionRegistrar {
	return &SqlConnectionRegistrar{database: database, queryTimeout: cfg.ConnectionDatabaseQueryTimeout}
}

func (scm *SqlConnectionRegistrar) Register(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, scm.queryTimeout)
	defer cancel()
	_, err := scm.database.ExecContext(ctx, "INSERT ...")
	return err
}
'''

VIPER_CONFIG = '''package config

import (
	"time"

	"github.com/spf13/viper"
)

const CONNECTION_DATABASE_QUERY_TIMEOUT = "Connection_Database_Query_Timeout"

type Config struct {
	ConnectionDatabaseQueryTimeout time.Duration
}

func GetConfig() *Config {
	options := viper.New()
	options.SetDefault(CONNECTION_DATABASE_QUERY_TIMEOUT, 5)
	return &Config{
		ConnectionDatabaseQueryTimeout: options.GetDuration(CONNECTION_DATABASE_QUERY_TIMEOUT) * time.Second,
	}
}
'''


def test_a_constructor_field_copied_from_another_package_config_type_takes_its_default(tmp_path):
    found = _scan(tmp_path, {"internal/repository/registrar.go": REGISTRAR, "internal/config/config.go": VIPER_CONFIG})
    assert ("internal/repository/registrar.go", 21, "timeout", 5000) in found


LIFT_CONFIG = '''package server

import "time"

const defaultActivityStreamPublishTimeout = 5 * time.Second

type ActivityStreamConfig struct {
	Enabled        bool
	PublishTimeout time.Duration
}

type Config struct {
	Port           int
	ActivityStream ActivityStreamConfig
}

func NewDefaultConfig() *Config {
	config := &Config{Port: 9292}
	config.ActivityStream.PublishTimeout = defaultActivityStreamPublishTimeout
	return config
}
'''

LIFT_RAFT = '''package server

import (
	"context"
	"time"

	natslog "github.com/liftbridge-io/nats-on-a-log"
)

const defaultRaftApplyTimeout = 5 * time.Second

type activityManager struct {
	config *Config
}

func (a *activityManager) publish(data []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), a.config.ActivityStream.PublishTimeout)
	defer cancel()
	return a.send(ctx, data)
}

func (s *Server) transport() error {
	_, err := natslog.NewNATSTransport(s.id, "raft.", s.nc, 2*time.Second, nil)
	return err
}

func computeDeadline(ctx context.Context) time.Time {
	deadline, ok := ctx.Deadline()
	if ok {
		return deadline
	}
	return time.Now().Add(defaultRaftApplyTimeout)
}

func expiry() time.Time {
	return time.Now().Add(time.Hour)
}
'''


def test_defaults_assigned_to_nested_fields_in_a_defaults_function_a_raft_transport_and_a_fallback_deadline(tmp_path):
    found = _scan(tmp_path, {"server/config.go": LIFT_CONFIG, "server/raft.go": LIFT_RAFT})
    assert ("server/raft.go", 17, "timeout", 5000) in found
    assert ("server/raft.go", 23, "timeout", 2000) in found
    assert ("server/raft.go", 32, "timeout", 5000) in found
    # trap: time.Now().Add(d) without a caller's deadline to fall back from (an expiry) is no timeout
    assert not any(f[1] == 36 for f in found if f[0] == "server/raft.go")


def test_a_command_own_example_toml_is_read_as_its_config():
    from extractors.goconfig.extractor import is_go_config
    assert is_go_config("cmd/logic/logic-example.toml")
    assert is_go_config("cmd/comet/comet.toml")
    assert not is_go_config("cmd/logic/other.toml")  # not named for the command
    assert not is_go_config("pkg/logic/logic-example.toml")  # not a command's folder


DAO = '''package dao

import (
	"time"

	"github.com/gomodule/redigo/redis"
	"example.com/goim/internal/logic/conf"
)

func newRedis(c *conf.Redis) (redis.Conn, error) {
	return redis.Dial(c.Network, c.Addr,
		redis.DialConnectTimeout(time.Duration(c.DialTimeout)),
		redis.DialReadTimeout(time.Duration(c.ReadTimeout)),
	)
}
'''

CONF = '''package conf

import xtime "example.com/goim/pkg/time"

type Config struct {
	Redis *Redis
}

type Redis struct {
	Network     string
	Addr        string
	DialTimeout xtime.Duration
	ReadTimeout xtime.Duration
}
'''

TOML = '''[redis]
    network = "tcp"
    addr = "127.0.0.1:6379"
    dialTimeout = "200ms"
    readTimeout = "500ms"
'''


def test_a_section_typed_parameter_reads_its_keys_from_the_command_toml(tmp_path):
    found = _scan(tmp_path, {"internal/logic/dao/dao.go": DAO, "internal/logic/conf/conf.go": CONF,
                             "cmd/logic/logic-example.toml": TOML})
    assert ("internal/logic/dao/dao.go", 12, "timeout", 200) in found
    assert ("internal/logic/dao/dao.go", 13, "timeout", 500) in found


WS_CLOSE = '''package rpc

import (
	"context"
	"time"

	"github.com/gorilla/websocket"
)

func (h *handler) serve(ctx context.Context, addr string) {
	conn, _, err := websocket.DefaultDialer.Dial(addr, nil)
	if err != nil {
		return
	}
	conn.SetWriteDeadline(time.Now().Add(3 * time.Second))
	conn.WriteJSON(request{})
	<-ctx.Done()
	conn.SetWriteDeadline(time.Now().Add(time.Second))
	conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
}
'''


def test_a_write_deadline_for_the_close_frame_at_shutdown_is_no_timeout():
    found = _found(WS_CLOSE, "svc/pkg/rpc/call.go")
    assert (18, "timeout", 1000) not in found
    assert not any(line == 18 for line, _, _ in found)
