from contract_discovery.model import FileResult, Finding, Pending, Service, Target
from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding, resolve_findings
from contract_discovery.values import BinOp, Call, Env, Num, Ref, Str, Tuple, Unknown


def timeout_finding(path, expr, scale=1000.0):
    return Finding(kind="timeout", path=path, line=3, column=1, end_line=3, end_column=9, language="python",
                   detector="python.requests", attributes={"timeout_ms": None, "phase": "total",
                                                           "resolved_from": "unresolved", "expression": "x"},
                   pending=(Pending("timeout_ms", expr, scale),))


def test_imported_constant_from_another_module_of_the_service():
    config = FileResult("svc/app/config.py", "python", symbols={"BASE": Num(0.25), "RISK_TIMEOUT": BinOp("*", Ref("BASE"), Num(2))},
                        module="svc.app.config")
    user = FileResult("svc/app/client.py", "python", imports={"RISK_TIMEOUT": "app.config.RISK_TIMEOUT"}, module="svc.app.client")
    resolver = Resolver([config, user])
    out = resolve_finding(timeout_finding(user.path, Ref("RISK_TIMEOUT")), user, resolver, ServiceIndex([]))
    assert out.attributes["timeout_ms"] == 500
    assert out.attributes["resolved_from"] == "constant"
    assert out.pending == ()


def test_a_name_a_package_re_exports_is_looked_up_where_it_comes_from():
    conf = FileResult("shop/shop/connectors/conf.py", "python", symbols={"TIMEOUT": Num(15)},
                      module="shop.connectors.conf")
    package = FileResult("shop/shop/connectors/__init__.py", "python",
                         imports={"TIMEOUT": "shop.connectors.conf.TIMEOUT", "LOOP": "shop.connectors.LOOP"},
                         module="shop.connectors")
    user = FileResult("shop/shop/views.py", "python",
                      imports={"TIMEOUT": "shop.connectors.TIMEOUT", "LOOP": "shop.connectors.LOOP",
                               "GONE": "shop.connectors.GONE"}, module="shop.views")
    resolver = Resolver([conf, package, user])
    out = resolve_finding(timeout_finding(user.path, Ref("TIMEOUT")), user, resolver, ServiceIndex([]))
    assert (out.attributes["timeout_ms"], out.attributes["resolved_from"]) == (15000, "constant")
    # a re-export of itself, or of a name nobody defines, stays unresolved (and ends)
    for name in ("LOOP", "GONE"):
        assert resolve_finding(timeout_finding(user.path, Ref(name)), user, resolver, ServiceIndex([])).attributes["timeout_ms"] is None


def test_a_constant_behind_a_tsconfig_path_alias_resolves_from_the_aliased_module():
    # import { DEFAULT_REQUEST_TIMEOUT } from '@acme/common/config' with "@acme/common/*": ["libs/common/src/lib/*"]
    config = FileResult("libs/common/src/lib/config.ts", "javascript", symbols={"DEFAULT_REQUEST_TIMEOUT": Num(60000)},
                        module="libs/common/src/lib/config")
    user = FileResult("apps/api/src/market-data.service.ts", "javascript",
                      imports={"DEFAULT_REQUEST_TIMEOUT": "@acme/common/config.DEFAULT_REQUEST_TIMEOUT"},
                      module="apps/api/src/market-data.service")
    resolver = Resolver([user], ts_aliases=[("@acme/common/*", ["libs/common/src/lib/*"])],
                        all_modules={"libs/common/src/lib/config": [config]})
    out = resolve_finding(timeout_finding(user.path, Ref("DEFAULT_REQUEST_TIMEOUT"), 1.0), user, resolver, ServiceIndex([]))
    assert out.attributes["timeout_ms"] == 60000


