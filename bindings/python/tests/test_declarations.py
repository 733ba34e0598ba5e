"""The ctypes declarations match the prototypes of include/tsrs.h."""

import pathlib
import re
from ctypes import (
    POINTER,
    c_char,
    c_char_p,
    c_int,
    c_int64,
    c_long,
    c_size_t,
    c_uint,
    c_uint32,
    c_void_p,
)

from conftest import ROOT

from tsrs import _native

SCALARS = {
    "char *": POINTER(c_char),
    "char **": POINTER(c_void_p),
    "const char *": c_char_p,
    "const char **": POINTER(c_char_p),
    "const uint8_t *": c_char_p,
    "const uint8_t **": POINTER(c_void_p),
    "uint8_t **": POINTER(c_void_p),
    "int": c_int,
    "int *": POINTER(c_int),
    "int64_t *": POINTER(c_int64),
    "long": c_long,
    "long *": POINTER(c_long),
    "size_t": c_size_t,
    "size_t *": POINTER(c_size_t),
    "uint32_t": c_uint32,
    "uint32_t *": POINTER(c_uint32),
    "unsigned int": c_uint,
    "unsigned int *": POINTER(c_uint),
    "void": None,
    "void *": c_void_p,
    "tsrs_err_print_cb": _native.ERR_PRINT_CB,
    "tsrs_serial_cb": _native.SERIAL_CB,
    "tsrs_time_cb": _native.TIME_CB,
}


def ctype(declaration):
    """Map a C type from the header to the ctypes type the bindings must use."""
    declaration = " ".join(declaration.split())
    if declaration in SCALARS:
        return SCALARS[declaration]
    match = re.fullmatch(r"(?:const )?tsrs_(\w+) (\*+)", declaration)
    assert match, f"no ctypes mapping for the C type {declaration!r}"
    handle = getattr(_native, match.group(1).upper() + "_P")
    return handle if match.group(2) == "*" else POINTER(handle)


def header_prototypes():
    text = (ROOT / "include" / "tsrs.h").read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    prototypes = {}
    pattern = r"^([A-Za-z_][\w \*]*?[\s\*])(tsrs_\w+)\(([^)]*)\);"
    for result, name, parameters in re.findall(pattern, text, flags=re.M):
        arguments = []
        for parameter in parameters.split(","):
            parameter = " ".join(parameter.split())
            if parameter != "void":
                arguments.append(re.fullmatch(r"(.*?)\w+", parameter).group(1))
        prototypes[name] = (result, arguments)
    return prototypes


def test_header_has_prototypes():
    assert len(header_prototypes()) >= 100


def test_every_declared_function_is_in_header():
    prototypes = header_prototypes()
    missing = sorted(set(_native.FUNCTIONS) - set(prototypes))
    assert missing == []


def test_every_called_function_is_declared():
    package = pathlib.Path(_native.__file__).parent
    called = set()
    for source in package.glob("*.py"):
        called.update(re.findall(r"\blib\.(tsrs_\w+)", source.read_text()))
    assert called, "no libtsrs calls found in the package sources"
    undeclared = sorted(called - set(_native.FUNCTIONS))
    assert undeclared == []


def test_declarations_match_prototypes():
    mismatches = []
    for name, (result, arguments) in header_prototypes().items():
        if name not in _native.FUNCTIONS:
            continue
        restype, argtypes = _native.FUNCTIONS[name]
        expected = (ctype(result), [ctype(argument) for argument in arguments])
        if (restype, list(argtypes)) != expected:
            mismatches.append(f"{name}: declared {restype}, {argtypes}; header {expected}")
    assert mismatches == []


def test_loaded_functions_carry_declarations():
    for name, (restype, argtypes) in _native.FUNCTIONS.items():
        function = getattr(_native.lib, name)
        assert function.restype is restype, name
        assert list(function.argtypes) == list(argtypes), name
