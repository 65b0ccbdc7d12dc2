import pytest

from contract_discovery.values import BinOp, Call, Env, Evaluated, Num, Ref, Str, Tuple, duration_text_ms, evaluate, normalise_ms


def lookup_from(table):
    return lambda name: (table[name], "constant") if name in table else None


def test_literals_arithmetic_and_conversions():
    assert evaluate(Num(0.2)).value == 0.2 and evaluate(Num(0.2)).resolved_from == "literal"
    expr = BinOp("*", Call("float", (Str("2.5"),)), Num(2))
    assert evaluate(expr).value == 5.0
    assert evaluate(Call("int", (Str("7"),))).value == 7.0
    assert evaluate(Call("timedelta", kwargs=(("seconds", Num(3)), ("milliseconds", Num(500))))).value == 3.5


def test_env_default_and_constants_provenance():
    e = evaluate(Call("float", (Env("RISK_TIMEOUT", Str("0.5")),)))
    assert (e.value, e.resolved_from) == (0.5, "env_default")
    e = evaluate(BinOp("*", Ref("BASE"), Num(2)), lookup_from({"BASE": Num(3)}))
    assert (e.value, e.resolved_from) == (6, "constant")


def test_unknowns_are_never_guessed():
    assert evaluate(Ref("NOPE"), lookup_from({})).resolved_from == "unresolved"
    assert evaluate(Env("X")).value is None
    assert evaluate(BinOp("/", Num(1), Num(0))).value is None
    assert evaluate(Call("mystery", (Num(1),))).value is None
    assert evaluate(BinOp("+", Str("a"), Num(1))).value is None


def test_cycles_terminate():
    table = {"A": Ref("B"), "B": Ref("A")}
    assert evaluate(Ref("A"), lookup_from(table)).value is None


def test_normalise_ms():
    assert normalise_ms(200.0) == 200 and isinstance(normalise_ms(200.0), int)
    assert normalise_ms(0.1 * 3 * 1000) == 300
    assert normalise_ms(12.3456) == 12.346
    assert normalise_ms(None) is None


def test_string_concatenation_and_interpolation():
    table = {"BASE": Env("RISK_URL", Str("http://risk:8080"))}
    assert evaluate(BinOp("+", Ref("BASE"), Str("/score")), lookup_from(table)).value == "http://risk:8080/score"
    e = evaluate(Call("concat", (Ref("BASE"), Str("/v"), Num(2))), lookup_from(table))
    assert (e.value, e.resolved_from) == ("http://risk:8080/v2", "env_default")
    assert evaluate(Call("concat", (Ref("NOPE"), Str("/x"))), lookup_from({})).value is None


def test_coalesce_takes_the_first_value_that_resolves():
    table = {"resilience4j.retry.configs.default.maxAttempts": Num(5)}
    expr = Call("coalesce", (Ref("resilience4j.retry.instances.risk.maxAttempts"),
                             Ref("resilience4j.retry.configs.default.maxAttempts"), Num(3)))
    e = evaluate(expr, lookup_from(table))
    assert (e.value, e.resolved_from) == (5, "constant")
    assert evaluate(Call("coalesce", (Ref("x"), Num(3))), lookup_from({})).value == 3
    assert evaluate(Call("coalesce", (Ref("x"),)), lookup_from({})).value is None


# --- duration strings ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, ms", [
    ("500ms", 500), ("1.5s", 1500), ("1m30s", 90_000), ("2h", 7_200_000), ("300s", 300_000), ("1d", 86_400_000),
    ("30 seconds", 30_000), ("5 min", 300_000), ("2 sec", 2000), ("100 millis", 100), (" 10s ", 10_000),
    ("PT30S", 30_000), ("pt0.5s", 500), ("PT1M30S", 90_000), ("P1DT2H", 93_600_000), ("PT1,5S", 1500),
    ("00:00:30", 30_000), ("00:01:00.5", 60_500), ("1.02:00:00", 93_600_000), ("-1s", -1000), ("0s", 0),
])
def test_duration_text_in_every_common_notation(text, ms):
    assert duration_text_ms(text) == ms


@pytest.mark.parametrize("text", ["30", "0", "", "P", "PT", "timeout", "30 parsecs", "1x", "s", "00:61:00",
                                  "12:30", "10s later", None, 30, "1s" * 40])
