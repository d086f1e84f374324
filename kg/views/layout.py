"""Precomputed positions: a fixed seed, so a view is the same file every run."""

from __future__ import annotations

import networkx as nx

SEED = 7
WIDTH, HEIGHT = 1600, 1000


def positions(g: nx.Graph) -> dict[str, tuple[int, int]]:
    """Integer positions in a WIDTH×HEIGHT box, from a seeded spring layout on sorted nodes."""
    if g.number_of_nodes() == 0:
        return {}
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges))
    n = ordered.number_of_nodes()
    raw = nx.spring_layout(ordered, seed=SEED, k=1.6 / max(n, 1) ** 0.5, iterations=80)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        node: (round((x - min(xs)) / span_x * WIDTH - WIDTH / 2), round((y - min(ys)) / span_y * HEIGHT - HEIGHT / 2))
        for node, (x, y) in sorted(raw.items())
    }
