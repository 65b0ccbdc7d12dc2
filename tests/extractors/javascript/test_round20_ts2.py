"""Round 20 (TypeScript second-wave fixes): shapes of ocean-node, ipv-cri-f2f-api, graph-indexer and quirrel."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _result(path: str, source: str):
    return JavascriptExtractor().extract(path, source.encode())


def _found(path: str, source: str):
    result = _result(path, source)
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}


# ------------------------------------------------------------------ a countdown of the helper's own parameter

PARAM_COUNTDOWN = """const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function fetchTransactionReceipt(
  txId: string,
  provider: FallbackProvider,
  retries: number = 2
): Promise<TransactionReceipt> {
  while (retries > 0) {
    try {
      const txReceipt = await provider.getTransactionReceipt(txId)
      if (txReceipt) {
        return txReceipt
      }
      await sleep(1000)
      retries--
    } catch (error) {
      return null
    }
  }
}

export function pages(items: string[], retries: number = 4) {
  // a loop whose count is never stepped: no countdown of the parameter
  while (retries > 0) {
    try {
      return items.map((i) => i.trim())
    } catch (e) {
      return null
    }
  }
}
"""


def test_parameter_countdown_counts_its_default_and_publishes_it():
    result = _result("src/utils/validateOrders.ts", PARAM_COUNTDOWN)
    found = {(f.line, f.kind): f.attributes.get("max_attempts") for f in result.findings if f.kind == "retry"}
    assert found[(8, "retry")] == 2
    # rule (b): a call leaving `retries` out gets the default, a call passing it is read (rule c)
    assert result.symbols["fetchTransactionReceipt.$attempts_default:2"].value == 2
    assert "fetchTransactionReceipt.$attempts_param:2" in result.symbols
    # the loop that never counts its parameter down is not valued from it
    assert found.get((23, "retry")) is None


# ------------------------------------------------------------------ a counter kept in a local object

PAGING = """export async function subgraphDeployments(client) {
  const deployments = []
  const queryProgress = { lastId: '', first: 1000, exhausted: false, retriesRemaining: 10 }
  while (!queryProgress.exhausted) {
    try {
      const result = await client.checkedQuery(QUERY, { first: queryProgress.first, lastId: queryProgress.lastId })
      if (result.error) {
        throw result.error
      }
      queryProgress.exhausted = result.data.items.length < queryProgress.first
      deployments.push(...result.data.items)
    } catch (err) {
      queryProgress.retriesRemaining--
      if (queryProgress.retriesRemaining <= 0) {
        throw err
      }
    }
  }
  return deployments
}
"""


def test_countdown_member_of_a_local_object_starts_at_its_value():
    assert _found("src/monitor.ts", PAGING)[(4, "retry")] == 10


def test_countdown_member_missing_from_the_object_stays_unvalued():
    source = PAGING.replace(", retriesRemaining: 10 }", " }")
    assert _found("src/monitor.ts", source).get((4, "retry")) is None


# ------------------------------------------------------------------ libp2p signals and DHT query bounds

LIBP2P = """import { createLibp2p } from 'libp2p'

export class OceanP2P {
  async start(peerInfo) {
    this._libp2p
      .dial(peerInfo.id, {
        signal: AbortSignal.timeout(10000)
      })
      .catch(() => {})
    // a dial timeout of 30 s is mentioned in this comment only
    const stored = await this._libp2p.peerStore.get(peerInfo.id, { signal: AbortSignal.timeout(3000) })
  }

  async findPeerInDht(peerName: string, timeout?: number) {
    const data = await this._libp2p.peerRouting.findPeer(peer, {
      signal:
        isNaN(timeout) || timeout === 0
          ? AbortSignal.timeout(5000)
          : AbortSignal.timeout(timeout),
      useCache: false
    })
    return data
  }

  async sendTo(peerName: string, message: string) {
    const options = {
      signal: AbortSignal.timeout(10_000),
      priority: 100
    }
    const connection = await this._libp2p.dial(multiaddrs, options)
    const stream = await connection.newStream(this._protocol, options)
    return stream
  }

