"""The asn1crypto declarations of GM/T 0031-2014, GB/T 38540-2020 and GM/T 0031-2025 against what the
seal layer reads: seals built from the declarations parse to the same facts, and the factory's
standard-form seals load with the declarations and re-encode to the same bytes (they are DER)."""

from __future__ import annotations

import datetime

import pytest
from asn1crypto import core

from certmutual.asn1 import der, gbt38540, gmt0031, gmt0031_2025
from certmutual.crypto.oids import SM_OID
from certmutual.crypto.sm3 import sm3
from certmutual.seals import SealVersion, parse_seal, parse_seal_signature, verify_seal, verify_seal_signature
from tests.pki_factory import REF_TIME
from tests.seals import seal_factory as sf

SPECS = {"v1": gmt0031, "v4": gbt38540, "v5": gmt0031_2025}


@pytest.mark.parametrize("version", ["v1", "v4", "v5"])
def test_factory_seals_are_der_in_the_declared_shape(version: str) -> None:
    module = SPECS[version]
    seal = sf.seal(version, extensions=[("1.2.3.4", True, b"x")])
    loaded = der.load(module.SESeal, seal)
    assert loaded.dump(force=True) == seal
    signature = sf.signature(seal, version)
    if version != "v1":  # v1 writes its text timeInfo; still the declared shape
        assert der.load(module.SES_Signature, signature).dump(force=True) == signature
    parsed = der.load(module.SES_Signature, signature)
    assert parsed["toSign"]["eseal"].dump() == seal


def test_v4_declaration_builds_what_the_parser_reads() -> None:
    p = sf.pki()
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    end = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    info = gbt38540.SES_SealInfo({
        "header": {"ID": "ES", "version": 4, "Vid": "SPEC"},
        "esID": "11010000000001",
        "property": {"type": 1, "name": "规范印章", "certListType": 2,
                     "certList": gbt38540.CertDigestList([{"type": "SM3", "value": sm3(p.signer.der)}]),
                     "createDate": start, "validStart": start, "validEnd": end},
        "picture": {"type": "PNG", "data": sf.PICTURE, "width": 40, "height": 40},
    })
    info_der = info.dump()
    seal = gbt38540.SESeal({"eSealInfo": info, "cert": p.maker.der, "signAlgID": SM_OID.SM2_WITH_SM3,
                            "signedValue": p.maker_key.sign(info_der)}).dump()
    parsed = parse_seal(seal)
    assert parsed.version is SealVersion.V4 and parsed.signed_bytes == info_der and not parsed.findings
    assert (parsed.info.name, parsed.info.cert_list_type, parsed.info.valid_end) == ("规范印章", 2, end)
    assert [d.value for d in parsed.info.digests] == [sm3(p.signer.der)]
    assert verify_seal(seal, p.verifier(), at=REF_TIME).accepted
    reloaded = der.load(gbt38540.SESeal, seal)
    assert reloaded["eSealInfo"]["property"]["certList"][0]["type"].native == "SM3"


def test_v1_declaration_signs_the_composed_sequence() -> None:
    p = sf.pki()
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    info = gmt0031.SES_SealInfo({
        "header": {"ID": "ES", "version": 1, "Vid": "SPEC"},
        "esID": "v1-spec",
        "property": {"type": 2, "name": "个人印章", "certList": [p.signer.der], "createDate": start,
                     "validStart": start, "validEnd": start.replace(year=2027)},
        "picture": {"type": "GIF", "data": b"GIF89a", "width": 20, "height": 10},
    })
    content = gmt0031.SealSignedContent({"esealInfo": info, "cert": p.maker.der,
                                         "signatureAlgorithm": SM_OID.SM2_WITH_SM3})
    seal = gmt0031.SESeal({"esealInfo": info, "signInfo": {
        "cert": p.maker.der, "signatureAlgorithm": SM_OID.SM2_WITH_SM3,
        "signData": p.maker_key.sign(content.dump())}}).dump()
    parsed = parse_seal(seal)
    assert parsed.signed_bytes == content.dump() and parsed.info.seal_type == 2
    assert verify_seal(seal, p.verifier(), at=REF_TIME).accepted


def test_v5_declaration_with_timestamp() -> None:
    p = sf.pki()
    seal = sf.seal("v5", timestamp=True)
    loaded = der.load(gmt0031_2025.SESeal, seal)
    token = loaded["timeStamp"].native
    assert parse_seal(seal).timestamp == token
    tbs_time = core.GeneralizedTime(sf.SIGNED_AT)
    tbs = gmt0031_2025.TBS_Sign({"version": 5, "eseal": loaded, "timeInfo": tbs_time, "dataHash": sm3(sf.DATA),
                                 "propertyInfo": "/Doc_0/Signs/Sign_0/Signature.xml"})
    signature = gmt0031_2025.SES_Signature({"toSign": tbs, "cert": p.signer.der, "signatureAlgID": SM_OID.SM2_WITH_SM3,
                                            "signature": p.signer_key.sign(tbs.dump())}).dump()
    assert parse_seal_signature(signature).version is SealVersion.V5
    assert verify_seal_signature(signature, p.verifier(), signed_data=sf.DATA).accepted
