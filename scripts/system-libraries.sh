#!/bin/sh
# The shared libraries Warsztat's Python packages load at run time, from Debian's
# packages: libmagic (what an uploaded file really is), and Pango with HarfBuzz,
# fontconfig and the DejaVu fonts (WeasyPrint's PDF/A). Missing ones are installed when
# this runs as root on Debian or Ubuntu; otherwise the command to run is printed.
set -eu
missing=""
has() { ldconfig -p 2>/dev/null | grep -q "$1"; }
has 'libmagic\.so\.1' || missing="$missing libmagic1"
has 'libpango-1\.0\.so\.0' || missing="$missing libpango-1.0-0"
has 'libpangoft2-1\.0\.so\.0' || missing="$missing libpangoft2-1.0-0"
has 'libharfbuzz-subset\.so\.0' || missing="$missing libharfbuzz-subset0"
has 'libfontconfig\.so\.1' || missing="$missing libfontconfig1"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system libraries:$missing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
else
  echo "Warsztat needs these system libraries: sudo apt-get install$missing" >&2
  exit 1
fi
