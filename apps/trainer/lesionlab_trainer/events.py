"""JSON-line events on stdout (the trainer's only machine-readable output) and human logs on stderr.

The event format is defined by libs/contracts/schemas/trainer-events.schema.json.
"""

from __future__ import annotations

import json
import math
import sys
import time
import traceback
from typing import IO, Any


class InputFileError(Exception):
    """A file named by the manifest is missing, unreadable or does not match its checksum."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{reason}: {path}")
        self.path = path


def json_safe(value: Any) -> Any:
    """Make a value JSON-safe: non-finite floats become null (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


class EventSink:
    """Writes one JSON object per line. Only rank 0 writes in distributed runs (enabled=False elsewhere)."""

    def __init__(self, command: str, stream: IO[str] | None = None, enabled: bool = True):
        self.command = command
        self.stream = stream if stream is not None else sys.stdout
        self.enabled = enabled

    def emit(self, type_: str, **fields: Any) -> None:
        if not self.enabled:
            return
        event = {"type": type_, "time": time.time(), "command": self.command, **json_safe(fields)}
        self.stream.write(json.dumps(event, separators=(",", ":")) + "\n")
        self.stream.flush()

    def progress(self, step: int, total_steps: int, epoch: float, images_per_s: float,
                 eta_s: float | None, **extra: Any) -> None:
        self.emit("progress", step=step, total_steps=total_steps, epoch=epoch,
                  images_per_s=images_per_s, eta_s=eta_s, **extra)

    def metric(self, name: str, value: float | None, split: str, step: int | None = None) -> None:
        self.emit("metric", name=name, value=None if value is None else float(value), step=step, split=split)

    def checkpoint(self, path: str, step: int, final: bool = False) -> None:
        self.emit("checkpoint", path=path, step=step, final=final)

    def artifact(self, kind: str, path: str) -> None:
        self.emit("artifact", kind=kind, path=path)

    def log(self, message: str, level: str = "info") -> None:
        self.emit("log", level=level, message=message)
        print(f"[{level}] {message}", file=sys.stderr, flush=True)

    def done(self, **summary: Any) -> None:
        self.emit("done", summary=summary)

    def error(self, exc: BaseException) -> None:
        tail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:]
        self.emit("error", message=str(exc) or type(exc).__name__,
                  file=getattr(exc, "path", None), traceback=tail)
        print(tail, file=sys.stderr, flush=True)


def stderr_log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
