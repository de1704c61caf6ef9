"""The README's Python example runs as printed, through the short public names of the facade."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

ROOT = Path(__file__).resolve().parents[2]


def test_readme_python_example_runs() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    assert blocks, "README.md has no ```python example"
    matplotlib.use("Agg")
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 (our own README)
    bp = namespace["bp"]
    ratio = namespace["ratio"]
    # the example's objects are what the text says they are
    assert bp.break_dates() == tuple(float(d) for d in bp.break_dates())
    assert all(s == d + 1 for s, d in zip(bp.regime_starts(), bp.break_dates(), strict=True))
    assert ratio.index.names == ["vintage", "year"]


def test_short_public_names() -> None:
    import ewp_stats
    from ewp_stats import breaks, claims, data, did, eras, funding, synth, xinjiang

    assert breaks.breakpoints and synth.synth_control and did.did_single_treated
    assert eras.eras_analysis and funding.composition and xinjiang.xinjiang_synth
    assert claims.audit and data.load
    assert {"breaks", "synth", "did", "eras", "funding", "xinjiang", "claims", "data"} <= set(dir(ewp_stats))
