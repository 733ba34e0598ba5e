"""The Python API writes and reads the same bytes as openssl ts."""

import pytest
from conftest import FROZEN_TIME, make_demo, openssl

import tsrs

DATA = b"The quick brown fox jumps over the lazy dog\n"


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(DATA)
    return path


@pytest.mark.parametrize(
    "options, kwargs",
    [
        (["-sha256"], {"digest": "sha256"}),
        (["-sha1", "-cert"], {"digest": "sha1", "cert_req": True}),
        (["-sha512", "-tspolicy", "1.2.3.4.5"], {"digest": "sha512", "policy": "1.2.3.4.5"}),
        (["-sha3-256"], {"digest": "sha3-256"}),
    ],
)
def test_request_bytes_match_openssl(tmp_path, data_file, options, kwargs):
    out = tmp_path / "openssl.tsq"
    openssl("ts", "-query", "-data", str(data_file), "-no_nonce", *options, "-out", str(out))
    request = tsrs.Request.from_file(data_file, nonce=False, **kwargs)
    assert request.to_der() == out.read_bytes()


def test_request_from_digest_matches_openssl(tmp_path):
    digest = "a" * 64
    out = tmp_path / "openssl.tsq"
    openssl("ts", "-query", "-digest", digest, "-sha256", "-no_nonce", "-cert", "-out", str(out))
    request = tsrs.Request.from_digest(digest, "sha256", nonce=False, cert_req=True)
    assert request.to_der() == out.read_bytes()


def test_request_text_matches_openssl(tmp_path, data_file):
    query = tmp_path / "q.tsq"
    openssl("ts", "-query", "-data", str(data_file), "-cert", "-out", str(query))
    expected = openssl("ts", "-query", "-in", str(query), "-text").stdout.decode()
    request = tsrs.Request.from_der(query.read_bytes())
    assert request.text() == expected
    assert request.cert_req is True
    assert request.nonce is not None


def reply_pair(twin_demos, tmp_path, data_file, query_options=()):
    """Return (openssl's response bytes, the Python TSA's Response) for one request."""
    openssl_demo, tsrs_demo = twin_demos
    query = tmp_path / "q.tsq"
    openssl("ts", "-query", "-data", str(data_file), "-cert", *query_options, "-out", str(query))
    out = tmp_path / "openssl.tsr"
    openssl(
        "ts",
        "-reply",
        "-config",
        str(openssl_demo / "tsa.cnf"),
        "-queryfile",
        str(query),
        "-out",
        str(out),
        frozen=True,
    )
    with tsrs.TSA.from_config(tsrs_demo / "tsa.cnf", clock=lambda: FROZEN_TIME) as tsa:
        response = tsa.respond(query.read_bytes())
    return out.read_bytes(), response


def test_reply_bytes_match_openssl(twin_demos, tmp_path, data_file):
    expected, response = reply_pair(twin_demos, tmp_path, data_file)
    assert response.granted
    assert response.to_der() == expected


def test_serial_file_advances_like_openssl(twin_demos, tmp_path, data_file):
    reply_pair(twin_demos, tmp_path, data_file)
    openssl_demo, tsrs_demo = twin_demos
    assert (tsrs_demo / "serial").read_bytes() == (openssl_demo / "serial").read_bytes()


def test_reply_text_matches_openssl(twin_demos, tmp_path, data_file):
    expected, response = reply_pair(twin_demos, tmp_path, data_file)
    path = tmp_path / "r.tsr"
    path.write_bytes(expected)
    text = openssl("ts", "-reply", "-in", str(path), "-text").stdout.decode()
    token_text = openssl("ts", "-reply", "-in", str(path), "-token_out", "-text").stdout.decode()
    assert response.text() == text
    assert response.token_text() == token_text


def test_token_bytes_match_openssl(twin_demos, tmp_path, data_file):
    expected, response = reply_pair(twin_demos, tmp_path, data_file)
    path = tmp_path / "r.tsr"
    path.write_bytes(expected)
    token = tmp_path / "r.tst"
    openssl("ts", "-reply", "-in", str(path), "-token_out", "-out", str(token))
    assert response.token_der() == token.read_bytes()


