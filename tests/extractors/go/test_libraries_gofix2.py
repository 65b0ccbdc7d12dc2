"""Round 19, second-wave fixes (gofix2): NATS Streaming / JetStream waits, matryer/try, ch-go's
handshake timeout; and file.d's split-and-resend on HTTP 413 (a bisection, not a retry)."""

from __future__ import annotations

from extractors.go.extractor import EXTRACTOR


def _found(source: str, path: str = "svc/core/x.go") -> list[tuple]:
    result = EXTRACTOR.extract(path, source.encode("utf-8"))
    return sorted((f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
                   f.attributes.get("phase"))
                  for f in result.findings if f.kind in ("timeout", "retry") and f.detector != "go.wrapper_call")


STAN = '''package core

import (
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/stan.go"
)

func connect(nc *nats.Conn, c Config) error {
	_, err := stan.Connect("cluster", "client",
		stan.NatsConn(nc),
		stan.PubAckWait(time.Duration(c.PubAckWait)*time.Millisecond),
		stan.MaxPubAcksInflight(c.MaxPubAcksInflight),
		stan.ConnectWait(2*time.Second),
	)
	var opts []nats.JSOpt
	if c.MaxWait > 0 {
		opts = append(opts, nats.MaxWait(time.Duration(c.MaxWait)*time.Millisecond))
	}
	nopts := []nats.Option{nats.MaxReconnects(c.MaxReconnects), nats.ReconnectWait(time.Second)}
	_, _ = nc.JetStream(opts...)
	_ = nopts
	label := "PubAckWait timeout"
	_ = label
	return err
}
'''


def test_stan_waits_and_jetstream_max_wait():
    got = _found(STAN)
    assert (13, "timeout", None, "total") in got  # PubAckWait from a config field without a default
    assert (15, "timeout", 2000, "connect") in got
    assert (19, "timeout", None, "total") in got  # JetStream MaxWait, applied when configured
    # the library's reconnects of a live connection and their spacing are not labelled; a string is nothing
    assert not [g for g in got if g[0] in (14, 21, 24)]


TRY = '''package aks

import (
	"context"
	"time"

	"gopkg.in/matryer/try.v1"
)

const listPricesMaxRetries = 5

func load(ctx context.Context, c Client) error {
	err := try.Do(func(attempt int) (bool, error) {
		_, err := c.ListPrices(ctx)
		return attempt < listPricesMaxRetries, err
	})
	if err != nil {
		return err
	}
	err = try.Do(func(attempt int) (bool, error) {
		_, err := c.ListPrices(ctx)
		return attempt <= 3, err
	})
	return try.Do(func(n int) (bool, error) {
		return true, c.Ping(ctx)
	})
}

func notTry(retry int) bool {
	return retry < 5
}
'''


def test_matryer_try_counts_the_tries_its_function_allows():
    got = [g for g in _found(TRY) if g[1] == "retry"]
    assert (13, "retry", 5, None) in got
    assert (20, "retry", 4, None) in got
    assert (24, "retry", 10, None) in got  # no comparison: try.MaxRetries
    assert not [g for g in got if g[0] >= 29]  # a variable named retry compared: no retry


CH = '''package clickhouse

import (
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/chpool"
)

func pool(addr string) {
	_, _ = chpool.New(ctx, chpool.Options{
		ClientOptions: ch.Options{
			Address:          addr,
			HandshakeTimeout: time.Minute,
		},
		MaxConnIdleTime: time.Minute,
	})
}
'''


def test_ch_go_handshake_timeout():
    got = _found(CH)
    assert (14, "timeout", 60000, "connect") in got
    assert not [g for g in got if g[0] == 16]  # an idle time bounds no call


