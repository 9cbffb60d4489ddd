"""Many CVs at once: parallel builds on any executor, an incremental-build manifest, clean stops.

:func:`run_batch` turns :class:`~cvrender.api.Job` s into :class:`Outcome` s (built, up to date,
failed, cancelled), yielded as they finish. Each worker process (or thread) keeps one
:class:`~cvrender.api.Builder`, so fonts, stylesheets and Jinja environments stay warm.

Incremental builds: next to the PDFs, ``.cvrender-batch.json`` records for each profile the key
of its options (theme, backend, design, lab selection, cvrender version) and the signature
(size, modification time, content hash) of every file the build read: the profile, its .bib
files, the lab's shared .bib, the photo, the theme's files. A job whose key, files and PDF are
unchanged is not sent to a worker at all; deciding this imports neither WeasyPrint nor TeX.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import multiprocessing
import multiprocessing.context
import os
import re
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvrender.api import (
    DEFAULT_BACKEND,
    BatchBuildResult,
    Builder,
    BuildOptions,
    BuildResult,
    Job,
    Prepared,
    default_backend,
    options_for,
)
from cvrender.errors import CvrenderError, UsageError, Warnings
from cvrender.files import atomic_write

if TYPE_CHECKING:  # the lab module (pydantic models) is imported only when a lab file is built
    from cvrender.lab import MemberSelection

MANIFEST_NAME = ".cvrender-batch.json"
MANIFEST_FORMAT = 1

BUILT = "built"
UP_TO_DATE = "up_to_date"
FAILED = "failed"
CANCELLED = "cancelled"



@dataclass(frozen=True)
class Task:
    """One job, made absolute and checked; this is what travels to a worker."""

    index: int
    job: Job
    profile: Path
    out_dir: Path
    out_name: str | None
    options: BuildOptions
    member: MemberSelection | None = None
    emit_source: bool = False

    @property
    def output(self) -> str:
        """The output argument for the builder: a file, or a folder with a trailing separator."""
        return str(self.out_dir / self.out_name) if self.out_name else str(self.out_dir) + os.sep

    def key(self, version: str) -> str:
        """A digest of everything but the files: options, lab selection, cvrender version. No
        backend counts as HTML: asking whether WeasyPrint starts here would cost an up-to-date batch
        its import, and a PDF built with Typst instead stays a PDF of the same inputs."""
        options = {k: v for k, v in dataclasses.asdict(self.options).items() if k != "names"}  # not how errors read
        options["backend"] = options["backend"] or DEFAULT_BACKEND
        data = {"version": version, "options": options,
                "member": self.member.describe() if self.member else None,
                "out": self.out_name, "source": self.emit_source}
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@dataclass
class Outcome:
    """What became of one job."""

    job: Job
    status: str
    index: int = 0
    pdf_path: Path | None = None
    pages: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    error: CvrenderError | None = None
    result: BuildResult | None = None
    deps: dict[str, Any] = field(default_factory=dict)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the error by its type, arguments and attributes (its ``__init__`` may differ)."""
        state = dict(self.__dict__)
        if self.error is not None:
            state["error"] = (type(self.error), self.error.args, dict(self.error.__dict__))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild the error without calling its ``__init__``, so its message stays as it was."""
        error = state.get("error")
        if isinstance(error, tuple):
            cls, args, attributes = error
            rebuilt = cls.__new__(cls)
            rebuilt.args = args
            rebuilt.__dict__.update(attributes)
            state["error"] = rebuilt
        self.__dict__.update(state)

    @property
    def ok(self) -> bool:
        """True when the PDF exists and is current (built or up to date)."""
        return self.status in (BUILT, UP_TO_DATE)

    def as_result(self) -> BatchBuildResult | CvrenderError:
        """The result for :func:`cvrender.build_many`: a build result, or the job's error."""
        if self.error is not None:
            self.error.job = self.job  # type: ignore[attr-defined]
            return self.error
        base = self.result or BuildResult(self.pdf_path, self.pages, list(self.warnings))
        values = {f.name: getattr(base, f.name) for f in dataclasses.fields(BuildResult)}
        return BatchBuildResult(**values, job=self.job, status=self.status)