def test_a_library_project_reads_config_keys_from_the_apps_that_reference_it():
    lib = FileResult("Blog.Extensions/EventBus.cs", "csharp", module="Blog.Extensions")
    app = FileResult("Blog.Api/appsettings.json", "appsettings", symbols={"RabbitMQ:RetryCount": Num(3)})
    worker = FileResult("Blog.Worker/appsettings.json", "appsettings", symbols={"RabbitMQ:RetryCount": Num(3)})
    resolver = Resolver([lib], dependents=[[app], [worker]])
    out = resolve_finding(timeout_finding(lib.path, Ref("RabbitMQ:RetryCount"), 1.0), lib, resolver, ServiceIndex([]))
    assert (out.attributes["timeout_ms"], out.attributes["resolved_from"]) == (3, "config")
    # Spring: core-common's @Value("${nakadi.kafka.request.timeout.ms}") from the app's application.yml
    common = FileResult("core-common/src/main/java/KafkaSettings.java", "java", module="org.zalando.KafkaSettings")
    yml = FileResult("app/src/main/resources/application.yml", "spring", symbols={"nakadi.kafka.request.timeout.ms": Num(30000)})
    out = resolve_finding(timeout_finding(common.path, Ref("nakadi.kafka.request.timeout.ms"), 1.0), common,
                          Resolver([common], dependents=[[yml]]), ServiceIndex([]))
    assert out.attributes["timeout_ms"] == 30000
    # two apps that disagree: no value (each app runs the library with its own)
    other = FileResult("Blog.Admin/appsettings.json", "appsettings", symbols={"RabbitMQ:RetryCount": Num(9)})
    out = resolve_finding(timeout_finding(lib.path, Ref("RabbitMQ:RetryCount"), 1.0), lib,
                          Resolver([lib], dependents=[[app], [other]]), ServiceIndex([]))
    assert out.attributes["timeout_ms"] is None
    # the library's own config wins over its apps'
    own = FileResult("Blog.Extensions/appsettings.json", "appsettings", symbols={"RabbitMQ:RetryCount": Num(5)})
    out = resolve_finding(timeout_finding(lib.path, Ref("RabbitMQ:RetryCount"), 1.0), lib,
                          Resolver([lib, own], dependents=[[app]]), ServiceIndex([]))
    assert out.attributes["timeout_ms"] == 5


def test_django_settings_and_env_default_lower_confidence():
    settings = FileResult("risk/risk/settings.py", "python",
                          symbols={"VENDOR_TIMEOUT": Call("float", (Env("VENDOR_TIMEOUT", Str("2.5")),))}, module="risk.risk.settings")
    user = FileResult("risk/risk/scoring.py", "python", imports={"settings": "django.conf.settings"}, module="risk.risk.scoring")
    out = resolve_finding(timeout_finding(user.path, Ref("settings.VENDOR_TIMEOUT")), user, Resolver([settings, user]), ServiceIndex([]))
    assert (out.attributes["timeout_ms"], out.attributes["resolved_from"], out.confidence) == (2500, "env_default", "medium")


def test_settings_object_reads_the_one_settings_class_field():
    # settings = get_app_settings(); AsyncOpenAI(timeout=settings.OPENAI_REQUEST_TIMEOUT)
    settings = FileResult("app/core/settings/settings.py", "python",
                          symbols={"AppSettings.OPENAI_REQUEST_TIMEOUT": Num(60), "AppSettings.SMTP_TIMEOUT": Num(10),
                                   "MailSettings.SMTP_TIMEOUT": Num(30)}, module="app.core.settings.settings")
    user = FileResult("app/services/openai.py", "python", module="app.services.openai")
    resolver = Resolver([settings, user])
    out = resolve_finding(timeout_finding(user.path, Ref("settings.OPENAI_REQUEST_TIMEOUT")), user, resolver, ServiceIndex([]))
    assert (out.attributes["timeout_ms"], out.attributes["resolved_from"]) == (60000, "constant")
    # Two settings classes define the field: which one this object is cannot be told.
    out = resolve_finding(timeout_finding(user.path, Ref("settings.SMTP_TIMEOUT")), user, resolver, ServiceIndex([]))
    assert out.attributes["timeout_ms"] is None


