"""(round 22, polyglot20) A project's base client class whose subclasses hand it their values through the
constructor chain: the subclass's `super(...)` call is the contract (rule c of docs/architecture.md: the value
passed; rule b: the default a call leaves out), with the destination the subclass hands the base's URL
parameter, which the base keeps in a field and its request methods read."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.scan_support import write as _write


def _settings(result, path: str):
    return sorted((f.line, f.kind, f.attributes.get("timeout_ms"), f.attributes.get("max_attempts"),
                   f.target.service if f.target else None)
                  for f in result.findings if f.path.endswith(path) and f.kind in ("timeout", "retry"))


PY_BASE = '''import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


class ServiceClient:
    def __init__(self, base_url: str, timeout: float = 5.0, retries: int = 2):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(max_retries=Retry(total=retries)))

    def get_json(self, path):
        return self.session.get(f"{self.base_url}{path}", timeout=self.timeout).json()
'''


def test_python_super_init_takes_the_subclass_url_and_values(tmp_path):
    root = _write(tmp_path, {
        "risk/requirements.txt": "requests\n",
        "risk/risk/__init__.py": "",
        "risk/risk/base.py": PY_BASE,
        "risk/risk/ledger.py": ('from .base import ServiceClient\n\nLEDGER_URL = "http://ledger:8080"\n\n\n'
                                'class LedgerClient(ServiceClient):\n    def __init__(self):\n'
                                '        super().__init__(LEDGER_URL, timeout=2.0, retries=3)\n'),
    })
    assert _settings(scan(root), "risk/ledger.py") == [
        (8, "retry", None, 4, "ledger"),       # Retry(total=3): 4 attempts
        (8, "timeout", 2000, None, "ledger"),
    ]


def test_python_super_init_of_a_library_class_stays_a_client_timeout(tmp_path):
    root = _write(tmp_path, {
        "search/requirements.txt": "elasticsearch\n",
        "search/search/client.py": ("from elasticsearch import Elasticsearch\n\n\nclass Search(Elasticsearch):\n"
                                    "    def __init__(self):\n"
                                    "        super().__init__(hosts=['http://es:9200'], request_timeout=30)\n"),
    })
    assert [(line, kind, ms) for line, kind, ms, _, _ in _settings(scan(root), "search/client.py")] == [
        (6, "timeout", 30000)]


GO_BASE = '''package clients

import (
	"net/http"
	"time"
)

type baseClient struct {
	http    *http.Client
	baseURL string
	tries   int
}

func newBaseClient(baseURL string, timeout time.Duration, tries int) baseClient {
	return baseClient{http: &http.Client{Timeout: timeout}, baseURL: baseURL, tries: tries}
}

func (c baseClient) get(path string) (*http.Response, error) {
	var err error
	for i := 0; i < c.tries; i++ {
		var resp *http.Response
		resp, err = c.http.Get(c.baseURL + path)
		if err == nil {
			return resp, nil
		}
	}
	return nil, err
}
'''
GO_PAYMENT = '''package clients

import "time"

type PaymentClient struct {
	baseClient
}

func NewPaymentClient(baseURL string) *PaymentClient {
	return &PaymentClient{baseClient: newBaseClient(baseURL, 1500*time.Millisecond, 3)}
}
'''
GO_MAIN = '''package main

import (
	"os"

	"github.com/acme/orders/internal/clients"
)

func main() {
	url := os.Getenv("PAYMENT_URL")
	if url == "" {
		url = "http://payment:8080"
	}
	_ = clients.NewPaymentClient(url)
}
'''


def test_go_constructor_hands_its_url_parameter_down_the_chain(tmp_path):
    root = _write(tmp_path, {
        "orders/go.mod": "module github.com/acme/orders\n\ngo 1.22\n",
        "orders/internal/clients/base.go": GO_BASE,
        "orders/internal/clients/payment.go": GO_PAYMENT,
        "orders/cmd/orders/main.go": GO_MAIN,
    })
    result = scan(root)
    assert _settings(result, "clients/payment.go") == [
        (10, "retry", None, 3, "payment"),
        (10, "timeout", 1500, None, "payment"),
    ]
    assert _settings(result, "clients/base.go") == []  # the base only forwards its parameters



TS_BASE = '''import { randomUUID } from 'node:crypto';

export abstract class BaseClient {
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;

  protected constructor(private readonly baseUrl: string, { timeoutMs = 1000, maxAttempts = 2 }: { timeoutMs?: number; maxAttempts?: number } = {}) {
    this.timeoutMs = timeoutMs;
    this.maxAttempts = maxAttempts;
  }

  protected async post(path: string, body: unknown): Promise<unknown> {
    let last: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        const res = await fetch(`${this.baseUrl}${path}`, {
          method: 'POST',
          headers: { 'Idempotency-Key': randomUUID() },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        return await res.json();
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }
}
'''


def _ts_tree(tmp_path: Path, base: str = TS_BASE) -> Path:
    return _write(tmp_path, {
        "checkout/package.json": '{"name": "checkout", "dependencies": {"express": "^4"}}\n',
        "checkout/src/base.ts": base,
        "checkout/src/risk.ts": ("import { BaseClient } from './base';\n\nexport class RiskClient extends BaseClient {\n"
                                 "  constructor() {\n    super(process.env.RISK_URL ?? 'http://risk:8080', { timeoutMs: 200, "
                                 "maxAttempts: 3 });\n  }\n}\n"),
        "checkout/src/catalog.ts": ("import { BaseClient } from './base';\n\nexport class CatalogClient extends BaseClient {\n"
                                    "  constructor() {\n    super('http://catalog:8080');\n  }\n}\n"),
    })


def _fresh(result, path: str):
    return sorted((f.line, f.target.service if f.target else None)
                  for f in result.findings if f.path.endswith(path) and f.kind == "new_id_per_attempt")


def test_typescript_super_passes_values_and_leaves_defaults(tmp_path):
    result = scan(_ts_tree(tmp_path))
    assert _settings(result, "src/risk.ts") == [(5, "retry", None, 3, "risk"), (5, "timeout", 200, None, "risk")]
    assert _settings(result, "src/catalog.ts") == [(5, "retry", None, 2, "catalog"), (5, "timeout", 1000, None, "catalog")]
    # the base mints a key per attempt: each subclass's calls go to its own destination with a fresh key
    assert _fresh(result, "src/risk.ts") == [(5, "risk")]
    assert _fresh(result, "src/catalog.ts") == [(5, "catalog")]
    assert _fresh(result, "src/base.ts") == [(18, None)]


def test_typescript_key_made_once_before_the_loop_is_no_fresh_id_at_the_subclasses(tmp_path):
    stable = TS_BASE.replace("    let last: unknown;\n", "    let last: unknown;\n    const key = randomUUID();\n") \
        .replace("'Idempotency-Key': randomUUID()", "'Idempotency-Key': key")
    result = scan(_ts_tree(tmp_path, stable))
    assert _fresh(result, "src/risk.ts") == [] and _fresh(result, "src/base.ts") == []
    assert _settings(result, "src/risk.ts") == [(5, "retry", None, 3, "risk"), (5, "timeout", 200, None, "risk")]


JAVA_BASE = '''package com.acme.payment.gateway;

import java.time.Duration;

import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.web.client.RestTemplate;

public abstract class AbstractGatewayClient {

    protected final RestTemplate rest;

    protected AbstractGatewayClient(RestTemplateBuilder builder, String baseUrl, Duration readTimeout) {
        this.rest = builder.rootUri(baseUrl).setReadTimeout(readTimeout).build();
    }
}
'''
JAVA_SUB = '''package com.acme.payment.gateway;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.client.RestTemplateBuilder;

public class AcquirerClient extends AbstractGatewayClient {

    public AcquirerClient(RestTemplateBuilder builder, @Value("${acquirer.url:http://acquirer:8443}") String url) {
        super(builder, url, Duration.ofSeconds(4));
    }
}
'''


def test_java_super_takes_the_subclass_url_argument(tmp_path):
    root = _write(tmp_path, {
        "payment/pom.xml": "<project><artifactId>payment</artifactId></project>\n",
        "payment/src/main/java/com/acme/payment/gateway/AbstractGatewayClient.java": JAVA_BASE,
        "payment/src/main/java/com/acme/payment/gateway/AcquirerClient.java": JAVA_SUB,
    })
    result = scan(root)
    assert _settings(result, "gateway/AcquirerClient.java") == [(11, "timeout", 4000, None, "acquirer")]
    # the base only forwards its parameter
    assert _settings(result, "gateway/AbstractGatewayClient.java") == []


RB_BASE = '''require "faraday"

class ApiClient
  def initialize(base_url:, timeout: 5, open_timeout: 2, retries: 1)
    @connection = Faraday.new(url: base_url, request: { timeout: timeout, open_timeout: open_timeout }) do |f|
      f.request :retry, max: retries
    end
  end

  def get(path)
    @connection.get(path).body
  end
end
'''


def test_ruby_super_hands_the_base_its_url_and_values(tmp_path):
    root = _write(tmp_path, {
        "support/Gemfile": 'source "https://rubygems.org"\ngem "faraday"\n',
        "support/app/clients/api_client.rb": RB_BASE,
        "support/app/clients/risk_client.rb": ('class RiskClient < ApiClient\n  def initialize\n'
                                               '    super(base_url: ENV.fetch("RISK_URL", "http://risk:8080"), '
                                               'timeout: 3, retries: 2)\n  end\nend\n'),
    })
    result = scan(root)
    assert _settings(result, "clients/risk_client.rb") == [
        (3, "retry", None, 3, "risk"),          # max: 2 retries
        (3, "timeout", 2000, None, "risk"),     # open_timeout left out: the base's default (rule b)
        (3, "timeout", 3000, None, "risk"),
    ]


def test_ruby_super_of_a_library_class_keeps_its_own_reading(tmp_path):
    root = _write(tmp_path, {
        "support/Gemfile": 'source "https://rubygems.org"\ngem "faraday"\n',
        "support/app/clients/search.rb": ('class Search < Elasticsearch::Client\n  def initialize\n'
                                          '    super(url: "http://es:9200", request_timeout: 3)\n  end\nend\n'),
    })
    assert [(line, kind, ms) for line, kind, ms, _, _ in _settings(scan(root), "clients/search.rb")] == [
        (3, "timeout", 3000)]


PY_HELPER = '''import uuid

import requests


def post_json(url, payload, retries=3, timeout=2.0):
    last = None
    for attempt in range(retries):
        try:
            return requests.post(url, json=payload, timeout=timeout,
                                 headers={"Idempotency-Key": KEY_MAKER()}).json()
        except requests.RequestException as exc:
            last = exc
    raise last
'''


def _py_helper_tree(tmp_path: Path, key_maker: str, before_loop: bool = False) -> Path:
    helper = PY_HELPER.replace("KEY_MAKER()", "key" if before_loop else key_maker)
    if before_loop:
        helper = helper.replace("    last = None\n", f"    last = None\n    key = {key_maker}\n")
    return _write(tmp_path, {
        "svc/requirements.txt": "requests\n",
        "svc/svc/__init__.py": "",
        "svc/svc/http.py": helper,
        "svc/svc/risk.py": ('from .http import post_json\n\nRISK_URL = "http://risk:8080/v1/score"\n\n\n'
                            'def score(order):\n    return post_json(RISK_URL, order, retries=4)\n'),
    })


def test_python_helper_minting_a_key_per_attempt_reaches_each_callers_destination(tmp_path):
    result = scan(_py_helper_tree(tmp_path, "str(uuid.uuid4())"))
    assert _fresh(result, "svc/risk.py") == [(7, "risk")]
    assert _settings(result, "svc/risk.py") == [(7, "retry", None, 4, "risk"), (7, "timeout", 2000, None, "risk")]


def test_python_helper_with_a_key_made_once_proposes_no_fresh_id(tmp_path):
    result = scan(_py_helper_tree(tmp_path, "str(uuid.uuid4())", before_loop=True))
    assert _fresh(result, "svc/risk.py") == [] and _fresh(result, "svc/http.py") == []
    assert _settings(result, "svc/risk.py") == [(7, "retry", None, 4, "risk"), (7, "timeout", 2000, None, "risk")]


RB_HELPER = '''require "securerandom"
require "net/http"

module HttpHelper
  def self.post_json(url, body, tries: 3)
    attempt = 0
    begin
      attempt += 1
      uri = URI(url)
      req = Net::HTTP::Post.new(uri, "Idempotency-Key" => KEY)
      Net::HTTP.start(uri.host, uri.port, read_timeout: 5) { |http| http.request(req) }
    rescue Net::ReadTimeout
      retry if attempt < tries
      raise
    end
  end
end
'''


def _rb_helper_tree(tmp_path: Path, helper: str) -> Path:
    return _write(tmp_path, {
        "support/Gemfile": 'source "https://rubygems.org"\n',
        "support/app/lib/http_helper.rb": helper,
        "support/app/lib/risk.rb": ('class Risk\n  def score(order)\n'
                                    '    HttpHelper.post_json("http://risk:8080/v1/score", order, tries: 4)\n  end\nend\n'),
    })


def test_ruby_helper_minting_a_key_per_attempt_reaches_each_callers_destination(tmp_path):
    result = scan(_rb_helper_tree(tmp_path, RB_HELPER.replace("KEY", "SecureRandom.uuid")))
    assert _fresh(result, "lib/risk.rb") == [(3, "risk")]
    assert _settings(result, "lib/risk.rb") == [(3, "retry", None, 4, "risk")]


def test_ruby_helper_sending_one_key_proposes_no_fresh_id(tmp_path):
    helper = RB_HELPER.replace("KEY", "key").replace("    attempt = 0\n", "    attempt = 0\n    key = SecureRandom.uuid\n")
    result = scan(_rb_helper_tree(tmp_path, helper))
    assert _fresh(result, "lib/risk.rb") == [] and _fresh(result, "lib/http_helper.rb") == []
    assert _settings(result, "lib/risk.rb") == [(3, "retry", None, 4, "risk")]


def test_go_and_java_helpers_minting_a_key_per_attempt_propose_it_at_their_calls(tmp_path):
    go_helper = ('package http\n\nimport (\n\t"bytes"\n\t"net/http"\n\t"time"\n\n\t"github.com/google/uuid"\n)\n\n'
                 'func PostJSON(url string, body []byte, attempts int) (*http.Response, error) {\n'
                 '\tclient := &http.Client{Timeout: 2 * time.Second}\n\tvar err error\n'
                 '\tfor i := 0; i < attempts; i++ {\n'
                 '\t\treq, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))\n'
                 '\t\treq.Header.Set("Idempotency-Key", uuid.NewString())\n'
                 '\t\tvar resp *http.Response\n\t\tresp, err = client.Do(req)\n'
                 '\t\tif err == nil {\n\t\t\treturn resp, nil\n\t\t}\n\t}\n\treturn nil, err\n}\n')
    root = _write(tmp_path, {
        "orders/go.mod": "module github.com/acme/orders\n\ngo 1.22\n",
        "orders/internal/http/post.go": go_helper,
        "orders/cmd/main.go": ('package main\n\nimport (\n\tapihttp "github.com/acme/orders/internal/http"\n)\n\n'
                               'func main() {\n\t_, _ = apihttp.PostJSON("http://payment:8080/v1/captures", nil, 4)\n}\n'),
    })
    result = scan(root)
    assert [line for line, _ in _fresh(result, "cmd/main.go")] == [8]
    stable = go_helper.replace('\tvar err error\n', '\tvar err error\n\tkey := uuid.NewString()\n') \
        .replace('uuid.NewString())\n\t\tvar resp', 'key)\n\t\tvar resp')
    (root / "orders/internal/http/post.go").write_text(stable)
    assert _fresh(scan(root), "cmd/main.go") == []


CS_BASE = '''using System;
using System.Net.Http;
using System.Threading.Tasks;

namespace Ledger;

public abstract class BaseApiClient
{
    private readonly HttpClient _http;

    protected BaseApiClient(string baseUrl, TimeSpan timeout)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = timeout };
    }

    protected Task<string> GetAsync(string path) => _http.GetStringAsync(path);
}
'''


def test_csharp_base_constructor_initializer_takes_the_url_literal(tmp_path):
    root = _write(tmp_path, {
        "Ledger/Ledger.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
        "Ledger/BaseApiClient.cs": CS_BASE,
        "Ledger/RiskClient.cs": ('using System;\n\nnamespace Ledger;\n\npublic class RiskClient : BaseApiClient\n{\n'
                                 '    public RiskClient() : base("http://risk:8080", TimeSpan.FromSeconds(2))\n    {\n'
                                 '    }\n}\n'),
        "Ledger/AuditClient.cs": ('using System;\n\nnamespace Ledger;\n\npublic class AuditClient : BaseApiClient\n{\n'
                                  '    public AuditClient(string url) : base(url, TimeSpan.FromSeconds(5))\n    {\n'
                                  '    }\n}\n'),
    })
    result = scan(root)
    assert _settings(result, "Ledger/RiskClient.cs") == [(7, "timeout", 2000, None, "risk")]
    # a URL handed in by the subclass's own caller: no destination known here
    assert _settings(result, "Ledger/AuditClient.cs") == [(7, "timeout", 5000, None, None)]


KT_BASE = '''package acme

import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.plugins.HttpTimeout
import io.ktor.client.request.get

abstract class BaseClient(private val baseUrl: String, timeoutMs: Long = 1000) {
    private val client = HttpClient(CIO) {
        install(HttpTimeout) { requestTimeoutMillis = timeoutMs }
    }

    suspend fun fetch(path: String) = client.get("$baseUrl$path")
}
'''


def test_kotlin_supertype_constructor_call_without_a_primary_constructor(tmp_path):
    root = _write(tmp_path, {
        "svc/build.gradle.kts": 'plugins { kotlin("jvm") version "2.0.0" }\n',
        "svc/src/main/kotlin/acme/BaseClient.kt": KT_BASE,
        "svc/src/main/kotlin/acme/Clients.kt": ('package acme\n\nclass RiskClient : BaseClient("http://risk:8080", '
                                                'timeoutMs = 250)\n\nclass CatalogClient : BaseClient("http://catalog:8080")\n'),
    })
    assert _settings(scan(root), "acme/Clients.kt") == [
        (3, "timeout", 250, None, "risk"),       # rule c: the value the subclass passes
        (5, "timeout", 1000, None, "catalog"),   # rule b: the base's default, left out
    ]
