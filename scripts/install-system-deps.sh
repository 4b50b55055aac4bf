#!/usr/bin/env bash
# Debian packages the project needs beyond Python: TeX for the PDF (xelatex through
# sphinx-jupyterbook-latex), poppler for checking the PDF, Chromium for the browser checks, Node's npm for axe-core.
# Installs only what is missing; needs root (or sudo).
set -euo pipefail
PACKAGES=(
  make git
  texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
  texlive-fonts-extra  # bbm.sty, required by sphinx-jupyterbook-latex
  texlive-lang-other  # Indonesian hyphenation patterns (polyglossia bahasai) for book-id.pdf
  latexmk fonts-freefont-otf
  poppler-utils
  chromium
)
# npm (npm ci installs axe-core from package-lock.json for the accessibility check): Debian's
# nodejs and npm, unless a Node.js with npm is there already (e.g. one that ships npm inside).
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "system packages: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: done"