  async getProvidersForString(input: string, timeout?: number) {
    const f = this._libp2p.contentRouting.findProviders(cid, {
      queryFuncTimeout: timeout || 20000
    } as any)
    return f
  }
}
"""


def test_libp2p_operation_signals_and_query_timeouts():
    found = _found("src/components/P2P/index.ts", LIBP2P)
    assert found[(6, "timeout")] == 10000          # at the chained `.dial(` line
    assert found[(15, "timeout")] == 5000          # the fallback when no timeout is given (rule a)
    assert found[(27, "timeout")] == 10000         # one shared options signal, at its `signal:` line
    assert (30, "timeout") not in found and (31, "timeout") not in found
    assert found[(36, "timeout")] == 20000         # queryFuncTimeout: timeout || 20000 (rule a)
    # the peer store is local: no call bounded; the comment is no setting
    assert (10, "timeout") not in found and (11, "timeout") not in found


def test_libp2p_query_timeout_default_is_published_for_callers():
    result = _result("src/components/P2P/index.ts", LIBP2P)
    assert result.symbols["OceanP2P.getProvidersForString.$timeout_default:1"].value == 20000


def test_signal_outside_libp2p_is_not_read_here():
    source = LIBP2P.replace("import { createLibp2p } from 'libp2p'", "import { x } from './x'") \
        .replace("_libp2p", "_client").replace("libp2p", "")
    found = _found("src/p2p.ts", source)
    assert (27, "timeout") not in found and (36, "timeout") not in found


# ------------------------------------------------------------------ an env class's getters; constructor fallbacks

ENV_CLASS = """export class EnvironmentVariables {
	private GOVUKNOTIFY_MAX_RETRIES = process.env.GOVUKNOTIFY_MAX_RETRIES;
	private readonly ISSUER = process.env.ISSUER;

	constructor(logger: Logger) {
		if (!this.GOVUKNOTIFY_MAX_RETRIES || this.GOVUKNOTIFY_MAX_RETRIES.trim().length === 0) {
			this.GOVUKNOTIFY_MAX_RETRIES = "3";
			logger.warn("GOVUKNOTIFY_MAX_RETRIES env var is not set. Setting to default - 3");
		}
	}

	maxRetries(): number {
		return +this.GOVUKNOTIFY_MAX_RETRIES!;
	}

	issuer(): string {
		return this.ISSUER!;
	}
}
"""

ENV_READER = """import { EnvironmentVariables } from "./EnvironmentVariables";

export class SendEmailService {
  private readonly environmentVariables: EnvironmentVariables;

  async send(message) {
  	let retryCount = 0;
  	while (retryCount <= this.environmentVariables.maxRetries()) {
  		try {
  			return await this.client.sendEmail(message);
  		} catch (err) {
  			retryCount++;
  			await sleep(1000);
  		}
  	}
  }
}
"""


def test_env_class_getter_publishes_the_variable_with_the_written_default():
    symbols = _result("src/services/EnvironmentVariables.ts", ENV_CLASS).symbols
    retries = symbols["EnvironmentVariables.maxRetries.$return"]
    assert retries.var == "GOVUKNOTIFY_MAX_RETRIES" and retries.default.value == 3
    assert symbols["EnvironmentVariables.issuer.$return"].default is None


def test_env_class_getter_is_read_through_a_typed_field():
    result = _result("src/services/SendEmailService.ts", ENV_READER)
    loop = next(f for f in result.findings if f.kind == "retry" and f.line == 8)
    assert "EnvironmentVariables.maxRetries.$return" in repr(loop.pending)


CONFIG_CLASS = """export class TypesenseConfig {
  numRetries: number
  connectionTimeoutSeconds: number
  logLevel: string

  constructor(options: TypesenseConfigOptions) {
    this.numRetries = options.numRetries || 3
    this.connectionTimeoutSeconds = options.connectionTimeoutSeconds || 5
    this.logLevel = options.logLevel || 'debug'
  }
}
"""


def test_constructor_fallbacks_publish_the_typed_members():
    symbols = _result("src/components/database/typesenseConfig.ts", CONFIG_CLASS).symbols
    assert symbols["$typed:TypesenseConfig.numRetries"].value == 3
    assert symbols["$typed:TypesenseConfig.connectionTimeoutSeconds"].value == 5
    assert "$typed:TypesenseConfig.logLevel" not in symbols


# ------------------------------------------------------------------ a bound copied from a constructor-filled field

YOTI = """export class YotiService {
	readonly FETCH_YOTI_SESSION_MAX_RETRIES: number;
	static instance: YotiService;

	constructor(logger: Logger, FETCH_YOTI_SESSION_MAX_RETRIES: number) {
		this.FETCH_YOTI_SESSION_MAX_RETRIES = FETCH_YOTI_SESSION_MAX_RETRIES
		this.logger = logger;
	}

	static getInstance(logger: Logger): YotiService {
		if (!YotiService.instance) {
			const { FETCH_YOTI_SESSION_MAX_RETRIES } = process.env;
			YotiService.instance = new YotiService(
				logger,
				Number(FETCH_YOTI_SESSION_MAX_RETRIES),
			);
		}
		return YotiService.instance;
	}

	async makeRetryableYotiRequest(yotiRequest: () => any) {
		let retryCount = 0;
		const maxRetries = this.FETCH_YOTI_SESSION_MAX_RETRIES;
		while (retryCount <= maxRetries) {
			const yotiResponse = await yotiRequest();
			if (!yotiResponse.isError) {
				return yotiResponse
			}
			if (retryCount === maxRetries) {
				throw new Error("cannot get response");
			}
			await sleep(1000);
			retryCount++;
		}
	}
}
"""


def test_local_copy_of_a_constructor_field_is_a_forwarder_proposed_at_the_construction():
    result = _result("src/services/YotiService.ts", YOTI)
    assert "$forwarder:24:3:retry" in result.symbols          # the loop itself: dropped
    assert result.symbols["YotiService.$attempts_param:1"] is not None
    proposal = [f for f in result.findings if f.kind == "retry" and f.line == 13]
    assert proposal and proposal[0].detector == "javascript.wrapper_call"


# ------------------------------------------------------------------ fetch wrapped by a retrying package

FETCH_RETRY = """import fetchRetry from "@vercel/fetch-retry";
import makeRetrying from "fetch-retry";

