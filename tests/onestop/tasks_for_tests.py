"""Tasks the background-work tests run (real tasks of `django.tasks`, defined at module level as
every backend requires), and the database backend's own worker to run them in the test."""

from django_tasks_db.management.commands.db_worker import Worker

from onestop.tasks import Run, TemporaryFailure, background, export_file_save


def drain() -> None:
    """Run the database backend's own worker until the queue holds nothing ready."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@background(label="Tác vụ thử")
def flaky(run: Run, *, failures: int = 0, permanent: bool = False) -> dict:
    """Fails for good when `permanent`; otherwise fails for a while (`failures` attempts),
    then writes one file."""
    if permanent:
        raise ValueError("dữ liệu đầu vào hỏng")
    if run.record.attempts <= failures:
        raise TemporaryFailure(f"cổng SMS trả lời 503 (lần {run.record.attempts})")
    run.progress(1, 2, force=True)
    with run.finishing() as result:
        export_file_save(
            record=run.record, name="thu.txt", content=b"mot lan", content_type="text/plain"
        )
        result["attempt"] = run.record.attempts
    return run.result
