#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora under fuzz/seeds/ from the real samples: every report,
every attachment, every email, plus a mailbox and zip archives built from them."""
import gzip
import io
import pathlib
import zipfile

root = pathlib.Path(__file__).resolve().parent.parent
samples = root / "samples"
seeds = root / "fuzz" / "seeds"

reports = sorted((samples / "real").rglob("*.json"))
attachments = sorted((samples / "attachments").rglob("*.json.gz"))
emails = sorted((samples / "real").rglob("*.eml"))


def write(target, name, data):
    folder = seeds / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def mailbox(messages):
    out = b""
    for message in messages:
        body = b"".join(
            (b">" + line if line.lstrip(b">").startswith(b"From ") else line)
            for line in message.splitlines(keepends=True)
        )
        out += b"From MAILER-DAEMON Thu Nov 26 10:00:00 2026\n" + body.rstrip(b"\n") + b"\n\n"
    return out


def zipped(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


for path in reports + attachments + emails:
    write("ingest", f"{path.parent.name}-{path.name}", path.read_bytes())
email_bytes = [path.read_bytes() for path in emails]
write("ingest", "two-emails.mbox", mailbox(email_bytes[:2]))
archive = zipped([(p.name, p.read_bytes()) for p in (reports[0], attachments[0], emails[0])])
write("ingest", "reports.zip", archive)
write("ingest", "reports.zip.gz", gzip.compress(archive, mtime=0))

for path in emails:
    write("email", path.name, path.read_bytes())

# The mbox target adds the first separator line itself.
whole = mailbox(email_bytes)
write("mbox", "all-emails.mbox", whole.split(b"\n", 1)[1])
write("mbox", "one-email.mbox", mailbox(email_bytes[:1]).split(b"\n", 1)[1])
print(f"seeds written under {seeds.relative_to(root)}")
