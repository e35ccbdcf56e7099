#!/usr/bin/env bash
# Builds the test PKI and the SoftHSM2 tokens the tests and the demo profile use.
#
#   bash native/provision-test-pki.sh [OUT_DIR]      (default: .tmp/pki; env VANTHU_TEST_PKI overrides)
#
# Idempotent: a finished run leaves OUT_DIR/manifest.json stamped with this script's hash; a second run
# with the same script returns at once. Everything is private to OUT_DIR (own SOFTHSM2_CONF, own NSS db),
# so the machine's SoftHSM configuration is never touched.
#
# What it makes (all RSA-2048 unless said):
#   root-ca          "VANTHU Test Root CA"                 self-signed trust anchor
#   issuing-ca       "VANTHU Test Issuing CA"              signed by root-ca; issues everything below
#   leader           "Nguyễn Văn An", title Chủ tịch       key generated ON the leader token (CKA_ID 01)
#   leader-ec        same person, EC P-256                 key generated ON the leader token (CKA_ID 02)
#   agency           organisation "UBND tỉnh Thử Nghiệm"   key made by openssl, imported to the agency token (01); agency.p12 too
#   agency-expired   the agency, validity in the past      key imported to the agency token (CKA_ID 03)
#   agency-future    the agency, not yet valid             key imported to the agency token (CKA_ID 04)
#   rogue-root       "Rogue Root CA" (untrusted)           self-signed, NOT in the trust store
#   rogue-leader     "Nguyễn Văn An" issued by rogue-root  key imported to the leader token (CKA_ID 03); p12 too
#   leader2          "Trần Thị Bình", personal, P12 only   for independent signers (@signpdf, pdfsig)
#   wrong-ku         personal cert with keyEncipherment only, P12 only
#   ocsp             OCSP responder (OCSPSigning EKU) for the issuing CA
#   tls-ca, tls-server (127.0.0.1/localhost), tls-client (clerk-ws-01), tls-client-rogue (other CA)
set -euo pipefail
umask 077
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OUT="${1:-${VANTHU_TEST_PKI:-$ROOT/.tmp/pki}}"
MODULE="${VANTHU_SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
STAMP="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"

# Up to date: made by this very script, and its everyday certificates still valid for 30 days (they
# last 825 days; a PKI kept in a checkout outlives them).
still_valid() {
  for c in agency leader leader2 leader-ec ocsp issuing-ca tls-server tls-client; do
    openssl x509 -checkend 2592000 -noout -in "$OUT/certs/$c.crt" >/dev/null 2>&1 || return 1
  done
}
if [ -f "$OUT/manifest.json" ] && grep -q "\"stamp\": \"$STAMP\"" "$OUT/manifest.json" && still_valid; then
  echo "test PKI: up to date in $OUT"
  exit 0
fi
for tool in openssl softhsm2-util pkcs11-tool certutil; do
  command -v "$tool" >/dev/null || { echo "test PKI: '$tool' is missing: run bash native/install-system-packages.sh" >&2; exit 3; }
done
[ -f "$MODULE" ] || { echo "test PKI: SoftHSM2 module $MODULE is missing: run bash native/install-system-packages.sh" >&2; exit 3; }

rm -rf "$OUT"
mkdir -p "$OUT/tokens" "$OUT/certs" "$OUT/keys" "$OUT/p12" "$OUT/ca"
cd "$OUT"
# Pinned test secrets: these tokens hold throw-away keys made for tests only.
AGENCY_LABEL="VANTHU-AGENCY"; LEADER_LABEL="VANTHU-LEADER"
USER_PIN="123456"; SO_PIN="87654321"; P12_PASS="vanthu-test"
OCSP_URL="${VANTHU_TEST_OCSP_URL:-http://127.0.0.1:18931/ocsp}"
CRL_URL="${VANTHU_TEST_CRL_URL:-http://127.0.0.1:18931/crl/issuing-ca.crl}"

printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' "$OUT" > softhsm2.conf
export SOFTHSM2_CONF="$OUT/softhsm2.conf"

