"""Byte-reproducible, pickle-free `.npz` files.

`numpy.savez` stamps each member with the current time, so two identical trainings
would produce different bytes; here every member gets a fixed timestamp, which makes
"same corpus + same seed → same artifact files" checkable with a hash.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class NpzError(Exception):
    """An .npz artifact is missing, unreadable or lacks an expected array."""


def write_npz(path: Path, arrays: Mapping[str, npt.NDArray[np.generic]]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asanyarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def read_npz(path: Path) -> dict[str, npt.NDArray[np.generic]]:
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise NpzError(f"cannot read {path}: {exc}") from exc
