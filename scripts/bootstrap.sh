#!/usr/bin/env bash
# Install what a fresh Debian machine lacks. `python`: venv support for the
# virtual environment; `test`: LibreOffice and a Chinese font for the tests,
# Chromium for the browser tests, gettext to check the translations, poppler's
# pdftoppm for the PDF page images the tests keep, and
# PostgreSQL for scripts/postgres.sh (Debian keeps initdb off PATH).
# Installs nothing that is already there.
set -euo pipefail

apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

case "${1:-}" in
    python)
        python3 -c "import venv, ensurepip" 2>/dev/null || apt_install python3-venv
        ;;
    test)
        missing=()
        command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
        fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei fontconfig)
        command -v chromium >/dev/null 2>&1 || missing+=(chromium)
        command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
        command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
        compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ||
            command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
        [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
        ;;
    *)
        echo "usage: $0 python|test" >&2
        exit 2
        ;;
esac
