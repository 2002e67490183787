"""The shipped model: a linear classifier over named sparse features, saved as one .npz file.

The file holds the feature names (words, lemmas and parse relations; never whole sentences), the weight
matrix, the biases, the labels and a JSON header with the training configuration. Prediction needs only
numpy: a softmax over the summed weights of the features a pair has.
"""

from __future__ import annotations

import io
import zipfile
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Sequence

import numpy as np

__all__ = ["LinearModel", "FORMAT"]

FORMAT = "dyad-pair-classifier/1"


def feature_values(features: Iterable[str], weights: dict[str, float]) -> dict[str, float]:
    """Binary features, scaled by the weight of their group (the part before '=')."""
    out: dict[str, float] = {}
    for name in features:
        out[name] = weights.get(name.split("=", 1)[0], 1.0)
    return out


@dataclass
class LinearModel:
    """Multinomial linear classifier: labels, feature vocabulary, weights [features x labels], biases."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    coef: np.ndarray
    intercept: np.ndarray
    group_weights: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """Class probabilities [rows x labels] for each row's feature names."""
        scores = np.tile(self.intercept.astype(np.float64), (len(rows), 1))
        for i, features in enumerate(rows):
            values = feature_values(features, self.group_weights)
            idx = [self.vocabulary[f] for f in values if f in self.vocabulary]
            if idx:
                vals = np.array([values[f] for f in values if f in self.vocabulary])
                scores[i] += vals @ self.coef[idx]
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: str | Path | BinaryIO) -> None:
        """Write the model as a compressed .npz (float16 weights)."""
        names = sorted(self.vocabulary, key=self.vocabulary.get)
        header = {"format": FORMAT, "labels": list(self.labels), "group_weights": self.group_weights, "meta": self.meta}
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            header=np.frombuffer(json.dumps(header, sort_keys=True).encode(), dtype=np.uint8),
            features=np.frombuffer("\n".join(names).encode(), dtype=np.uint8),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
        )
        data = buf.getvalue()
        if hasattr(path, "write"):
            path.write(data)
        else:
            Path(path).write_bytes(data)

    @classmethod
    def load(cls, path: str | Path | BinaryIO) -> "LinearModel":
        """Read a model written by `save`; a file of another kind is a ValueError."""
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(z["header"].tobytes().decode())
                names = z["features"].tobytes().decode().split("\n")
                coef, intercept = z["coef"].astype(np.float32), z["intercept"].astype(np.float32)
        except (KeyError, OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:  # JSON and Unicode errors are ValueErrors
            raise ValueError(f"not a dyad classifier model: {path} ({exc})") from exc
        if header.get("format") != FORMAT:
            raise ValueError(f"not a dyad classifier model: {path} (format {header.get('format')!r})")
        return cls(tuple(header["labels"]), {n: i for i, n in enumerate(names)}, coef, intercept,
                   header.get("group_weights", {}), header.get("meta", {}))
