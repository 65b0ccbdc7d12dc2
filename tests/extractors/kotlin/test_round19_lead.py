"""Kotlin round 19 (lead, tiltakspenger-datadeling): a client class whose constructor defaults two timeouts
(`connectTimeout: Duration = 60.seconds, timeout: Duration = 60.seconds`) and hands them by name to a library's
transport and config constructors: counted there (rule a) and at each construction leaving them out (rule b),
one finding per parameter even when the two defaults are equal."""
from __future__ import annotations

from tests.extractors.kotlin.support import scan_service

CLIENT = '''package app
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import no.nav.libs.httpklient.HttpKlient
import no.nav.libs.httpklient.HttpKlientConfig
import no.nav.libs.httpklient.JavaHttpTransport

class ArenaHttpClient(
    baseUrl: String,
    connectTimeout: Duration = 60.seconds,
    timeout: Duration = 60.seconds,
    transport: JavaHttpTransport = JavaHttpTransport(connectTimeout = connectTimeout),
) {
    private val klient = HttpKlient(
        config = HttpKlientConfig(
            timeout = timeout,
        ),
        transport = transport,
    )
}
'''

CONTEXT = '''package app

class ApplicationContext {
    val arena by lazy {
        ArenaHttpClient(
            baseUrl = "http://arena",
        )
    }
    val fast by lazy {
        ArenaHttpClient(baseUrl = "http://arena", connectTimeout = 2.seconds, timeout = 5.seconds)
    }
    val timeoutLabel = "timeout = 60 seconds"
}
'''


def test_a_construction_leaving_two_equal_defaulted_timeouts_out_gets_both(tmp_path):
    found = scan_service(tmp_path, {"src/main/kotlin/app/ArenaHttpClient.kt": CLIENT,
                                    "src/main/kotlin/app/ApplicationContext.kt": CONTEXT})
    context = [f for f in found if f[0] == "ApplicationContext.kt"]
    # both defaults at the call leaving them out (rule b), not one of the two
    assert [f for f in context if f[1] == 5] == [("ApplicationContext.kt", 5, "timeout", 60000),
                                                 ("ApplicationContext.kt", 5, "timeout", 60000)]
    # the helper's own settings from its defaults (rule a)
    assert ("ArenaHttpClient.kt", 12, "timeout", 60000) in found
    assert ("ArenaHttpClient.kt", 16, "timeout", 60000) in found
    # a call passing both keeps its own values, and gets no default; the string is no setting
    assert not [f for f in context if f[1] in (10, 12) and f[3] == 60000]
