# py312.sh — sourced by the record scripts: sets $py to real CPython 3.12
# (PYTHON312, default python3.12 under pyenv's PYENV_VERSION=3.12.1) and
# stops the script with status 2 when it is not 3.12.
export PYENV_VERSION=${PYENV_VERSION:-3.12.1}
py=${PYTHON312:-python3.12}
"$py" -c 'import sys; assert sys.version_info[:2] == (3, 12), sys.version' || {
    echo "$(basename "$0"): needs CPython 3.12 ($py; PYENV_VERSION=$PYENV_VERSION)" >&2; exit 2; }
