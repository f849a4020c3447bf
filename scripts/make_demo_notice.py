#!/usr/bin/env python3
"""Writes DEMO-NOTICE.txt: where each demo report bundled into the app comes from, with the
full license text of each source project. The app's footer links to it; tests/demo_notice.rs
checks that it is complete. Run it again after changing the demo list in src/worker/demo.rs."""
import csv
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
demo = re.findall(r'sample!\("([^"]+)"\)', (ROOT / "src/worker/demo.rs").read_text())
provenance = {row["saved_path"]: row for row in csv.DictReader(
    (ROOT / "samples/real/PROVENANCE.tsv").open(), delimiter="\t")}

lines = [
    "TLS-RPT Viewer: demo reports",
    "",
    "The \"Load demo reports\" button loads these real reports, bundled into the app. They come",
    "from the test data of public open-source projects, under the licenses reproduced below.",
    "",
]
sources = []
for path in demo:
    folder = path.split("/")[1]
    eml = path.split("/", 1)[1]
    if path.startswith("attachments/"):
        eml = re.sub(r"\.json(\.gz)?$", ".eml", eml)
    row = provenance[eml]
    note = " (the report attachment of that email)" if path.startswith("attachments/") else ""
    lines.append(f"- {path}: {row['repo']}, {row['path_in_repo']}{note}, {row['license']}")
    if folder not in sources:
        sources.append(folder)
for folder in sources:
    lines += ["", "=" * 72, f"License of the files from {folder}:", "=" * 72, ""]
    lines.append((ROOT / "samples/real" / folder / "LICENSE").read_text().rstrip())
(ROOT / "DEMO-NOTICE.txt").write_text("\n".join(lines) + "\n")
print(f"DEMO-NOTICE.txt: {len(demo)} reports from {len(sources)} projects")
