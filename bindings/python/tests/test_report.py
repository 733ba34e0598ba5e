"""Per-check verification reports and the checks beyond OpenSSL's."""

import datetime

import pytest

import tsrs

DATA = b"report me\n"


@pytest.fixture
def signed(demo):
    """A request and the demo TSA's response to it."""
    request = tsrs.Request.from_data(DATA, cert_req=True)
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:
        response = tsa.respond(request)
    return request, response


def test_good_response_passes_every_check(demo, signed):
    request, response = signed
    report = tsrs.Verifier(ca_file=demo / "ca.pem").report(response, request=request)
    assert report.verified is True
    assert report.reason is None
    assert report.failed == ()
    assert report.check("imprint").verdict == "passed"
    assert report.check("signature").verdict == "passed"
    assert report.check("nonce").verdict == "passed"
    assert {check.verdict for check in report.checks} <= {"passed", "not_requested"}


def test_report_json_matches_checks(demo, signed):
    request, response = signed
    report = tsrs.Verifier(ca_file=demo / "ca.pem").report(response, request=request)
    document = report.to_dict()
    assert isinstance(document, dict)
    assert "checks" in document
    assert [check["name"] for check in document["checks"]] == [c.name for c in report.checks]


def test_wrong_data_names_imprint(demo, signed):
    _, response = signed
    report = tsrs.Verifier(ca_file=demo / "ca.pem").report(response, data=b"other")
    assert report.verified is False
    assert report.reason == "IMPRINT_MISMATCH"
    imprint = report.check("data")
    assert imprint.verdict == "failed"
    assert imprint.report_only is False
    assert report.check("signature").verdict == "passed"


def test_bad_signature_still_reports_later_checks(demo, signed):
    _, response = signed
    der = bytearray(response.to_der())
    der[-5] ^= 0x01
    report = tsrs.Verifier(ca_file=demo / "ca.pem").report(bytes(der), data=DATA)
    assert report.verified is False
    assert report.reason == "SIGNATURE_FAILURE"
    assert report.failed[0].name == "signature"
    data_check = report.check("data")
    assert data_check.verdict == "passed"
    assert data_check.report_only is True


def test_token_report(demo, signed):
    _, response = signed
    verifier = tsrs.Verifier(ca_file=demo / "ca.pem")
    report = verifier.report(response.token_der(), token=True, data=DATA)
    assert report.verified is True


def test_token_report_garbage_raises(demo):
    verifier = tsrs.Verifier(ca_file=demo / "ca.pem")
    with pytest.raises(tsrs.DecodeError):
        verifier.report(b"\x30\x03\x02\x01\x01", token=True, data=DATA)


def test_at_gen_time_checks_path_then(demo):
    # The demo's certificates start today, so a token dated 2024 was signed
    # before they were valid: OpenSSL's check at the current time passes,
    # the check at genTime fails.
    old = datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)
    request = tsrs.Request.from_data(DATA, cert_req=True)
    with tsrs.TSA.from_config(demo / "tsa.cnf", clock=lambda: old) as tsa:
        response = tsa.respond(request)
    verifier = tsrs.Verifier(ca_file=demo / "ca.pem")
    assert verifier.verify(response, data=DATA).timestamp == old
    with pytest.raises(tsrs.VerificationError) as caught:
        verifier.verify(response, data=DATA, at_gen_time=True)
    assert caught.value.reason == "CERTIFICATE_VERIFY"
    report = verifier.report(response, data=DATA, at_gen_time=True)
    assert report.verified is False
    assert report.check("time").verdict == "failed"


def test_strict_request_needs_signer_certificate(demo):
    request = tsrs.Request.from_data(DATA, cert_req=False)
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:
        response = tsa.respond(request)
    asking = tsrs.Request.from_digest(
        request.message_imprint.digest, nonce=request.nonce, cert_req=True
    )
    with tsrs.Certificate.load(demo / "tsa.pem") as signer:
        verifier = tsrs.Verifier(ca_file=demo / "ca.pem", untrusted=[signer])
    verifier.verify(response, request=asking)
    with pytest.raises(tsrs.VerificationError) as caught:
        verifier.verify(response, request=asking, strict_request=True)
    assert caught.value.reason == "SIGNER_CERT_NOT_INCLUDED"
    report = verifier.report(response, request=asking, strict_request=True)
    assert report.check("cert_req").verdict == "failed"
