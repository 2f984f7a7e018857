#!/bin/sh
# A self-signed TLS certificate for local HTTPS (prod-local, a laptop compose run). Never for a
# public deployment: use a certificate from your CA or ACME client there (docs/operations.md).
# Usage: deploy/gen-selfsigned-cert.sh OUT_DIR [DAYS]   -> OUT_DIR/cert.pem, OUT_DIR/key.pem
set -eu
out="${1:?usage: $0 OUT_DIR [DAYS]}"
days="${2:-30}"
mkdir -p "$out"
if [ -s "$out/cert.pem" ] && [ -s "$out/key.pem" ] \
   && openssl x509 -checkend 86400 -noout -in "$out/cert.pem" >/dev/null 2>&1; then
  exit 0  # still valid for at least a day
fi
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -keyout "$out/key.pem.tmp" -out "$out/cert.pem.tmp" -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
  -addext "keyUsage=digitalSignature,keyEncipherment" -addext "extendedKeyUsage=serverAuth" 2>/dev/null
mv "$out/key.pem.tmp" "$out/key.pem"
mv "$out/cert.pem.tmp" "$out/cert.pem"
chmod 644 "$out/cert.pem"
echo "self-signed certificate: $out/cert.pem"
