"""A CPU fine-tune that would outgrow the machine's memory is refused up front, naming the batch size that fits."""

import io

import pytest

from lesionlab_trainer.events import EventSink
from lesionlab_trainer.medsam.cpu_memory import GIB, available_bytes, check_cpu_batch
from lesionlab_trainer.medsam.preset import run_preset


def test_available_memory_is_the_smaller_of_the_kernels_estimate_and_the_cgroups_headroom(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       25000000 kB\nMemAvailable:   20000000 kB\n")
    cgroup = tmp_path / "cgroup"
    cgroup.mkdir()
    (cgroup / "memory.max").write_text(f"{8 * GIB}\n")
    (cgroup / "memory.current").write_text(f"{3 * GIB}\n")
    assert available_bytes(meminfo, cgroup) == 5 * GIB
    (cgroup / "memory.max").write_text("max\n")
    assert available_bytes(meminfo, cgroup) == 20000000 * 1024
    assert available_bytes(tmp_path / "absent", tmp_path / "absent") is None


@pytest.mark.parametrize(
    "boxes, need, per_slice, fits",
    [(1, 38, "2.35 GiB a slice trained on one box", 9), (4, 43, "2.68 GiB a slice trained on up to 4 boxes", 8)],
)
def test_a_batch_that_does_not_fit_names_the_one_that_does(boxes, need, per_slice, fits):
    message = (
        rf"needs about {need} GiB .* 16 slices \({per_slice}\); "
        rf"24\.0 GiB is available: set the batch size to {fits} or less"
    )
    with pytest.raises(ValueError, match=message):
        check_cpu_batch(16, boxes, 24 * GIB)
    with pytest.raises(ValueError, match=f"batch size to {fits} or less"):
        check_cpu_batch(fits + 1, boxes, 24 * GIB)
    check_cpu_batch(fits, boxes, 24 * GIB)
    check_cpu_batch(16, boxes, None)


def test_a_machine_without_room_for_one_slice_says_so():
    with pytest.raises(ValueError, match="not even one slice fits"):
        check_cpu_batch(1, 1, 2 * GIB)


def test_the_preset_refuses_an_oversized_cpu_batch_before_reading_the_release(tmp_path):
    with pytest.raises(ValueError, match=r"medsam-lite on the CPU needs about \d+ GiB .* batch of 100000 slices"):
        run_preset(
            tmp_path / "no-manifest.jsonl",
            None,
            tmp_path / "out",
            EventSink("train", stream=io.StringIO()),
            steps=1,
            batch_size=100_000,
            image_size=None,
            overrides=[],
            device="cpu",
            init_checkpoint=None,
        )
