"""Fake `storage` for the virtual board: records every call, so tests can prove the drive stays reachable."""

_vb = None


class VfsFat:
    def __init__(self, block_device):
        raise NotImplementedError("the virtual board has one filesystem, CIRCUITPY")


class _Mount:
    label = "CIRCUITPY"

    @property
    def readonly(self):
        return not _vb.code_writes_drive


def getmount(mount_path):
    _vb.storage_calls.append(("getmount", mount_path))
    return _Mount()


def remount(mount_path, readonly=False, *, disable_concurrent_write_protection=False):
    _vb.storage_calls.append(("remount", mount_path, readonly))
    if mount_path == "/":
        _vb.code_writes_drive = not readonly


def enable_usb_drive():
    if _vb.phase != "boot":
        raise RuntimeError("Cannot change USB devices now")
    _vb.storage_calls.append(("enable_usb_drive",))
    _vb.usb_drive = True


def disable_usb_drive():
    if _vb.phase != "boot":
        raise RuntimeError("Cannot change USB devices now")
    _vb.storage_calls.append(("disable_usb_drive",))
    _vb.usb_drive = False


def erase_filesystem(extended=None):
    _vb.storage_calls.append(("erase_filesystem",))
    raise NotImplementedError("the virtual board does not erase its drive")


def _install(vb):
    global _vb
    _vb = vb
