"""Round 17 (lead, ruby): keyword timeouts of a multi-line Typhoeus / RestClient / Excon call are
reported at the option's own line (the Ruby sets' convention since round 15), a one-line call's at
the call."""

from __future__ import annotations

from .support import settled_values


def test_multi_line_typhoeus_options_are_reported_at_their_lines() -> None:
    source = (
        "class Client\n"
        "  def get(url)\n"
        "    Typhoeus.get(url,\n"
        "      headers: { 'Accept' => 'application/json' },\n"
        "      timeout: 10)\n"
        "  end\n"
        "\n"
        "  def post(url, body)\n"
        "    Typhoeus.post(url, body: body, timeout: 20)\n"
        "  end\n"
        "end\n")
    found = settled_values(source)
    assert (5, "timeout", 10000) in found
    assert (3, "timeout", 10000) not in found
    assert (9, "timeout", 20000) in found


def test_multi_line_rest_client_and_excon_options_at_their_lines() -> None:
    source = (
        "def test_connection(url)\n"
        "  RestClient::Request.execute(\n"
        "    method: :head,\n"
        "    url: url,\n"
        "    timeout: 5,\n"
        "    open_timeout: 2\n"
        "  )\n"
        "end\n"
        "\n"
        "def nomis\n"
        "  Excon.new(URL,\n"
        "    persistent: true,\n"
        "    connect_timeout: 3, read_timeout: 4)\n"
        "end\n")
    found = settled_values(source)
    assert (5, "timeout", 5000) in found and (6, "timeout", 2000) in found
    assert (13, "timeout", 3000) in found and (13, "timeout", 4000) in found
    assert not any(line in (2, 11) for line, kind, _ in found if kind == "timeout")


def test_the_word_timeout_in_a_string_or_comment_is_no_option() -> None:
    source = (
        "# Typhoeus.get(url,\n"
        "#   timeout: 10)\n"
        "def say\n"
        "  Typhoeus.get(URL,\n"
        "    headers: { 'X-Note' => 'timeout: 10' })\n"
        "end\n")
    assert [v for v in settled_values(source) if v[1] == "timeout"] == []