export class QuirrelClient {
  constructor(args) {
    this.fetch = args.fetch ?? fetchRetry(fetch);
    this.other = makeRetrying(fetch, { retries: 2, retryDelay: 500 });
  }
}

function retryFetch(f) { return f; }
const local = retryFetch(fetch);
"""


def test_fetch_retry_package_defaults_and_options():
    found = _found("src/client/index.ts", FETCH_RETRY)
    assert found[(6, "retry")] == 6     # @vercel/fetch-retry: 5 retries by default
    assert found[(7, "retry")] == 3     # fetch-retry with `retries: 2`
    assert (12, "retry") not in found   # a function of the project, not the package


# ------------------------------------------------------------------ Elasticsearch's ping timeout

ES = """import { Client } from '@elastic/elasticsearch'
import { Server } from 'socket.io'

export function connect(url: string) {
  const client = new Client({
    node: url,
    requestTimeout: 30000,
    pingTimeout: 3000,
    maxRetries: 3
  })
  const io = new Server(httpServer, { pingTimeout: 20000 })
  return { client, io }
}
"""


def test_elasticsearch_ping_timeout_is_a_setting_socket_io_ping_is_not_read():
    result = _result("src/db/es.ts", ES)
    found = {(f.line, f.kind): f.attributes.get("timeout_ms") for f in result.findings
             if f.kind == "timeout" and f.detector == "javascript.client_options"}
    assert found[(7, "timeout")] == 30000
    assert found[(8, "timeout")] == 3000
    assert (11, "timeout") not in found   # socket.io's server-side ping (inbound)


# ------------------------------------------------------------------ a timeout assigned to an axios config later

ASSIGNED = """import axios, { AxiosRequestConfig } from 'axios'

export async function request(url: string, skip: boolean) {
  const requestOptions: AxiosRequestConfig = { method: 'GET', url }
  if (skip !== true) {
    requestOptions.timeout = 5 * 1000
  }
  return await axios(requestOptions)
}

export function timer(job) {
  const state = { name: job.name }
  state.timeout = 30000
  return state
}
"""


def test_timeout_assigned_to_an_axios_config_after_it_is_built():
    found = _found("src/api.ts", ASSIGNED)
    assert found[(6, "timeout")] == 5000
    assert (13, "timeout") not in found   # a record's field, handed to no request


# ------------------------------------------------------------------ a call raced against a timer in a promise

RACED = """export class Blockchain {
  private async detectNetwork(): Promise<ConnectionStatus> {
    const provider = await this.getProvider()
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        resolve({ ready: false, error: 'TIMEOUT' })
      }, 3000)
      provider
        .getBlock('latest')
        .then((block) => {
          clearTimeout(timeout)
          resolve({ ready: block.hash !== null })
        })
    })
  }

  sleep(ms: number) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), ms)
      this.timers.push(timer)
    })
  }

  heartbeat() {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.log('slow') }, 5000)
      this.ping().then(() => { clearTimeout(timer); resolve(true) })
    })
  }
}
"""


def test_timer_settling_a_promise_bounds_the_call_that_clears_it():
    found = _found("src/utils/blockchain.ts", RACED)
    assert found[(5, "timeout")] == 3000
    assert (19, "timeout") not in found   # a delay: nothing is raced against it
    assert (26, "timeout") not in found   # the timer only logs: the promise waits for the ping
