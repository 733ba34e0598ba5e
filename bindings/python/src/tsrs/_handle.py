"""Ownership of C handles and copying of C buffers into Python objects."""

import ctypes
import os
import threading
from ctypes import byref, c_size_t, c_void_p

from ._native import lib
from .errors import clear_errors, raise_last_error


class Handle:
    """An owned libtsrs handle, freed exactly once.

    ``close()``, the end of a ``with`` block and garbage collection all free
    the handle; whichever comes first frees it and the others do nothing.
    Using a closed object raises ``ValueError``. Closing an object while
    another thread still uses it is a bug in the caller.
    """

    _free_function = None

    def __init__(self, pointer, context=None):
        if not pointer:
            raise_last_error(context)
        self._pointer = pointer
        self._close_lock = threading.Lock()

    @property
    def pointer(self):
        pointer = self._pointer
        if pointer is None:
            raise ValueError(f"{type(self).__name__} is closed")
        return pointer

    def close(self):
        """Free the C handle now instead of at garbage collection."""
        lock = getattr(self, "_close_lock", None)
        if lock is None:
            return
        with lock:
            pointer, self._pointer = self._pointer, None
        if pointer is not None:
            getattr(lib, self._free_function)(pointer)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        self.close()


def call(function, *args, context=None):
    """Call a libtsrs function that returns 1 or 0, raising on 0."""
    clear_errors()
    if function(*args) != 1:
        raise_last_error(context)


def new_pointer(function, *args, context=None):
    """Call a libtsrs function that returns a handle, raising on NULL."""
    clear_errors()
    pointer = function(*args)
    if not pointer:
        raise_last_error(context)
    return pointer


def take_bytes(function, *args, context=None):
    """Call a function that allocates a buffer; copy it out and free it.

    Returns None when the function succeeds with a NULL buffer (an absent
    optional value).
    """
    buffer = c_void_p()
    length = c_size_t()
    call(function, *args, byref(buffer), byref(length), context=context)
    if not buffer.value:
        return None
    try:
        return ctypes.string_at(buffer.value, length.value)
    finally:
        lib.tsrs_free(buffer)


def take_text(function, *args, context=None):
    """Like take_bytes, decoding the buffer as UTF-8 text."""
    data = take_bytes(function, *args, context=context)
    return None if data is None else data.decode("utf-8", "replace")


def borrowed_bytes(function, *args, context=None):
    """Call a function that lends bytes inside a handle, and copy them out."""
    buffer = c_void_p()
    length = c_size_t()
    call(function, *args, byref(buffer), byref(length), context=context)
    if not buffer.value:
        return None
    return ctypes.string_at(buffer.value, length.value)


def to_c_string(value, what):
    """Encode a str or path for a ``const char *`` argument; None stays NULL."""
    if value is None:
        return None
    if isinstance(value, bytes):
        encoded = value
    else:
        encoded = os.fsencode(value)
    if b"\0" in encoded:
        raise ValueError(f"{what} contains a NUL character: {value!r}")
    return encoded


def required_c_string(value, what):
    """Like to_c_string, but None raises TypeError instead of passing NULL."""
    if value is None:
        raise TypeError(f"{what} must be a str, not None")
    return to_c_string(value, what)


def require_handle(value, kind, what):
    """Return the pointer of a handle argument, raising TypeError for anything else."""
    if not isinstance(value, kind):
        raise TypeError(f"{what} must be a {kind.__name__}, not {type(value).__name__}")
    return value.pointer


def hex_or_bytes(value, what):
    """Accept a digest as bytes or as hex text."""
    if isinstance(value, str):
        try:
            return bytes.fromhex(value)
        except ValueError as error:
            raise ValueError(f"{what} is not hex text: {value!r} ({error})") from None
    return to_bytes(value, what)


def to_bytes(value, what):
    """Accept bytes-like input for a ``const uint8_t *`` argument."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, not {type(value).__name__}")