# ---- openssl CA configuration ------------------------------------------------------------------
ca_conf() { # $1 = CA name
  local d="$OUT/ca/$1"; mkdir -p "$d/new"; : > "$d/index.txt"; echo 1000 > "$d/serial"; echo 1000 > "$d/crlnumber"
  cat > "$d/ca.cnf" <<CNF
[ ca ]
default_ca = this
[ this ]
dir = $d
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = $OUT/certs/$1.crt
private_key = $OUT/keys/$1.key
default_md = sha256
default_crl_days = 3650
policy = anything
unique_subject = no
copy_extensions = none
email_in_dn = no
utf8 = yes
string_mask = utf8only
preserve = yes
[ anything ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
title = optional
commonName = supplied
[ ca_ext ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ personal ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:$OCSP_URL
crlDistributionPoints = URI:$CRL_URL
[ wrong_ku ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ocsp ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tls_server ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[ tls_client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
CNF
}

self_signed_ca() { # $1 name, $2 subject
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 7300 -utf8 -keyout "keys/$1.key" -out "certs/$1.crt" \
    -subj "$2" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" 2>/dev/null
  ca_conf "$1"
}

# issue CA NAME SUBJECT EXT CSR [extra openssl-ca args...]
issue() {
  local ca="$1" name="$2" subj="$3" ext="$4" csr="$5"; shift 5
  openssl ca -batch -config "$OUT/ca/$ca/ca.cnf" -extensions "$ext" -subj "$subj" -utf8 -notext \
    -in "$csr" -out "certs/$name.crt" "$@" 2>/dev/null
  openssl x509 -in "certs/$name.crt" -outform DER -out "certs/$name.der"
}

csr_for_key() { # $1 key file → csr
  openssl req -new -key "$1" -subj "/CN=placeholder" -out "$2" 2>/dev/null
}

new_key_csr() { # $1 name: key + csr made by openssl
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "keys/$1.key" 2>/dev/null
  csr_for_key "keys/$1.key" "ca/$1.csr"
}

p12() { # $1 name, $2 ca-chain file
  openssl pkcs12 -export -inkey "keys/$1.key" -in "certs/$1.crt" -certfile "$2" -name "$1" \
    -passout "pass:$P12_PASS" -out "p12/$1.p12" 2>/dev/null
}

P11() { pkcs11-tool --module "$MODULE" "$@" >/dev/null 2>&1; }

# ---- CAs ------------------------------------------------------------------------------------------
self_signed_ca root-ca "/C=VN/O=VANTHU Test PKI/CN=VANTHU Test Root CA"
new_key_csr issuing-ca
issue root-ca issuing-ca "/C=VN/O=VANTHU Test PKI/CN=VANTHU Test Issuing CA" ca_ext ca/issuing-ca.csr -days 5000
ca_conf issuing-ca
cat certs/issuing-ca.crt certs/root-ca.crt > certs/chain.pem
self_signed_ca rogue-root "/C=VN/O=Rogue PKI/CN=Rogue Root CA"

# ---- tokens -----------------------------------------------------------------------------------------
softhsm2-util --init-token --free --label "$AGENCY_LABEL" --so-pin "$SO_PIN" --pin "$USER_PIN" >/dev/null
softhsm2-util --init-token --free --label "$LEADER_LABEL" --so-pin "$SO_PIN" --pin "$USER_PIN" >/dev/null

put_cert() { # token label, id, name
  P11 --token-label "$1" --login --pin "$USER_PIN" --write-object "certs/$3.der" --type cert --id "$2" --label "$3"
}
import_key() { # token label, id, name (keys/NAME.key → token)
  openssl pkcs8 -topk8 -nocrypt -in "keys/$3.key" -out "keys/$3.p8"
  softhsm2-util --import "keys/$3.p8" --token "$1" --label "$3" --id "$2" --pin "$USER_PIN" >/dev/null
  rm -f "keys/$3.p8"
}
token_key_csr() { # token label, id, name, keytype, subject → csr (its subject kept) for the on-token public key
  P11 --token-label "$1" --login --pin "$USER_PIN" --keypairgen --key-type "$4" --id "$2" --label "$3"
  P11 --token-label "$1" --read-object --type pubkey --id "$2" -o "ca/$3-pub.der"
  openssl pkey -pubin -inform DER -in "ca/$3-pub.der" -out "ca/$3-pub.pem"
  # openssl ca needs a CSR; the CSR's own key is thrown away and the on-token key is forced in.
  openssl req -new -newkey rsa:2048 -nodes -keyout /dev/null -utf8 -subj "$5" -out "ca/$3.csr" 2>/dev/null
}
# openssl ca has no -force_pubkey: issue with x509 -req for on-token keys, same extensions section.
issue_forced() { # ca, name, subject (kept from the CSR), ext, pubkey pem, days
  openssl x509 -req -in "ca/$2.csr" -force_pubkey "$5" -CA "certs/$1.crt" -CAkey "keys/$1.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days "$6" -sha256 -extfile "ca/$1/ca.cnf" -extensions "$4" \
    -out "certs/$2.crt" 2>/dev/null
  openssl x509 -in "certs/$2.crt" -outform DER -out "certs/$2.der"
}

LEADER_SUBJ="/C=VN/ST=Tỉnh Thử Nghiệm/O=UBND tỉnh Thử Nghiệm/title=Chủ tịch/CN=Nguyễn Văn An"
AGENCY_SUBJ="/C=VN/ST=Tỉnh Thử Nghiệm/O=UBND tỉnh Thử Nghiệm/CN=UBND tỉnh Thử Nghiệm"

token_key_csr "$LEADER_LABEL" 01 leader rsa:2048 "$LEADER_SUBJ"
issue_forced issuing-ca leader "$LEADER_SUBJ" personal ca/leader-pub.pem 825
put_cert "$LEADER_LABEL" 01 leader
token_key_csr "$LEADER_LABEL" 02 leader-ec EC:prime256v1 "$LEADER_SUBJ"
issue_forced issuing-ca leader-ec "$LEADER_SUBJ" personal ca/leader-ec-pub.pem 825
put_cert "$LEADER_LABEL" 02 leader-ec

new_key_csr rogue-leader
issue rogue-root rogue-leader "$LEADER_SUBJ" personal ca/rogue-leader.csr -days 825
import_key "$LEADER_LABEL" 03 rogue-leader; put_cert "$LEADER_LABEL" 03 rogue-leader
p12 rogue-leader certs/rogue-root.crt

new_key_csr agency
issue issuing-ca agency "$AGENCY_SUBJ" personal ca/agency.csr -days 825
import_key "$AGENCY_LABEL" 01 agency; put_cert "$AGENCY_LABEL" 01 agency
p12 agency certs/chain.pem

new_key_csr agency-expired
issue issuing-ca agency-expired "$AGENCY_SUBJ" personal ca/agency-expired.csr -startdate 20200101000000Z -enddate 20210101000000Z
import_key "$AGENCY_LABEL" 03 agency-expired; put_cert "$AGENCY_LABEL" 03 agency-expired

new_key_csr agency-future
issue issuing-ca agency-future "$AGENCY_SUBJ" personal ca/agency-future.csr -startdate 20400101000000Z -enddate 20410101000000Z
import_key "$AGENCY_LABEL" 04 agency-future; put_cert "$AGENCY_LABEL" 04 agency-future

new_key_csr leader2
issue issuing-ca leader2 "/C=VN/O=UBND tỉnh Thử Nghiệm/title=Phó Chủ tịch/CN=Trần Thị Bình" personal ca/leader2.csr -days 825
p12 leader2 certs/chain.pem

new_key_csr wrong-ku
issue issuing-ca wrong-ku "/C=VN/O=UBND tỉnh Thử Nghiệm/CN=Lê Văn Cường" wrong_ku ca/wrong-ku.csr -days 825
p12 wrong-ku certs/chain.pem

new_key_csr ocsp
issue issuing-ca ocsp "/C=VN/O=VANTHU Test PKI/CN=VANTHU Test OCSP Responder" ocsp ca/ocsp.csr -days 825

openssl ca -batch -config ca/issuing-ca/ca.cnf -gencrl -out certs/issuing-ca.crl 2>/dev/null

# ---- TLS (exchange hub, mutual TLS) --------------------------------------------------------------
self_signed_ca tls-ca "/C=VN/O=VANTHU Test Exchange/CN=VANTHU Test TLS CA"
new_key_csr tls-server; issue tls-ca tls-server "/CN=localhost" tls_server ca/tls-server.csr -days 825
new_key_csr tls-client; issue tls-ca tls-client "/O=UBND tỉnh Thử Nghiệm/CN=clerk-ws-01" tls_client ca/tls-client.csr -days 825
new_key_csr tls-client-rogue; issue rogue-root tls-client-rogue "/O=Rogue/CN=rogue-ws" tls_client ca/tls-client-rogue.csr -days 825

# ---- trust store (PEM dir) and NSS db for pdfsig ----------------------------------------------------
mkdir -p trust nssdb
cp certs/root-ca.crt trust/vanthu-test-root.pem
certutil -N -d "sql:$OUT/nssdb" --empty-password
certutil -A -d "sql:$OUT/nssdb" -n "VANTHU Test Root CA" -t "CT,C,C" -i certs/root-ca.crt
certutil -A -d "sql:$OUT/nssdb" -n "VANTHU Test Issuing CA" -t ",," -i certs/issuing-ca.crt

# ---- sanity: each token shows its objects -------------------------------------------------------------
for label in "$AGENCY_LABEL" "$LEADER_LABEL"; do
  pkcs11-tool --module "$MODULE" --token-label "$label" --login --pin "$USER_PIN" --list-objects 2>/dev/null \
    | grep -q "Private Key Object" || { echo "test PKI: token $label has no private key" >&2; exit 4; }
done

cat > manifest.json <<JSON
{
  "stamp": "$STAMP",
  "dir": "$OUT",
  "module": "$MODULE",
  "softhsm2Conf": "$OUT/softhsm2.conf",
  "userPin": "$USER_PIN",
  "soPin": "$SO_PIN",
  "p12Password": "$P12_PASS",
  "tokens": { "agency": "$AGENCY_LABEL", "leader": "$LEADER_LABEL" },
  "keyIds": {
    "leader": "01", "leaderEc": "02", "rogueLeader": "03",
    "agency": "01", "agencyExpired": "03", "agencyFuture": "04"
  },
  "certs": "$OUT/certs",
  "keys": "$OUT/keys",
  "p12": "$OUT/p12",
  "trustDir": "$OUT/trust",
  "nssDb": "sql:$OUT/nssdb",
  "ocspUrl": "$OCSP_URL",
  "crlUrl": "$CRL_URL",
  "caDirs": { "issuing": "$OUT/ca/issuing-ca", "root": "$OUT/ca/root-ca" }
}
JSON
echo "test PKI: ready in $OUT"
