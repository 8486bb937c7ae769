"""Memory of the web application: one deduce per process, shared by every thread.

Goal (issue 2): deduce alone holds about 1.2 GB, so the web application must
not hold one copy per worker. ``plaatsbaar serve`` runs one process with
waitress's worker threads; the core keeps one deduce instance per process
(:mod:`plaatsbaar.core.detectors.deduce_engine`). This benchmark serves the
real WSGI application with waitress on a free local port in this process
(4 threads, as ``plaatsbaar serve``), on a throw-away SQLite database, and
sends checks through the API from several client threads at once. It prints
the process's peak memory (max RSS) before the first check, after it, and
after the concurrent checks: the last two should be about equal (one copy).

    python benchmarks/bench_web_memory.py [--clients 8] [--checks 25]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

TEXTS = [
    "Wat een mooie sportdag hadden we vandaag met groep 5!",
    "Sem de Vries uit groep 5 woont aan de Kerkstraat 12 in Utrecht.",
    "Bel juf Anne op 06-12345678 als Noor ziek is.",
    "Op persoonlijke titel: ik vind de nieuwe schoolgids erg mooi geworden.",
]


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(data_dir: str) -> str:
    """Django on a fresh SQLite database in ``data_dir``; a staff member and an API key; returns the key."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(PLAATSBAAR_DEV="1", PLAATSBAAR_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="plaatsbaar.web.settings_dev")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from plaatsbaar.web.api.services import issue_token
    from plaatsbaar.web.organisation.models import Board, Role, School, StaffRole

    school = School.objects.create(board=Board.objects.create(name="Stichting Meting"), name="De Meetlat")
    user = get_user_model().objects.create_user(username="meter", password="geheim-wachtwoord-1")
    StaffRole.objects.create(user=user, board=school.board, school=school, role=Role.STAFF)
    _, secret = issue_token(user, "benchmark")
    return secret


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int) -> None:
    """waitress with the real WSGI application, 4 threads, in a daemon thread."""
    import logging

    import waitress
    from django.core.wsgi import get_wsgi_application

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" is the point here
    application = get_wsgi_application()
    threading.Thread(target=waitress.serve, args=(application,),
                     kwargs={"host": "127.0.0.1", "port": port, "threads": 4, "_quiet": True}, daemon=True).start()


def check(port: int, secret: str, text: str) -> str:
    """POST one post to /api/v1/check/; returns the verdict."""
    body = json.dumps({"protocol": "lucas-onderwijs", "post": {"text": text, "channel": "facebook"}}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/check/", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)["verdict"]


def wait_until_up(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("de webapplicatie start niet")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="client threads sending checks at once")
    parser.add_argument("--checks", type=int, default=25, help="checks per client thread")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        secret = setup(data_dir)
        port = free_port()
        serve(port)
        wait_until_up(port)
        print(f"web application up (waitress, 4 threads): peak {peak_mb():.0f} MB")
        started = time.perf_counter()
        verdict = check(port, secret, TEXTS[0])
        print(f"first check ({verdict}, loads deduce): {time.perf_counter() - started:.1f} s, peak {peak_mb():.0f} MB")
        after_first = peak_mb()
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            jobs = [pool.submit(check, port, secret, TEXTS[i % len(TEXTS)]) for i in range(args.clients * args.checks)]
            verdicts = [job.result() for job in jobs]
        elapsed = time.perf_counter() - started
        print(f"{len(verdicts)} checks from {args.clients} clients at once: {len(verdicts) / elapsed:.0f} checks/s, "
              f"peak {peak_mb():.0f} MB (+{peak_mb() - after_first:.0f} MB after the first check: one deduce per process)")


if __name__ == "__main__":
    main()
