#!/usr/bin/env bash
# Print the path of a working Python 3.12, or explain what to install and exit 1.
# pyenv's shims may be on PATH but refuse python3.12 ("command not found" when 3.12 is not the
# selected version), so each candidate is run, not just looked up.
set -u
ok() { "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=("$(command -v python3.12 2>/dev/null)")
for root in "${PYENV_ROOT:-}" "$HOME/.pyenv" /root/.pyenv /opt/pyenv /usr/local/pyenv; do
  [ -n "$root" ] || continue
  for p in "$root"/versions/3.12*/bin/python3.12; do candidates+=("$p"); done
done
candidates+=(/usr/bin/python3.12 /usr/local/bin/python3.12 /opt/python3.12/bin/python3.12 /opt/homebrew/bin/python3.12)
for p in "$HOME"/.local/share/uv/python/cpython-3.12*/bin/python3.12; do candidates+=("$p"); done
candidates+=("$(command -v python3 2>/dev/null)")
for c in "${candidates[@]}"; do
  [ -n "$c" ] && [ -x "$c" ] && ok "$c" && { echo "$c"; exit 0; }
done
cat >&2 <<'MSG'
chainlead 需要 Python 3.12，但本机没有找到可用的 python3.12。
chainlead needs Python 3.12 and none was found. Install one of:
  - pyenv:  pyenv install 3.12        (then run make again)
  - uv:     pip install uv && uv python install 3.12
  - Debian 13 / Ubuntu 24.04:  sudo apt install python3.12 python3.12-venv
Or point to it:  make run PYTHON=/path/to/python3.12
MSG
exit 1
