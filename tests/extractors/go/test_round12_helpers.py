"""Round 12, second part (held-out set oathkeeper; round-11 request KEDA): ory/x's resilient client
defaults at its calls, a config getter's fallback handed to a constructor, a select giving up with
context.DeadlineExceeded, a one-word method called on a typed field (`pool.Get(d)`), a receiver
field a constructor filled handed on to a helper, a transport cloned from a typed field, and a
sync.Map keyed by a timeout; with the traps beside each."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _scan(tmp_path: Path, files: dict[str, str]) -> list[tuple]:
    svc = tmp_path / "svc"
    for rel, text in files.items():
        target = svc / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (svc / "go.mod").write_text("module example.com/svc\n\ngo 1.22\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.split("/", 1)[1], f.line, f.kind,
                   f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry"))


ORY = '''package authz

import (
	"net/http"
	"time"

	"github.com/ory/x/httpx"
)

func keto() *http.Client {
	return httpx.NewResilientClient(
		httpx.ResilientClientWithMaxRetryWait(100*time.Millisecond),
		httpx.ResilientClientWithMaxRetry(5),
	).StandardClient()
}

func jwks() *http.Client {
	return httpx.NewResilientClient(
		httpx.ResilientClientWithConnectionTimeout(15 * time.Second),
	).StandardClient()
}

func remote(maxDelay string) (*http.Client, error) {
	duration, err := time.ParseDuration(maxDelay)
	if err != nil {
		return nil, err
	}
	timeout := time.Millisecond * duration
	return httpx.NewResilientClient(
		httpx.ResilientClientWithMaxRetryWait(time.Second),
		httpx.ResilientClientWithConnectionTimeout(timeout),
	).StandardClient(), nil
}

func hydrator(giveUpAfter time.Duration) *http.Client {
	clientOpts := []httpx.ResilientOptions{
		httpx.ResilientClientWithConnectionTimeout(time.Second),
		httpx.ResilientClientWithMaxRetryWait(100 * time.Millisecond),
	}
	return httpx.NewResilientClient(clientOpts...).StandardClient()
}

func passed(opts ...httpx.ResilientOptions) *http.Client {
	return httpx.NewResilientClient(opts...).StandardClient()
}
'''


def test_ory_resilient_client_defaults_at_the_call(tmp_path):
    found = _scan(tmp_path, {"authz/clients.go": ORY})
    # Keto: MaxRetry(5) -> 6 tries; no connection timeout -> ory/x's 1 min default, at the call
    assert ("authz/clients.go", 11, "timeout", 60000) in found
    assert ("authz/clients.go", 13, "retry", 6) in found
    assert not any(f[1] == 11 and f[2] == "retry" for f in found)
    # JWKS: 15 s given; no MaxRetry -> default 4 retries, 5 tries
    assert ("authz/clients.go", 18, "retry", 5) in found
    assert ("authz/clients.go", 19, "timeout", 15000) in found
    assert not any(f[1] == 18 and f[2] == "timeout" for f in found)
    # a timeout parsed from a setting: reported, without a value
    assert ("authz/clients.go", 31, "timeout", None) in found
    assert ("authz/clients.go", 29, "retry", 5) in found
    # options spread from a local slice literal count
    assert ("authz/clients.go", 37, "timeout", 1000) in found
    assert ("authz/clients.go", 40, "retry", 5) in found
    assert not any(f[1] == 40 and f[2] == "timeout" for f in found)
    # options handed in by the caller: nothing can be said at this call
    assert not any(f[1] == 44 for f in found)


ORY_TRAP = '''package authz

import "net/http"

type httpx struct{}

// NewResilientClient of the project's own, not ory/x: no defaults to read.
func (httpx) NewResilientClient() *http.Client { return &http.Client{} }

func own(h httpx) *http.Client { return h.NewResilientClient() }
'''


def test_ory_trap_own_type(tmp_path):
    assert _scan(tmp_path, {"authz/own.go": ORY_TRAP}) == []


FETCHER = '''package credentials

import (
	"context"
	"net/http"
	"time"
)

type FetcherDefault struct {
	cancelAfter time.Duration
	client      *http.Client
}

func NewFetcherDefault(cancelAfter, ttl time.Duration) *FetcherDefault {
	return &FetcherDefault{cancelAfter: cancelAfter, client: &http.Client{}}
}

func (s *FetcherDefault) fetch(ctx context.Context, url string) error {
	done := make(chan struct{})
	go func() {
		_, _ = s.client.Get(url)
		close(done)
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(s.cancelAfter):
		return context.DeadlineExceeded
	case <-done:
		return nil
	}
}
'''

PROVIDER = '''package config

import "time"

type source interface {
	DurationF(key string, d time.Duration) time.Duration
}

type KoanfProvider struct{ source source }

const JwkMaxWait = "authenticators.jwt.config.jwks_max_wait"

func (v *KoanfProvider) AuthenticatorJwtJwkMaxWait() time.Duration {
	return v.source.DurationF(JwkMaxWait, 1*time.Second)
}

func (v *KoanfProvider) AuthenticatorJwtJwkTtl() time.Duration {
	return v.source.DurationF("authenticators.jwt.config.jwks_ttl", 30*time.Second)
}
'''

REGISTRY = '''package driver

import (
	"example.com/svc/config"
	"example.com/svc/credentials"
)

type RegistryMemory struct {
	c *config.KoanfProvider
	f *credentials.FetcherDefault
}

func (r *RegistryMemory) CredentialsFetcher() *credentials.FetcherDefault {
	if r.f == nil {
		r.f = credentials.NewFetcherDefault(r.c.AuthenticatorJwtJwkMaxWait(), r.c.AuthenticatorJwtJwkTtl())
	}
	return r.f
}
'''


def test_getter_fallback_handed_to_a_constructor(tmp_path):
    found = _scan(tmp_path, {"credentials/fetcher.go": FETCHER, "config/provider.go": PROVIDER,
                             "driver/registry.go": REGISTRY})
    # the give-up (`return context.DeadlineExceeded`) bounds the fetch; its value is the getter's fallback
    assert ("driver/registry.go", 15, "timeout", 1000) in found
    # the helper's own line only forwards its constructor's parameter
    assert not any(f[0] == "credentials/fetcher.go" for f in found)
    # the TTL (a cache lifetime, not a bound) and the getter's file give no finding
    assert len([f for f in found if f[0] == "driver/registry.go"]) == 1
    assert not any(f[0] == "config/provider.go" for f in found)


POOL = '''package http

import (
	nethttp "net/http"
	"sync"
	"time"
)

type TransportPool struct {
	baseTransport *nethttp.Transport
	transports    sync.Map
}

func NewTransportPool(base *nethttp.Transport) *TransportPool {
	return &TransportPool{baseTransport: base}
}

func (tp *TransportPool) Get(responseHeaderTimeout time.Duration) *nethttp.Transport {
	if val, ok := tp.transports.Load(responseHeaderTimeout); ok {
		return val.(*nethttp.Transport)
	}
	transport := tp.baseTransport.Clone()
	transport.ResponseHeaderTimeout = responseHeaderTimeout
	actual, _ := tp.transports.LoadOrStore(responseHeaderTimeout, transport)
	return actual.(*nethttp.Transport)
}
'''

UPSTREAM = '''package handler

import (
	"net/http"
	"time"

	kedahttp "example.com/svc/pkg/http"
)

type Upstream struct {
	defaultTransportPool   *kedahttp.TransportPool
	http2OnlyTransportPool *kedahttp.TransportPool
	responseHeaderTimeout  time.Duration
}

func NewUpstream(base *http.Transport, responseHeaderTimeout time.Duration) *Upstream {
	return &Upstream{
		defaultTransportPool:   kedahttp.NewTransportPool(base),
		http2OnlyTransportPool: kedahttp.NewTransportPool(base),
		responseHeaderTimeout:  responseHeaderTimeout,
	}
}

func (uh *Upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	responseHeaderTimeout := uh.responseHeaderTimeout
	if r.Header.Get("X-Slow") != "" {
		responseHeaderTimeout = 10 * time.Minute
	}
	pool := uh.defaultTransportPool
	if r.ProtoMajor == 2 {
		pool = uh.http2OnlyTransportPool
	}
	transport := pool.Get(responseHeaderTimeout)
	resp, err := transport.RoundTrip(r)
	if err == nil {
		resp.Body.Close()
	}
}
'''

TIMEOUTS = '''package config

import "time"

type Timeouts struct {
	ResponseHeader time.Duration `env:"KEDA_HTTP_RESPONSE_HEADER_TIMEOUT" envDefault:"300s"`
}
'''

PROXY = '''package interceptor

import (
	"net/http"

	"example.com/svc/interceptor/config"
	"example.com/svc/interceptor/handler"
)

type ProxyHandlerConfig struct {
	Timeouts config.Timeouts
}

func BuildProxyHandler(cfg *ProxyHandlerConfig) http.Handler {
	base := http.DefaultTransport.(*http.Transport).Clone()
	return handler.NewUpstream(base, cfg.Timeouts.ResponseHeader)
}
'''


def test_constructor_field_handed_to_a_typed_one_word_method(tmp_path):
    found = _scan(tmp_path, {"pkg/http/transport_pool.go": POOL, "interceptor/handler/upstream.go": UPSTREAM,
                             "interceptor/config/timeouts.go": TIMEOUTS, "interceptor/proxy.go": PROXY})
    # the contract is where the value is handed: NewUpstream's call, valued by the setting's default
    assert ("interceptor/proxy.go", 16, "timeout", 300000) in found
    # the method only forwards its constructor's field; the pool's lines only forward their parameter
    # (the sync.Map keyed by the timeout is no bound)
    assert not any(f[0] in ("interceptor/handler/upstream.go", "pkg/http/transport_pool.go") for f in found)


GET_TRAP = '''package cache

import (
	"net/http"
	"time"
)

type Cache struct{ m map[time.Duration]string }

// Get of an unrelated value: a one-word method whose type says nothing about a helper
func (c *Cache) Get(ttl time.Duration) string { return c.m[ttl] }

type Service struct {
	cache   *Cache
	timeout time.Duration
	client  *http.Client
}

func NewService(timeout time.Duration) *Service {
	return &Service{cache: &Cache{}, timeout: timeout, client: &http.Client{}}
}

func (s *Service) Lookup() string {
	return s.cache.Get(s.timeout)
}
'''


def test_typed_one_word_method_that_bounds_nothing(tmp_path):
    assert _scan(tmp_path, {"cache/cache.go": GET_TRAP}) == []


POOL_PARAM = '''package runtime

import (
	"time"

	redislib "github.com/goharbor/harbor/src/lib/redis"
)

const (
	dialConnectionTimeout = 30 * time.Second
	dialReadTimeout       = 10 * time.Second
	dialWriteTimeout      = 10 * time.Second
)

func getRedisPool(url string, idleSeconds int) {
	_, _ = redislib.GetRedisPool("JobService", url, &redislib.PoolParam{
		PoolMaxIdle:           6,
		PoolIdleTimeout:       time.Duration(idleSeconds) * time.Second,
		DialConnectionTimeout: dialConnectionTimeout,
		DialReadTimeout:       dialReadTimeout,
		DialWriteTimeout:      dialWriteTimeout,
	})
}
'''


def test_pool_param_dial_timeouts_of_a_package_outside_the_scan(tmp_path):
    found = _scan(tmp_path, {"src/jobservice/runtime/bootstrap.go": POOL_PARAM})
    assert ("src/jobservice/runtime/bootstrap.go", 19, "timeout", 30000) in found
    assert ("src/jobservice/runtime/bootstrap.go", 20, "timeout", 10000) in found
    assert ("src/jobservice/runtime/bootstrap.go", 21, "timeout", 10000) in found
    # the pool's idle timeout bounds no call
    assert not any(f[1] == 18 for f in found)
