"""The book's numbers and figures are the ``reproduce`` results: :func:`~ewp_stats.reporting.glue.publish` glues them.

A chapter notebook calls ``out = publish("eras")`` once. That runs the step of
:data:`~ewp_stats.reporting.steps.STEPS` (the same function ``ewp-stats reproduce`` runs), glues
every value of the step under its ``values.json`` key (:func:`~ewp_stats.reporting.reproduce.step_values`)
and saves the step's figures with the same function and file names as ``reproduce``
(``figures/<step>__<name>.png`` and ``.svg``). The prose then quotes a number as
``{glue:text}`eras/chow/vintage=nbs_2021/measure=ratio/transform=level/test=2008/F:.2f``` and shows
a figure as ``figures/eras__ratio_nbs_2021.png``, so ``ewp-stats verify`` guards every number and
figure of the book.

The step runs with its dataset loads recorded (``ewp_stats.reporting.provenance.run_step``),
and its provenance chain is glued too, as JSON under ``_provenance/<step>``. The glue data is
part of the notebook's outputs, so it survives in a cached execution (jupyter-cache) exactly
like the numbers; the book's extension reads it to say, for each glued number, which step,
function, datasets and raw files it comes from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ewp_stats.reporting.figures.output import figure_path
from ewp_stats.reporting.provenance import (
    CHAIN_MIME,
    GLUE_PREFIX,
    StepProvenance,
    run_step,
)
from ewp_stats.reporting.reproduce import step_values
from ewp_stats.reporting.steps import StepOutput, select_steps

__all__ = ["figure_path", "publish"]


def publish(step: str, *, figures: str | Path | None = "figures", glue: bool = True) -> StepOutput:
    """Run one ``reproduce`` step, glue its values under their ``values.json`` keys and save its figures.

    Parameters
    ----------
    step
        A key of :data:`~ewp_stats.reporting.steps.STEPS`.
    figures
        Folder for the step's figures (relative to the notebook's working directory); ``None``
        writes no figure.
    glue
        Glue the values with ``myst_nb.glue`` (``False``: only run the step), and the step's
        provenance chain as JSON (``application/vnd.ewp-provenance+json``) under ``_provenance/<step>``.

    Returns
    -------
    StepOutput
        The step's tables, values and (closed) figures, for the notebook to display tables from.

    Raises
    ------
    ewp_stats.errors.InputError
        Unknown step.
    """
    import matplotlib.pyplot as plt

    from ewp_stats.reporting.figures.output import save_figure

    (step,) = select_steps([step])
    out, chain = run_step(step)
    if glue:
        from myst_nb import glue as myst_glue

        for key, value in step_values(step, out).items():
            myst_glue(key, value, display=False)
        myst_glue(GLUE_PREFIX + step, _JsonChain(chain), display=False)
    for name, fig in out.figures.items():
        if figures is not None:
            save_figure(fig, figure_path(step, name, folder=figures))
        plt.close(fig)
    return out


class _JsonChain:
    """A provenance chain that IPython displays as JSON of type ``CHAIN_MIME`` (for ``myst_nb.glue``)."""

    def __init__(self, chain: StepProvenance) -> None:
        self._chain = chain

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {CHAIN_MIME: self._chain.to_dict(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"<provenance of step {self._chain.step!r}>"