SPLIT = '''package http

import "net/http"

func (p *Plugin) sendSplit(left int, right int, begin []int, data []byte) (int, error) {
	if left == right {
		return http.StatusOK, nil
	}
	statusCode, err := p.client.DoTimeout(http.MethodPost, data[begin[left]:begin[right]], p.timeout)
	if err != nil {
		switch statusCode {
		case http.StatusRequestEntityTooLarge:
			if right-left == 1 {
				return statusCode, err
			}
			middle := (left + right) / 2
			statusCode, err = p.sendSplit(left, middle, begin, data)
			if err != nil {
				return statusCode, err
			}
			return p.sendSplit(middle, right, begin, data)
		default:
			return statusCode, err
		}
	}
	return http.StatusOK, nil
}

func (p *Plugin) putRecords(records []Record) error {
	resp, err := p.client.PutRecords(records)
	if err != nil {
		return err
	}
	if resp.FailedCount > 0 {
		var failed []Record
		for i, r := range resp.Records {
			if r.Error != "" {
				failed = append(failed, records[i])
			}
		}
		return p.putRecords(failed)
	}
	return nil
}
'''


def test_a_split_and_resend_on_413_is_no_retry_but_a_resend_of_what_failed_is():
    got = [g for g in _found(SPLIT) if g[1] == "retry"]
    assert not [g for g in got if g[0] in (17, 21)]
    assert [g for g in got if g[0] == 41]


SMPP = '''package smpp

import (
	"time"

	"github.com/fiorix/go-smpp/smpp"
)

func New(cfg Config) *smpp.Transmitter {
	t := &smpp.Transmitter{
		Addr:        cfg.Address,
		RespTimeout: 3 * time.Second,
	}
	t.Bind()
	return t
}
'''


def test_go_smpp_response_timeout():
    assert (12, "timeout", 3000, "total") in _found(SMPP)


REDELIVERED = '''package fluxmq

import "context"

func (es *store) handle(ctx context.Context, body []byte, redelivered bool, msg delivery) error {
	if err := es.handler.Handle(ctx, body); err != nil {
		if redelivered {
			if rejectErr := msg.Reject(); rejectErr != nil {
				return rejectErr
			}
			return err
		}
		if nackErr := msg.Nack(); nackErr != nil {
			return nackErr
		}
		return err
	}
	if redelivered {
		es.metrics.Redelivered.Inc()
	}
	return msg.Ack()
}

func (es *store) count(msg delivery) {
	if err := es.save(msg); err != nil {
		if msg.Redelivered {
			es.log("redelivered")
		}
		_ = msg.Nack()
	}
}
'''


def test_a_failed_message_rejected_once_redelivered_gets_two_tries():
    got = [g for g in _found(REDELIVERED) if g[1] == "retry"]
    assert (7, "retry", 2, None) in got
    # counting redeliveries (no failure branch, or no reject in the check) is no bound
    assert not [g for g in got if g[0] in (18, 26)]


SOCKET = '''package socket

import (
	"net"

	"example.com/svc/xtime"
)

type data struct{ conn net.Conn }

func (p *Plugin) out(d *data) error {
	if d.conn == nil {
		conn, err := p.dial()
		if err != nil {
			return err
		}
		d.conn = conn
	}
	if p.config.WriteTimeout_ > 0 {
		_ = d.conn.SetWriteDeadline(xtime.GetInaccurateTime().Add(p.writeTimeout))
	}
	if _, err := d.conn.Write(p.buf); err != nil {
		_ = d.conn.Close()
		d.conn = nil
		return err
	}
	return nil
}

func (p *Plugin) dial() (net.Conn, error) {
	return net.Dial("tcp", p.addr)
}

func (p *Plugin) replay(d *data) {
	_ = d.conn.SetReadDeadline(xtime.StartTime(p.first).Add(p.window))
}
'''


def test_a_write_deadline_from_a_project_clock_on_a_connection_reset_to_nil():
    got = _found(SOCKET)
    assert [g for g in got if g[:2] == (20, "timeout") and g[3] == "write"]
    assert not [g for g in got if g[0] == 35]  # an instant other than now: not a deadline from now
