"""``ewp-stats reproduce`` and ``verify``: byte-identical reruns and drift detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ewp_stats import data, reproduce
from ewp_stats.reporting.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("results_a")
    reproduce.reproduce(out, progress=False)
    return out


def test_two_runs_give_byte_identical_files(first_run: Path, tmp_path: Path) -> None:
    manifest = reproduce.reproduce(tmp_path, progress=False)
    files = sorted(p.relative_to(first_run).as_posix() for p in first_run.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    for rel in files:
        assert (first_run / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
    assert set(manifest["files"]) | {"manifest.json"} == set(files)
    assert any(f.endswith(".png") for f in files) and any(f.endswith(".svg") for f in files)


def test_manifest_records_checksums_and_versions(first_run: Path) -> None:
    import hashlib
    manifest = json.loads((first_run / "manifest.json").read_text())
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((first_run / rel).read_bytes()).hexdigest() == digest
    assert {"python", "ewp-stats", "numpy", "pandas", "scipy", "statsmodels"} <= set(manifest["versions"])


def test_fresh_results_match_the_committed_reference(first_run: Path) -> None:
    fresh = json.loads((first_run / "values.json").read_text())
    report = reproduce.compare(fresh, reproduce.reference_values())
    assert report.ok, report.summary()
    assert len(report.matched) > 500


def test_verify_catches_a_perturbed_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_load = data.load

    def perturbed(name: str):
        frame = real_load(name)
        if name == "east_west_ratio":
            frame.loc[("gcam_compendium", 1979), "west_gdp"] *= 1.001
            frame["ratio"] = frame["east_gdp"] / frame["west_gdp"]
        return frame

    monkeypatch.setattr(data, "load", perturbed)
    report = reproduce.verify(tmp_path, steps=["data"], progress=False)
    assert not report.ok
    drifted = {k for k, _, _ in report.drifted}
    assert "data/ratio/vintage=gcam_compendium/year=1979" in drifted
    assert "data/east_west_ratio/vintage=gcam_compendium/year=1979/west_gdp" in drifted
    assert "data/ratio/vintage=gcam_compendium/year=1997" not in drifted


def test_fresh_figures_match_the_committed_figure_reference(first_run: Path) -> None:
    manifest = json.loads((first_run / "manifest.json").read_text())
    result = reproduce.compare_figures(reproduce.figure_digests(manifest), reproduce.reference_figures())
    assert not (result["figures_changed"] or result["figures_missing"] or result["figures_new"]), result
    # every figure the book shows is in the reference: PNG and SVG of each
    assert len(result["figures_matched"]) >= 22
    assert {"figures/data__ratio_vintages.png", "figures/eras__ratio_nbs_2021.svg"} <= set(result["figures_matched"])


def test_verify_reports_a_changed_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = reproduce.reference_figures()
    key = "figures/data__ratio_vintages.png"
    tampered = dict(figures, **{key: "0" * 64})
    report = reproduce.verify(tmp_path, steps=["data"], figure_reference=tampered, progress=False)
    assert not report.ok and not report.drifted
    assert report.figures_changed == (key,)
    assert "figures/data__ratio_vintages.svg" in report.figures_matched
    assert not any(k.startswith("figures/eras__") for k in report.figures_matched + report.figures_missing)
    assert f"FIGURE CHANGED {key}" in report.summary()


def test_verify_cli_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = reproduce.reference_values()
    key = next(k for k in sorted(ref) if k.startswith("data/ratio/"))
    bad = dict(ref, **{key: ref[key] * 1.01})
    ref_path = tmp_path / "ref.json"
    ref_path.write_text(json.dumps(bad))
    assert main(["verify", "--out", str(tmp_path / "out"), "--reference", str(ref_path)]) == 1
    assert f"DRIFT   {key}" in capsys.readouterr().out


def test_an_unknown_step_is_an_input_error_naming_the_valid_steps(tmp_path: Path) -> None:
    from ewp_stats.errors import InputError
    from ewp_stats.reporting.glue import publish

    with pytest.raises(InputError, match=r"unknown step\(s\) 'bogus'.*valid steps: data, eras, eras_robustness, funding, xinjiang, claims"):
        reproduce.reproduce(tmp_path / "out", steps=["data", "bogus"])
    assert not (tmp_path / "out").exists(), "nothing is written before the steps are checked"
    with pytest.raises(InputError, match="'nope'"):
        publish("nope", figures=None, glue=False)
