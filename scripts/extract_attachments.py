#!/usr/bin/env python3
"""Extracts the report attachments of the sample .eml files, by hand, for the tests.

The viewer does not read emails yet; until it does, the tests use these extracted
attachments. Output: samples/attachments/<source>/<email name>.json.gz (the bytes as sent),
with the source's LICENSE copied beside them. Run it again after changing samples/real.
"""
import email
import email.policy
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
REAL = ROOT / "samples" / "real"
OUT = ROOT / "samples" / "attachments"

for eml in sorted(REAL.rglob("*.eml")):
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    for part in message.walk():
        kind = part.get_content_type()
        if kind.startswith("application/") and "tlsrpt" in kind or kind in ("application/gzip", "application/octet-stream"):
            data = part.get_payload(decode=True)
            suffix = ".json.gz" if data[:2] == b"\x1f\x8b" else ".json"
            target = OUT / eml.parent.name / (eml.stem + suffix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            shutil.copy(eml.parent / "LICENSE", target.parent / "LICENSE")
            print(f"{eml.relative_to(ROOT)} -> {target.relative_to(ROOT)} ({kind}, {len(data)} bytes)")
