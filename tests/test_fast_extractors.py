"""The extractors' speed-ups answer exactly what the plain versions answer.

Each fast helper of the third speed pass (issue 3) is checked here against the
obvious loop it replaced.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from khaosan.extractors import figures

_SPAN = st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=300)
@given(st.lists(_SPAN, max_size=12), _SPAN)
def test_blocked_hit_is_any_overlap(spans, probe):
    s, e = probe
    plain = any(bs < e and be > s for bs, be in spans)
    assert figures._Blocked(spans).hit(s, e) == plain
