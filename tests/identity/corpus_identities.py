"""Independent ground truth: the identities carried by every certificate file in the shared corpus.

Oracle for certmutual's identity extractor.  NOTHING here was produced by certmutual code.

How it was derived
------------------
* Every file under ``/work/shared/corpus/certs`` (recursively; 89 files) was read with ``openssl
  x509 -inform DER|PEM -noout -text -nameopt utf8,sep_multiline,show_type`` (OpenSSL 3.0) and, for
  the raw extension bytes / string tags, with a ~60-line throw-away TLV walker written for this job
  (not asn1crypto's high-level classes, which raise on several of these certificates).
* Results were cross-checked against ``/work/shared/corpus/MANIFEST.md`` (per-certificate tables
  and "Identity encoding in SM2 certificates (auto-extracted)") and ``MANIFEST.json`` (its ``uscc``
  / ``idcard`` candidate lists agree with the numbers below), and interpreted with
  ``/work/shared/reference/china-specs.md`` section 2 (vendor conventions) and section 3 (check
  digits).
* Check digits were computed by a separate throw-away script: GB 32100-2015 (USCC, weights 3^i mod
  31 over ``0-9A-HJ-NP-RTUW-Y``) and GB 11643-1999 (ISO 7064 MOD 11-2).  The kind / vendor / name
  decisions are manual, one per file.

Keys and conventions
--------------------
Key: path relative to the corpus root (``certs/...``).  Value keys:

``sha256``
    hex SHA-256 of the *file bytes*.  (MANIFEST.json's ``sha256`` is ``cert:<sha256 of the DER>``;
    for PEM files those differ.)
``kind``
    ``enterprise`` | ``individual`` | ``institution`` | ``none`` (``unparseable`` is not used: all
    89 files hold at least one parseable certificate).  Decided by the identity the certificate
    carries: a USCC / registration number of a company -> enterprise; a code of a government body
    or public institution (USCC starting with 1, or a tax-authority code) -> institution; a
    personal identifier -> individual; nothing -> none.  Where a vendor layout explicitly declares
    the type (CFCA ``OU=Organizational-*`` / ``OU=Individual-*``, the GM/T 0015 personal-ID slot,
    CSCA ``GN=enterprise``) but the value is malformed, the declared kind is kept, the bad value
    goes to ``other_numbers`` and ``check_digit_valid`` is False.  A government body named only by
    text (no number) is ``none``.
``credit_code``
    18-character value found in a USCC position (kept even if its check digit is wrong), else None.
``id_number``
    resident ID number (none in this corpus).
``other_numbers``
    every other identity-looking number, verbatim: ``seal_code`` (14-digit seal code in CN of
    government seal certs), ``tax_authority_code`` (11 digits in 1.2.86.11.7.3 of tax-CA certs),
    ``koal_entity_id`` (1.3.6.1.4.1.5315.100.5.8/.9), ``taxation_number_slot`` (1.2.86.11.7.5),
    ``organization_identifier`` (ETSI 2.5.4.97), ``subject_serial_number``,
    ``malformed_credit_code``, ``cfca_id_field``, ``identify_code_slot``, ``ynca_ext_1.2.5.29.1``.
``name``
    entity / person name exactly as in the certificate (the code prefix of a glued ``O`` removed;
    the middle field of a CFCA CN).  For kind ``none`` it is simply the subject CN (or O when there
    is no CN), i.e. a display name, not an identity claim.
``found_in``
    field -> where it was found (``credit_code``, ``name``, ``other_numbers.<key>``).
``check_digit_valid``
    GB 32100 result for ``credit_code`` (GB 11643 for ``id_number``); False for a value presented
    in a USCC / personal-ID position that is malformed; None when no Chinese code is present.
``vendor``
    issuing-CA family: cfca, csca (Anzhengtong / 世纪速码 CSCA), fjca, gmt0015 (generic GM/T 0015
    extensions; here Fujian Jiaheng CA), ynca, jsgxca, jxca, cegn, tax, ccb, nrcac, tjca, caict,
    sheca, antfin, test (self-made test CAs of open-source projects), foreign (non-Chinese real
    CAs), unknown.
``role``
    from keyUsage: ``ca`` if keyCertSign is asserted AND basicConstraints cA=TRUE; otherwise
    ``signing`` if digitalSignature or nonRepudiation; ``encryption`` if only keyEncipherment /
    dataEncipherment / keyAgreement.  keyCertSign without cA=TRUE is ignored (RFC 5280 4.2.1.9; the
    ofdrw test leaves and the ofdpdfsigner seal user set it).  No keyUsage: ``ca`` if cA=TRUE, else
    ``unknown``.
``conflicts``
    places in one certificate that disagree about the code (none found: every duplicated code is
    consistent).
``notes``
    file format, test-vs-real, oddities (non-DER encodings, garbage strings).

Multi-certificate PEM files are described by their first certificate; the notes name the second
one. MANIFEST.md additionally lists six certificates that are NOT present on disk (see
``MANIFEST_LISTED_BUT_ABSENT``); they are not in ``EXPECTED``.
"""

from __future__ import annotations

from typing import Any

MANIFEST_LISTED_BUT_ABSENT: tuple[str, ...] = (
    'certs/sm2/from_seals_and_signatures/6eb6b291_CFCA@中国工商银行股份有限公司@Z123456@1.cer',
    'certs/sm2/from_seals_and_signatures/9df734b7_051@中国电力财务有限公司@791110000100015525K@2.cer',
    'certs/sm2/from_seals_and_signatures/a0db5614_GREENPAPER.cer',
    'certs/sm2/from_seals_and_signatures/a15ce65d_CFCA_LRA@中国光大银行股份有限公司@491110000100011743X@1.cer',
    'certs/sm2/from_seals_and_signatures/dba7656f_电子发票_铁路电子客票_.cer',
    'certs/sm2/from_seals_and_signatures/ddc43b0d_CFCA@中国工商银行股份有限公司@N91100000100003962T@10.cer',
)

