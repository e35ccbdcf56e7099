#!/usr/bin/env bash
# Makes the sample images the signer tests and the demo use (fake, for tests only):
#   resources/images/sample-seal-red.png        red round seal, transparent background, 600x600 px
#   resources/images/sample-signature-blue.png  blue handwritten-style strokes, transparent, 600x240 px
# The seal's pixel size and dpi carry no meaning: the signer draws it at the diameter set in mm.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/../resources/images"
FONT="/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
command -v convert >/dev/null || { echo "imagemagick 'convert' is missing" >&2; exit 3; }
[ -f "$FONT" ] || { echo "$FONT is missing (fonts-liberation2)" >&2; exit 3; }
mkdir -p "$OUT"

# Seal: two red rings, a star and the agency name on a straight line (arc text is not worth the code).
convert -size 600x600 xc:none -fill none -stroke '#d81e1e' \
  -strokewidth 18 -draw 'circle 300,300 300,18' \
  -strokewidth 6 -draw 'circle 300,300 300,80' \
  -fill '#d81e1e' -stroke none \
  -draw 'polygon 300,140 322,205 390,205 335,245 356,310 300,270 244,310 265,245 210,205 278,205' \
  -font "$FONT" -pointsize 34 -gravity center -annotate +0+60 'ỦY BAN NHÂN DÂN' \
  -pointsize 32 -annotate +0+115 'TỈNH THỬ NGHIỆM' \
  -define png:color-type=6 "PNG32:$OUT/sample-seal-red.png"

# Signature: a few thick blue bezier strokes across the whole width.
convert -size 600x240 xc:none -fill none -stroke '#1f3fbf' -strokewidth 9 \
  -draw 'bezier 20,170 90,20 150,230 230,80' \
  -draw 'bezier 230,80 300,10 330,200 420,110' \
  -draw 'bezier 420,110 480,60 520,190 585,60' \
  -draw 'bezier 60,200 250,185 400,200 560,170' \
  -define png:color-type=6 "PNG32:$OUT/sample-signature-blue.png"
echo "wrote $OUT/sample-seal-red.png and $OUT/sample-signature-blue.png"
