"""Round 20 (Go second-wave fixes): shapes from the held-out sets ghostferry, litestream, tinode-chat, zoekt."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.go.test_round18 import _scan


def _at(found: list[tuple], path: str) -> list[tuple]:
    return [f[1:] for f in found if f[0] == path]


# --- config defaults filled in a Validate method, copied into struct fields (ghostferry) --------------------

GF_CONFIG = '''package ghostferry

type DatabaseConfig struct {
	Host string
}

func (c *DatabaseConfig) Validate() error {
	if c.Host == "" {
		c.Host = "localhost"
	}
	return nil
}

type Config struct {
	DBWriteRetries    int
	DBReadRetries     int
	MaxCutoverRetries int
}

func (c *Config) ValidateConfig() error {
	if c.DBWriteRetries == 0 {
		c.DBWriteRetries = 5
	}
	if c.DBReadRetries == 0 {
		c.DBReadRetries = 60
	}
	if c.MaxCutoverRetries == 0 {
		c.MaxCutoverRetries = 1
	}
	return nil
}
'''

GF_UTILS = '''package ghostferry

import "time"

func WithRetries(maxRetries int, sleep time.Duration, verb string, f func() error) (err error) {
	try := 1
	for {
		err = f()
		if err == nil {
			return err
		}
		if maxRetries != 0 && try >= maxRetries {
			break
		}
		try++
		time.Sleep(sleep)
	}
	return err
}
'''

GF_FERRY = '''package ghostferry

import "time"

type Ferry struct {
	*Config
	BatchWriter *BatchWriter
	Cursor      *CursorConfig
}

func (f *Ferry) Initialize() {
	f.BatchWriter = &BatchWriter{
		WriteRetries: f.Config.DBWriteRetries,
	}
	f.Cursor = &CursorConfig{
		ReadRetries: f.Config.DBReadRetries,
	}
}

func (f *Ferry) Cutover() error {
	return WithRetries(f.Config.MaxCutoverRetries, time.Second, "get cutover lock", func() error {
		return nil
	})
}
'''

GF_WRITER = '''package ghostferry

import "time"

type BatchWriter struct {
	WriteRetries int
}

func (w *BatchWriter) Write() error {
	return WithRetries(w.WriteRetries, time.Second, "write batch", func() error {
		return nil
	})
}
'''

GF_CURSOR = '''package ghostferry

import "time"

type CursorConfig struct {
	ReadRetries int
}

func (c *CursorConfig) NewCursor() *Cursor {
	return &Cursor{CursorConfig: *c}
}

type Cursor struct {
	CursorConfig
	Table string
}

func (c *Cursor) Each() error {
	return WithRetries(c.ReadRetries, time.Second, "fetch rows", func() error {
		return nil
	})
}
'''


def test_validate_defaults_reach_fields_copied_from_config(tmp_path: Path) -> None:
    found = _scan(tmp_path, {"config.go": GF_CONFIG, "utils.go": GF_UTILS, "ferry.go": GF_FERRY,
                             "batch_writer.go": GF_WRITER, "cursor.go": GF_CURSOR})
    assert ("retry", 5) in [(k, v) for line, k, v in _at(found, "batch_writer.go") if line == 10]
    assert ("retry", 60) in [(k, v) for line, k, v in _at(found, "cursor.go") if line == 19]
    assert ("retry", 1) in [(k, v) for line, k, v in _at(found, "ferry.go") if line == 21]


def test_validate_default_of_another_type_is_not_borrowed(tmp_path: Path) -> None:
    # trap: the fill is in a method of DatabaseConfig (also receiver `c`), for a field of another name
    other = GF_CONFIG.replace("MaxCutoverRetries == 0", "MaxCutoverRetries < 0")
    found = _scan(tmp_path, {"config.go": other, "utils.go": GF_UTILS, "ferry.go": GF_FERRY,
                             "batch_writer.go": GF_WRITER, "cursor.go": GF_CURSOR})
    assert [v for line, k, v in _at(found, "ferry.go") if line == 21 and k == "retry"] == [None]


# --- an env-with-default getter copied through a server field into an unexported config type (zoekt) --------

ZK_MAIN = '''package main

import (
	"context"
	"os"
	"time"
)

func getEnvWithDefaultDuration(k string, defaultVal time.Duration) time.Duration {
	v := os.Getenv(k)
	if v == "" {
		return defaultVal
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return defaultVal
	}
	return d
}

type Server struct {
	timeout time.Duration
}

func newServer() *Server {
	indexingTimeout := getEnvWithDefaultDuration("INDEXING_TIMEOUT", defaultIndexingTimeout)
	return &Server{timeout: indexingTimeout}
}

func (s *Server) Index(ctx context.Context) error {
	c := gitIndexConfig{
		timeout: s.timeout,
	}
	return gitIndex(ctx, c)
}
'''

ZK_INDEX = '''package main

import (
	"context"
	"net/http"
	"time"
)

const defaultIndexingTimeout = 1*time.Hour + 30*time.Minute

type gitIndexConfig struct {
	timeout time.Duration
}

func gitIndex(ctx context.Context, c gitIndexConfig) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://sourcegraph/api", nil)
	_, err := http.DefaultClient.Do(req)
	return err
}
'''


def test_env_default_through_server_field_into_unexported_type(tmp_path: Path) -> None:
    found = _scan(tmp_path, {"cmd/indexserver/main.go": ZK_MAIN, "cmd/indexserver/index.go": ZK_INDEX})
    assert (16, "timeout", 5400000) in _at(found, "cmd/indexserver/index.go")


# --- a job context run through commands: a network fetch is a call's budget, a local run is not (zoekt) -----

ZK_DYNAMIC = '''package main

import (
	"context"
	"flag"
	"os/exec"
	"time"
)

type Options struct {
	repoDir      string
	indexTimeout time.Duration
}

var executeCmd = func(ctx context.Context, name string, arg ...string) error {
	return exec.CommandContext(ctx, name, arg...).Run()
}

func indexRepository(opts Options, url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), opts.indexTimeout)
	defer cancel()
	if err := executeCmd(ctx, "zoekt-git-clone", "-dest", opts.repoDir, url); err != nil {
		return err
	}
	args := []string{"-C", opts.repoDir, "fetch"}
	if err := executeCmd(ctx, "git", args...); err != nil {
		return err
	}
	return executeCmd(ctx, "zoekt-git-index", opts.repoDir)
}

func localIndex(opts Options) error {
	ctx, cancel := context.WithTimeout(context.Background(), opts.indexTimeout)
	defer cancel()
	if err := executeCmd(ctx, "git", "-C", opts.repoDir, "gc"); err != nil {
		return err
	}
	return executeCmd(ctx, "zoekt-git-index", opts.repoDir)
}

func parseOptions() Options {
	repoDir := flag.String("repo_dir", "", "directory holding cloned repos.")
	timeout := flag.Duration("index_timeout", time.Hour, "kill index job after this much time.")
	flag.Parse()
	return Options{
		repoDir:      *repoDir,
		indexTimeout: *timeout,
	}
}
'''


def test_job_context_over_network_git_is_reported_local_run_is_not(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"cmd/dyn/main.go": ZK_DYNAMIC}), "cmd/dyn/main.go")
    assert (20, "timeout", 3600000) in got
    assert not [f for f in got if f[0] == 33]  # `git gc` and a local index run: local work


# --- a retry counter counted and checked in a method, a wait before the caller tries again (litestream) ------

LS_READER = '''package internal

import (
	"context"
	"errors"
	"io"
	"time"
)

const resumableReaderMaxRetries = 3
const resumableReaderBackoff = 100 * time.Millisecond

type ResumableReader struct {
	ctx    context.Context
	rc     io.ReadCloser
	retryN int
	err    error
	seen   int
}

func (r *ResumableReader) retry(err error) error {
	r.retryN++
	if r.retryN > resumableReaderMaxRetries {
		r.err = err
		return r.err
	}
	select {
	case <-r.ctx.Done():
		return r.ctx.Err()
	case <-time.After(resumableReaderBackoff << (r.retryN - 1)):
	}
	return nil
}

func (r *ResumableReader) count(err error) error {
	r.retryN++
	if r.retryN > resumableReaderMaxRetries {
		return errors.New("too many")
	}
	return nil
}
'''


def test_counted_retry_method_with_wait_is_a_retry(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"internal/reader.go": LS_READER}), "internal/reader.go")
    assert (23, "retry", 4) in got
    assert not [f for f in got if f[0] == 37]  # counted but no wait: a bookkeeping bound, not a retry


# --- a project struct's stored copy of the timeout beside the real http.Client (litestream) -----------------

LS_HEARTBEAT = '''package litestream

import (
	"net/http"
	"time"
)

const DefaultHeartbeatTimeout = 30 * time.Second

type HeartbeatClient struct {
	httpClient *http.Client
	URL        string
	Timeout    time.Duration
}

func NewHeartbeatClient(url string) *HeartbeatClient {
	timeout := DefaultHeartbeatTimeout
	return &HeartbeatClient{
		URL:     url,
		Timeout: timeout,
		httpClient: &http.Client{
			Timeout: timeout,
		},
	}
}

type PingClient struct {
	URL     string
	Timeout time.Duration
}

func NewPingClient(url string) *PingClient {
	return &PingClient{URL: url, Timeout: 5 * time.Second}
}
'''


def test_stored_copy_beside_http_client_is_not_reported(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"heartbeat.go": LS_HEARTBEAT}), "heartbeat.go")
    assert (22, "timeout", 30000) in got
    assert not [f for f in got if f[0] == 20]


# --- database driver options assigned from config on a `var opts T` value (tinode) ------------------------

TN_RETHINK = '''package rethinkdb

import (
	"time"

	rdb "gopkg.in/rethinkdb/rethinkdb-go.v6"
)

type configType struct {
	Timeout      int `json:"timeout,omitempty"`
	ReadTimeout  int `json:"read_timeout,omitempty"`
	NumRetries   int `json:"max_retries,omitempty"`
	retryCounter int
}

func open(config configType) (*rdb.Session, error) {
	var opts rdb.ConnectOpts
	opts.Timeout = time.Duration(config.Timeout) * time.Second
	opts.ReadTimeout = time.Duration(config.ReadTimeout) * time.Second
	opts.NumRetries = config.NumRetries
	var local configType
	local.NumRetries = 3
	return rdb.Connect(opts)
}
'''


def test_var_declared_driver_options_are_read(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"db/rethinkdb/adapter.go": TN_RETHINK}), "db/rethinkdb/adapter.go")
    assert (18, "timeout", None) in got
    assert (19, "timeout", None) in got
    assert (20, "retry", None) in got
    assert not [f for f in got if f[0] == 22]  # the project's own config type: not a driver's option


TN_MONGO = '''package mongodb

import (
	"context"

	mdb "go.mongodb.org/mongo-driver/mongo"
	mdbopts "go.mongodb.org/mongo-driver/mongo/options"
)

func open(ctx context.Context, replicaSet string) (*mdb.Client, error) {
	var opts mdbopts.ClientOptions
	if replicaSet != "" {
		opts.SetReplicaSet(replicaSet)
		opts.SetRetryWrites(true)
	} else {
		// Retriable writes are not supported in a standalone instance.
		opts.SetRetryWrites(false)
	}
	return mdb.Connect(ctx, &opts)
}
'''


def test_mongo_retry_writes_off_is_one_try(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"db/mongodb/adapter.go": TN_MONGO}), "db/mongodb/adapter.go")
    assert (17, "retry", 1) in got
    assert not [f for f in got if f[0] == 14]  # `true`: the driver's default, not reported


# --- a fallback followed by one more call is no retry (tinode) ----------------------------------------------

TN_FALLBACKS = '''package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"
)

type adapter struct {
	db         *pgxpool.Pool
	poolConfig *pgxpool.Config
}

func isMissingDb(err error) bool { return err != nil }
func isDuplicateErr(err error) bool { return errors.Is(err, errDup) }

var errDup = errors.New("dup")

func (a *adapter) Open(ctx context.Context) error {
	var err error
	a.db, err = pgxpool.NewWithConfig(ctx, a.poolConfig)
	if err != nil {
		return err
	}
	err = a.db.Ping(ctx)
	if isMissingDb(err) {
		a.db.Close()
		a.poolConfig.ConnConfig.Database = ""
		a.db, err = pgxpool.NewWithConfig(ctx, a.poolConfig)
		if err != nil {
			return err
		}
		err = a.db.Ping(ctx)
	}
	return err
}

func (a *adapter) deviceInsert(ctx context.Context, id string) error {
	_, err := a.db.Exec(ctx, "INSERT INTO devices VALUES ($1)", id)
	return err
}

func (a *adapter) DeviceUpsert(ctx context.Context, id string) error {
	err := a.deviceInsert(ctx, id)
	if isDuplicateErr(err) {
		if _, err = a.db.Exec(ctx, "DELETE FROM devices WHERE id = $1", id); err != nil {
			return err
		}
		return a.deviceInsert(ctx, id)
	}
	return err
}

func (a *adapter) Send(ctx context.Context, id string) error {
	err := a.deviceInsert(ctx, id)
	if err != nil {
		err = a.deviceInsert(ctx, id)
	}
	return err
}
'''


def test_fallback_then_call_again_is_no_retry(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"db/postgres/adapter.go": TN_FALLBACKS}), "db/postgres/adapter.go")
    retries = [f for f in got if f[1] == "retry"]
    assert not [f for f in retries if f[0] in (34, 50)]
    assert (58, "retry", 2) in retries  # the same call made again when it failed: still two tries


# --- a Postgres DSN with one connect_timeout verb: at the call's line (tinode) ------------------------------

TN_DSN = '''package postgres

import "fmt"

type configType struct {
	Host       string
	SqlTimeout int
}

func setConnStr(c configType) string {
	connStr := fmt.Sprintf("postgres://%s/db?sslmode=disable&connect_timeout=%d",
		c.Host,
		c.SqlTimeout)
	return connStr
}
'''


def test_dsn_single_setting_at_call_line(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"db/postgres/dsn.go": TN_DSN}), "db/postgres/dsn.go")
    assert [f[0] for f in got if f[1] == "timeout"] == [11]


# --- a poll whose timeout only means "nothing yet": the loop asks again (ghostferry) ------------------------

GF_STREAMER = '''package ghostferry

import (
	"context"
	"errors"
	"time"
)

type Streamer interface {
	GetEvent(ctx context.Context) (string, error)
}

type BinlogStreamer struct {
	stream Streamer
	stop   bool
}

func (s *BinlogStreamer) Run() error {
	for !s.stop {
		var ev string
		var timedOut bool
		var err error
		func() {
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			ev, err = s.stream.GetEvent(ctx)
			if err == context.DeadlineExceeded {
				timedOut = true
			}
		}()
		if timedOut {
			continue
		}
		if err != nil {
			return err
		}
		_ = ev
	}
	return nil
}

func (s *BinlogStreamer) Fetch() error {
	for !s.stop {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := s.stream.GetEvent(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}
	return nil
}
'''


def test_poll_that_loops_on_timeout_is_not_a_deadline(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"binlog_streamer.go": GF_STREAMER}), "binlog_streamer.go")
    assert not [f for f in got if f[0] == 24]
    assert (44, "timeout", 2000) in got  # the timeout ends the work with an error: a call's budget


# --- a bounded wait on async RPC replies gathered in a counted loop (tinode) --------------------------------

TN_ELECTION = '''package server

import (
	"net/rpc"
	"time"
)

type node struct{ client *rpc.Client }

func (n *node) callAsync(method string, req, resp any, done chan *rpc.Call) *rpc.Call {
	return n.client.Go(method, req, resp, done)
}

type Cluster struct {
	nodes     []*node
	heartBeat time.Duration
}

func (c *Cluster) electLeader() int {
	nodeCount := len(c.nodes)
	expectVotes := nodeCount>>1 + 1
	done := make(chan *rpc.Call, nodeCount)
	for _, n := range c.nodes {
		var resp bool
		n.callAsync("Cluster.Vote", 1, &resp, done)
	}
	voteCount := 1
	timeout := time.NewTimer(c.heartBeat>>1 + c.heartBeat)
	for i := 0; i < nodeCount && voteCount < expectVotes; {
		select {
		case call := <-done:
			if call.Error == nil {
				voteCount++
			}
			i++
		case <-timeout.C:
			i = nodeCount
		}
	}
	return voteCount
}

func (c *Cluster) tick(work chan int) int {
	total := 0
	timer := time.NewTimer(c.heartBeat)
	for i := 0; i < 10; {
		select {
		case v := <-work:
			total += v
			i++
		case <-timer.C:
			i = 10
		}
	}
	return total
}
'''


def test_wait_on_async_rpc_replies_is_bounded(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"server/cluster_leader.go": TN_ELECTION}), "server/cluster_leader.go")
    assert (28, "timeout", None) in got
    assert not [f for f in got if f[0] == 45]  # local work gathered, no request sent: no call's bound


# --- write deadlines on a websocket the server accepted: the inbound side (vikunja) -------------------------

VK_WEBSOCKET = '''package websocket

import (
	"context"
	"time"

	"github.com/coder/websocket"
)

const writeTimeout = 10 * time.Second

type Connection struct {
	conn *websocket.Conn
	send chan []byte
}

func (c *Connection) writeMessageDirect(ctx context.Context, data []byte) {
	writeCtx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	_ = c.conn.Write(writeCtx, websocket.MessageText, data)
}

func (c *Connection) notify(ctx context.Context, url string) error {
	callCtx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return postWebhook(callCtx, url)
}

func postWebhook(ctx context.Context, url string) error { return nil }
'''


def test_inbound_websocket_write_deadline_is_not_reported(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"pkg/websocket/connection.go": VK_WEBSOCKET}), "pkg/websocket/connection.go")
    assert not [f for f in got if f[0] == 18]
    assert (24, "timeout", 10000) in got  # a context handed to another call: still reported


# --- viper keys behind a project Key type with setDefault (vikunja) -----------------------------------------

VK_CONFIG = '''package config

import "github.com/spf13/viper"

type Key string

const (
	OutgoingRequestsTimeoutSeconds Key = `outgoingrequests.timeoutseconds`
	MailerQueueTimeout             Key = `mailer.queuetimeout`
)

func (k Key) GetInt() int {
	return viper.GetInt(string(k))
}

func (k Key) setDefault(i interface{}) {
	viper.SetDefault(string(k), i)
}

func InitDefaultConfig() {
	OutgoingRequestsTimeoutSeconds.setDefault(30)
}
'''

VK_CLIENT = '''package utils

import (
	"net/http"
	"time"

	"example.com/svc/pkg/config"
)

func NewClient() *http.Client {
	return &http.Client{
		Timeout: time.Duration(config.OutgoingRequestsTimeoutSeconds.GetInt()) * time.Second,
	}
}

func NewMailClient() *http.Client {
	return &http.Client{
		Timeout: time.Duration(config.MailerQueueTimeout.GetInt()) * time.Second,
	}
}
'''


def test_key_type_default_reaches_reader(tmp_path: Path) -> None:
    got = _at(_scan(tmp_path, {"pkg/config/config.go": VK_CONFIG, "pkg/utils/httpclient.go": VK_CLIENT}),
              "pkg/utils/httpclient.go")
    assert (12, "timeout", 30000) in got
    assert (18, "timeout", None) in got  # no default set: unresolved, not borrowed