def test_a_pair_from_another_module_splits_into_connect_and_read():
    # from .settings import SUPPORT_TIMEOUT; requests.post(url, timeout=SUPPORT_TIMEOUT)
    settings = FileResult("disputes/app/settings.py", "python", module="app.settings",
                          symbols={"SUPPORT_TIMEOUT": Tuple((Num(2), Num(10))), "ONLY_CONNECT": Tuple((Num(3), Unknown("None"))),
                                   "PLAIN": Num(4)})
    user = FileResult("disputes/app/worker.py", "python", module="app.worker",
                      imports={"SUPPORT_TIMEOUT": "app.settings.SUPPORT_TIMEOUT", "ONLY_CONNECT": "app.settings.ONLY_CONNECT",
                               "PLAIN": "app.settings.PLAIN"})
    resolver = Resolver([settings, user])
    out = resolve_findings(timeout_finding(user.path, Ref("SUPPORT_TIMEOUT")), user, resolver, ServiceIndex([]))
    assert [(f.attributes["phase"], f.attributes["timeout_ms"], f.attributes["resolved_from"], f.pending) for f in out] == [
        ("connect", 2000, "constant", ()), ("read", 10000, "constant", ())]
    out = resolve_findings(timeout_finding(user.path, Ref("ONLY_CONNECT")), user, resolver, ServiceIndex([]))
    assert [(f.attributes["phase"], f.attributes["timeout_ms"]) for f in out] == [("connect", 3000)]
    out = resolve_findings(timeout_finding(user.path, Ref("PLAIN")), user, resolver, ServiceIndex([]))
    assert [(f.attributes["phase"], f.attributes["timeout_ms"]) for f in out] == [("total", 4000)]


def test_config_env_value_wins_over_default():
    user = FileResult("a.py", "python")
    out = resolve_finding(timeout_finding("a.py", Env("T", Str("1"))), user, Resolver([user], env={"T": "3"}), ServiceIndex([]))
    assert (out.attributes["timeout_ms"], out.attributes["resolved_from"]) == (3000, "config")


def test_unresolvable_stays_null_with_expression():
    user = FileResult("a.py", "python")
    out = resolve_finding(timeout_finding("a.py", Ref("mystery.VALUE")), user, Resolver([user]), ServiceIndex([]))
    assert out.attributes["timeout_ms"] is None and out.attributes["resolved_from"] == "unresolved"
    assert out.attributes["expression"] == "x"


def test_urls_and_names_map_to_services():
    index = ServiceIndex([Service("risk", "services/risk-service"), Service("payment", "payment")],
                         {"gw.example.com": "payment"})
    assert index.from_url("http://risk-service:8080/score") == ("risk", True)
    assert index.from_url("http://risk.default.svc.cluster.local/score") == ("risk", True)
    assert index.from_url("https://gw.example.com/x") == ("payment", True)
    assert index.from_url("https://api.stripe.com/v1") == (None, False)
    assert index.from_url("/relative") == (None, False)
    assert index.from_name("RISK_SERVICE_URL") == ("risk", True)
    assert index.from_name("settings.PAYMENT_URL") == ("payment", True)
    assert index.from_name("riskServiceUrl") == ("risk", True)
    assert index.from_name("LEDGER_SERVICE_URL") == ("ledger", False)
    assert index.from_name("retry_count") == (None, False)


def test_url_pending_resolves_through_env_default():
    user = FileResult("c.py", "python", symbols={"RISK": Env("RISK_SERVICE_URL", Str("http://risk:8080"))})
    finding = Finding(kind="outbound_call", path="c.py", line=1, column=1, end_line=1, end_column=2, language="python",
                      detector="python.requests", attributes={"protocol": "http", "method": "POST", "url": None},
                      pending=(Pending("url", BinOp("+", Ref("RISK"), Str("/score")), None),))
    out = resolve_finding(finding, user, Resolver([user]), ServiceIndex([Service("risk", "risk")]))
    assert out.target == Target(service="risk", operation=None, url="http://risk:8080/score")
    assert out.attributes["url"] == "http://risk:8080/score"


def test_terraform_variables_do_not_leak_across_modules():
    a = FileResult("infra/a/vars.tf", "terraform", symbols={"var.t": Num(30)}, module="infra/a")
    b = FileResult("infra/b/main.tf", "terraform", symbols={"var.t": Num(99)}, module="infra/b")
    user = FileResult("infra/a/main.tf", "terraform", module="infra/a")
    resolver = Resolver([a, b, user])
    out = resolve_finding(timeout_finding(user.path, Ref("var.t")), user, resolver, ServiceIndex([]))
    assert (out.attributes["timeout_ms"], out.attributes["resolved_from"]) == (30000, "config")
    lonely = FileResult("infra/c/main.tf", "terraform", module="infra/c")
    out = resolve_finding(timeout_finding(lonely.path, Ref("var.t")), lonely, Resolver([a, b, lonely]), ServiceIndex([]))
    assert out.attributes["timeout_ms"] is None


