"""Round 13 (held-out sets glance, autobrr, flipt, karpenter-aws, ollama-registry, cert-manager-acme):
retry loops checked through a tagless switch, paced by a project's own backoff function, or sending
again on one failed status; the call made again after an error classifier; a library option
struct's other `...Timeout` fields; a copy of http.DefaultClient given a timeout; a ternary
helper's literal fallback; with the traps beside each (a loop over file names, a wait for a local
file, an event loop around such a wait, a template rendered again with other input, an API
request's data fields named ...Timeout)."""

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


UPLOAD = '''package server

import (
	"context"
	"errors"
	"math"
	"net/http"
	"time"
)

const maxRetries = 6

var errMaxRetriesExceeded = errors.New("max retries exceeded")

func (b *blobUpload) run(ctx context.Context, u string) error {
	var err error
	for try := range maxRetries {
		err = b.uploadPart(ctx, http.MethodPatch, u)
		switch {
		case errors.Is(err, context.Canceled):
			return err
		case errors.Is(err, errMaxRetriesExceeded):
			return err
		case err != nil:
			sleep := time.Second * time.Duration(math.Pow(2, float64(try)))
			time.Sleep(sleep)
			continue
		}

		return nil
	}
	return err
}

func newBackoff(maxBackoff time.Duration) func(ctx context.Context) error {
	var n int
	return func(ctx context.Context) error {
		n++
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(time.Duration(n*n)*10*time.Millisecond, maxBackoff)):
			return nil
		}
	}
}

func directURL(ctx context.Context, u string) (*http.Response, error) {
	backoff := newBackoff(10 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			if err := backoff(ctx); err != nil {
				return nil, err
			}
			continue
		}
		return resp, nil
	}
}

func makeRequestWithRetry(ctx context.Context, u string, opts *registryOptions) (*http.Response, error) {
	for range 2 {
		resp, err := makeRequest(ctx, u, opts)
		if err != nil {
			return nil, err
		}

		switch {
		case resp.StatusCode == http.StatusUnauthorized:
			resp.Body.Close()
			token, err := getToken(ctx)
			if err != nil {
				return nil, err
			}
			opts.Token = token
		case resp.StatusCode >= http.StatusBadRequest:
			return nil, errors.New(resp.Status)
		default:
			return resp, nil
		}
	}
	return nil, errors.New("unauthorized")
}

func countOK(ctx context.Context, u string, opts *registryOptions) int {
	ok := 0
	for range 3 {
		resp, err := makeRequest(ctx, u, opts)
		if err != nil {
			return ok
		}
		if resp.StatusCode == http.StatusOK {
			ok++
		}
	}
	return ok
}
'''


def test_retry_loops_tagless_switch_project_backoff_and_status_resend(tmp_path):
    found = _scan(tmp_path, {"server/upload.go": UPLOAD})
    # a tagless switch's `case err != nil: sleep; continue`: 6 tries
    assert ("server/upload.go", 17, "retry", 6) in found
    # paced by the project's own backoff(ctx), bounded by the context only
    assert ("server/upload.go", 50, "retry", None) in found
    # sent again only when the answer is 401 (after a new token): 2 tries
    assert ("server/upload.go", 64, "retry", 2) in found
    # trap: a counted loop whose only non-leaving status branch is a 200 counts answers, it retries nothing
    assert not [f for f in found if f[1] == 89]


FILES = '''package fs

import (
	"errors"
	"os"
	"path"
	"time"
)

func TryOpen(fsys Filesystem, dir string) (*os.File, string, error) {
	for _, filename := range []string{"features.yaml", "features.yml"} {
		fi, err := fsys.OpenFile(path.Join(dir, filename), os.O_RDONLY, 0o644)
		if err == nil {
			return fi, filename, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, "", err
		}
	}
	return nil, "", os.ErrNotExist
}

func watch(events chan string, reload func()) {
	for {
		select {
		case name, isOpen := <-events:
			if !isOpen {
				return
			}
			for range 10 {
				if _, err := os.Stat(name); err == nil {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			reload()
		}
	}
}
'''


def test_traps_file_name_alternatives_local_file_wait_and_event_loop(tmp_path):
    found = _scan(tmp_path, {"fs/features.go": FILES})
    assert [f for f in found if f[2] == "retry"] == []


