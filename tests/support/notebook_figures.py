"""Tiny notebooks with figure outputs, as a chapter's executed notebook stores them (alt text
in the image output's metadata), for the tests of book/_ext/accessibility.py."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")


def png(colour: str) -> str:
    """A tiny PNG drawn by matplotlib (as a chapter's figure is), base64 as in a notebook."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    ax.bar([0, 1], [2, 3], color=colour)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def output(png: str, alt: str | None) -> dict:
    """An output as ``display(fig, metadata={"image/png": {"alt": alt}})`` stores it."""
    return {
        "output_type": "display_data",
        "data": {"image/png": png, "text/plain": "<Figure size 20x20 with 1 Axes>"},
        "metadata": {"image/png": {"alt": alt}} if alt is not None else {},
    }


def notebook(*outputs: dict) -> dict:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "cells": [
            {"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# Figures"},
            *(
                {
                    "cell_type": "code",
                    "id": f"c{k}",
                    "metadata": {},
                    "execution_count": k + 1,
                    "source": "figure(fig, alt=...)",
                    "outputs": [output],
                }
                for k, output in enumerate(outputs)
            ),
        ],
    }


HOSTILE_ALT = 'Bars: Jombang 40,1% <b>& "Pakis"</b> {term}`BKM` $x$'