def test_go_import_paths_match_package_folders():
    config = FileResult("orders/internal/config/config.go", "go", symbols={"ShutdownGrace": Num(15000)},
                        module="orders/internal/config")
    user = FileResult("orders/main.go", "go", imports={"config": "example.com/orders/internal/config"}, module="orders")
    out = resolve_finding(timeout_finding(user.path, Ref("config.ShutdownGrace"), 1.0), user, Resolver([config, user]),
                          ServiceIndex([]))
    assert (out.attributes["timeout_ms"], out.attributes["resolved_from"]) == (15000, "constant")


def test_tfvars_values_win_over_variable_defaults():
    from extractors.tfvars.extractor import EXTRACTOR as TFVARS

    tfvars = TFVARS.extract("infra/terraform.tfvars", b'lambda_timeout = 40\nname = "risk"\nneg = -1\nlist = [1]\n')
    assert dict(tfvars.symbols) == {"var.lambda_timeout": Num(40.0), "var.name": Str("risk"), "var.neg": Num(-1.0)}
    main = FileResult("infra/main.tf", "terraform", symbols={"var.lambda_timeout": Num(10)}, module="infra")
    out = resolve_finding(timeout_finding(main.path, Ref("var.lambda_timeout")), main, Resolver([main, tfvars]),
                          ServiceIndex([]))
    assert (out.attributes["timeout_ms"], out.attributes["resolved_from"]) == (40000, "config")


def test_a_service_reads_its_config_server_file_by_application_name():
    """config-repo/product-composite.yml (served by a Spring Cloud Config server) sets the retry
    that product-composite's @Retry names; another service's file does not leak in."""
    from contract_discovery.model import FileResult
    from contract_discovery.resolve import Resolver
    from contract_discovery.values import Num, Str

    own = FileResult("composite/src/main/resources/application.yml", "spring",
                     symbols={"spring.application.name": Str("product-composite")})
    code = FileResult("composite/src/main/java/Integration.java", "java")
    repo = FileResult("config-repo/product-composite.yml", "spring", symbols={
        "$spring-app:product-composite:resilience4j.retry.instances.product.maxAttempts": Num(3)})
    other = FileResult("config-repo/review.yml", "spring", symbols={
        "$spring-app:review:resilience4j.retry.instances.product.maxAttempts": Num(9),
        "$spring-app:review:only.review": Num(1)})
    resolver = Resolver([own, code], app_files=[repo, other], service="composite")
    lookup = resolver.lookup_for(code)
    assert lookup("resilience4j.retry.instances.product.maxAttempts")[0] == Num(3)
    assert lookup("only.review") is None
    # By service name when no spring.application.name is set.
    by_name = Resolver([code], app_files=[other], service="review").lookup_for(code)
    assert by_name("resilience4j.retry.instances.product.maxAttempts")[0] == Num(9)


def test_module_input_literal_from_callers_in_different_folders():
    child = "infra/modules/queue"
    queue = FileResult(f"{child}/main.tf", "terraform", module=child, symbols={"var.max_redrives": Num(2)})

    def caller(folder, label, value):
        return FileResult(f"{folder}/main.tf", "terraform", module=folder, symbols={
            f"$module:{child}:{label}": Str(label), f"$module:{child}:{label}:var.max_redrives": value})

    same = [caller("infra/prod", "q", Num(4)), caller("infra/staging", "q", Num(4))]
    lookup = Resolver([queue, *same]).lookup_for(queue)
    assert lookup("var.max_redrives")[0] == Num(4)
    differ = [caller("infra/prod", "q", Num(4)), caller("infra/staging", "q", Num(6))]
    found = Resolver([queue, *differ]).lookup_for(queue)("var.max_redrives")
    assert isinstance(found[0], Unknown)
    # the same expression naming each caller's own variable is not one value
    refs = [caller("infra/prod", "q", Ref("var.n")), caller("infra/staging", "q", Ref("var.n"))]
    found = Resolver([queue, *refs]).lookup_for(queue)("var.max_redrives")
    assert isinstance(found[0], Unknown)


