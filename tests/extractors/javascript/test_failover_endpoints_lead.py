"""Round 20 (lead): a failover loop walks endpoints. Loops over phases, rooms, fetchers or local folders that
return the first answer are searches (coral-talk, matrix-appservice-discord, passport, cross-seed)."""

from __future__ import annotations

from tests.extractors.javascript.test_round20_js1 import _found


def _loop(element: str, listed: str, call: str) -> str:
    return (f"async function first(x) {{\n  for (const {element} of {listed}) {{\n    try {{\n"
            f"      const answer = await {call};\n      if (answer) {{\n        return answer;\n      }}\n"
            f"    }} catch (e) {{\n      last = e;\n    }}\n  }}\n}}\n")


def test_nameservers_tried_in_turn_are_a_failover():
    assert _found(_loop("ns", "authoritativeNameServers", "this.query(x, 'A', ns)")) == {(2, "retry", None)}


def test_an_index_loop_over_servers_with_the_server_taken_in_the_body_is_a_failover():
    source = """async function fetchFromPeers(path) {
  for (let i = 0; i < config.REPLICATION.SERVERS.length; i++) {
    const server = config.REPLICATION.SERVERS[(i + offset) % config.REPLICATION.SERVERS.length];
    try {
      const result = await query(`https://${server}${path}`);
      if (result) {
        return result;
      }
    } catch (e) {
      last = e;
    }
  }
}
"""
    assert _found(source) == {(2, "retry", None)}


def test_phases_rooms_and_fetchers_tried_in_turn_are_searches():
    assert _found(_loop("phase", "phases", "processPhase(ctx, phase)")) == set()
    assert _found(_loop("room", "rooms", "client.getRoomStateEvent(room, 'm.room.canonical_alias', '')")) == set()
    assert _found(_loop("fetcher", "sbtFetchers", "fetcher(address)")) == set()


def test_local_link_directories_tried_in_turn_are_no_failover():
    assert _found(_loop("linkDir", "linkDirs", "linkFile(src, join(linkDir, name))")) == set()


def test_a_variable_named_retry_urls_in_a_string_is_no_loop():
    source = "const note = 'for (const url of urls) { try { return await fetch(url) } catch (e) {} }';\n"
    assert _found(source) == set()
