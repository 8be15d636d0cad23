"""Businesses of one province side by side: inside a zone, exchange requests between runs so that
each run holds as many requests of one province as possible (a run with n requests of a province
can give them n − 1 same-province pairs). Exchanges keep every run's booth count, so the packing
stays valid. A quick hill climb, used as stage 2's starting point."""

MAX_ROUNDS = 20


def _province(request):
    return request.province or f"#{request.id}"


def cluster_runs(runs, placed, run_of) -> dict:
    """Improve {request id: run index} for the requests `placed` in the zone of `runs`."""
    run_of = dict(run_of)
    room = {run.index: run.length for run in runs}
    count = {run.index: {} for run in runs}
    for request in placed:
        u = run_of[request.id]
        room[u] -= request.booths_needed
        province = _province(request)
        count[u][province] = count[u].get(province, 0) + 1
    fits = {request.id: {run.index for run in runs if run.accepts(request)} for request in placed}

    def loss(u, province):  # change in pairs when one request of `province` leaves run u
        return -1 if count[u].get(province, 0) >= 2 else 0

    def gain(u, province):  # change in pairs when one request of `province` joins run u
        return 1 if count[u].get(province, 0) >= 1 else 0

    def shift(request, u, v):
        province = _province(request)
        count[u][province] -= 1
        count[v][province] = count[v].get(province, 0) + 1
        room[u] += request.booths_needed
        room[v] -= request.booths_needed
        run_of[request.id] = v

    for _ in range(MAX_ROUNDS):
        improved = False
        for a in placed:
            u, pa = run_of[a.id], _province(a)
            # Move into a run with room.
            for v in fits[a.id]:
                if v != u and room[v] >= a.booths_needed and loss(u, pa) + gain(v, pa) > 0:
                    shift(a, u, v)
                    improved = True
                    break
            else:
                # Exchange with a request of the same size in another run.
                for b in placed:
                    v, pb = run_of[b.id], _province(b)
                    if v == u or pb == pa or b.booths_needed != a.booths_needed:
                        continue
                    if v not in fits[a.id] or u not in fits[b.id]:
                        continue
                    delta = loss(u, pa) + loss(v, pb)
                    count[u][pa] -= 1
                    count[v][pb] -= 1
                    delta += gain(u, pb) + gain(v, pa)
                    count[u][pa] += 1
                    count[v][pb] += 1
                    if delta > 0:
                        shift(a, u, v)
                        shift(b, v, u)
                        improved = True
                        break
        if not improved:
            break
    return run_of
