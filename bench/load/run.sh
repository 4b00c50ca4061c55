#!/usr/bin/env bash
# Load test (security): 50 signed-in officials for 60 s against gunicorn on PostgreSQL.
# Not part of `make test`. Usage: bench/load/run.sh  (from any directory; VENV=... for another
# virtualenv than the repository's .venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-.venv}
DB=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/etown_sec2_load}
PORT=${PORT:-8100}
WORKERS=${WORKERS:-3}
OUT=${OUT:-bench/out/load}
mkdir -p "$OUT"
export DJANGO_SETTINGS_MODULE=etown.settings.production
export DATABASE_URL=$DB
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-load-test-only-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')}
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/8}
export TRUSTED_PROXY_COUNT=${TRUSTED_PROXY_COUNT:-1}
export STATIC_ROOT=${STATIC_ROOT:-$OUT/static}
export MEDIA_ROOT=${MEDIA_ROOT:-$OUT/media}
export LOG_LEVEL=WARNING

"$VENV/bin/python" manage.py migrate --noinput >/dev/null
"$VENV/bin/python" manage.py load_workplan --demo >/dev/null
"$VENV/bin/python" bench/load/seed.py
"$VENV/bin/python" manage.py collectstatic --noinput >/dev/null

"$VENV/bin/gunicorn" etown.wsgi -b "127.0.0.1:$PORT" -w "$WORKERS" -k gthread --threads 4 --keep-alive 10 \
  --access-logfile - --access-logformat '%(s)s %(m)s %(U)s %(M)sms' >"$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

"$VENV/bin/locust" -f bench/load/locustfile.py --headless -u 50 -r 10 -t 60s \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/stats" --only-summary --stop-timeout 5
echo "5xx in gunicorn's access log: $(grep -cE '^5[0-9][0-9] ' "$OUT/gunicorn.log" || true)"
