"""Round 18 (held-out sets coredns, openfga, jitsu-bulker, flux-source-controller, nsq,
distribution-registry, permify): a CRD field's `+kubebuilder:default` marker and a getter that returns
the setting when given else a default (Flux), deadlines on a connection field a dial filled, delay
schedules whose sleep scales the delay, `for range N` re-sends without a sleep; with the traps beside
each."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.go.extractor import EXTRACTOR


def _found(source: str, path: str = "svc/pkg/client/x.go") -> list[tuple]:
    result = EXTRACTOR.extract(path, source.encode("utf-8"))
    return sorted((f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry") and f.detector != "go.wrapper_call")


def _scan(tmp_path: Path, files: dict[str, str]) -> list[tuple]:
    svc = tmp_path / "svc"
    for rel, text in files.items():
        target = svc / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (svc / "go.mod").write_text("module example.com/svc\n\ngo 1.26\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.split("/", 1)[1], f.line, f.kind,
                   f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry"))


CRD_TYPES = '''package v1

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type BucketSpec struct {
	// Timeout for fetch operations, defaults to 60s.
	// +kubebuilder:default="60s"
	// +kubebuilder:validation:Type=string
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// Interval at which the bucket is reconciled.
	// +required
	Interval metav1.Duration `json:"interval"`
}

type Bucket struct {
	Spec BucketSpec `json:"spec,omitempty"`
}

type HelmRepositorySpec struct {
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`
}

type HelmRepository struct {
	Spec HelmRepositorySpec `json:"spec,omitempty"`
}

// GetTimeout returns the timeout of the repository's operations.
func (in HelmRepository) GetTimeout() time.Duration {
	if in.Spec.Timeout != nil {
		return in.Spec.Timeout.Duration
	}
	return time.Minute
}

// GetInterval returns the interval, or zero: no default to read.
func (in HelmRepository) GetInterval() time.Duration {
	if in.Spec.Timeout != nil {
		return 0
	}
	return time.Hour
}
'''

CRD_CONTROLLER = '''package controller

import (
	"context"

	v1 "example.com/svc/api/v1"
)

func (r *BucketReconciler) reconcileSource(ctx context.Context, obj *v1.Bucket) error {
	ctxTimeout, cancel := context.WithTimeout(ctx, obj.Spec.Timeout.Duration)
	defer cancel()
	return r.provider.List(ctxTimeout, obj)
}

func (r *HelmReconciler) build(ctx context.Context, repo *v1.HelmRepository) error {
	ctxTimeout, cancel := context.WithTimeout(ctx, repo.GetTimeout())
	defer cancel()
	return r.getter.Get(ctxTimeout, repo)
}

func (r *HelmReconciler) wait(ctx context.Context, repo *v1.HelmRepository) error {
	ctxTimeout, cancel := context.WithTimeout(ctx, repo.GetInterval())
	defer cancel()
	return r.getter.Get(ctxTimeout, repo)
}
'''


def test_kubebuilder_default_marker_values_a_spec_timeout_and_a_getter_values_its_fallback(tmp_path):
    found = _scan(tmp_path, {"api/v1/types.go": CRD_TYPES, "internal/controller/c.go": CRD_CONTROLLER})
    assert ("internal/controller/c.go", 10, "timeout", 60000) in found  # +kubebuilder:default="60s"
    assert ("internal/controller/c.go", 16, "timeout", 60000) in found  # GetTimeout(): time.Minute unless set
    # the trap: a getter whose branch answers something else than the setting gives no default
    assert ("internal/controller/c.go", 22, "timeout", 3600000) not in found


def test_a_field_without_a_marker_or_with_another_marker_gets_no_default(tmp_path):
    types = CRD_TYPES.replace('// +kubebuilder:default="60s"', "// +kubebuilder:validation:Pattern=s")
    found = _scan(tmp_path, {"api/v1/types.go": types, "internal/controller/c.go": CRD_CONTROLLER})
    assert ("internal/controller/c.go", 10, "timeout", 60000) not in found
    # a marker in a comment that is not right above the field (a blank line between) is not the field's
    detached = CRD_TYPES.replace('\t// +optional\n\tTimeout *metav1.Duration `json:"timeout,omitempty"`\n\n\t// Interval',
                                 '\t// +optional\n\n\tTimeout *metav1.Duration `json:"timeout,omitempty"`\n\n\t// Interval', 1)
    assert detached != CRD_TYPES
    found = _scan(tmp_path / "b", {"api/v1/types.go": detached, "internal/controller/c.go": CRD_CONTROLLER})
    assert ("internal/controller/c.go", 10, "timeout", 60000) not in found


PEER = '''package nsqd

import (
	"net"
	"time"
)

type lookupPeer struct {
	addr string
	conn net.Conn
}

func (lp *lookupPeer) Connect() error {
	conn, err := net.DialTimeout("tcp", lp.addr, time.Second)
	if err != nil {
		return err
	}
	lp.conn = conn
	return nil
}

func (lp *lookupPeer) Read(data []byte) (int, error) {
	lp.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	return lp.conn.Read(data)
}

func (lp *lookupPeer) Write(data []byte) (int, error) {
	lp.conn.SetWriteDeadline(time.Now().Add(3 * time.Second))
	return lp.conn.Write(data)
}
'''

POOLED = '''package proxy

import "time"

func (p *Proxy) Connect(proto string, msg []byte) error {
	pc, cached, err := p.transport.Dial(proto)
	if err != nil {
		return err
	}
	_ = cached
	pc.c.SetWriteDeadline(time.Now().Add(2 * time.Second))
	if _, err := pc.c.Write(msg); err != nil {
		return err
	}
	pc.c.SetReadDeadline(time.Now().Add(4 * time.Second))
	_, err = pc.c.Read(msg)
	return err
}
'''

SERVER_SIDE = '''package nsqd

import (
	"net"
	"time"
)

type client struct {
	conn net.Conn
}

func (p *protocol) IOLoop(listener net.Listener) error {
	conn, err := listener.Accept()
	if err != nil {
		return err
	}
	c := &client{}
	c.conn = conn
	c.conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	return nil
}

func (s *session) Flush(t time.Duration) {
	s.conn.SetWriteDeadline(time.Now().Add(t))
}
'''


def test_deadlines_on_a_connection_field_a_dial_filled_are_read_and_write_timeouts():
    assert _found(PEER) == [(14, "timeout", 1000), (23, "timeout", 2000), (28, "timeout", 3000)]
    assert _found(POOLED) == [(11, "timeout", 2000), (15, "timeout", 4000)]


def test_deadlines_on_an_accepted_or_unknown_connection_field_are_not_reported():
    # the traps: a field filled from an accepted connection (an inbound client), one never filled here
    assert _found(SERVER_SIDE) == []


SCHEDULE = '''package api_based

import (
	"bytes"
	"net/http"
	"time"
)

var retryDelaysMs = [5]int{100, 200, 200, 500, 0}

func (mp *Mixpanel) send(body []byte) (status int, err error) {
	for _, retryDelayMs := range retryDelaysMs {
		var res *http.Response
		res, err = mp.httpClient.Post(mp.url, "application/json", bytes.NewReader(body))
		if err != nil {
			time.Sleep(time.Duration(retryDelayMs) * time.Millisecond)
			continue
		}
		if res.StatusCode == 502 || res.StatusCode == 503 {
			time.Sleep(time.Duration(retryDelayMs) * time.Millisecond)
			continue
		}
		return res.StatusCode, nil
	}
	return 0, err
}

func (mp *Mixpanel) sendAll(batches [][]byte, pauses []int) {
	for _, batch := range batches {
		if _, err := mp.send(batch); err == nil {
			return
		}
		time.Sleep(time.Duration(len(batch)) * time.Millisecond)
	}
	for _, retryDelayMsX := range pauses {
		_ = mp.flush()
		time.Sleep(time.Duration(retryDelayMs) * time.Millisecond)
		_ = retryDelayMsX
	}
}
'''


def test_a_delay_schedule_whose_sleep_scales_the_delay_tries_once_per_delay():
    found = _found(SCHEDULE)
    assert (12, "retry", 5) in found
    # the traps: a walk over items that sleeps by the item's size, a loop whose sleep names another variable
    assert [f for f in found if f[0] in (29, 35)] == []


NOTIFY = '''package transfer

import "github.com/miekg/dns"

func sendNotify(c *dns.Client, m *dns.Msg, s string) error {
	var err error
	var ret *dns.Msg
	code := dns.RcodeServerFailure
	for range 3 {
		ret, _, err = c.Exchange(m, s)
		if err != nil {
			continue
		}
		code = ret.Rcode
		if code == dns.RcodeSuccess {
			return nil
		}
	}
	return err
}

func readAll(c *dns.Client, m *dns.Msg, servers []string) int {
	n := 0
	for range 3 {
		ret, _, err := c.Exchange(m, servers[n])
		if err != nil {
			continue
		}
		if ret.Rcode == dns.RcodeRefused {
			return n
		}
	}
	return n
}
'''


def test_a_counted_resend_that_goes_round_on_error_and_leaves_on_an_accepted_answer_is_a_retry():
    found = _found(NOTIFY)
    assert (9, "retry", 3) in found
    # the trap: a last branch that gives up on a refusal is no exit on success
    assert [f for f in found if f[0] == 23] == []
