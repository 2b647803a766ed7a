#!/usr/bin/env bash
# Lighthouse accessibility scores (mobile settings) of the dashboard, the aspiration form and
# the lists, on a running demo server (bin/demo), signed in as one demo user.
#
#   bench/lighthouse.sh [BASE_URL] [USER]      # defaults http://127.0.0.1:8000 demo-program
#
# Needs Lighthouse from npm, pinned, outside the repository:
#   mkdir -p /tmp/lh && (cd /tmp/lh && npm i -E lighthouse@12.2.3)
# and Debian's Chromium (CHROME_PATH, default /usr/bin/chromium). LIGHTHOUSE_DIR names the
# npm directory (default /tmp/lh); DEMO_PASSWORD the demo password (default kkportal-demo).
# Prints one line per page: the accessibility score (0-100) and the audits that failed.
set -euo pipefail
base="${1:-http://127.0.0.1:8000}"
user="${2:-demo-program}"
password="${DEMO_PASSWORD:-kkportal-demo}"
lh="${LIGHTHOUSE_DIR:-/tmp/lh}/node_modules/.bin/lighthouse"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Sign in (password, and the TOTP code where the role needs one): bench/sign_in.py.
read -r session csrf < <(uv run python "$(dirname "$0")/sign_in.py" "$base" "$user")
if [ -z "$session" ]; then echo "Could not sign in as $user at $base" >&2; exit 1; fi
headers="{\"Cookie\": \"sessionid=$session; csrftoken=$csrf\"}"

# LIGHTHOUSE_PATHS replaces the pages measured (space-separated paths, e.g. a move form).
for path in ${LIGHTHOUSE_PATHS:-/ /dashboard/ /aspirations/new/ /aspirations/ /groups/ /reses/ /members/}; do
    name="$(echo "$path" | tr '/' '_')"
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sessionid=$session" "$base$path")"
    if [ "$status" != 200 ]; then echo "$path: $status for $user (not one of this user's pages)"; continue; fi
    "$lh" "$base$path" --quiet --only-categories=accessibility --form-factor=mobile \
        --chrome-flags="--headless --no-sandbox --disable-gpu" \
        --extra-headers="$headers" --output=json --output-path="$out/$name.json" >/dev/null 2>&1 \
        || { echo "$path: lighthouse failed"; continue; }
    python3 - "$out/$name.json" "$path" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
category = report["categories"]["accessibility"]
failed = [
    ref["id"] for ref in category["auditRefs"]
    if ref["weight"] and report["audits"][ref["id"]]["score"] not in (None, 1)
]
final = report.get("finalDisplayedUrl") or report.get("finalUrl")
print(f"{sys.argv[2]:20} accessibility {round(category['score'] * 100):3}  "
      f"(as {final})  failed: {', '.join(failed) or 'none'}")
PY
done
