#!/usr/bin/env python3
"""Copy the named front-end files from node_modules into build/vendor/ (git-ignored).

Only an explicit list is copied: pointing STATICFILES_DIRS at whole dist folders breaks the
manifest storage (Tabler's CSS names .map files that would be missing; see shared/STACK.md).
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
OUT = ROOT / "build" / "vendor"

FILES = {
    "tabler/tabler.min.css": "@tabler/core/dist/css/tabler.min.css",
    "tabler/tabler.min.css.map": "@tabler/core/dist/css/tabler.min.css.map",
    "tabler/tabler.min.js": "@tabler/core/dist/js/tabler.min.js",
    "tabler/tabler.min.js.map": "@tabler/core/dist/js/tabler.min.js.map",
    "echarts/echarts.min.js": "echarts/dist/echarts.min.js",
    "echarts/LICENSE": "echarts/LICENSE",
}


def main() -> int:
    missing = [src for src in FILES.values() if not (NODE / src).exists()]
    if missing:
        print("vendor: missing in node_modules (run `npm ci`): " + ", ".join(missing), file=sys.stderr)
        return 1
    for dest, src in FILES.items():
        target = OUT / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE / src, target)
    print(f"vendor: copied {len(FILES)} files into {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
