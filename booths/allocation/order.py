"""Who stands next to whom inside one run: the order of its requests and empty booths.

The run is a path from its left end to its right end through its requests and empty booths;
two neighbours on the path add their pair value (same province +, competitors −), and the ends
count the fixed requests just outside the run. Start from requests grouped by province, then
improve by local search (moving one request or reversing a stretch) until no move helps.
"""

from .solver import pair_value

MAX_PASSES = 200


def order_run(run, members, left, right, objective) -> list:
    """The run's booths left to right as a list of requests (one entry per booth, None = empty)."""
    members = sorted(members, key=lambda r: (r.order, r.id))
    empty = run.length - sum(r.booths_needed for r in members)
    gaps = min(empty, len(members) + 1)
    nodes = [left, right, *members, *([None] * gaps)]
    weight = [[pair_value(objective, a, b) for b in nodes] for a in nodes]
    middle = list(range(2, len(nodes)))
    if any(weight[i][j] for i in range(len(nodes)) for j in range(len(nodes)) if i != j):
        middle = _improve([0, *_grouped(nodes, gaps), 1], weight)[1:-1]
    booths, extra = [], empty - gaps
    for node in middle:
        holder = nodes[node]
        if holder is None:
            booths.extend([None] * (1 + extra))
            extra = 0
        else:
            booths.extend([holder] * holder.booths_needed)
    booths.extend([None] * extra)
    return booths


def _grouped(nodes, gaps) -> list:
    """Requests of one province side by side: the left neighbour's province first, the right
    one's last, empty booths just before the right end's group."""
    left, right = nodes[0], nodes[1]
    groups = {}
    for index in range(2, len(nodes) - gaps):
        province = nodes[index].province or f"#{index}"
        groups.setdefault(province, []).append(index)
    first = left.province if left is not None else None
    last = right.province if right is not None else None
    order = sorted(groups, key=lambda p: (p != first, p == last, -len(groups[p])))
    empties = list(range(len(nodes) - gaps, len(nodes)))
    sequence = []
    for province in order:
        if province == last and province != first:
            sequence.extend(empties)
            empties = []
        sequence.extend(groups[province])
    return sequence + empties


def _improve(path, weight) -> list:
    """Local search on the path (ends fixed): move one node elsewhere, or reverse a stretch."""
    n = len(path)
    for _ in range(MAX_PASSES):
        improved = False
        for i in range(1, n - 2):  # reverse path[i..j]
            a, b = path[i - 1], path[i]
            for j in range(i + 1, n - 1):
                c, d = path[j], path[j + 1]
                if weight[a][c] + weight[b][d] > weight[a][b] + weight[c][d]:
                    path[i : j + 1] = reversed(path[i : j + 1])
                    improved = True
                    break
            if improved:
                break
        if not improved:
            improved = _relocate(path, weight)
        if not improved:
            return path
    return path


def _relocate(path, weight) -> bool:
    n = len(path)
    for p in range(1, n - 1):
        node, before, after = path[p], path[p - 1], path[p + 1]
        gain = weight[before][after] - weight[before][node] - weight[node][after]
        rest = path[:p] + path[p + 1 :]
        for q in range(len(rest) - 1):
            if q == p - 1:
                continue
            x, y = rest[q], rest[q + 1]
            if gain + weight[x][node] + weight[node][y] - weight[x][y] > 0:
                rest.insert(q + 1, node)
                path[:] = rest
                return True
    return False
