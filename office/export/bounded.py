"""Attachments cleaned in a child process that no file can take the desk down with.

``scrub`` checks the budgets of each format before it decodes anything, on every system. What those
budgets do not foresee (a decoder's own appetite, a structure no budget names) is bounded here:
the files go, one at a time, to a child process (``python -m office.export.bounded``) that

* the system limits in memory: an address-space limit on POSIX (``RLIMIT_AS``), a job object's
  process memory limit on Windows;
* the system limits in CPU time on POSIX (``RLIMIT_CPU``, renewed for each file): a file that
  spends it ends the child with SIGXCPU;
* a watchdog in the desk's process stops after ``wall_seconds`` of any one file, on every system;
* dies with the desk: on Linux by ``PR_SET_PDEATHSIG``, on Windows with its job, elsewhere when it
  finds its input closed.

A child that dies or is stopped is replaced for the next file, and the file that cost it is
reported unverified with the limit it went over. The child is given the file and returns the
cleaned copy through its pipes: it writes nothing to disk, holds no key, and its environment
carries none of the Office's settings.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import struct
import subprocess
import sys
import threading
from dataclasses import asdict

from . import scrub

_LENGTH = struct.Struct(">Q")
STARTUP_SECONDS = 60


def clean_all(files: list[tuple[bytes, str]], limits: scrub.Limits = scrub.LIMITS) -> list[scrub.Result]:
    """Each file (its bytes and declared name) cleaned within ``limits``, in order; never raises for a file."""
    cleaner = _Cleaner(limits)
    try:
        return [cleaner.clean(data, name) for data, name in files]
    finally:
        cleaner.close()


class _Cleaner:
    """The child process, started when first needed and again after it died or was stopped."""

    def __init__(self, limits: scrub.Limits) -> None:
        self.limits = limits
        self.process: subprocess.Popen | None = None
        self.replies: queue.Queue = queue.Queue()
        self.job = None

    def clean(self, data: bytes, name: str) -> scrub.Result:
        if self.process is None and not self._start():
            return self._lost()
        try:
            header = json.dumps({"name": name}).encode()
            self.process.stdin.write(_LENGTH.pack(len(header)) + header + _LENGTH.pack(len(data)))
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except OSError:
            return self._lost()
        try:
            reply = self.replies.get(timeout=self.limits.wall_seconds)
        except queue.Empty:
            self._stop()
            return _over(f"vượt giới hạn thời gian ({self.limits.wall_seconds:g} giây) / over the time limit")
        if reply is None:
            return self._lost()
        meta, cleaned = reply
        return scrub.Result(
            meta["status"], meta["kind"], meta["extension"], cleaned if meta["has_data"] else None,
            meta["removed"], meta["notes"],
        )  # fmt: skip

    def _start(self) -> bool:
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("OFFICE_", "AWS_"))}
        environment["MALLOC_ARENA_MAX"] = "2"  # glibc: few arenas, so the address-space limit measures the heap
        self.process = subprocess.Popen(
            # -I: the current folder, PYTHON* variables and the user's site never choose what the child imports.
            [sys.executable, "-I", "-m", "office.export.bounded", json.dumps(asdict(self.limits))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a library's warnings could quote the file: never to the terminal
            env=environment,
        )
        if os.name == "nt":
            self.job = _windows_job(self.process, self.limits)
        self.replies = queue.Queue()
        reader = threading.Thread(
            target=_read_replies, args=(self.process.stdout, self.replies, self.limits.memory_bytes), daemon=True
        )
        reader.start()
        try:  # the child says it is ready: its start (an interpreter, the imports) is not the file's time
            return self.replies.get(timeout=STARTUP_SECONDS) is not None
        except queue.Empty:
            return False

    def _lost(self) -> scrub.Result:
        """The child died on the file: say which limit ended it, as far as the system tells."""
        code = self._stop()
        if os.name != "posix" or code is None:
            return _over(_DIED)
        if code == -signal.SIGXCPU:
            return _over(f"vượt giới hạn thời gian CPU ({self.limits.cpu_seconds} giây) / over the CPU time limit")
        # Out of address space, an allocator aborts or a decoder faults; the kernel's OOM killer sends SIGKILL.
        return _over(scrub.OVER_MEMORY if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT) else _DIED)

    def _stop(self) -> int | None:
        process, self.process = self.process, None
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        try:
            process.stdin.close()
        except OSError:
            pass
        code = process.wait()
        process.stdout.close()
        if self.job is not None:
            _close_handle(self.job)
            self.job = None
        return code

    def close(self) -> None:
        if self.process is not None:
            try:
                self.process.stdin.close()  # the child's end of input: it exits
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self._stop()


_DIED = "trình làm sạch dừng đột ngột (vượt giới hạn hoặc tệp hỏng) / the cleaner stopped (a limit, or a damaged file)"


def _over(note: str) -> scrub.Result:
    return scrub.Result(scrub.UNVERIFIED, "vượt giới hạn / over a limit", ".bin", None, [], [note])


def _read_exactly(stream, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream, most: int) -> bytes | None:
    head = _read_exactly(stream, _LENGTH.size)
    if head is None:
        return None
    (size,) = _LENGTH.unpack(head)
    if size > most:
        return None
    return _read_exactly(stream, size)


def _read_replies(stream, replies: queue.Queue, most: int) -> None:
    """The desk's side: each reply of the child (its JSON, then the cleaned file) onto the queue; None at its end."""
    try:
        while True:
            meta = _read_frame(stream, 1 << 20)
            cleaned = _read_frame(stream, most) if meta is not None else None
            if meta is None or cleaned is None:
                break
            replies.put((json.loads(meta), cleaned))
    except (OSError, ValueError):
        pass
    replies.put(None)


