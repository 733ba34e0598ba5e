"""Bad input raises typed exceptions that carry the error queue; nothing crashes."""

import os
import random
import subprocess
import sys

import pytest
from conftest import make_demo

import tsrs
from tsrs import errors


def test_garbage_request_raises_decode_error():
    with pytest.raises(tsrs.DecodeError) as caught:
        tsrs.Request.from_der(b"\x30\x03\x02\x01")
    assert caught.value.code == 100
    assert caught.value.reason == "DECODE"
    assert "byte" in caught.value.message


@pytest.mark.parametrize(
    "parse",
    [
        tsrs.Request.from_der,
        tsrs.Response.from_der,
        tsrs.Response.from_token,
        tsrs.Certificate.from_der,
        tsrs.Certificate.from_pem,
        tsrs.PrivateKey.from_pem,
    ],
)
def test_random_input_never_crashes(parse):
    generator = random.Random(3161)
    for length in list(range(0, 40)) + [200, 1000, 5000]:
        data = bytes(generator.getrandbits(8) for _ in range(length))
        with pytest.raises(tsrs.TsrsError):
            parse(data)


def test_truncated_response_raises(demo):
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:
        der = tsa.respond(tsrs.Request.from_data(b"x")).to_der()
    for cut in (1, 10, len(der) // 2, len(der) - 1):
        with pytest.raises(tsrs.DecodeError):
            tsrs.Response.from_der(der[:cut])


def test_tampered_signature_fails_verification(demo):
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:
        der = bytearray(tsa.respond(tsrs.Request.from_data(b"x", cert_req=True)).to_der())
    der[-5] ^= 0x01
    verifier = tsrs.Verifier(ca_file=demo / "ca.pem")
    with pytest.raises(tsrs.VerificationError) as caught:
        verifier.verify(bytes(der), data=b"x")
    assert caught.value.reason == "SIGNATURE_FAILURE"


def test_wrong_data_names_imprint_mismatch(demo):
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:
        response = tsa.respond(tsrs.Request.from_data(b"x", cert_req=True))
    verifier = tsrs.Verifier(ca_file=demo / "ca.pem")
    with pytest.raises(tsrs.VerificationError) as caught:
        verifier.verify(response, data=b"y")
    assert caught.value.reason == "IMPRINT_MISMATCH"


def test_untrusted_root_fails_verification(demo, tmp_path):
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:
        response = tsa.respond(tsrs.Request.from_data(b"x", cert_req=True))
    other = make_demo(tmp_path / "other")
    verifier = tsrs.Verifier(ca_file=other / "ca.pem")
    with pytest.raises(tsrs.VerificationError) as caught:
        verifier.verify(response, data=b"x")
    assert caught.value.reason == "CERTIFICATE_VERIFY"


def test_rejection_fails_verification(demo):
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:
        response = tsa.respond(tsrs.Request.from_data(b"x", digest="md5"))
    verifier = tsrs.Verifier(ca_file=demo / "ca.pem")
    with pytest.raises(tsrs.VerificationError) as caught:
        verifier.verify(response, data=b"x")
    assert caught.value.reason == "NO_TIME_STAMP_TOKEN"
    with pytest.raises(tsrs.VerificationError):
        response.token_der()


def test_unknown_digest_raises():
    with pytest.raises(tsrs.TimeStampError) as caught:
        tsrs.Request.from_data(b"x", digest="nosuchdigest")
    assert "nosuchdigest" in str(caught.value)


def test_wrong_digest_length_raises():
    with pytest.raises(tsrs.TimeStampError) as caught:
        tsrs.Request.from_digest(b"\x00" * 5, "sha256")
    assert caught.value.reason == "BAD_DIGEST_LENGTH"
    assert "32 bytes" in str(caught.value)


def test_empty_input_raises_invalid_argument():
    with pytest.raises(tsrs.InvalidArgumentError):
        tsrs.Request.from_der(b"")


def test_missing_files_raise(tmp_path):
    missing = tmp_path / "missing.pem"
    with pytest.raises(tsrs.FileError) as caught:
        tsrs.Certificate.load(missing)
    assert str(missing) in str(caught.value)
    with pytest.raises(tsrs.FileError):
        tsrs.PrivateKey.load(missing)
    with pytest.raises(tsrs.TsrsError):
        tsrs.TrustStore(ca_file=missing)
    with pytest.raises(tsrs.ConfigError):
        tsrs.TSA.from_config(tmp_path / "missing.cnf")


def test_missing_config_key_names_key(demo):
    config = demo / "tsa.cnf"
    config.write_text(config.read_text().replace("signer_cert =", "# signer_cert ="))
    with pytest.raises(tsrs.ConfigError) as caught:
        tsrs.TSA.from_config(config)
    assert "signer_cert" in str(caught.value)


def test_clock_exception_reraised(demo):
    def broken_clock():
        raise RuntimeError("clock is broken")

    with tsrs.TSA.from_config(demo / "tsa.cnf", clock=broken_clock) as tsa:
        with pytest.raises(RuntimeError, match="clock is broken"):
            tsa.respond(tsrs.Request.from_data(b"x"))


def test_serial_callback_used(demo):
    with tsrs.TSA.from_config(demo / "tsa.cnf", serial=lambda: 2**70) as tsa:
        response = tsa.respond(tsrs.Request.from_data(b"x"))
    assert response.tst_info.serial == 2**70


def test_closed_handle_raises_value_error():
    request = tsrs.Request.from_data(b"x")
    request.close()
    request.close()
    with pytest.raises(ValueError, match="closed"):
        request.to_der()


def test_nul_in_path_raises_value_error():
    with pytest.raises(ValueError, match="NUL"):
        tsrs.Certificate.load("a\0b")


def test_error_queue_left_empty():
    with pytest.raises(tsrs.DecodeError):
        tsrs.Request.from_der(b"\x00")
    assert errors.take_errors() == []


def test_missing_library_lists_places(tmp_path):
    environment = dict(os.environ, TSRS_LIBRARY=str(tmp_path / "libtsrs.so"))
    result = subprocess.run(
        [sys.executable, "-c", "import tsrs"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "LibraryNotFoundError" in result.stderr
    assert str(tmp_path / "libtsrs.so") in result.stderr
    assert "TSRS_LIBRARY" in result.stderr


@pytest.mark.parametrize("nonce", [0, 1, 2, 2**64 - 1])
def test_small_nonces_are_kept(nonce):
    # 0 == False and 1 == True in Python; both must still be nonces.
    assert tsrs.Request.from_data(b"x", nonce=nonce).nonce == nonce
    assert tsrs.Request.from_digest("00" * 32, nonce=nonce).nonce == nonce


def test_rejection_error_names_cause(demo):
    with (
        tsrs.Certificate.load(demo / "tsa.pem") as cert,
        tsrs.PrivateKey.load(demo / "ca.key") as wrong_key,
    ):
        tsa = tsrs.TSA(cert, wrong_key, serial=lambda: 1, policy="1.2.3")
    with tsa:
        response = tsa.respond(tsrs.Request.from_data(b"x"))
    assert not response.granted
    assert response.status.texts == ("Error during signature generation.",)
    assert isinstance(response.rejection_error, tsrs.CredentialError)
    assert response.rejection_error.reason == "KEY_MISMATCH"


@pytest.mark.parametrize(
    "arguments, error",
    [
        ({"signer_cert": None}, TypeError),
        ({"accuracy": (1, 2)}, ValueError),
        ({"clock_precision_digits": -1}, ValueError),
    ],
)
def test_bad_tsa_arguments_raise(demo, arguments, error):
    with (
        tsrs.Certificate.load(demo / "tsa.pem") as cert,
        tsrs.PrivateKey.load(demo / "tsa.key") as key,
    ):
        settings = {"signer_cert": cert, "signer_key": key, "serial": lambda: 1, "policy": "1.2"}
        settings.update(arguments)
        with pytest.raises(error):
            tsrs.TSA(settings.pop("signer_cert"), settings.pop("signer_key"), **settings)


@pytest.mark.parametrize("clock", [lambda: "now", lambda: float("nan")])
def test_bad_clock_reraised(demo, clock):
    with tsrs.TSA.from_config(demo / "tsa.cnf", clock=clock) as tsa:
        with pytest.raises((TypeError, ValueError)):
            tsa.respond(tsrs.Request.from_data(b"x"))


def test_missing_data_file_raises_file_error(demo, tmp_path):
    with pytest.raises(tsrs.FileError):
        tsrs.Request.from_file(tmp_path / "missing.txt")
    with pytest.raises(tsrs.FileError):
        tsrs.Verifier(ca_file=tmp_path / "missing.pem")