def test_rejection_matches_openssl(twin_demos, tmp_path, data_file):
    expected, response = reply_pair(twin_demos, tmp_path, data_file, ["-md5"])
    assert response.to_der() == expected
    assert not response.granted
    assert response.status.name == "rejection"
    assert response.status.failures == ("badAlg",)
    assert response.status.texts == ("Message digest algorithm is not supported.",)
    assert response.tst_info is None


def test_tsa_from_objects_matches_config(twin_demos, tmp_path, data_file):
    expected, _ = reply_pair(twin_demos, tmp_path, data_file)
    _, tsrs_demo = twin_demos
    query = tsrs.Request.from_der((tmp_path / "q.tsq").read_bytes())
    with (
        tsrs.Certificate.load(tsrs_demo / "tsa.pem") as cert,
        tsrs.PrivateKey.load(tsrs_demo / "tsa.key") as key,
        tsrs.Certificate.load(tsrs_demo / "ca.pem") as root,
    ):
        tsa = tsrs.TSA(
            cert,
            key,
            certs=[root],
            serial=lambda: 1,
            policy="1.2.3.4.1",
            other_policies=["1.2.3.4.5.6", "1.2.3.4.5.7"],
            digests=["sha1", "sha256", "sha384", "sha512"],
            accuracy=(1, 500, 100),
            clock_precision_digits=3,
            ordering=True,
            tsa_name=True,
            ess_cert_id_digest="sha256",
            clock=lambda: FROZEN_TIME,
        )
    with tsa:
        response = tsa.respond(query)
    assert response.to_der() == expected


def test_verifies_openssl_response(twin_demos, tmp_path, data_file):
    expected, _ = reply_pair(twin_demos, tmp_path, data_file)
    openssl_demo, _ = twin_demos
    verifier = tsrs.Verifier(ca_file=openssl_demo / "ca.pem")
    request = tsrs.Request.from_der((tmp_path / "q.tsq").read_bytes())
    by_data = verifier.verify(expected, data=DATA)
    by_file = verifier.verify(expected, data_file=data_file)
    by_request = verifier.verify(expected, request=request)
    by_digest = verifier.verify(expected, digest=request.message_imprint.digest)
    assert by_data == by_file == by_request == by_digest
    assert by_data.serial == 1
    assert by_data.timestamp == FROZEN_TIME
    assert by_data.nonce == request.nonce
    assert by_data.policy == "1.2.3.4.1"
    assert by_data.accuracy == tsrs.Accuracy(1, 500, 100)


def test_verifies_openssl_token(twin_demos, tmp_path, data_file):
    expected, _ = reply_pair(twin_demos, tmp_path, data_file)
    openssl_demo, _ = twin_demos
    path = tmp_path / "r.tsr"
    path.write_bytes(expected)
    token = tmp_path / "r.tst"
    openssl("ts", "-reply", "-in", str(path), "-token_out", "-out", str(token))
    verifier = tsrs.Verifier(ca_file=openssl_demo / "ca.pem")
    tst_info = verifier.verify_token(token.read_bytes(), data=DATA)
    assert tst_info.message_imprint.algorithm == "sha256"


def test_openssl_verifies_python_response(twin_demos, tmp_path, data_file):
    _, response = reply_pair(twin_demos, tmp_path, data_file)
    _, tsrs_demo = twin_demos
    path = tmp_path / "python.tsr"
    path.write_bytes(response.to_der())
    result = openssl(
        "ts",
        "-verify",
        "-in",
        str(path),
        "-data",
        str(data_file),
        "-CAfile",
        str(tsrs_demo / "ca.pem"),
    )
    assert result.stdout == b"Verification: OK\n"


@pytest.mark.parametrize("key", ["p256", "p384", "ed25519"])
def test_other_key_types_round_trip(tmp_path, data_file, key):
    demo = make_demo(tmp_path / key, key=key)
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:
        response = tsa.respond(tsrs.Request.from_file(data_file, cert_req=True))
    verifier = tsrs.Verifier(ca_file=demo / "ca.pem")
    assert verifier.verify(response, data=DATA).serial == 1
