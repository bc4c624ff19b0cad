"""Check many files in parallel: a process pool, or a Dask cluster when asked.

Results always come back in the order of the input files, whatever the parallelism, so
output and exit codes do not depend on ``--jobs``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from markings.config import Config
from markings.findings import Report

_CFG: Config | None = None

# Below this many files per worker a pool costs more than it saves.
_MIN_FILES_PER_JOB = 2


def default_jobs() -> int:
    """Number of usable CPU cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _init(cfg: Config) -> None:
    global _CFG
    _CFG = cfg


def _check_one(path: str) -> Report:
    from markings.engine import check_file

    return check_file(path, config=_CFG)


def _check_with(path: str, cfg: Config) -> Report:
    from markings.engine import check_file

    return check_file(path, config=cfg)


def map_files(files: Sequence[str], cfg: Config, jobs: int, *,
              scheduler: str | None = None,
              progress: Callable[[int], None] | None = None) -> list[Report]:
    """One :class:`Report` per file, in the order of ``files``.

    ``jobs`` worker processes (1: in this process). ``scheduler`` is a ``dask.distributed``
    scheduler address; the files are then checked on that cluster. ``progress`` is called
    with the number of files done after each file.
    """
    if scheduler:
        return _map_dask(files, cfg, scheduler)
    jobs = max(1, min(jobs, len(files) // _MIN_FILES_PER_JOB or 1))
    if jobs == 1:
        out = []
        for i, f in enumerate(files, 1):
            out.append(_check_with(f, cfg))
            if progress:
                progress(i)
        return out
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(32, len(files) // (jobs * 4) or 1))
    results: list[Report] = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(cfg,)) as pool:
        for i, rep in enumerate(pool.map(_check_one, files, chunksize=chunk), 1):
            results.append(rep)
            if progress:
                progress(i)
    return results


def _check_batch(paths: Sequence[str], cfg: Config) -> list[Report]:
    from markings.engine import check_file

    return [check_file(p, config=cfg) for p in paths]


def _map_dask(files: Sequence[str], cfg: Config, address: str, *,
              batch: int = 64) -> list[Report]:
    """Check ``files`` on a Dask cluster, ``batch`` files per task, in input order.

    ``address`` is a scheduler address (``tcp://host:8786``) or ``local`` for a
    :class:`dask.distributed.LocalCluster` on this machine. Workers must see the same paths
    (a shared filesystem), since documents are read where they are checked: their text is
    never shipped over the network by markings.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise RuntimeError("--dask needs dask.distributed: pip install 'markings[dask]'") \
            from exc
    chunks = [list(files[i:i + batch]) for i in range(0, len(files), batch)]
    if address == "local":
        cluster = LocalCluster(n_workers=default_jobs(), threads_per_worker=1,
                               processes=True, dashboard_address=None, host="127.0.0.1")
        client = Client(cluster)
    else:
        cluster = None
        client = Client(address)
    try:
        futures = client.map(_check_batch, chunks, cfg=cfg, pure=False)
        return [rep for reports in client.gather(futures) for rep in reports]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
