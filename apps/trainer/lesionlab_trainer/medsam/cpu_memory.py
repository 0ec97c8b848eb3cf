"""Whether a LiteMedSAM fine-tune fits in this machine's memory on the CPU, asked before it starts. The image
encoder's first stage works on 256 x 256 positions, so one fp32 training step holds about 2.3 GiB per slice of the
batch with one box a slice (peak RSS on the 2-core CI host: 2.8 / 5.2 / 9.7 / 20.6 GiB at batches of 1 / 2 / 4 / 9)
and each further box decoded on a slice's embedding adds about a tenth of a GiB (four boxes, augmented: 5.7 / 10.8
GiB at batches of 2 / 4), so the default batch of 16 with four boxes needs ~43 GiB. A trainer that outgrows the
memory is killed by the kernel with no message; this turns that into an error naming the batch size that fits."""

from __future__ import annotations

from pathlib import Path

import torch

GIB = 2**30
BYTES_PER_SLICE = int(2.35 * GIB)  # with one box
BYTES_PER_EXTRA_BOX = int(0.11 * GIB)
BYTES_BASE = int(0.6 * GIB)  # the interpreter, torch and the network with its optimiser state


def available_bytes(meminfo: Path = Path("/proc/meminfo"), cgroup: Path = Path("/sys/fs/cgroup")) -> int | None:
    """What the kernel says can be allocated without swapping, within this container's cgroup (v2) limit; None
    where neither is readable (not Linux)."""
    found = []
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except OSError:
        pass
    try:
        limit = (cgroup / "memory.max").read_text().strip()
        if limit != "max":
            found.append(int(limit) - int((cgroup / "memory.current").read_text()))
    except (OSError, ValueError):
        pass
    return min(found) if found else None


def check_cpu_batch(batch_size: int, boxes_per_slice: int, available: int | None) -> None:
    """Raises ValueError when a CPU fine-tune step of `batch_size` slices, each trained on up to `boxes_per_slice`
    boxes, would not fit in `available` bytes."""
    per_slice = BYTES_PER_SLICE + (boxes_per_slice - 1) * BYTES_PER_EXTRA_BOX
    need = BYTES_BASE + batch_size * per_slice
    if available is None or need <= available:
        return
    fits = (available - BYTES_BASE) // per_slice
    boxes = "one box" if boxes_per_slice == 1 else f"up to {boxes_per_slice} boxes"
    advice = (
        f"set the batch size to {fits} or less, or train on a GPU"
        if fits >= 1
        else "not even one slice fits: free memory or train on a GPU"
    )
    raise ValueError(
        f"medsam-lite on the CPU needs about {need / GIB:.0f} GiB of memory for a batch of {batch_size} slices "
        f"({per_slice / GIB:.2f} GiB a slice trained on {boxes}); "
        f"{available / GIB:.1f} GiB is available: {advice}"
    )


def refuse_oversized_cpu_batch(device: torch.device, batch_size: int, boxes_per_slice: int) -> None:
    """check_cpu_batch against this machine's available memory, when the fine-tune runs on the CPU."""
    if device.type == "cpu":
        check_cpu_batch(batch_size, boxes_per_slice, available_bytes())
