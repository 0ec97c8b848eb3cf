"""Every event the trainer writes validates against libs/contracts/schemas/trainer-events.schema.json."""

import io
import json

import pytest
from jsonschema import ValidationError

from lesionlab_trainer.contracts import EVENTS_SCHEMA, validator
from lesionlab_trainer.events import EventSink, InputFileError


def emitted(action):
    stream = io.StringIO()
    action(EventSink("train", stream))
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_event_kind_validates():
    def action(sink):
        sink.progress(3, 10, 0.5, 12.5, 4.0, loss=0.3, lr=1e-4)
        sink.metric("dice", 0.8, "val", 3)
        sink.metric("auc", float("nan"), "test")  # NaN becomes null
        sink.checkpoint("/tmp/x.pt", 3)
        sink.artifact("report", "/tmp/report.json")
        sink.log("hello", "warning")
        sink.done(steps=10)
        try:
            raise InputFileError("/data/a.png", "file not found")
        except InputFileError as exc:
            sink.error(exc)

    events = emitted(action)
    assert [e["type"] for e in events] == ["progress", "metric", "metric", "checkpoint", "artifact", "log", "done",
                                           "error"]
    for event in events:
        validator(EVENTS_SCHEMA).validate(event)
    assert events[2]["value"] is None
    assert events[-1]["file"] == "/data/a.png" and "Traceback" in events[-1]["traceback"]


@pytest.mark.parametrize("bad", [
    {"type": "progress", "time": 1.0, "step": 1},  # missing fields
    {"type": "metric", "time": 1.0, "name": "dice", "value": 0.5, "split": "holdout"},
    {"type": "teleport", "time": 1.0},
    {"type": "log", "time": 1.0, "level": "info", "message": "x", "extra": 1},
])
def test_schema_rejects_malformed_events(bad):
    with pytest.raises(ValidationError):
        validator(EVENTS_SCHEMA).validate(bad)


def test_disabled_sink_writes_nothing():
    stream = io.StringIO()
    EventSink("train", stream, enabled=False).metric("loss", 1.0, "train")
    assert stream.getvalue() == ""