# ----- worker side --------------------------------------------------------------------------------

class _WorkerState(threading.local):
    builder: Builder | None = None


_state = _WorkerState()
_pool_worker = {"active": False, "busy": False, "stopping": False}


def _builder() -> Builder:
    """This thread's builder (one per worker process, or per thread for thread executors)."""
    if _state.builder is None:
        _state.builder = Builder()
    return _state.builder


def _on_sigint(signum: int, frame: Any) -> None:
    """In a pool worker: abort the running build and start no other (the batch is stopping)."""
    _pool_worker["stopping"] = True
    if _pool_worker["busy"]:
        _pool_worker["busy"] = False
        raise KeyboardInterrupt


def _on_sigterm(signum: int, frame: Any) -> None:
    """In a pool worker: exit through Python, so the running engine stops its TeX processes."""
    raise SystemExit(128 + signum)


def _worker_init() -> None:
    """Runs once in each process of the pool that :func:`process_pool` creates."""
    _pool_worker["active"] = True
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGTERM, _on_sigterm)


def signature(path: Path) -> list[Any] | None:
    """``[size, mtime_ns, content hash]`` of a file, or None when it does not exist."""
    try:
        stat = path.stat()
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, digest]


def stat_signature(path: Path) -> list[int] | None:
    """``[size, mtime_ns]`` of a file (enough to notice a PDF replaced or deleted), or None."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def listing(folder: Path) -> str:
    """A digest of the names of the files under ``folder`` (a theme gaining a template counts;
    hidden files, such as an editor's, do not)."""
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                   if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []
    return hashlib.blake2b("\n".join(names).encode(), digest_size=16).hexdigest()


def _dependencies(task: Task, prepared: Prepared | None) -> dict[str, Any]:
    """Every file the build read (as the build itself lists them), with its signature, and the
    listings of the theme's template folders for the format."""
    files: set[Path] = {task.profile}
    folders: set[Path] = set()
    if prepared is not None:
        files.update(prepared.inputs())
        folders.update(prepared.template_dirs())
    files.update(Path(b).resolve() for b in task.options.bib)
    if task.member:
        files.update(task.member.bib_files)
    return {"files": {str(p): signature(p) for p in sorted(files)},
            "folders": {str(p): listing(p) for p in sorted(folders)}}


def execute(task: Task) -> Outcome:
    """Build one task (in a worker); never raises for a failed build, only returns a failed outcome."""
    from cvrender.sources.loading import load_profile

    start = time.perf_counter()
    if _pool_worker["stopping"]:
        return Outcome(task.job, CANCELLED, task.index, error=CvrenderError("interrupted"))
    builder = _builder()
    warnings = Warnings()
    _pool_worker["busy"] = True
    try:
        source: Any = task.profile
        if task.member is not None:
            from cvrender.lab import apply_member

            loaded = load_profile(task.profile, task.options.locale)
            source = apply_member(loaded, task.member, warnings, theme=task.options.theme)
        result = builder.build(source, task.options, task.output, emit_source=task.emit_source)
        deps = _dependencies(task, result.prepared)
        result.prepared = None  # the theme and its Jinja environments stay in this worker
        for message in result.warnings:
            warnings.add(message)
        result.warnings = list(warnings.items)
        pdf = result.pdf_path
        deps["output"] = stat_signature(pdf) if pdf else None
        return Outcome(task.job, BUILT, task.index, pdf, result.pages, time.perf_counter() - start,
                       list(warnings.items), None, result, deps)
    except CvrenderError as exc:
        return Outcome(task.job, FAILED, task.index, seconds=time.perf_counter() - start,
                       warnings=list(warnings.items), error=exc)
    except KeyboardInterrupt:
        if not _pool_worker["active"]:
            raise
        return Outcome(task.job, CANCELLED, task.index, seconds=time.perf_counter() - start,
                       error=CvrenderError("interrupted"))
    except Exception as exc:  # a bug must not stop the other builds
        error = CvrenderError(f"internal error: {type(exc).__name__}: {exc}")
        return Outcome(task.job, FAILED, task.index, seconds=time.perf_counter() - start,
                       warnings=list(warnings.items), error=error)
    finally:
        _pool_worker["busy"] = False


# ----- the manifest -------------------------------------------------------------------------------

class Manifest:
    """``.cvrender-batch.json`` in an output folder: what each PDF was built from."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / MANIFEST_NAME
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == MANIFEST_FORMAT and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
        except (OSError, ValueError, AttributeError):
            pass

    def fresh(self, task: Task, key: str, files: SignatureCache) -> dict[str, Any] | None:
        """The entry of ``task`` if its PDF is current, else None."""
        entry = self.entries.get(str(task.profile))
        if not entry or entry.get("key") != key:
            return None
        output = entry.get("output")
        if not output or stat_signature(Path(output)) != entry.get("deps", {}).get("output"):
            return None
        deps = entry.get("deps", {})
        for name, sig in deps.get("files", {}).items():
            if sig is None or files.get(Path(name)) != sig:
                return None
        for name, digest in deps.get("folders", {}).items():
            if files.listing(Path(name)) != digest:
                return None
        return entry

    def record(self, task: Task, key: str, outcome: Outcome) -> None:
        """Remember a successful build."""
        self.entries[str(task.profile)] = {
            "key": key, "output": str(outcome.pdf_path), "pages": outcome.pages, "deps": outcome.deps}
        self.changed = True

    def forget(self, profile: str) -> None:
        """Forget a profile whose build failed (it is tried again next time)."""
        if self.entries.pop(profile, None) is not None:
            self.changed = True

    def owner_of(self, pdf: Path, other_than: Path) -> str | None:
        """The profile (other than ``other_than``) whose recorded output is ``pdf``."""
        for profile, entry in self.entries.items():
            if entry.get("output") == str(pdf) and profile != str(other_than):
                return profile
        return None

    def save(self) -> None:
        """Write the manifest (atomically) if anything changed."""
        if self.changed and self.folder.is_dir():
            text = json.dumps({"format": MANIFEST_FORMAT, "entries": self.entries}, indent=1, sort_keys=True)
            atomic_write(self.path, text + "\n")
            self.changed = False


class SignatureCache:
    """File signatures and folder listings, computed at most once per run."""

    def __init__(self) -> None:
        self._files: dict[Path, list[Any] | None] = {}
        self._folders: dict[Path, str] = {}

    def get(self, path: Path) -> list[Any] | None:
        """The signature of ``path``."""
        if path not in self._files:
            self._files[path] = signature(path)
        return self._files[path]

    def listing(self, folder: Path) -> str:
        """The listing digest of ``folder``."""
        if folder not in self._folders:
            self._folders[folder] = listing(folder)
        return self._folders[folder]


# ----- turning jobs into tasks --------------------------------------------------------------------

def task_for(index: int, job: Job) -> Task:
    """Check a job and make its paths absolute."""
    options = dict(job.options)
    member = options.pop("member", None)
    emit_source = bool(options.pop("emit_source", False))
    if member is not None:
        from cvrender.lab import MemberSelection

        if not isinstance(member, MemberSelection):
            raise CvrenderError(f"option 'member' of {job.profile} must be a MemberSelection")
    try:
        build_options = options_for(theme=job.theme, backend=job.backend, **options)
    except (TypeError, ValueError) as exc:  # fails this job only, naming the option
        raise CvrenderError(f"{job.profile}: options of the job: {exc}") from None
    output = Path(job.output).expanduser() if job.output is not None else Path.cwd()
    if job.output is None or output.is_dir() or str(job.output).endswith(("/", os.sep)):
        out_dir, out_name = output, None
    else:
        out_dir, out_name = output.parent, output.name
    return Task(index, job, Path(job.profile).expanduser().resolve(), out_dir.resolve(), out_name,
                build_options, member, emit_source)


def _version() -> str:
    """The installed cvrender's version (read here, not from the package that imports this module)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cvrender")
    except PackageNotFoundError:  # a checkout that is not installed
        return "0.0.0+unknown"


# ----- running ------------------------------------------------------------------------------------

def default_workers() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of worker processes that start from a clean interpreter with cvrender preloaded.

    ``forkserver`` (POSIX) avoids forking a parent that has threads (the progress display); each
    worker ignores Ctrl-C between builds and aborts the running build on Ctrl-C, which also ends
    the TeX process it started.
    """
    methods = multiprocessing.get_all_start_methods()
    context: multiprocessing.context.BaseContext
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["cvrender.batch"])
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)


@contextlib.contextmanager
def workers_without_main() -> Iterator[None]:
    """While worker processes start, hide the caller's ``__main__`` from them.

    A spawned or forkserver worker imports the parent's main script again, so that functions
    defined there can be unpickled; a script that calls :func:`cvrender.build_many` without
    ``if __name__ == "__main__":`` would then build again in every worker and break the pool.
    The workers only run cvrender's own functions, so they need no main module: given a bare one,
    they skip that import, and a plain script works as written.
    """
    main = sys.modules.get("__main__")
    if main is None or (getattr(main, "__spec__", None) is None and getattr(main, "__file__", None) is None):
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def stop_pool(pool: ProcessPoolExecutor, interrupt: bool, grace: float = 10.0) -> None:
    """Shut a pool down; with ``interrupt``, abort running builds first and never leave a process behind."""
    if not interrupt:
        pool.shutdown(wait=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    for process in processes:
        with contextlib.suppress(OSError, TypeError):
            os.kill(process.pid, signal.SIGINT)
    pool.shutdown(wait=False, cancel_futures=True)
    _wait_or_terminate(processes, grace)
    if manager is not None:
        manager.join(timeout=grace)


def _wait_or_terminate(processes: list[Any], grace: float) -> None:
    """Give aborted workers ``grace`` seconds to exit (a second Ctrl-C does not cut this short)."""
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        from multiprocessing.connection import wait as wait_for

        deadline = time.monotonic() + grace
        waiting = {p.sentinel: p for p in processes}
        while waiting and time.monotonic() < deadline:
            for sentinel in wait_for(list(waiting), timeout=max(0.0, deadline - time.monotonic())):
                waiting.pop(sentinel, None)
        for process in waiting.values():
            process.terminate()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _failed(task: Task, error: CvrenderError, status: str = FAILED) -> Outcome:
    return Outcome(task.job, status, task.index, error=error)


def _collect(future: Future[Outcome], task: Task) -> Outcome:
    try:
        return future.result()
    except CancelledError:
        return _failed(task, CvrenderError("cancelled"), CANCELLED)
    except BrokenProcessPool:
        return _failed(task, CvrenderError(
            f"the worker process building {task.profile.name} stopped; if a script of yours made the "
            "executor, put the script's code under 'if __name__ == \"__main__\":' (worker processes "
            "import the script again)"))
    except Exception as exc:  # the worker died, or the executor could not run the task
        return _failed(task, CvrenderError(f"the worker building {task.profile.name} stopped: "
                                           f"{type(exc).__name__}: {exc}"))


def _execute_all(tasks: list[Task], executor: Executor | None, workers: int | None,
                 on_start: Callable[[Job], None] | None) -> Iterator[Outcome]:
    """Run tasks and yield outcomes as they finish; on any exit, cancel what has not run."""
    if not tasks:
        return
    own: ProcessPoolExecutor | None = None
    if executor is None:
        count = min(workers or default_workers(), len(tasks))
        if count <= 1:
            for task in tasks:
                if on_start:
                    on_start(task.job)
                yield execute(task)
            return
        executor = own = process_pool(count)
    futures: dict[Future[Outcome], Task] = {}
    interrupted = True
    try:
        with workers_without_main() if own is not None else contextlib.nullcontext():
            for task in tasks:  # the pool starts its processes here, as tasks come
                futures[executor.submit(execute, task)] = task
        pending = set(futures)
        started: set[Future[Outcome]] = set()
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            if on_start:
                for future in sorted(pending | done, key=lambda f: futures[f].index):
                    if future not in started and (future.running() or future in done):
                        started.add(future)
                        on_start(futures[future].job)
            for future in sorted(done, key=lambda f: futures[f].index):
                yield _collect(future, futures[future])
        interrupted = False
    finally:
        if interrupted:
            for future in futures:
                future.cancel()
        if own is not None:
            stop_pool(own, interrupt=interrupted)


def run_batch(jobs: Iterable[Job], executor: Executor | None = None, *, workers: int | None = None,
              incremental: bool = False, force: bool = False,
              on_start: Callable[[Job], None] | None = None,
              notes: Warnings | None = None) -> Generator[Outcome, None, None]:
    """Build every job; yield an :class:`Outcome` per job as it finishes.

    ``executor``: any :class:`concurrent.futures.Executor` (default: a process pool of ``workers``
    processes, or this process when one worker is enough). ``incremental``: skip jobs whose PDF is
    current according to the manifest in their output folder (``force`` rebuilds anyway, and
    records the new state). Closing the iterator early (or Ctrl-C) cancels the jobs that have not
    started and, in the default process pool, aborts the running ones; no half-written PDF remains.
    Jobs that name no backend are built with :func:`cvrender.api.default_backend`, decided once,
    and only when one of them is built (an up-to-date batch does not load WeasyPrint to ask); its
    note (Typst where WeasyPrint cannot start) joins ``notes``, else each such outcome's warnings.
    """
    version = _version()
    tasks: list[Task] = []
    for index, job in enumerate(jobs):
        try:
            tasks.append(task_for(index, job))
        except CvrenderError as exc:
            yield Outcome(job, FAILED, index, error=exc)
    manifests: dict[Path, Manifest] = {}
    keys: dict[int, str] = {}
    files = SignatureCache()
    todo: list[Task] = []
    for task in tasks:
        if incremental:
            manifest = manifests.get(task.out_dir) or manifests.setdefault(task.out_dir, Manifest(task.out_dir))
            keys[task.index] = task.key(version)
            entry = None if force else manifest.fresh(task, keys[task.index], files)
            if entry is not None:
                yield Outcome(task.job, UP_TO_DATE, task.index, Path(entry["output"]), int(entry.get("pages", 0)))
                continue
        todo.append(task)
    defaulted = {task.index for task in todo if task.options.backend is None}
    note = Warnings()  # the default format's note, for the caller's notes or else each such outcome
    if defaulted:
        chosen = default_backend(note)
        todo = [dataclasses.replace(task, options=dataclasses.replace(task.options, backend=chosen))
                if task.index in defaulted else task for task in todo]
        if notes is not None:
            for message in note.items:
                notes.add(message)
            note = Warnings()
    by_index = {task.index: task for task in todo}
    written: dict[Path, str] = {}
    try:
        for outcome in _execute_all(todo, executor, workers, on_start):
            task = by_index[outcome.index]
            if task.index in defaulted and note.items:
                outcome.warnings = [*note.items, *outcome.warnings]
            target = manifests.get(task.out_dir)
            pdf = outcome.pdf_path
            if outcome.status == BUILT and pdf is not None:
                other = written.get(pdf) or (target.owner_of(pdf, task.profile) if target else None)
                if other:
                    outcome.status = FAILED
                    outcome.error = CvrenderError(f"{task.profile} and {other} both write {pdf}; "
                                                  "give one of them its own output")
                    if target:
                        target.forget(other)
                written[pdf] = str(task.profile)
            if target is not None:
                if outcome.status == BUILT:
                    target.record(task, keys[task.index], outcome)
                elif outcome.status == FAILED:
                    target.forget(str(task.profile))
            yield outcome
    finally:
        for manifest in manifests.values():
            with contextlib.suppress(CvrenderError):
                manifest.save()


def build_many(jobs: Iterable[Job], executor: Executor | None = None) -> Iterator[BatchBuildResult | CvrenderError]:
    """Build many CVs; yields a :class:`~cvrender.api.BatchBuildResult` (or the error of a failed
    job, with ``.job``) per job as it finishes (see :func:`cvrender.build_many`)."""
    for outcome in run_batch(list(jobs), executor):
        yield outcome.as_result()


def dask_executor(address: str) -> tuple[Any, Executor]:
    """A Dask client connected to ``address`` and its executor (close the client when done)."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs Dask; install it with: pip install 'cvrender[dask]'") from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise CvrenderError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    return client, client.get_executor(pure=False)  # a rebuild is never a cached result