AGAIN = '''package instance

import (
	"bytes"
	"context"
	"html/template"
)

func (p *Provider) Create(ctx context.Context, name string) (*Instance, error) {
	inst, err := p.launchInstance(ctx, name)
	if awserrors.IsLaunchTemplateNotFound(err) {
		// retry once if the launch template is not found
		inst, err = p.launchInstance(ctx, name)
	}
	if err != nil {
		return nil, err
	}
	return inst, nil
}

type widget struct {
	buf   bytes.Buffer
	Error error
}

func (w *widget) render(t *template.Template, data any) string {
	err := t.Execute(&w.buf, data)
	if err != nil {
		w.Error = err
		w.buf.Reset()
		err2 := t.Execute(&w.buf, data)
		_ = err2
	}
	return w.buf.String()
}
'''


def test_call_made_again_after_an_error_classifier(tmp_path):
    found = _scan(tmp_path, {"instance/instance.go": AGAIN})
    assert ("instance/instance.go", 13, "retry", 2) in found
    # trap: rendered again after the input changed (w.Error set, the buffer reset): no retry
    assert not [f for f in found if f[1] == 31]


OPTIONS = '''package action

import (
	"time"

	"github.com/autobrr/go-deluge"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/foo/kv"
)

func connect(host string) {
	c := deluge.NewV1(deluge.Settings{
		Hostname:         host,
		ReadWriteTimeout: time.Second * 60,
	})
	_ = c
	o := kv.Options{IdleTimeout: time.Minute, SessionTimeout: time.Minute, HeartbeatTimeout: 5 * time.Second,
		SocketTimeout: 3 * time.Second}
	_ = o
}

func conntrack(udp *int32) *ec2types.ConnectionTrackingSpecificationRequest {
	return &ec2types.ConnectionTrackingSpecificationRequest{
		UdpStreamTimeout: udp,
		UdpTimeout:       udp,
	}
}
'''


def test_other_timeout_fields_of_a_client_options_struct(tmp_path):
    found = _scan(tmp_path, {"action/deluge.go": OPTIONS})
    assert ("action/deluge.go", 14, "timeout", 60000) in found
    # kv.Options: SocketTimeout bounds the calls; idle, session and heartbeat bounds do not
    assert [f for f in found if f[1] == 17] == []
    assert ("action/deluge.go", 18, "timeout", 3000) in found
    # trap: an API request's data fields named ...Timeout (EC2 connection tracking) are no client setting
    assert [f for f in found if f[1] in (24, 25)] == []


DEFAULT_COPY = '''package util

import (
	"net/http"
	"time"
)

var DNSTimeout = 10 * time.Second

func query(u string) (*http.Response, error) {
	httpClient := *http.DefaultClient
	httpClient.Timeout = DNSTimeout
	return httpClient.Get(u)
}
'''


def test_copy_of_default_client_given_a_timeout(tmp_path):
    found = _scan(tmp_path, {"util/wait.go": DEFAULT_COPY})
    assert ("util/wait.go", 12, "timeout", 10000) in found


TERNARY = '''package glance

import (
	"context"
	"net/http"
	"time"
)

func ternary[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}

type SiteStatusRequest struct {
	URL     string
	Timeout time.Duration
	Fast    bool
}

func fetchStatus(r *SiteStatusRequest) error {
	timeout := ternary(r.Timeout > 0, r.Timeout, 3*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	_, err := http.DefaultClient.Do(req)
	return err
}

func fetchEither(r *SiteStatusRequest) error {
	ctx, cancel := context.WithTimeout(context.Background(), ternary(r.Fast, time.Second, 10*time.Second))
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	_, err := http.DefaultClient.Do(req)
	return err
}
'''


def test_ternary_literal_fallback(tmp_path):
    found = _scan(tmp_path, {"glance/monitor.go": TERNARY})
    assert ("glance/monitor.go", 24, "timeout", 3000) in found
    # trap: two literals, chosen at run time: no single value
    assert ("glance/monitor.go", 32, "timeout", None) in found


LABEL_GETTER = {
    "container/metadata.go": '''package container

import "strconv"

type Container struct{ labels map[string]string }

func (c *Container) PreUpdateTimeout() int {
	val := c.labels["com.example.lifecycle.pre-update-timeout"]
	if val == "" {
		return 1
	}
	minutes, err := strconv.Atoi(val)
	if err != nil {
		return 1
	}
	return minutes
}

func (c *Container) StopSignalTimeoutName() int {
	val := c.labels["stop"]
	if val == "" {
		return 1
	}
	n, err := strconv.Atoi(val)
	if err != nil {
		return 2
	}
	return n
}
''',
    "lifecycle/lifecycle.go": '''package lifecycle

import (
	"context"
	"time"

	"example.com/svc/container"
)

type Client struct{}

func (c Client) ExecuteCommand(ctx context.Context, command string, timeout int) error {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(timeout)*time.Minute)
	defer cancel()
	return c.exec(ctx, command)
}

func (c Client) exec(ctx context.Context, command string) error { return nil }

func PreUpdate(ctx context.Context, client Client, ctr *container.Container) error {
	timeout := ctr.PreUpdateTimeout()
	return client.ExecuteCommand(ctx, "cmd", timeout)
}

func Stop(ctx context.Context, client Client, ctr *container.Container) error {
	return client.ExecuteCommand(ctx, "stop", ctr.StopSignalTimeoutName())
}
''',
}