def test_go_import_path_matches_a_folder_by_its_trailing_segments():
    config = FileResult("services/orders/internal/config/config.go", "go", module="services/orders/internal/config",
                        symbols={"DefaultTimeout": Num(1500)})
    other = FileResult("services/billing/internal/config/config.go", "go", module="services/billing/internal/config",
                       symbols={"DefaultTimeout": Num(9000)})
    user = FileResult("services/orders/cmd/main.go", "go", module="services/orders/cmd",
                      imports={"config": "github.com/acme/orders/internal/config"})
    lookup = Resolver([config, other, user]).lookup_for(user)
    assert lookup("config.DefaultTimeout")[0] == Num(1500)
    # only `internal/config` in common with two folders: which one cannot be told
    vague = FileResult("services/x/main.go", "go", module="services/x", imports={"config": "example.com/lib/internal/config"})
    assert Resolver([config, other, vague]).lookup_for(vague)("config.DefaultTimeout") is None


def test_a_url_variable_named_after_a_role_names_no_service():
    from contract_discovery.model import Service
    index = ServiceIndex([Service(name="risk", path="risk")])
    assert index.from_name("remoteServiceBaseUrl") == (None, False)
    assert index.from_name("BACKEND_SERVICE_URL") == (None, False)
    assert index.from_name("riskServiceUrl") == ("risk", True)
    assert index.from_name("LEDGER_SERVICE_URL") == ("ledger", False)


def test_a_url_with_unknowable_parts_keeps_its_literal_host_and_marks_the_rest():
    from contract_discovery.resolve import _with_placeholders
    from contract_discovery.values import BinOp, Call, Env, Ref, Str
    lookup = {"BASE": (Str("http://orders:8080"), "constant")}.get
    assert _with_placeholders(Call("concat", (Str("http://orders:8080/orders/"), Ref("orderId"), Str("/labels"))),
                              lookup) == "http://orders:8080/orders/{orderId}/labels"
    assert _with_placeholders(BinOp("+", BinOp("+", Ref("BASE"), Str("/orders/")), Ref("req.id")), lookup) == \
        "http://orders:8080/orders/{id}"
    # the host itself is unknown, or not followed by a path: no URL (a host is never guessed)
    assert _with_placeholders(Call("concat", (Str("http://"), Ref("host"), Str("/score"))), lookup) is None
    assert _with_placeholders(Call("concat", (Str("http://orders"), Ref("suffix"))), lookup) is None
    assert _with_placeholders(BinOp("+", Env("ORDERS_URL", None), Str("/orders")), lookup) is None
    assert _with_placeholders(Ref("orderId"), lookup) is None


def test_loopback_and_ipv6_any_addresses_name_no_service():
    from contract_discovery.model import Service
    from contract_discovery.resolve import ServiceIndex
    index = ServiceIndex([Service(name="email", path="src/email", languages=("python",))])
    for url in ("[::]:8080", "http://[::1]:50051/x", "127.0.0.2:9000", "http://localhost:8080", "0.0.0.0:80"):
        assert index.from_url(url) == (None, False), url
    assert index.from_url("email:8080") == ("email", True)
    assert index.from_url("http://email.shop.svc.cluster.local:8080/send") == ("email", True)


def test_a_field_of_whichever_settings_class_is_known_only_when_one_class_has_it():
    # Kotlin: `(host, config) -> client.head(host, config.connectTimeout)` names no class for `config`:
    # `$kotlin-setting.<field>` stands for the field of the service's settings class that has it
    def settings(path, cls, ms):
        return FileResult(path, "kotlin", symbols={f"{cls}.connectTimeout": Num(ms),
                                                   "$kotlin-setting.connectTimeout": Ref(f"{cls}.connectTimeout")},
                          module="app")
    user = FileResult("app/Client.kt", "kotlin", module="app")
    finding = timeout_finding(user.path, Ref("$kotlin-setting.connectTimeout"), 1.0)
    one = Resolver([settings("app/HttpConfig.kt", "HttpConfig", 2000), user])
    assert resolve_finding(finding, user, one, ServiceIndex([])).attributes["timeout_ms"] == 2000
    two = Resolver([settings("app/HttpConfig.kt", "HttpConfig", 2000), settings("app/MailConfig.kt", "MailConfig", 9000), user])
    out = resolve_finding(finding, user, two, ServiceIndex([]))
    assert out.attributes["timeout_ms"] is None and out.attributes["resolved_from"] == "unresolved"