EXPECTED: dict[str, dict[str, Any]] = {
    'certs/rsa_ecdsa/from_seals_and_signatures/5b81d07b_大贲科技测试1.cer': {
        'sha256': '5b81d07be67a28b6534f96fed179c4dd15a90ea96a8fb33151838f08cc74935c',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': '大贲科技测试1',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'unknown',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test data: RSA cert (sha1WithRSA) from the official 2017 VAT e-invoice OFD '
            'sample; company-like name but no code anywhere; issuer CN=azth is an Anzhengtong (安证通) '
            'in-house Microsoft ADCS test CA (AIA/CRL host azt20130708), seal vid=Azt. No CSCA-style '
            'SN attribute, so vendor recorded as unknown.'
        ),
    },
    'certs/rsa_ecdsa/pyhanko__interm.cert.pem': {
        'sha256': 'e1f4a43b892bd2a7bd946ee36209d77954d2ce35a621acc753d9e68d794ba64f',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Intermediate CA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] test data: pyHanko testing CA intermediate (Belgium, Example Inc).',
    },
    'certs/rsa_ecdsa/pyhanko__real-misissued-qtst-cert.cer': {
        'sha256': 'a58c1c6e68390113abca6069b6bcf2965620ff40d771417f9d90988426750909',
        'kind': 'enterprise',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'organization_identifier': 'NTREE-10747013',
        },
        'name': 'SK ID Solutions AS',
        'found_in': {
            'name': 'subject O',
            'other_numbers.organization_identifier': (
                'subject organizationIdentifier (2.5.4.97, ETSI EN 319 412-1 NTR+EE)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'foreign',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real (Estonian) qualified TSA cert, mis-issued per pyHanko; company '
            'registration number NTREE-10747013 (Estonian registry code 10747013, its national check '
            'digit 3 verifies). No Chinese code: check_digit_valid is None because GB 32100/GB 11643 '
            'do not apply.'
        ),
    },
    'certs/rsa_ecdsa/pyhanko__real-qcert.cer': {
        'sha256': '841edac4f8f0031451a3fe6eb34966999660b8974159a1298212dcad659aac97',
        'kind': 'individual',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'subject_serial_number': '92470e5dfdae43539c8bba53a8c95ecc',
        },
        'name': 'Valvekens Matthias Filip J',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.subject_serial_number': (
                'subject serialNumber (2.5.4.5, PrintableString; opaque itsme identifier)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'foreign',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real Belgian EU qualified natural-person cert (itsme/DigiCert). No '
            'resident-ID number: the person is identified only by an opaque subject serialNumber; '
            'OU=1994-11-17 (a date). SN=Valvekens, GN=Matthias Filip J. Recorded as individual with '
            'id_number None (ambiguous: not a Chinese identity).'
        ),
    },
    'certs/rsa_ecdsa/pyhanko__real-qtst-cert.cer': {
        'sha256': '61726c187889a606dda86821a1faf3c5ff5f4a116254a2325893655c7e45f64f',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'organization_identifier': 'NTRBE-0671516647',
        },
        'name': 'QTSP: FPS Policy and Support - BOSA',
        'found_in': {
            'name': 'subject O',
            'other_numbers.organization_identifier': (
                'subject organizationIdentifier (2.5.4.97, ETSI EN 319 412-1 NTR+BE)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'foreign',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real Belgian qualified timestamping-unit cert of a federal government body '
            '(FPS BOSA); KBO number 0671516647 (mod-97 check 47 verifies). GB checks do not apply '
            '(check_digit_valid None).'
        ),
    },
    'certs/rsa_ecdsa/pyhanko__root.cert.pem': {
        'sha256': 'd531f2c4aeb6ef4ce044b43c1eb2b11e3e239e8bc88b873dff396440e2e553a2',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Root CA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] test data: pyHanko testing root CA.',
    },
    'certs/rsa_ecdsa/pyhanko__signer1.cert.pem': {
        'sha256': '46b1d742b1fa6191a24dfec575a576010810ee0e98c08ebcdf06c045e51428c9',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Alice',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            "[PEM file] test data: pyHanko test signer 'Alice' (emailAddress only, no identity "
            'number).'
        ),
    },
    'certs/sm2/from_seals_and_signatures/141e8533_山东省政府统一电子印章制作系统.cer': {
        'sha256': '141e85334bff74a63b6f24bd2ecbb51d55d1beb0b7a4fa5d3a40681c39d83fe9',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': '山东省政府统一电子印章制作系统',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cegn',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: seal-maker system cert (EKU serverAuth) issued by CEGN SM2 Class 2 CA; '
            'O=山东省大数据局 names a government body but no identity number is carried, so kind none. '
            'Non-DER encoding: basicConstraints explicitly encodes DEFAULT cA=FALSE; keyUsage BIT '
            'STRING not minimally encoded; NetscapeCertType BIT STRING not minimally encoded.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/15017687_www.dms360.cn.cer': {
        'sha256': '150176873800867329b2eb2ce7bc9935a8c893e660776f1a3c551901c32dde38',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'www.dms360.cn',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            '[DER file] test data: self-signed dms360 CA (O=Org, OU=OrgUnit1..3 placeholders). '
            'subjectAltName extnValue is garbage: double-wrapped OCTET STRING with primitive [0] '
            "'otherName', [1] testdddd@test.test, [2] 'dNSName', [3] 'x400Address', [5] "
            "'ediPartyName', [6] 'uniformResourceIdentifier', [7] 127.0.0.1 (literal type names as "
            'values).'
        ),
    },
    'certs/sm2/from_seals_and_signatures/1936384a_浙江省税务监制章电子证书.cer': {
        'sha256': '1936384a781f8ae43f529125d5a730514b287841b3c439f492f772e7a666229f',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '13300000000',
            'koal_entity_id': '03-0001051142513955',
        },
        'name': '国家税务总局浙江省税务局',
        'found_in': {
            'name': 'subject O',
            'other_numbers.tax_authority_code': (
                'ext 1.2.86.11.7.3 UTF8String (1.2.86.11.7.2 = 浙江省税务局)'
            ),
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: Zhejiang tax bureau invoice-supervision seal cert, issuer '
            "税务电子证书管理中心(SM2). CN=浙江省税务监制章电子证书 is the certificate's purpose; the entity name is O "
            "(=OU). Koal/tax-CA private extensions 1.3.6.1.4.1.5315.100.5.8/.9 (entity id, '03-' "
            'prefix), 1.3.6.1.4.1.5315.100.2.1 and 2.16.840.1.113731.9 (CA-internal serial) are '
            'present; 1.2.86.11.7.2 holds the tax-authority NAME, 1.2.86.11.7.3 (legacy '
            'OrganizationCode slot) holds the 11-digit tax-authority code (pattern seen: 1 + GB/T '
            '2260 province + 8 zeros, 00000000000 with name 总局 - inferred from the data, not from a '
            'spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/1ec27345_CFCA_CS_SM2_CA.cer': {
        'sha256': '1ec27345101a4d5f8eb4bd0828c73a589bb68e069def02841ed943c1e68b4a18',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA CS SM2 CA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            '[DER file] real: CFCA CS SM2 CA under NRCAC ROOTCA (same subject as '
            'real_ca/CFCA_CS_CA__CFCA_CS_SM2_CA.cer, different cert: issued by ROOTCA, validity '
            '2015-2035).'
        ),
    },
    'certs/sm2/from_seals_and_signatures/237adb4f_全国统一发票监制章国家税务总局重庆市税务局测试.cer': {
        'sha256': '237adb4f40c07bfdec525914ed3eefcefdf3c680eac7f980666b14b08d3cc9d8',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '00000000000',
            'koal_entity_id': '03-0001037130547519',
        },
        'name': '全国统一发票监制章国家税务总局重庆市税务局测试',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.tax_authority_code': 'ext 1.2.86.11.7.3 UTF8String (1.2.86.11.7.2 = 总局)',
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test data (issuer 税务测试CA2(SM2), CN ends in 测试): Chongqing tax bureau '
            'invoice-supervision seal cert held by an e-invoice platform: subject O=上海云砺信息科技有限公司 is '
            'the platform COMPANY but carries no code; the only identifier is the tax-authority code '
            '00000000000 (placeholder/总局). Recorded as institution named by CN (ambiguous). '
            '5315.100.5.11=重庆市国家税务总局, 5315.100.5.12=电子发票平台监制章. Koal/tax-CA private extensions '
            "1.3.6.1.4.1.5315.100.5.8/.9 (entity id, '03-' prefix), 1.3.6.1.4.1.5315.100.2.1 and "
            '2.16.840.1.113731.9 (CA-internal serial) are present; 1.2.86.11.7.2 holds the '
            'tax-authority NAME, 1.2.86.11.7.3 (legacy OrganizationCode slot) holds the 11-digit '
            'tax-authority code (pattern seen: 1 + GB/T 2260 province + 8 zeros, 00000000000 with '
            'name 总局 - inferred from the data, not from a spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/244db671_制章管理员.cer': {
        'sha256': '244db67169b339c93ba30ab7789e40aa143cdc88562e8ce358645cff53b89625',
        'kind': 'individual',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'identify_code_slot': 'admin',
        },
        'name': '制章管理员',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.identify_code_slot': (
                'ext 1.2.156.10260.4.1.1 (GM/T 0015 IdentifyCode) as bare UTF8String, not the tagged '
                'CHOICE'
            ),
        },
        'check_digit_valid': False,
        'vendor': 'gmt0015',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test/admin cert: 制章管理员 = seal-making administrator; the GM/T 0015 '
            "personal-ID slot holds 'admin', not an ID number (recorded as individual with id_number "
            'None and check_digit_valid False). Issuer Fujian Jiaheng CA (福建嘉恒, CPS at '
            'itrus.com.cn), NOT FJCA; vendor recorded as generic gmt0015. Subject DN order is '
            'reversed (OU,O,C,CN) and C is a UTF8String.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/26897589_MiddleCA_for_Test.cer': {
        'sha256': '26897589f4329da3bd8b3bf8ede14d3ad5ce566662ad6abecd83b84bc1dbe701',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'MiddleCA for Test',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            "[DER file] test data: GmSSL 'MiddleCA for Test'. Non-DER encoding: keyUsage BIT STRING "
            'not minimally encoded.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/28b28f17_一部手机办事通设备证书.cer': {
        'sha256': '28b28f175ab9d9b5dca35fc3d7dc5b05bfdd7708c94d1e311d8a4e2111017d0d',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'ynca_ext_1.2.5.29.1': 'BH9876543210',
        },
        'name': '一部手机办事通设备证书',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.ynca_ext_1.2.5.29.1': 'ext 1.2.5.29.1 raw ASCII (not DER)',
        },
        'check_digit_valid': None,
        'vendor': 'ynca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] device cert (一部手机办事通设备证书, O=topsec, E=taw@topsec.com.cn, serialNumber=656454 '
            "= YNCA-internal). YNCA's private ext 1.2.5.29.1 (carries the USCC in dd64331b) here "
            "holds the placeholder-looking 'BH9876543210' (not a USCC/ID/org code), so kind none. "
            'Non-DER encoding: basicConstraints explicitly encodes DEFAULT cA=FALSE; keyUsage BIT '
            'STRING not minimally encoded; NetscapeCertType BIT STRING not minimally encoded.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/32e0d948_37030000001721.cer': {
        'sha256': '32e0d948bd0aa936d07327cf54c52e5d4b8cc2beac3f75014d25b9f4195aa2b0',
        'kind': 'institution',
        'credit_code': '11370306MB2867521U',
        'id_number': None,
        'other_numbers': {
            'seal_code': '37030000001721',
        },
        'name': '淄博市周村区自然资源局',
        'found_in': {
            'credit_code': 'subject O prefix (18 chars glued to the front of O, no separator)',
            'name': 'subject O after the 18-char code prefix',
            'other_numbers.seal_code': 'subject CN (14-digit seal code = esID of the seal)',
        },
        'check_digit_valid': True,
        'vendor': 'cegn',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: government seal cert issued by CEGN_SEAL_CA; code starts with 11 '
            "(机构编制/机关). Issuer DN carries the CA's own code O=12100000000018032A and "
            'x500UniqueIdentifier (2.5.4.45) encoded as UTF8String instead of BIT STRING (issuer '
            "side, not the subject's identity)."
        ),
    },
    'certs/sm2/from_seals_and_signatures/4c9f9b01_051@邮储线上收单商户@N51011300018878@1.cer': {
        'sha256': '4c9f9b01f5b9945bfd2ff6002060c4081bc3a77bbe26869e503c935624af65ec',
        'kind': 'enterprise',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'malformed_credit_code': '51011300018878',
        },
        'name': '邮储线上收单商户',
        'found_in': {
            'name': 'subject CN pattern 051@<name>@N<code>@<seq> (field 2)',
            'other_numbers.malformed_credit_code': (
                'subject CN pattern 051@<name>@N<code>@<seq> (field 3 after id-type N = USCC)'
            ),
        },
        'check_digit_valid': False,
        'vendor': 'cfca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test data (issuer CFCA TEST SM2 OCA1, O=CFCA TEST OCA1, OU=PSBC, '
            'OU=Organizational-2). The value after id-type N is only 14 characters, so it is not a '
            'valid 18-char USCC (check_digit_valid False, credit_code None). Field order is '
            '<prefix>@<name>@<idtype><id>@<seq> (unlike the 041@<idtype><id>@<name>@<seq> form in '
            'china-specs §2.5).'
        ),
    },
    'certs/sm2/from_seals_and_signatures/53c8eea4_Test_Certificate.cer': {
        'sha256': '53c8eea4e81f88036e21eac9a50939c619c19eb2aee9a4d50d8181c689608fb2',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Test Certificate',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            "[DER file] test data: ofdrw 'Test Certificate' (OFD R&W test root). keyUsage asserts "
            'keyCertSign although basicConstraints cA=FALSE.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/6060d06d_noCN.cer': {
        'sha256': '6060d06d9ec09ec51aefbe776dd4c25f9fda2b4a903300b45380fa0d4df54880',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': '测试CA',
        'found_in': {
            'name': 'subject O',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            "[DER file] test data: gmcert.org self-signed '测试CA' root; subject has no CN (name taken "
            'from O).'
        ),
    },
    'certs/sm2/from_seals_and_signatures/6ee151c8_国家税务总局电子印章测试系统.cer': {
        'sha256': '6ee151c8f6c677ca8b165d9d6766f7630a0182ffdfdd3be6507a1010b5ec8948',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '00000000000',
            'koal_entity_id': '03-000226b184745443',
            'taxation_number_slot': '000226b184745443',
        },
        'name': '国家税务总局电子印章测试系统',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.tax_authority_code': 'ext 1.2.86.11.7.3 UTF8String (1.2.86.11.7.2 = 总局)',
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
            'other_numbers.taxation_number_slot': (
                "ext 1.2.86.11.7.5 (legacy TaxationNumber slot) UTF8String = koal id without '03-'"
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test data (issuer 税务测试CA2(SM2)): State Taxation Administration e-seal TEST '
            'system cert (seal maker). 1.2.86.11.7.5 holds a hex-looking CA entity id, not a '
            'taxpayer number. Koal/tax-CA private extensions 1.3.6.1.4.1.5315.100.5.8/.9 (entity id, '
            "'03-' prefix), 1.3.6.1.4.1.5315.100.2.1 and 2.16.840.1.113731.9 (CA-internal serial) "
            'are present; 1.2.86.11.7.2 holds the tax-authority NAME, 1.2.86.11.7.3 (legacy '
            'OrganizationCode slot) holds the 11-digit tax-authority code (pattern seen: 1 + GB/T '
            '2260 province + 8 zeros, 00000000000 with name 总局 - inferred from the data, not from a '
            'spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/73de57c0_苏州统一电子印章.cer': {
        'sha256': '73de57c02e6bc4e5a7cecaef9b9a3626952e1b73002253087c9ed364465887ae',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': '苏州统一电子印章',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'jsgxca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: Suzhou unified e-seal platform cert (OU=信息中心), no identity number. '
            'Non-DER encoding: NetscapeCertType BIT STRING not minimally encoded; keyUsage BIT '
            'STRING not minimally encoded; basicConstraints explicitly encodes DEFAULT cA=FALSE.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/883b93c5_全国统一发票监制章国家税务总局重庆市税务局.cer': {
        'sha256': '883b93c5ad4ff97ea4d65d5c4cba0696633cd1e7e62da27a9e276d6665d7fe9a',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '15000000000',
            'koal_entity_id': '03-768c0f50aecbcc1e',
        },
        'name': '全国统一发票监制章国家税务总局重庆市税务局',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.tax_authority_code': (
                'ext 1.2.86.11.7.3 UTF8String (also 1.3.6.1.4.1.5315.100.5.11; 1.2.86.11.7.2 = 重庆市国税)'
            ),
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test CA (issuer 税务测试CA2(SM2)): Chongqing tax bureau invoice-supervision seal '
            'cert held by a platform (O=融易算电子发票服务平台, no code; 5315.100.5.12=第三方平台监制章证书); '
            '2.16.840.1.113731.10=500020200341. Koal/tax-CA private extensions '
            "1.3.6.1.4.1.5315.100.5.8/.9 (entity id, '03-' prefix), 1.3.6.1.4.1.5315.100.2.1 and "
            '2.16.840.1.113731.9 (CA-internal serial) are present; 1.2.86.11.7.2 holds the '
            'tax-authority NAME, 1.2.86.11.7.3 (legacy OrganizationCode slot) holds the 11-digit '
            'tax-authority code (pattern seen: 1 + GB/T 2260 province + 8 zeros, 00000000000 with '
            'name 总局 - inferred from the data, not from a spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/8a1aad97_华宇.cer': {
        'sha256': '8a1aad9797eadc78e1d25edee7fd7b191b1e5be9b303a5c88d5a7dc584f1e100',
        'kind': 'enterprise',
        'credit_code': '753414083210078626',
        'id_number': None,
        'other_numbers': {},
        'name': '华宇',
        'found_in': {
            'name': 'subject CN',
            'credit_code': (
                'subject SN (surname, 2.5.4.4) UTF8String; GN=enterprise marks the entity type'
            ),
        },
        'check_digit_valid': False,
        'vendor': 'csca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test data (issuer CSCA Etest CA, O=北京世纪速码信息科技有限公司). The 18-digit value in SN '
            "fails GB 32100 (expected check 'B'; '75' is not a valid authority/type pair) and is not "
            'a valid GB 11643 ID either. O=CN=华宇, serialNumber=01.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/8e6f97e6_The_Certificate_For_CCB_Bank_Receipt.cer': {
        'sha256': '8e6f97e6f1ca1b82311dcb4d6c931b564b7d8d68a6c7c6539516e400d77e883d',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'The Certificate For CCB Bank Receipt',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'ccb',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: China Construction Bank receipt-signing cert (CCBSM2CACHILD private '
            'CA), no identity number.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/9345fa5f_厦门海迈科技股份有限公司_测试_业务专用一_.cer': {
        'sha256': '9345fa5f6e87afd9b7a5bf7cea2d519e859ccfc7ba308566e7bb5faf44244021',
        'kind': 'enterprise',
        'credit_code': '91350200260063198M',
        'id_number': None,
        'other_numbers': {},
        'name': '厦门海迈科技股份有限公司（测试）',
        'found_in': {
            'name': 'subject O',
            'credit_code': (
                'ext 1.2.156.10260.4.1.4 raw ASCII (not DER); same value in ext 1.2.156.10260.4.1.3 '
                'raw ASCII'
            ),
        },
        'check_digit_valid': True,
        'vendor': 'fjca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            "[DER file] test data ('（测试）' in O/CN, OU=测试) issued by the real FJCASM2. CN adds "
            "'（业务专用一）' (business-use #1) to the O name. FJCA private ext 1.2.156.112578.1 = raw "
            "ASCII '6016@1092@0000012657361' (CA-internal id, not recorded as an identity number). "
            'Non-DER encoding: basicConstraints explicitly encodes DEFAULT cA=FALSE; keyUsage BIT '
            'STRING not minimally encoded.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/9aca2a47_RootCA_for_Test.cer': {
        'sha256': '9aca2a470548f9b040ec387378a214eefb8da434fef372f6ae26641b0299a4b0',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'RootCA for Test',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            "[DER file] test data: GmSSL 'RootCA for Test' (self-signed). Non-DER encoding: keyUsage "
            'BIT STRING not minimally encoded.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/9dcb72b9_localhost.cer': {
        'sha256': '9dcb72b98b425e17b0d1a8bb23b172b62bf89479b0b53336b7e3c39cb9b16fa4',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'localhost',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'unknown',
        'role': 'unknown',
        'conflicts': [],
        'notes': (
            '[DER file] test data: KingGrid seal signer cert CN=localhost, O=三未信安, OU=Test, issuer '
            'C=CN, CN=BCA-CA; no keyUsage (role unknown).'
        ),
    },
    'certs/sm2/from_seals_and_signatures/a008c217_test111.cer': {
        'sha256': 'a008c217c76a5c96a6f997816a4aaea9dc08604ce69009e4324070d60d465397',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'test111',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'unknown',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            "[DER file] test data: CN=test111, O=河北戈德防伪科技有限公司 (company name, no code), issuer 'Hebei "
            "Gede SM2CA' (private, freshestCRL at itrus)."
        ),
    },
    'certs/sm2/from_seals_and_signatures/a87daa4a_051@test_sm2@test_sm2@2.cer': {
        'sha256': 'a87daa4a8ad13f7b998c906d6d71269740f2b0ed202b12a62e6572659692cda2',
        'kind': 'individual',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'cfca_id_field': 'test_sm2',
        },
        'name': 'test_sm2',
        'found_in': {
            'name': 'subject CN pattern 051@<name>@<idtype><id>@<seq> (field 2)',
            'other_numbers.cfca_id_field': (
                'subject CN pattern 051@<name>@<idtype><id>@<seq> (field 3; no id-type prefix)'
            ),
        },
        'check_digit_valid': False,
        'vendor': 'cfca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test data issued by the real CFCA ACS SM2 OCA31 (OU=ysepay, OU=Individual-1 '
            "declares an individual cert). The id field is the literal 'test_sm2' (no id-type "
            'letter, no ID number): id_number None, check_digit_valid False.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/bdb1ae14_36082600001768.cer': {
        'sha256': 'bdb1ae144a07ff51d04a5f2390a16ef2f8a2454225079aadc83979aeaa30781b',
        'kind': 'institution',
        'credit_code': '124324355555666666',
        'id_number': None,
        'other_numbers': {
            'seal_code': '36082600001768',
        },
        'name': '江西某测试机构0716002',
        'found_in': {
            'credit_code': 'subject O prefix (18 chars + one space before the name)',
            'name': 'subject O after the code prefix and the separating space',
            'other_numbers.seal_code': 'subject CN (14-digit seal code)',
        },
        'check_digit_valid': False,
        'vendor': 'jxca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test data (issuer JXCA_TEST, name 江西某测试机构). The code fails GB 32100 '
            "(expected check 'P'); it starts with 12 (事业单位) while OU=国家行政机关 claims an administrative "
            'organ; OU=DZZWDZYZ (电子政务电子印章).'
        ),
    },
    'certs/sm2/from_seals_and_signatures/bdb693a8_北京安证通信息科技股份有限公司.cer': {
        'sha256': 'bdb693a87daae2466f6d8bd7ccca1cfb6f250704f600f9a3148618062eb26e20',
        'kind': 'enterprise',
        'credit_code': '91110108756730417W',
        'id_number': None,
        'other_numbers': {},
        'name': '北京安证通信息科技股份有限公司',
        'found_in': {
            'name': 'subject CN',
            'credit_code': (
                'subject SN (surname, 2.5.4.4) UTF8String; GN=enterprise marks the entity type'
            ),
        },
        'check_digit_valid': True,
        'vendor': 'csca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: Anzhengtong company cert (issuer CSCA Easysign SM2 CA). Subject O is '
            "the literal string 'null'; serialNumber=01."
        ),
    },
    'certs/sm2/from_seals_and_signatures/c12e1c2f_全国统一发票监制章国家税务总局重庆市税务局测试.cer': {
        'sha256': 'c12e1c2fa9f71d1415fdf35b624ab78194bf692d812641e3c8efea02f6e97cc4',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '00000000000',
            'koal_entity_id': '03-0001037215904670',
        },
        'name': '全国统一发票监制章国家税务总局重庆市税务局测试',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.tax_authority_code': 'ext 1.2.86.11.7.3 UTF8String (1.2.86.11.7.2 = 总局)',
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test data (issuer 税务测试CA2(SM2), CN ends in 测试): Chongqing tax '
            'invoice-supervision seal cert held by a platform (O=百望股份有限公司, a company without code). '
            'Recorded as institution named by CN (ambiguous). Koal/tax-CA private extensions '
            "1.3.6.1.4.1.5315.100.5.8/.9 (entity id, '03-' prefix), 1.3.6.1.4.1.5315.100.2.1 and "
            '2.16.840.1.113731.9 (CA-internal serial) are present; 1.2.86.11.7.2 holds the '
            'tax-authority NAME, 1.2.86.11.7.3 (legacy OrganizationCode slot) holds the 11-digit '
            'tax-authority code (pattern seen: 1 + GB/T 2260 province + 8 zeros, 00000000000 with '
            'name 总局 - inferred from the data, not from a spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/c85ebf67_Test_Certificate.cer': {
        'sha256': 'c85ebf67fde44c6202069d6772aff1787333d442681842624272ed5098ed3dbe',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Test Certificate',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            "[DER file] test data: ofdrw 'Test Certificate' (another serial). keyUsage asserts "
            'keyCertSign although basicConstraints cA=FALSE.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/ca7a6b43_国家税务总局贵州省税务局.cer': {
        'sha256': 'ca7a6b43ea04a244d6b9d70a44d7b2b863af7d4f0d8737f2dba8aec7d4b61ee7',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '15200000000',
            'koal_entity_id': '03-0001051163954419',
        },
        'name': '国家税务总局贵州省税务局',
        'found_in': {
            'name': 'subject O',
            'other_numbers.tax_authority_code': (
                'ext 1.2.86.11.7.3 UTF8String (1.2.86.11.7.2 = 贵州省税务局)'
            ),
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: Guizhou provincial tax bureau cert (issuer 税务电子证书管理中心(SM2)); O = CN = '
            '国家税务总局贵州省税务局. Koal/tax-CA private extensions 1.3.6.1.4.1.5315.100.5.8/.9 (entity id, '
            "'03-' prefix), 1.3.6.1.4.1.5315.100.2.1 and 2.16.840.1.113731.9 (CA-internal serial) "
            'are present; 1.2.86.11.7.2 holds the tax-authority NAME, 1.2.86.11.7.3 (legacy '
            'OrganizationCode slot) holds the 11-digit tax-authority code (pattern seen: 1 + GB/T '
            '2260 province + 8 zeros, 00000000000 with name 总局 - inferred from the data, not from a '
            'spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/d9d43635_全国统一发票监制章国家税务总局重庆市税务局.cer': {
        'sha256': 'd9d43635dfa861df4d5405ae799cd1106dd4b5d5cabea0b0d66c8f25fa0e6e99',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '15000000000',
            'koal_entity_id': '03-a669954338978d70',
        },
        'name': '全国统一发票监制章国家税务总局重庆市税务局',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.tax_authority_code': (
                'ext 1.2.86.11.7.3 UTF8String (also 1.3.6.1.4.1.5315.100.5.11; 1.2.86.11.7.2 = 重庆市国税)'
            ),
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test CA (issuer 税务测试CA2(SM2)): Chongqing invoice-supervision seal cert of '
            'platform 票天下电子发票服务平台 (ext 1.3.6.1.4.1.5315.100.5.1; no O). Odd: subject postalAddress '
            "(2.5.4.16) is the UTF8String number '500020200309'; 5315.100.2.4 = "
            'EAD2C65875FE1B3DE81750982A24623B. Koal/tax-CA private extensions '
            "1.3.6.1.4.1.5315.100.5.8/.9 (entity id, '03-' prefix), 1.3.6.1.4.1.5315.100.2.1 and "
            '2.16.840.1.113731.9 (CA-internal serial) are present; 1.2.86.11.7.2 holds the '
            'tax-authority NAME, 1.2.86.11.7.3 (legacy OrganizationCode slot) holds the 11-digit '
            'tax-authority code (pattern seen: 1 + GB/T 2260 province + 8 zeros, 00000000000 with '
            'name 总局 - inferred from the data, not from a spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/dd64331b_53011200000556.cer': {
        'sha256': 'dd64331bf5ec1ad1d4cc43a744f5507431732c085d51f40ccfbdd4f53a57afde',
        'kind': 'institution',
        'credit_code': '115300000151003540',
        'id_number': None,
        'other_numbers': {
            'seal_code': '53011200000556',
        },
        'name': '云南省住房和城乡建设厅',
        'found_in': {
            'credit_code': (
                'subject O prefix (18 chars glued to the front of O); same value in ext 1.2.5.29.1 '
                'raw ASCII (not DER)'
            ),
            'name': 'subject O after the 18-char code prefix',
            'other_numbers.seal_code': 'subject CN (14-digit seal code)',
        },
        'check_digit_valid': True,
        'vendor': 'ynca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: Yunnan housing department seal cert (OU=机构, serialNumber=350658 = '
            "YNCA-internal). Odd: emailAddress is an IA5String containing UTF-8 Chinese '电子邮箱' (not "
            'IA5). Non-DER encoding: basicConstraints explicitly encodes DEFAULT cA=FALSE; keyUsage '
            'BIT STRING not minimally encoded.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/de645da2_国家税务总局电子印章制作系统.cer': {
        'sha256': 'de645da2ba40dfda355f763da35dc699b8019e068c69d9bdf6c5dc9c2c083721',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '00000000000',
            'koal_entity_id': '03-0001001112208327',
        },
        'name': '国家税务总局电子印章制作系统',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.tax_authority_code': 'ext 1.2.86.11.7.3 UTF8String (1.2.86.11.7.2 = 总局)',
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: State Taxation Administration e-seal production system cert (seal '
            'maker, OU=征管和科技发展处). Koal/tax-CA private extensions 1.3.6.1.4.1.5315.100.5.8/.9 (entity '
            "id, '03-' prefix), 1.3.6.1.4.1.5315.100.2.1 and 2.16.840.1.113731.9 (CA-internal "
            'serial) are present; 1.2.86.11.7.2 holds the tax-authority NAME, 1.2.86.11.7.3 (legacy '
            'OrganizationCode slot) holds the 11-digit tax-authority code (pattern seen: 1 + GB/T '
            '2260 province + 8 zeros, 00000000000 with name 总局 - inferred from the data, not from a '
            'spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/e2fe7487_国家税务总局浙江省税务局.cer': {
        'sha256': 'e2fe7487bf191ea3afe886bebcec776ff36c43bcf9578d00b875d7327aa16d95',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '13300000000',
            'koal_entity_id': '03-0001051141502950',
        },
        'name': '国家税务总局浙江省税务局',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.tax_authority_code': (
                'ext 1.2.86.11.7.3 UTF8String (1.2.86.11.7.2 = 浙江省税务局)'
            ),
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: Zhejiang provincial tax bureau cert (CN = OU; '
            '5315.100.5.12=电子发票应用服务平台). Koal/tax-CA private extensions 1.3.6.1.4.1.5315.100.5.8/.9 '
            "(entity id, '03-' prefix), 1.3.6.1.4.1.5315.100.2.1 and 2.16.840.1.113731.9 "
            '(CA-internal serial) are present; 1.2.86.11.7.2 holds the tax-authority NAME, '
            '1.2.86.11.7.3 (legacy OrganizationCode slot) holds the 11-digit tax-authority code '
            '(pattern seen: 1 + GB/T 2260 province + 8 zeros, 00000000000 with name 总局 - inferred '
            'from the data, not from a spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/e67e2f00_云南省生产制章系统.cer': {
        'sha256': 'e67e2f00f5fe02ac5707a6f63de735a24a515d4f16e7ab97f4faf0c2c79f072b',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': '云南省生产制章系统',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'ynca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: Yunnan seal production system cert, no identity number. Non-DER '
            'encoding: basicConstraints explicitly encodes DEFAULT cA=FALSE; keyUsage BIT STRING not '
            'minimally encoded; NetscapeCertType BIT STRING not minimally encoded.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/e8757e3a_国家税务总局江苏省税务局.cer': {
        'sha256': 'e8757e3a90e0a19ab1755c9fb7ba83fe7661944b9f84e024c2f85c1f7fc81d7a',
        'kind': 'institution',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {
            'tax_authority_code': '13200000000',
            'koal_entity_id': '03-0001029092854549',
            'taxation_number_slot': '0001029092854549',
        },
        'name': '国家税务总局江苏省税务局',
        'found_in': {
            'name': 'subject CN',
            'other_numbers.tax_authority_code': (
                'ext 1.2.86.11.7.3 UTF8String (1.2.86.11.7.2 = 江苏省税务局)'
            ),
            'other_numbers.koal_entity_id': (
                'ext 1.3.6.1.4.1.5315.100.5.8 and .5.9 UTF8String (identical)'
            ),
            'other_numbers.taxation_number_slot': (
                "ext 1.2.86.11.7.5 (legacy TaxationNumber slot) UTF8String = koal id without '03-'"
            ),
        },
        'check_digit_valid': None,
        'vendor': 'tax',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: Jiangsu provincial tax bureau cert (OU=征管和科技发展处). 1.2.86.11.7.5 holds '
            'the CA entity id, not a taxpayer number. Koal/tax-CA private extensions '
            "1.3.6.1.4.1.5315.100.5.8/.9 (entity id, '03-' prefix), 1.3.6.1.4.1.5315.100.2.1 and "
            '2.16.840.1.113731.9 (CA-internal serial) are present; 1.2.86.11.7.2 holds the '
            'tax-authority NAME, 1.2.86.11.7.3 (legacy OrganizationCode slot) holds the 11-digit '
            'tax-authority code (pattern seen: 1 + GB/T 2260 province + 8 zeros, 00000000000 with '
            'name 总局 - inferred from the data, not from a spec), not a USCC.'
        ),
    },
    'certs/sm2/from_seals_and_signatures/f0fbe41c_Jon_Snow.cer': {
        'sha256': 'f0fbe41cce938d379147b76b54f0a533f187078de951edc6fbccb06154c1d385',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Jon Snow',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': '[DER file] test data: Go-style test cert (O=Acme Co, issuer CN=Eddard Stark).',
    },
    'certs/sm2/from_seals_and_signatures/fa1eca09_32050000011053.cer': {
        'sha256': 'fa1eca09293bdbeadc2c86fb53d5a7060feb4431f847a2a98a6feb2c9f98f385',
        'kind': 'institution',
        'credit_code': '11320500014150050B',
        'id_number': None,
        'other_numbers': {
            'seal_code': '32050000011053',
        },
        'name': '苏州市民政局',
        'found_in': {
            'credit_code': 'subject O prefix (18 chars glued to the front of O, no separator)',
            'name': 'subject O after the 18-char code prefix',
            'other_numbers.seal_code': 'subject CN (14-digit seal code)',
        },
        'check_digit_valid': True,
        'vendor': 'jsgxca',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] real: Suzhou civil-affairs bureau seal cert. NOT DER (MANIFEST notes '
            'asn1crypto re-encodes it to 905 bytes); hash/verify the original bytes. Non-DER '
            'encoding: NetscapeCertType BIT STRING not minimally encoded; keyUsage BIT STRING not '
            'minimally encoded; basicConstraints explicitly encodes DEFAULT cA=FALSE.'
        ),
    },
    'certs/sm2/real_ca/Ant_Financial_Certification_Authority_S1.pem': {
        'sha256': '4bafc9bffe6fbc6c92eb77cee6148a179934bbd1753a173cf8b76b85f32041e6',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Ant Financial Certification Authority S1',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'antfin',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA: Ant Financial sub-CA under NRCAC ROOTCA.',
    },
    'certs/sm2/real_ca/CFCA_CS_CA__CFCA_ACS_SM2_OCA31.cer': {
        'sha256': '58b81887dae69da06a5a3d3cb420f3d80b90b8ab8a65559568fecf558166c88e',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA ACS SM2 OCA31',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/CFCA_CS_CA__CFCA_ACS_SM2_OCA32.cer': {
        'sha256': '81f766b76eebcf967d2dccf5d1f18b87ef776c3e1eafb3a511ef9437e2a8145d',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA ACS SM2 OCA32',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/CFCA_CS_CA__CFCA_CS_SM2_CA.cer': {
        'sha256': 'dd738948661267c672a765ec931bfec20d3d8ae7580dcb3bbe88e0ee2e99d2f9',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA CS SM2 CA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            '[PEM file] real CA (CFCA), self-signed variant of CFCA CS SM2 CA (compare '
            'from_seals_and_signatures/1ec27345, issued by ROOTCA).'
        ),
    },
    'certs/sm2/real_ca/CFCA_CS_CA__CFCA_CS_SM2_OCA11.cer': {
        'sha256': 'bca9a5af93ae3c4a6cfe5c558a4f5f67dac48c45ba0cd37451f3f4e8203f801c',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA CS SM2 OCA11',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/CFCA_CS_CA__CFCA_SM2_OCA1.cer': {
        'sha256': '4ed3ed39efa7b296b80f939ca5251e2ae81beed05043d482d88f49122a9f2d89',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA SM2 OCA1',
        'found_in': {
            'name': 'subject O',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA); subject has no CN (C, O only), name taken from O.',
    },
    'certs/sm2/real_ca/CFCA_EV_CA__CFCA_EV_SM2_CodeSign_OCA.cer': {
        'sha256': 'd7d7cebf4ed5282dd9199975e76ccccc2e7125864d90cc98d1543cb012648eb6',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA EV SM2 CodeSign OCA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/CFCA_EV_CA__CFCA_EV_SM2_OCA.cer': {
        'sha256': '54f518783d232a6f2d380fcc7aba7d2a8646b8fbba9ccdc47ce6b23dd59f9417',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA EV SM2 OCA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/CFCA_EV_CA__CFCA_EV_SM2_ROOT.cer': {
        'sha256': '69cca23cb10e6da0ac790aa112c90d0c6ceee6cddb3a9adea59764b1145e4a17',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA EV SM2 ROOT',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA root, self-signed).',
    },
    'certs/sm2/real_ca/CFCA_EV_CA__CFCA_OV_SM2_CodeSign_OCA.cer': {
        'sha256': '5dc412f1bb55ec2ee791aeaf52754614b54205ee027cec36ea1a0c69aba3f5f5',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA OV SM2 CodeSign OCA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/CFCA_EV_CA__CFCA_OV_SM2_OCA.cer': {
        'sha256': '8923b992081bcc6175b56af8ad903ebd2c937a3c371f218f7988b70772fb0649',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA OV SM2 OCA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/CFCA_GT_CA__CFCA_GT_SM2_CA.cer': {
        'sha256': 'a68045715308f57b29a221f3033ba4c12d5fd59fb2534a75dd62f76e15db4d93',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA GT SM2 CA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA root, self-signed).',
    },
    'certs/sm2/real_ca/CFCA_GT_CA__CFCA_GT_SM2_OCA21.cer': {
        'sha256': '1c57c6db4e7f8eeb9a2b71f80c5bf3fe2a04fc343a98fbff5eddde264c697b52',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA GT SM2 OCA21',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/CFCA_GT_CA__CFCA_SM2_OCA2.cer': {
        'sha256': '6f1cbc732ffcbf967c068e233f8d9bfeb0f88bc9c01c57f5204518f3c55fe1ff',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA SM2 OCA2',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/CFCA_IDENTITY_CA__CFCA_Identity_SM2_CA.cer': {
        'sha256': '7b8b1199905a2d7a6044926a43726d47dfd364dceaf91b6738557a0b164aec75',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA Identity SM2 CA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA root, self-signed).',
    },
    'certs/sm2/real_ca/CFCA_IDENTITY_CA__CFCA_Identity_SM2_OCA.cer': {
        'sha256': '8ed27c21ad6b26c02504b76405110400ea93f75f28ffb8d3a4f53da1944f27fb',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA Identity SM2 OCA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA (CFCA).',
    },
    'certs/sm2/real_ca/Civil_Servant_ROOT.pem': {
        'sha256': '77d35806cef63e4c4e1d3cba19c210af4b544c417ed3614adac5824a0970c676',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Civil Servant ROOT',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'nrcac',
        'role': 'ca',
        'conflicts': [],
        'notes': "[PEM file] real CA: NRCAC 'Civil Servant ROOT' (self-signed national root).",
    },
    'certs/sm2/real_ca/Device_ROOT.pem': {
        'sha256': '9956e61b9477e61412ef721d2611ab46a9e61a2fe2be4e097158e072cf892b9d',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Device ROOT',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'nrcac',
        'role': 'ca',
        'conflicts': [],
        'notes': "[PEM file] real CA: NRCAC 'Device ROOT' (self-signed national root).",
    },
    'certs/sm2/real_ca/ROOTCA.pem': {
        'sha256': 'b5a3914a8a77d4fc99c0d8ba79b08c7478cac890d973164bf5b3ae0bbb60efd3',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'ROOTCA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'nrcac',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA: NRCAC national SM2 ROOTCA (self-signed).',
    },
    'certs/sm2/real_ca/TJCA.pem': {
        'sha256': '4ac237aa8891a163979f796787bccbb559f0b0ac2e2b68a4cbeec577411cd61a',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'TJCA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'tjca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] real CA: Tianjin CA (天津市电子认证中心) under Civil Servant ROOT.',
    },
    'certs/sm2/real_ca/Taier_CA.pem': {
        'sha256': '1af5760827989c678b320ceb84f33e3dfb7caa4715076ab45d1b6a3d6829d122',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Taier CA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'caict',
        'role': 'ca',
        'conflicts': [],
        'notes': "[PEM file] real CA: CAICT 'Taier CA' under NRCAC ROOTCA.",
    },
    'certs/sm2/real_ca/emmansun__CFCA_TEST_SM2_OCA1.cer': {
        'sha256': '657f0b2248b884feb0855f6b46cdd1e4cb1536b4be39002d24799371be93db2a',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA TEST SM2 OCA1',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            '[DER file] CFCA TEST CA (issuer CFCA TEST CS SM2 CA); filed under real_ca but it is '
            "CFCA's test hierarchy."
        ),
    },
    'certs/sm2/real_ca/gjzsl-sm2__oca11sm2.cer': {
        'sha256': 'eba70781b0fd0504becf07e2d63a0e000ff1d552d644f9e8ee2a5c62e1aacad4',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA CS SM2 OCA11',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': '[DER file] real CA (CFCA CS SM2 OCA11, other copy/serial).',
    },
    'certs/sm2/real_ca/gjzsl-sm2__oca1sm2.cer': {
        'sha256': 'e6326c175f6541769ea070336297bfaec28d05dfa198ea3b090a4378e4bb76af',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'CFCA SM2 OCA1',
        'found_in': {
            'name': 'subject O',
        },
        'check_digit_valid': None,
        'vendor': 'cfca',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            '[DER file] real CA (CFCA SM2 OCA1); subject has no CN (C, O only), name taken from O.'
        ),
    },
    'certs/sm2/real_ca/sm2-x509.pem': {
        'sha256': 'df7e53bba35d05cf9f5932f68296a55240f5b00a7185f1dbd7d6d4ecad40b8c7',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'SHECA SM2',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'sheca',
        'role': 'ca',
        'conflicts': [],
        'notes': "[PEM file] real CA: 'SHECA SM2' (O=UniTrust) under NRCAC ROOTCA.",
    },
    'certs/sm2/test_ca/emmansun__gmcert_org_encCert.cer': {
        'sha256': 'e6f863e4ade903efc90a4f4673f93832e435e1de8adf8545933bf002dcdfa42d',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': '测试服务器名称',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'encryption',
        'conflicts': [],
        'notes': (
            '[DER file] test data: gmcert.org encryption cert (测试机构/测试服务器名称), SAN IP 127.0.0.1.'
        ),
    },
    'certs/sm2/test_ca/emmansun__gmcert_org_signCert.cer': {
        'sha256': 'a2cc4c7d7ac68794035dd83b655f3bd31da994aa24425e2ab5095da4f5a0c480',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': '测试服务器名称',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': '[DER file] test data: gmcert.org signing cert (测试机构/测试服务器名称), SAN IP 127.0.0.1.',
    },
    'certs/sm2/test_ca/emmansun__openssl3_sm2_spki_algo.cer': {
        'sha256': '626bb54a107603472cc0c18c2c2aee0534ceefab6f30cabd96c36c454432eb3f',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'RootCA',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            '[DER file] test data: self-signed RootCA (C=IN) with OpenSSL-3 style SPKI algorithm OID '
            "1.2.156.10197.1.301. No keyUsage; role 'ca' taken from basicConstraints cA=TRUE."
        ),
    },
    'certs/sm2/test_ca/ofdpdfsigner_sealuser.cer': {
        'sha256': 'e8e6a5330991eb5f01ddff81bad463721e72bae2d9bb31b7bfeb5948f156ae7c',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'stampuser',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[DER file] test data: ofdpdfsigner demo seal user (O=FZZ). keyUsage sets every bit 0-7 '
            '(incl. keyCertSign, cRLSign, encipherOnly) and there is no basicConstraints; treated as '
            'an end-entity signing cert.'
        ),
    },
    'certs/sm2/test_ca/ofdrw_sign_cert.pem': {
        'sha256': '48c54cf2756a6ac6002a92bc322baab4ada2d051e2a62f7e0cda6ac0a448bbed',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'Test Certificate',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[PEM file] test data: ofdrw test signing cert. keyUsage asserts keyCertSign although '
            'basicConstraints cA=FALSE.'
        ),
    },
    'certs/sm2/test_ca/tjfoc__certs__SM2_CA.cer': {
        'sha256': '2671ce66f59da55f7f5b5b7206b6a596815b36a57dc4505a7941378cd2e6db32',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': '测试CA',
        'found_in': {
            'name': 'subject O',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] test data: tjfoc 测试CA (no CN, name from O).',
    },
    'certs/sm2/test_ca/tjfoc__certs__sm2_auth_cert.cer': {
        'sha256': '3f872c9892e07dbcc84a5bd787ce52318840b228c1c4e8cc19e104b8cc9a89ea',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'client auth',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': '[PEM file] test data: tjfoc TLCP client auth cert.',
    },
    'certs/sm2/test_ca/tjfoc__certs__sm2_enc_cert.cer': {
        'sha256': '4a58ee54bf080e31bf9a44a3b697cd0bb135162234f993cc4ae53c174f715ed2',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'localhost',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'encryption',
        'conflicts': [],
        'notes': '[PEM file] test data: tjfoc TLCP encryption cert (O=测试公司).',
    },
    'certs/sm2/test_ca/tjfoc__certs__sm2_sign_cert.cer': {
        'sha256': 'fd848e96dc91cde8cf063fa594af6fcc9fc94f90f7577f9ebe8ce25a46b498d8',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'localhost',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': '[PEM file] test data: tjfoc TLCP signing cert (O=测试公司).',
    },
    'certs/sm2/test_ca/tjfoc__testdata__ca.cert': {
        'sha256': 'b1bf6bdb0d1fef764dada101c65ce85fd825439b188957f28a4a6b8bbbdc1f2b',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'example.com',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] test data: tjfoc example.com CA.',
    },
    'certs/sm2/test_ca/tjfoc__testdata__sign.cert': {
        'sha256': 'f83638e43146fec5fe0b65044da595080b035bdbfe3b89ab6ce56b943f1d1ead',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'test.example.com',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': '[PEM file] test data: tjfoc test.example.com signing cert.',
    },
    'certs/sm2/test_ca/tongsuo__sm2-cert.pem': {
        'sha256': '156b40f69acd9abcaaf6858f1b25894ae9a44dfb0cf7c76715edbfef54ced88c',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'SM2 certificate signing key',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            "[PEM file] test data: Tongsuo 'SM2 certificate signing key' (basicConstraints cA=FALSE, "
            'keyUsage DS+NR) - yet its DN is the issuer of sm2-first-crt.pem.'
        ),
    },
    'certs/sm2/test_ca/tongsuo__sm2-chain-ca.crt': {
        'sha256': '36cfb345e76acd9bb74e05a7c01fe9e709de64f2abea8a34e9a7d39a12c0d787',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'www.middle.com',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            '[PEM file with 2 certificates] test data: PEM bundle with TWO certificates; this entry '
            'describes the first (CN=www.middle.com, CA pathlen 0). Second: CN=www.example.com '
            '(O=ali, OU=ant, E=client@example.com), self-signed CA, no identity.'
        ),
    },
    'certs/sm2/test_ca/tongsuo__sm2-first-crt.pem': {
        'sha256': '9a4b2252511d7533ddf5e1d64451a183b15c770c6a263fcc228eb854756395b7',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'RFC8998 certificate signing key',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': '[PEM file] test data: Tongsuo RFC8998 cert.',
    },
    'certs/sm2/test_ca/tongsuo__sm2-leaf.crt': {
        'sha256': '5039872bac28771750f43dea0ee36bb917d7a13368128d215026a004c721da82',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': '*.alipay.com',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[PEM block preceded by text] test data: file starts with an `openssl x509 -text` dump '
            'followed by the PEM block (not a bare PEM/DER file). CN=*.alipay.com.'
        ),
    },
    'certs/sm2/test_ca/tongsuo__sm2-noza-cert.pem': {
        'sha256': '2ca44fd3af4c2ba28da5bc5e8603964411c28945a2daa94b453c683577ac3fc6',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'SM2 certificate signing key without Za',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': '[PEM file] test data: Tongsuo self-signed no-Z_A cert.',
    },
    'certs/sm2/test_ca/tongsuo__sm2-noza-root-cert.pem': {
        'sha256': '841c1bacaf17714bb23b10518cb17f46bf1a13f7697b4543d051f5de88c7e1ce',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'SM2 certificate signing key without Za',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] test data: Tongsuo no-Z_A root.',
    },
    'certs/sm2/test_ca/tongsuo__sm2-root-cert.pem': {
        'sha256': '98337282dcd4ab779badb045316cb52fa5209e6f660dd2f04bcde56a7ed685d6',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'SM2 certificate signing key',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': '[PEM file] test data: Tongsuo SM2 root.',
    },
    'certs/sm2/test_ca/tongsuo__sm2__chain-ca.crt': {
        'sha256': '90545d188df4566371b728c85e5476eedd369cb60914e0853128f08c95099304',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'root ca',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'ca',
        'conflicts': [],
        'notes': (
            '[PEM file with 2 certificates] test data: PEM bundle with TWO certificates; this entry '
            'describes the first (CN=root ca, self-signed). Second: CN=sub ca (CA pathlen 0), no '
            'identity.'
        ),
    },
    'certs/sm2/test_ca/tongsuo__sm2__client_sign.crt': {
        'sha256': '59927f6a5b04764f2e3179dd05a3917fed2027d688492fd00ac0121d77a95a60',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'client sign',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': '[PEM file] test data: Tongsuo client signing cert.',
    },
    'certs/sm2/test_ca/tongsuo__sm2__server_sign.crt': {
        'sha256': '6ce0c43f4fb813694d20c9f0d4998ed6c8bf5a740b263f593e002323cb009538',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'server sign',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': '[PEM file] test data: Tongsuo server signing cert.',
    },
    'certs/sm2/test_ca/tongsuo__sm2__server_sign_expire.crt': {
        'sha256': 'd7c1ebd5d5ff8322e395b96567ceea5a6132f58f884194b23f90f07c4f32a143',
        'kind': 'none',
        'credit_code': None,
        'id_number': None,
        'other_numbers': {},
        'name': 'server sign',
        'found_in': {
            'name': 'subject CN',
        },
        'check_digit_valid': None,
        'vendor': 'test',
        'role': 'signing',
        'conflicts': [],
        'notes': (
            '[PEM file] test data: Tongsuo server signing cert, validity 2000-2001 (expired by '
            'design).'
        ),
    },
}