# --- the child ------------------------------------------------------------------------------------


def _child(limits: scrub.Limits) -> None:
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints never mixes with the replies
    _limit_memory(limits)
    _die_with_parent()
    ready = json.dumps({"ready": True}).encode()
    sink.write(_LENGTH.pack(len(ready)) + ready + _LENGTH.pack(0))
    sink.flush()
    while True:
        header = _read_frame(source, 1 << 20)
        data = _read_frame(source, limits.memory_bytes) if header is not None else None
        if header is None or data is None:
            return  # the desk closed our input, or went away
        _renew_cpu(limits)
        result = scrub.clean(data, json.loads(header)["name"], limits)
        del data
        meta = {
            "status": result.status,
            "kind": result.kind,
            "extension": result.extension,
            "has_data": result.data is not None,
            "removed": result.removed,
            "notes": result.notes,
        }
        encoded = json.dumps(meta).encode()
        cleaned = result.data or b""
        sink.write(_LENGTH.pack(len(encoded)) + encoded + _LENGTH.pack(len(cleaned)))
        sink.write(cleaned)
        sink.flush()


def _limit_memory(limits: scrub.Limits) -> None:
    try:
        import resource
    except ImportError:  # Windows: the desk put this process in a job object instead
        return
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))


def _renew_cpu(limits: scrub.Limits) -> None:
    """This file may spend ``cpu_seconds`` more than the child has spent so far (POSIX)."""
    try:
        import resource
    except ImportError:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(usage.ru_utime + usage.ru_stime) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (spent + limits.cpu_seconds, hard))


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the desk was already gone before the call
        os._exit(0)


# --- Windows: a job object limits the child's memory and ends it with the desk ---------------------


def job_limits_structure():
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION as ctypes lays it out (144 bytes on 64-bit Windows)."""
    import ctypes

    dword = ctypes.c_uint32

    class BasicLimits(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", dword),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", dword),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", dword),
            ("SchedulingClass", dword),
        ]

    class IoCounters(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint64) for name in ("Reads", "Writes", "Others", "ReadIn", "WriteOut", "OtherIo")]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", BasicLimits),
            ("IoInfo", IoCounters),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    return ExtendedLimits


def _windows_job(process: subprocess.Popen, limits: scrub.Limits):
    """A job object holding ``process``: its committed memory at most ``memory_bytes``; killed when closed."""
    import ctypes
    from ctypes import wintypes

    job_memory, kill_on_close, extended_information = 0x100, 0x2000, 9
    kernel = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel.CreateJobObjectW.restype = wintypes.HANDLE
    job = kernel.CreateJobObjectW(None, None)
    if not job:
        return None
    info = job_limits_structure()()
    info.BasicLimitInformation.LimitFlags = job_memory | kill_on_close
    info.ProcessMemoryLimit = limits.memory_bytes
    kernel.SetInformationJobObject(job, extended_information, ctypes.byref(info), ctypes.sizeof(info))
    kernel.AssignProcessToJobObject(job, wintypes.HANDLE(process._handle))
    return job


def _close_handle(handle) -> None:
    import ctypes

    ctypes.WinDLL("kernel32").CloseHandle(handle)


if __name__ == "__main__":
    _child(scrub.Limits(**json.loads(sys.argv[1])))
