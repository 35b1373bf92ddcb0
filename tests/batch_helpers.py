"""A batch worker that dies on one variant, as a crash or the kernel's OOM killer would."""

from __future__ import annotations

import os

from jobdesc.batch import Job, Outcome, render_job

DOOMED = "account-manager_gb_en-GB"


def dying_worker(job: Job) -> Outcome:
    if job.variant.stem == DOOMED:
        os._exit(137)
    return render_job(job)
