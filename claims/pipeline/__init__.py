"""The job pipeline: leases and heartbeats, progress and checkpoints, time limits, batches.

claims/jobs.py is the outbox (create, dispatch, run, sweep); this package holds what a long
job needs while it runs. The API a job handler uses is small:

- ``job_progress(job, done=0.4, claims=1200, checkpoint={"next": 1200})`` (progress.py):
  call it inside the transaction of each batch. It records the share of work done, the
  claims so far, an estimated end and the checkpoint *in that transaction*, so the
  checkpoint commits with the batch it follows and a rerun resumes exactly there. It also
  renews the run's lease, and raises ``LeaseLost`` (rolling the batch back) when another run
  has taken the job over, so no work is done twice.
- ``checkpointed_batches(job, items, size=500)`` (progress.py): yields ``items`` in slices
  from the job's checkpoint on, each inside its own ``transaction.atomic()``, and calls
  ``job_progress`` after each slice; an exception rolls back only the current slice.
- A handler registered with ``job_handler(kind, atomic=False)`` manages its own batches;
  ``job.checkpoint`` is what the last committed batch left (``{}`` on a first run).

While a job runs, a heartbeat thread (leases.py) renews its lease every
``JOB_HEARTBEAT_SECONDS`` for ``JOB_LEASE_SECONDS``; when a worker dies the lease runs out
and the redelivered message, or the sweeper, takes the job over within a minute.
limits.py derives each job's time limits from its size and refuses at submission what no
limit would let finish. extraction.py stores the engine's claims in bulk, batch by batch,
through bulk.py: set-based inserts and updates that write each row's history row with it.
"""
