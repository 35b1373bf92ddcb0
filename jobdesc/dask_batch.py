"""A batch on a Dask cluster: ``jobdesc batch --dask ADDRESS`` (``pip install jobdesc[dask]``).

The worker stays the pure function of its job that the local pool runs (``render_job``);
it only gets its inputs from the client instead of a shared disk and gives the files'
bytes back instead of writing them:
- the client packs the profiles folder, the organisation files outside it and an
  organisation's own templates into one archive, scattered once to every worker, which
  unpacks it once per process;
- the client writes each returned file atomically, so workers need no shared disk.
Skip-unchanged, the report and the state file are the local pool's, in the client. Crash
isolation is Dask's: a task whose worker dies is retried elsewhere, and one that keeps
killing workers ends as KilledWorker, which fails that variant only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from .batch import Job, Outcome, render_job
from .bundle import Bundle
from .errors import UsageError
from .house_style import style_files
from .paths import TEMPLATES
from .writing import write_atomically

_UNPACKED: dict[str, Path] = {}  # archive digest -> folder, in each worker process


def run_on_dask(jobs: list[Job], address: str, report: Callable[[Outcome], None]) -> None:
    """Render ``jobs`` on the cluster at ``address``, writing and reporting each as it comes."""
    try:
        from distributed import Client, as_completed
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker
    except ImportError:
        raise UsageError("--dask needs Dask's distributed scheduler: pip install 'jobdesc[dask]'") from None
    if not jobs:
        return
    archive, remote = _pack(jobs)
    try:
        client = Client(address, timeout="20s")
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        [shared] = client.scatter([archive], broadcast=True)
        futures = {client.submit(render_remote, job, shared, pure=False): original for job, original in remote}
        for future in as_completed(futures):
            job = futures[future]
            try:
                outcome: Outcome = future.result()
            except (KilledWorker, FutureCancelledError) as exc:
                outcome = Outcome(job.variant, "failed", error=f"the worker died rendering this variant ({exc})")
            for fmt, data in outcome.outputs.items():
                write_atomically(job.out_dir / f"{job.variant.stem}.{fmt}", data)
            outcome.outputs = {}
            report(outcome)


def render_remote(job: Job, archive: bytes) -> Outcome:
    """On a worker: the job with its inputs unpacked from ``archive``, rendered in memory."""
    digest = hashlib.sha256(archive).hexdigest()
    if digest not in _UNPACKED:
        folder = Path(tempfile.mkdtemp(prefix="jobdesc-dask-"))
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        _UNPACKED[digest] = folder
    root = _UNPACKED[digest]
    templates = root / "templates" if (root / "templates").is_dir() else TEMPLATES
    folders = [root / "profiles" / str(i) for i in range(len(job.bundle.folders))]
    local = dataclasses.replace(
        job,
        bundle=Bundle(folders[0], tuple(folders[1:])),
        organisation=root / job.organisation,
        options=dataclasses.replace(job.options, templates=templates),
    )
    return render_job(local, write=False)


def _pack(jobs: list[Job]) -> tuple[bytes, list[tuple[Job, Job]]]:
    """One archive of every input the jobs read, and each job with its paths made relative to it."""
    folders = [folder.resolve() for folder in jobs[0].bundle.folders]
    options = jobs[0].options
    buffer = io.BytesIO()
    remote = []
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for i, folder in enumerate(folders):
            tar.add(folder, arcname=f"profiles/{i}")
        if options.templates.resolve() != TEMPLATES.resolve():
            tar.add(options.templates, arcname="templates")
        outside: dict[Path, str] = {}
        for job in jobs:
            organisation = job.organisation.resolve()
            inside = next((i for i, folder in enumerate(folders) if organisation.is_relative_to(folder)), None)
            if inside is not None:
                relative = Path("profiles") / str(inside) / organisation.relative_to(folders[inside])
            else:
                if organisation not in outside:
                    packed = f"organisations/{len(outside)}"  # the file with its logo beside it
                    outside[organisation] = f"{packed}/{organisation.name}"
                    tar.add(organisation, arcname=outside[organisation])
                    for path in style_files(organisation):
                        tar.add(path, arcname=f"{packed}/{path.relative_to(organisation.parent).as_posix()}")
                relative = Path(outside[organisation])
            remote.append((dataclasses.replace(job, organisation=relative), job))
    return buffer.getvalue(), remote
