#!/usr/bin/env bash
# Install what a fresh Debian machine lacks. `python`: venv support for the
# virtual environment; `documents`: LibreOffice and the fonts below, for a
# server that writes PDFs; `test`: the same, Chromium for the browser tests,
# gettext to check the translations, poppler's pdftoppm for the PDF page
# images the tests keep, libatomic for the Node.js
# that Playwright bundles, and PostgreSQL's server programs for
# scripts/postgres.sh (Debian keeps initdb off PATH), without the cluster and
# the service Debian would otherwise set up; and the
# free faces that stand in for the GB/T 9704 fonts in LibreOffice's PDF
# (src/zhenggai/core/fonts/gbt9704.conf): Fandol, and Liberation Serif for
# Times New Roman.
# Installs nothing that is already there.
set -euo pipefail

# Where zhenggai.core.fonts looks for Fandol: outside the system's font
# directories on purpose. Fandol's Bold faces declare the wrong weight, and the
# fix (a scan rule in gbt9704.conf) only takes if no other configuration scans
# and caches the directory first.
FANDOL_DIR=/usr/local/share/zhenggai/fonts/fandol
TEXLIVE_FANDOL=/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_update() {
    [ -n "${apt_updated:-}" ] || as_root apt-get update -qq
    apt_updated=yes
}

apt_install() {
    apt_update
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@"
}

# Debian's package creates a `main` cluster and enables a service at every
# boot; the tests only want initdb and pg_ctl for their throwaway server. A
# drop-in stops the cluster being created (postgresql-common reads the folder),
# and the service is disabled once installed.
install_postgres() {
    as_root install -d /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' |
        as_root tee /etc/postgresql-common/createcluster.d/zhenggai-no-cluster.conf >/dev/null
    apt_install postgresql
    if command -v deb-systemd-helper >/dev/null 2>&1; then
        as_root deb-systemd-helper disable postgresql.service >/dev/null 2>&1 || true
    fi
    as_root update-rc.d postgresql disable >/dev/null 2>&1 || true
}

has_font() {
    fc-list "$1" 2>/dev/null | grep -q .
}

# Debian has no fonts-fandol: the OTFs ship inside texlive-lang-chinese, whose
# installation pulls in 278 MB of TeX. Only its fandol directory is taken.
install_fandol() (
    inside=./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # apt fetches as _apt when run as root; it needs to write there.
    [ "$(id -u)" -ne 0 ] || chown _apt "$tmp"
    apt_update
    (cd "$tmp" && apt-get download -qq texlive-lang-chinese)
    dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb |
        tar -x -C "$tmp" --wildcards "$inside/Fandol[FHKS]*.otf" \
            ./usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz
    as_root install -d "$FANDOL_DIR"
    as_root install -m 644 "$tmp/$inside"/*.otf \
        "$tmp"/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz "$FANDOL_DIR"
)

document_packages() {
    command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
    fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei fontconfig)
    has_font 'Times New Roman' || has_font 'Liberation Serif' || missing+=(fonts-liberation2)
}

case "${1:-}" in
    python)
        python3 -c "import venv, ensurepip" 2>/dev/null || apt_install python3-venv
        ;;
    documents)
        # What a server needs to write PDFs: LibreOffice and the faces above.
        missing=()
        document_packages
        [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
        [ -e "$FANDOL_DIR/FandolFang-Regular.otf" ] ||
            [ -e "$TEXLIVE_FANDOL/FandolFang-Regular.otf" ] || install_fandol
        ;;
    test)
        missing=()
        document_packages
        command -v chromium >/dev/null 2>&1 || missing+=(chromium)
        command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
        command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
        # Calc prints the ledger .xlsx to PDF for the test of its printed size.
        compgen -G '/usr/lib/libreoffice/program/libsclo.so' >/dev/null ||
            missing+=(libreoffice-calc-nogui)
        compgen -G '/usr/lib/*/libatomic.so.1' >/dev/null || missing+=(libatomic1)
        command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client) # zhenggai backup/restore
        have_postgres=yes
        compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ||
            command -v initdb >/dev/null 2>&1 || have_postgres=""
        have_fandol=yes
        [ -e "$FANDOL_DIR/FandolFang-Regular.otf" ] ||
            [ -e "$TEXLIVE_FANDOL/FandolFang-Regular.otf" ] || have_fandol=""
        [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
        [ -n "$have_postgres" ] || install_postgres
        [ -n "$have_fandol" ] || install_fandol
        ;;
    *)
        echo "usage: $0 python|documents|test" >&2
        exit 2
        ;;
esac