def test_not_a_duration_text(text):
    assert duration_text_ms(text) is None


def test_duration_ms_reads_a_string_or_a_number_in_its_bare_unit():
    lookup = {"TIMEOUT": (Str("45s"), "config"), "SECS": (Num(3), "constant"), "NAME": (Str("risk"), "constant")}.get
    got = evaluate(Call("duration_ms", (Ref("TIMEOUT"),)), lookup)
    assert (got.value, got.resolved_from) == (45_000, "config")
    assert evaluate(Call("duration_ms", (Ref("SECS"),), (("bare", Num(1000)),)), lookup).value == 3000
    assert evaluate(Call("duration_ms", (Ref("SECS"),)), lookup).value is None  # a bare number needs its unit
    assert evaluate(Call("duration_ms", (Ref("NAME"),), (("bare", Num(1000)),)), lookup).value is None
    assert evaluate(Call("duration_ms", (Ref("MISSING"),), (("bare", Num(1)),)), lookup).value is None


def test_a_pair_scales_part_by_part():
    from contract_discovery.values import Tuple
    got = evaluate(BinOp("*", Ref("T"), Num(1000)), {"T": (Tuple((Num(2), Num(18))), "constant")}.get)
    assert (got.value, got.resolved_from) == ((2000.0, 18000.0), "constant")
    assert evaluate(BinOp("*", Tuple((Num(3.05), Str("x"))), Num(1000))).value == (3050.0, None)
    assert evaluate(BinOp("+", Tuple((Num(1),)), Num(1))).value is None  # only scaling is defined on a pair


def test_first_of_a_list_is_its_first_element_and_a_scalar_is_itself():
    # `resolv.timeouts = DNS_TIMEOUTS` with `DNS_TIMEOUTS = [0.5, 2]`: the first try's bound
    lookup = {"DNS_TIMEOUTS": (Tuple((Num(0.5), Num(2))), "constant"), "ONE": (Num(3), "constant"),
              "EMPTY": (Tuple(()), "constant")}.get
    assert evaluate(BinOp("*", Call("first", (Ref("DNS_TIMEOUTS"),)), Num(1000)), lookup) == Evaluated(500.0, "constant")
    assert evaluate(Call("first", (Ref("ONE"),)), lookup) == Evaluated(3, "constant")
    assert evaluate(Call("first", (Ref("EMPTY"),)), lookup).value is None
    assert evaluate(Call("first", (Ref("MISSING"),)), lookup).value is None
    assert evaluate(Call("first", ())).value is None


def test_not_in_names_round11():
    # not_in(needle, *names): 1 when the needle is none of the names, 0 when it is one; unknown needle: unresolved
    table = {"SLOT": Str("max_sync_retries")}
    assert evaluate(Call("not_in", (Ref("SLOT"), Str("timeout"), Str("name"))), lookup_from(table)).value == 1.0
    assert evaluate(Call("not_in", (Ref("SLOT"), Str("max_sync_retries"))), lookup_from(table)).value == 0.0
    assert evaluate(Call("not_in", (Ref("NOPE"), Str("x"))), lookup_from(table)).value is None
    kept = Call("when", (Call("not_in", (Ref("SLOT"), Str("name"))), Num(4)))
    assert evaluate(kept, lookup_from(table)).value == 4
    dropped = Call("when", (Call("not_in", (Ref("SLOT"), Str("max_sync_retries"))), Num(4)))
    assert evaluate(dropped, lookup_from(table)).value is None


def test_dsn_param_reads_a_resolved_dsns_parameter():
    from contract_discovery.values import Call, Ref, Str, evaluate
    lookup = lookup_from({"A": Str("host=db connect_timeout=3"), "B": Str("postgres://db/x?sslmode=disable&connect_timeout=4"),
                          "C": Str("postgres://db/x")})
    assert evaluate(Call("dsn_param", (Ref("A"), Str("connect_timeout"))), lookup).value == 3.0
    assert evaluate(Call("dsn_param", (Ref("B"), Str("connect_timeout"))), lookup).value == 4.0
    assert evaluate(Call("dsn_param", (Ref("C"), Str("connect_timeout"))), lookup).value is None
    assert evaluate(Call("dsn_param", (Ref("D"), Str("connect_timeout"))), lookup).value is None