def test_label_parsing_getter_literal_fallback(tmp_path):
    found = _scan(tmp_path, LABEL_GETTER)
    # the getter answers 1 (minute) while the label is unset or invalid: 60 s at the helper's call
    assert ("lifecycle/lifecycle.go", 22, "timeout", 60000) in found
    # trap: two different literal answers: no single fallback
    assert not [f for f in found if f[1] == 26 and f[3] is not None]


VREQ = '''package venafi

import (
	"time"

	"github.com/Venafi/vcert/v5/pkg/certificate"
)

type Venafi struct{ client Connector }

func (v *Venafi) buildVReq(csr []byte) (*certificate.Request, error) {
	return &certificate.Request{CSR: csr}, nil
}

func (v *Venafi) Retrieve(csr []byte) error {
	vreq, err := v.buildVReq(csr)
	if err != nil {
		return err
	}
	vreq.Timeout = time.Second * 60
	_, err = v.client.RetrieveCertificate(vreq)
	return err
}

func (v *Venafi) local() int {
	s := v.settings()
	s.Timeout = time.Second
	return 0
}

type settings struct{ Timeout time.Duration }

func (v *Venafi) settings() *settings { return &settings{} }
'''


def test_field_set_on_a_value_an_own_function_builds_of_another_modules_type(tmp_path):
    found = _scan(tmp_path, {"venafi/request.go": VREQ})
    assert ("venafi/request.go", 20, "timeout", 60000) in found
    # trap: the same on the project's own type is no library setting
    assert not [f for f in found if f[1] == 27]


OVERWRITTEN = '''package feed

import (
	"net/http"
	"time"
)

type Parser struct{ http *http.Client }

func NewParser(timeout time.Duration) *Parser {
	httpClient := &http.Client{
		Timeout: time.Second * 60,
	}
	c := &Parser{http: httpClient}
	c.http.Timeout = timeout
	return c
}

func NewDefaulted(timeout time.Duration) *http.Client {
	httpClient := &http.Client{
		Timeout: time.Second * 30,
	}
	if timeout > 0 {
		httpClient.Timeout = timeout
	}
	return httpClient
}
'''


def test_client_timeout_overwritten_unconditionally_is_dead(tmp_path):
    found = _scan(tmp_path, {"feed/client.go": OVERWRITTEN})
    assert not [f for f in found if f[1] == 12]
    # trap: overwritten only when a value is given: the literal is the default
    assert ("feed/client.go", 21, "timeout", 30000) in found


VIPER_GET = {
    "internal/config/config.go": '''package config

import (
	"time"

	"github.com/spf13/viper"
)

type IngressConfig struct {
	HTTPClientTimeout time.Duration
	WebPort           int
	Name              string
}

func Get() *IngressConfig {
	options := viper.New()
	options.SetDefault("HTTPClientTimeout", 10)
	options.SetDefault("WebPort", 3000)
	options.AutomaticEnv()
	return &IngressConfig{
		HTTPClientTimeout: time.Duration(options.GetInt("HTTPClientTimeout")),
		WebPort:           options.GetInt("WebPort"),
		Name:              options.GetString("Name"),
	}
}

func FromArgs(timeout time.Duration) *IngressConfig {
	return &IngressConfig{HTTPClientTimeout: timeout}
}
''',
    "cmd/ingress/main.go": '''package main

import (
	"net/http"
	"time"

	"example.com/svc/internal/config"
)

func main() {
	cfg := config.Get()
	httpClient := &http.Client{
		Timeout: time.Second * time.Duration(cfg.HTTPClientTimeout),
	}
	_, _ = httpClient.Get("http://tracker/v1/payloads")
}
''',
}


def test_config_getter_built_from_viper_defaults(tmp_path):
    found = _scan(tmp_path, VIPER_GET)
    # viper's SetDefault 10, in seconds at the client: 10 s
    assert ("cmd/ingress/main.go", 13, "timeout", 10000) in found
