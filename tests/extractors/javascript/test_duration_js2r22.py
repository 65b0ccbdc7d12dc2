"""Round 22 (TypeScript, js2): durations made with dayjs / moment / Luxon read as milliseconds (a round-21
request: `dayjs.duration(30, 'seconds')`)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor

SOURCE = """import dayjs from 'dayjs';
import moment from 'moment';
import { Duration } from 'luxon';
import axios from 'axios';
const A = dayjs.duration(30, 'seconds').asMilliseconds();
const B = dayjs.duration({ minutes: 2, seconds: 5 }).asMilliseconds();
const C = moment.duration(1, 'minute').asMilliseconds();
const D = Duration.fromObject({ seconds: 45 }).toMillis();
const E = dayjs.duration(90, 'fortnights').asMilliseconds();
const F = dayjs().add(30, 'seconds').valueOf();
export const a = (u: string) => axios.get(u, { timeout: A });
export const b = (u: string) => axios.get(u, { timeout: B });
export const c = (u: string) => axios.get(u, { timeout: C });
export const d = (u: string) => axios.get(u, { timeout: D });
export const e = (u: string) => axios.get(u, { timeout: E });
export const f = (u: string) => axios.get(u, { timeout: F });
"""


def _timeouts():
    result = JavascriptExtractor().extract("src/client.ts", SOURCE.encode())
    return {f.line: f.attributes.get("timeout_ms") for f in result.findings if f.kind == "timeout"
            and not any(p.attribute == "$keep_if" for p in f.pending)}


def test_durations_of_date_libraries_are_milliseconds():
    found = _timeouts()
    assert found.get(11) == 30000
    assert found.get(12) == 125000
    assert found.get(13) == 60000
    assert found.get(14) == 45000


def test_an_unknown_unit_or_a_point_in_time_is_no_duration():
    found = _timeouts()
    assert found.get(15) is None
    assert found.get(16) is None