# ----- planning a batch from paths, and reporting it ----------------------------------------------

PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
_LAB_KEY = re.compile(r"^members\s*:", re.M)


def is_lab_file(path: Path) -> bool:
    """True when ``path`` is a YAML file with a top-level ``members:`` key (profiles never have one)."""
    if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
        return False
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return False
    return bool(_LAB_KEY.search(text))


def profiles_in(folder: Path) -> list[Path]:
    """The profile files directly in ``folder`` (not hidden, not lab files), sorted by name."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES and not p.name.startswith(".")
                  and not is_lab_file(p))


def plan(paths: Iterable[str | Path], *, output: str | Path | None = None, theme: str | None = None,
         backend: str | None = None, skip: Iterable[Path] = (), **options: Any) -> tuple[list[Job], list[Outcome]]:
    """Jobs for folders of profiles, profile files and lab files; and the jobs that cannot start
    (a lab member whose profile file is missing), already failed with the lab file's line.
    Files in ``skip`` (such as the JSON report being written) are not taken from folders. Jobs
    that name no backend (nor does their lab) keep None: :func:`run_batch` decides the default."""
    from cvrender.errors import ProfileError
    from cvrender.lab import load_lab

    jobs: list[Job] = []
    failed: list[Outcome] = []
    seen: set[tuple[Path, str | None]] = set()
    design = dict(options.pop("design", None) or {})

    def add(job: Job) -> None:
        marker = (Path(job.profile).resolve(), str(job.output))
        if marker not in seen:
            seen.add(marker)
            jobs.append(job)

    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            skipped = {p.resolve() for p in skip}
            found = [p for p in profiles_in(path) if p.resolve() not in skipped]
            if not found:
                raise UsageError(f"{path} holds no profile files (.yaml, .yml, .json)")
            for profile in found:
                add(Job(profile, output, theme, backend, {**options, "design": design}))
        elif is_lab_file(path):
            lab = load_lab(path, require_profiles=False)
            for index, member in enumerate(lab.lab.members):
                job = Job(lab.member_profile(index), lab.output_for(index, output),
                          theme or member.theme or lab.lab.theme, backend or member.backend or lab.lab.backend,
                          {**options, "engine": options.get("engine") or lab.lab.engine,
                           "design": {**lab.lab.design, **member.design, **design},
                           "member": lab.selection(index)})
                if index in lab.missing:
                    failed.append(Outcome(job, FAILED, error=ProfileError(lab.missing[index])))
                else:
                    add(job)
        else:
            add(Job(path, output, theme, backend, {**options, "design": design}))
    return jobs, failed


def report(outcomes: list[Outcome], seconds: float, interrupted: bool = False) -> dict[str, Any]:
    """The batch as JSON-able data: totals and, per profile, status, output, pages, time, problems."""
    def problems(error: CvrenderError | None) -> list[dict[str, Any]]:
        if error is None:
            return []
        listed = getattr(error, "problems", None)
        if listed:
            return [{"message": p.message, "file": p.file, "line": p.line, "column": p.column,
                     "key": p.key_path, "text": str(p)} for p in listed]
        entry: dict[str, Any] = {"message": str(error), "text": str(error)}
        if getattr(error, "log_path", None):
            entry["log"] = str(error.log_path)  # type: ignore[attr-defined]
        return [entry]

    rows = [{"profile": str(o.job.profile), "status": o.status, "output": str(o.pdf_path) if o.pdf_path else None,
             "pages": o.pages, "seconds": round(o.seconds, 3), "warnings": list(o.warnings),
             "errors": problems(o.error)} for o in sorted(outcomes, key=lambda o: str(o.job.profile))]
    counts = {status: sum(1 for o in outcomes if o.status == status)
              for status in (BUILT, UP_TO_DATE, FAILED, CANCELLED)}
    return {"cvrender": _version(), "interrupted": interrupted, "seconds": round(seconds, 3),
            "summary": {**counts, "total": len(outcomes), "pages": sum(o.pages for o in outcomes if o.ok)},
            "profiles": rows}


__all__ = ["BatchBuildResult", "Manifest", "Outcome", "Task", "execute", "plan", "process_pool", "report",
           "build_many", "run_batch", "stop_pool"]
