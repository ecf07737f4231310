#!/bin/sh
# The shared libraries Warsztat's Python packages load at run time, from Debian's
# packages: libmagic (what an uploaded file really is). Missing ones are installed when
# this runs as root on Debian or Ubuntu; otherwise the command to run is printed.
set -eu
missing=""
ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1' || missing="$missing libmagic1"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system libraries:$missing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
else
  echo "Warsztat needs these system libraries: sudo apt-get install$missing" >&2
  exit 1
fi
