"""Evidence import versus its raw steps, and one worker versus two, in one run.

    .venv/bin/python -m bench.evidence [--photos 100] [--data DIR]

Goals (issue 5): importing N twelve-megapixel JPEGs (sniff + EXIF + hash + encrypt + thumbnail +
row, each file durable) <= 1.3x the sum of the raw steps (hash, encrypt to an fsynced file,
thumbnail, row) done by a plain loop; two workers >= 1.6x faster than one.  The same per-file
work is also timed on a thread pool and a process pool, which is why the importer uses threads.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

from app.domain import Evidence
from app.evidence import EvidenceService
from app.evidence.vault_format import derive_vault_key, encrypt_stream
from app.services.session import Session, create_profile
from bench.common import report
from tests.factories import make_audit

COST = {"n": 2**14, "r": 8, "p": 1}
SIZE = (4000, 3000)


def make_photos(folder: Path, count: int) -> list[Path]:
    """12 MP JPEGs with photo-like entropy (gradient + noise), EXIF orientation 6; cached."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"IMG12_{n:04}.jpg"
        paths.append(path)
        if path.exists():
            continue
        # About 4.4 MB each at quality 90, like a phone photo (pure noise would be far bigger).
        gradient = Image.linear_gradient("L").resize(SIZE)
        radial = Image.radial_gradient("L").resize(SIZE)
        noise = Image.effect_noise(SIZE, 55 + n % 10).filter(ImageFilter.GaussianBlur(0.6))
        image = Image.merge("RGB", (gradient, Image.blend(noise, radial, 0.5), Image.blend(gradient, noise, 0.3)))
        exif = Image.Exif()
        exif[0x0112] = 6
        exif[0x010F], exif[0x0110] = "Bench", "Camera 12MP"
        image.save(path, "JPEG", quality=90, exif=exif.tobytes())
    return paths


def _new_session(root: Path) -> tuple[Session, str]:
    session = create_profile(root, "bench passphrase", cost=COST)
    audit = make_audit()
    with session.store.unit_of_work("bench") as uow:
        uow.create(audit)
    return session, audit.id


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _encrypt(path: Path, out: Path, key: bytes) -> None:
    # The baseline keeps one fsync per file (as the vault must); the import adds the folder
    # fsync after the rename and the encrypted thumbnail.
    with open(path, "rb") as source, open(out, "wb") as sink:
        encrypt_stream(source, sink, key)
        sink.flush()
        os.fsync(sink.fileno())


def _thumbnail(path: Path) -> bytes:
    with Image.open(path) as image:
        image.draft("RGB", (320, 320))
        image.thumbnail((320, 320))
        small = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        small.save(out, "JPEG", quality=80)
        return out.getvalue()


def _file_steps(path: Path, out: Path, key: bytes) -> int:
    """The per-file work without the database: for the thread-versus-process comparison."""
    _hash(path)
    _encrypt(path, out, key)
    return len(_thumbnail(path))


def _fresh(work: Path, name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=name, dir=work))


def raw_steps(photos: list[Path], work: Path) -> float:
    """The sum of the raw steps, each timed alone in a plain loop."""
    work = _fresh(work, "raw-")
    session, audit_id = _new_session(work / "profile")
    key = derive_vault_key(session.data_key)
    total = 0.0
    steps: list[tuple[str, Callable[[Path, int], object]]] = []
    hashes: dict[int, str] = {}

    def row(path: Path, n: int) -> None:
        with session.store.unit_of_work("bench") as uow:
            uow.create(Evidence(audit_id=audit_id, sha256=hashes[n], media_type="image/jpeg",
                                size=path.stat().st_size, file_name=path.name))

    steps = [
        ("hash", lambda path, n: hashes.__setitem__(n, _hash(path))),
        ("encrypt", lambda path, n: _encrypt(path, work / f"raw-{n}.enc", key)),
        ("thumbnail", lambda path, n: _thumbnail(path)),
        ("row", row),
    ]
    for n, path in enumerate(photos):
        for _name, step in steps:
            start = time.perf_counter()
            step(path, n)
            total += time.perf_counter() - start
    session.close()
    return total


def import_all(photos: list[Path], work: Path, workers: int) -> float:
    session, audit_id = _new_session(_fresh(work, f"import-{workers}-") / "profile")
    service = EvidenceService.for_session(session, workers=workers)
    start = time.perf_counter()
    result = service.import_files(audit_id, photos)
    elapsed = time.perf_counter() - start
    assert not result.failures and len(result.imported) == len(photos), [f.message() for f in result.failures]
    session.close()
    return elapsed


def pooled(photos: list[Path], work: Path, pool: Executor) -> float:
    key = derive_vault_key(os.urandom(32))
    with pool:
        list(pool.map(_file_steps, photos[:2], [work / "warm-a", work / "warm-b"], [key, key]))
        start = time.perf_counter()
        list(pool.map(_file_steps, photos, [work / f"pool-{n}.enc" for n in range(len(photos))],
                      [key] * len(photos)))
        return time.perf_counter() - start


def parallel_ceiling() -> float:
    """The speed-up two threads of GIL-free work (hashing) get on this machine right now.

    No 2-worker import can do better; on a shared machine it explains a missed goal.
    """
    import threading

    block = os.urandom(1 << 20)

    def spin(rounds: int) -> None:
        for _ in range(rounds):
            hashlib.sha256(block).digest()

    def timed(workers: int) -> float:
        threads = [threading.Thread(target=spin, args=(200 // workers,)) for _ in range(workers)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start

    return timed(1) / timed(2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "fieldaudit-bench-photos")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs of each variant")
    args = parser.parse_args()
    photos = make_photos(args.data, args.photos)
    for path in photos:  # warm the page cache so every variant reads from memory
        path.read_bytes()
    megabytes = sum(p.stat().st_size for p in photos) / 1e6
    print(f"{len(photos)} photos of {SIZE[0]}x{SIZE[1]} px, {megabytes:.0f} MB, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    raw = one = two = threads = processes = float("inf")
    ceilings = [parallel_ceiling()]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # Variants interleave so a burst of load elsewhere does not hit only one of them.
        for _run in range(max(1, args.repeat)):
            raw = min(raw, raw_steps(photos, work))
            one = min(one, import_all(photos, work, workers=1))
            two = min(two, import_all(photos, work, workers=2))
            threads = min(threads, pooled(photos, work, ThreadPoolExecutor(2)))
            processes = min(processes, pooled(photos, work, ProcessPoolExecutor(2)))
    ceilings.append(parallel_ceiling())
    print(f"load average at the end {os.getloadavg()[0]:.1f} (other work on the machine skews ratios); "
          f"2 threads of GIL-free hashing ran {ceilings[0]:.2f}x / {ceilings[1]:.2f}x faster than one "
          f"(start / end): the most any 2-worker speed-up can show now")
    report(f"import {len(photos)} photos, 1 worker vs raw steps", one, raw, 1.3)
    speedup = one / two
    print(f"{'import, 2 workers vs 1 worker (speed-up)':<48} {two:10.4f}s  1 worker {one:10.4f}s  "
          f"speed-up {speedup:5.2f}x  goal >= 1.60x  {'OK' if speedup >= 1.6 else 'MISSED'}")
    print(f"{'per-file steps: 2 threads vs 2 processes':<48} threads {threads:8.3f}s  processes "
          f"{processes:8.3f}s  ratio {processes / threads:5.2f}x")


if __name__ == "__main__":
    main()
