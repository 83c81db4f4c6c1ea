"""Identical requests, grouped: the LP sees a class of groups as one request of their total size.

Two groups with the same visits (zone, preferred, window, duration, in the same order) have the
same itineraries and the same cost per person, so in the LP relaxation they are interchangeable
and only their total size matters. Sizes differ, which is why the integer schedule still places
groups one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import Problem


@dataclass(frozen=True)
class Classes:
    """Class of each group (`of_group`), one group per class (`representative`), and per class
    its total people (`mass`) and number of groups (`count`)."""

    of_group: np.ndarray
    representative: np.ndarray
    mass: np.ndarray
    count: np.ndarray

    @property
    def n(self) -> int:
        return len(self.representative)

    def members(self) -> list[np.ndarray]:
        """Group indices of each class (ascending)."""
        order = np.argsort(self.of_group, kind="stable")
        bounds = np.cumsum(self.count)[:-1]
        return np.split(order, bounds)


def group_classes(problem: Problem) -> Classes:
    """Group identical requests."""
    key = np.concatenate(
        [
            problem.n_visits[:, None],
            problem.zone,
            problem.preferred,
            problem.earliest,
            problem.latest,
            problem.duration,
        ],
        axis=1,
    )
    if problem.n_groups == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Classes(empty, empty, empty, empty)
    _, first, inverse, count = np.unique(
        key, axis=0, return_index=True, return_inverse=True, return_counts=True
    )
    inverse = inverse.reshape(-1)
    mass = np.bincount(inverse, weights=problem.size, minlength=len(first)).astype(np.int64)
    return Classes(of_group=inverse, representative=first, mass=mass, count=count)