def test_a_go_config_key_two_config_files_set_differently_is_unknown():
    # `cfg.Redis.Timeout` read from config.yaml (`$go-config:redis.timeout`): one value when the
    # service's config files agree, none when config.dev.yaml and config.prod.yaml differ
    def config(path, seconds):
        return FileResult(path, "goconfig", symbols={"$go-config:redis.timeout": Num(seconds)})
    user = FileResult("cmd/api/main.go", "go", module="cmd/api")
    finding = timeout_finding(user.path, Ref("$go-config:redis.timeout"), 1000.0)
    for files, expected in (([config("config.yaml", 3)], 3000),
                            ([config("config.dev.yaml", 3), config("config.prod.yaml", 3)], 3000),
                            ([config("config.dev.yaml", 3), config("config.prod.yaml", 5)], None)):
        out = resolve_finding(finding, user, Resolver([*files, user]), ServiceIndex([]))
        assert out.attributes["timeout_ms"] == expected, files


def test_a_go_flag_or_config_field_default_is_config_not_a_constant():
    flags = FileResult("cmd/api/flags.go", "go", module="cmd/api",
                       symbols={"$flag:timeout": Num(5), "DIAL_TIMEOUT": Num(2)})
    user = FileResult("cmd/api/main.go", "go", module="cmd/api")
    resolver = Resolver([flags, user])
    flag = resolve_finding(timeout_finding(user.path, Ref("$flag:timeout"), 1000.0), user, resolver, ServiceIndex([]))
    assert (flag.attributes["timeout_ms"], flag.attributes["resolved_from"]) == (5000, "config")
    const = resolve_finding(timeout_finding(user.path, Ref("DIAL_TIMEOUT"), 1000.0), user, resolver, ServiceIndex([]))
    assert (const.attributes["timeout_ms"], const.attributes["resolved_from"]) == (2000, "constant")


def test_a_name_imported_from_a_folder_is_the_one_file_below_it_that_defines_it():
    # import { DataService } from '@app/b' (b/index.ts: export * from './data.service'); a namesake
    # class in src/a must not answer for it
    def service(folder, scale):
        return FileResult(f"src/{folder}/data.service.ts", "javascript", module=f"src/{folder}/data.service",
                          symbols={"DataService.fetchIt.$timeout_param:1": Num(scale)})
    a, b = service("a", 1.0), service("b", 10.0)
    for source in ("@app/b", "./b"):
        imported = "src/b" if source == "./b" else source
        user = FileResult("src/main.ts", "javascript", module="src/main", imports={"DataService": f"{imported}.DataService"})
        resolver = Resolver([a, b, user], ts_aliases=[("@app/*", ["src/*"])])
        finding = timeout_finding(user.path, BinOp("*", Num(3), Ref("DataService.fetchIt.$timeout_param:1")), 1.0)
        assert resolve_finding(finding, user, resolver, ServiceIndex([])).attributes["timeout_ms"] == 30, source
    # two files below the folder define it: which one the barrel exports cannot be told here
    c = FileResult("src/b/other/data.service.ts", "javascript", module="src/b/other/data.service",
                   symbols={"DataService.fetchIt.$timeout_param:1": Num(100.0)})
    user = FileResult("src/main.ts", "javascript", module="src/main", imports={"DataService": "src/b.DataService"})
    resolver = Resolver([b, c, user], ts_aliases=[("@app/*", ["src/*"])])
    finding = timeout_finding(user.path, BinOp("*", Num(3), Ref("DataService.fetchIt.$timeout_param:1")), 1.0)
    assert resolve_finding(finding, user, resolver, ServiceIndex([])).attributes["timeout_ms"] != 300
