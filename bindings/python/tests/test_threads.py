"""One TSA and one Verifier serve many threads at once."""

import concurrent.futures

import pytest

import tsrs

THREADS = 8
PER_THREAD = 20


def test_concurrent_signing_never_repeats_serial(demo):
    verifier = tsrs.Verifier(ca_file=demo / "ca.pem")
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:

        def work(worker):
            serials = []
            for index in range(PER_THREAD):
                data = f"{worker}-{index}".encode()
                response = tsa.respond(tsrs.Request.from_data(data, cert_req=True))
                serials.append(verifier.verify(response, data=data).serial)
            return serials

        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(work, range(THREADS)))
    serials = [serial for result in results for serial in result]
    assert len(serials) == THREADS * PER_THREAD
    assert len(set(serials)) == len(serials)
    assert sorted(serials) == list(range(1, THREADS * PER_THREAD + 1))


def test_errors_stay_in_their_thread(demo):
    with tsrs.TSA.from_config(demo / "tsa.cnf") as tsa:
        good = tsa.respond(tsrs.Request.from_data(b"good", cert_req=True)).to_der()
    verifier = tsrs.Verifier(ca_file=demo / "ca.pem")

    def work(worker):
        if worker % 2:
            with pytest.raises(tsrs.DecodeError):
                tsrs.Response.from_der(b"\x30\x80garbage")
            return "DECODE"
        try:
            verifier.verify(good, data=b"bad")
        except tsrs.VerificationError as error:
            return error.reason
        return "OK"

    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        reasons = list(pool.map(work, range(200)))
    assert reasons == ["IMPRINT_MISMATCH" if worker % 2 == 0 else "DECODE" for worker in range(200)]
