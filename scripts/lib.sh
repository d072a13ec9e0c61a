# shellcheck shell=bash
# Shared helpers for scripts/setup, scripts/run and scripts/test. Source it; it runs nothing.
#
#   SCRIPTS_DIR  absolute path of scripts/
#   REPO_ROOT    absolute path of the repository (parent of scripts/)

SCRIPTS_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(dirname -- "$SCRIPTS_DIR")
export REPO_ROOT
PACKAGES_FILE=$SCRIPTS_DIR/packages.txt

# Colours only for a terminal, never in CI.
if [[ -t 2 && -z ${CI:-} && -z ${NO_COLOR:-} ]]; then
    _C_BOLD=$'\e[1m' _C_RED=$'\e[31m' _C_OFF=$'\e[0m'
else
    _C_BOLD='' _C_RED='' _C_OFF=''
fi

# Progress messages go to stderr so stdout stays for data.
# (A closed stderr, e.g. `scripts/run 2>&1 | tee log` after Ctrl-C, must not stop a clean-up.)
say() { echo "${_C_BOLD}==> $*${_C_OFF}" >&2 || true; }
warn() { echo "${_C_RED}warning:${_C_OFF} $*" >&2 || true; }
die() { echo "${_C_RED}error:${_C_OFF} $*" >&2 || true; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (not root and sudo is not installed)"
    fi
}

# packages_for SET... -> package names of packages.txt in any of the sets, one per line.
packages_for() {
    local want=" $* "
    awk -v want="$want" '
        /^[[:space:]]*(#|$)/ { next }
        {
            n = split($2, sets, ",")
            for (i = 1; i <= n; i++) if (index(want, " " sets[i] " ")) { print $1; break }
        }' "$PACKAGES_FILE"
}

# missing_packages SET... -> packages of those sets not installed, one per line. A package whose
# cmd= commands are all on the PATH counts as installed.
missing_packages() {
    local want=" $* " pkg sets rest cmd
    local -A installed=()
    local -a names=()
    mapfile -t names < <(packages_for "$@")
    (( ${#names[@]} )) || return 0
    while read -r pkg status; do
        [[ $status == ii* ]] && installed[$pkg]=1
    done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${names[@]}" 2>/dev/null || true)
    while read -r pkg sets rest; do
        [[ -z $pkg || $pkg == \#* ]] && continue
        local hit=0 s
        for s in ${sets//,/ }; do [[ $want == *" $s "* ]] && hit=1; done
        (( hit )) || continue
        [[ -n ${installed[$pkg]:-} ]] && continue
        # present anyway when every command it is declared for is on the PATH
        local cmds=() word all=1
        for word in $rest; do
            [[ $word == cmd=* ]] && IFS=, read -r -a more <<<"${word#cmd=}" && cmds+=("${more[@]}")
        done
        if (( ${#cmds[@]} )); then
            for word in "${cmds[@]}"; do command -v "$word" >/dev/null 2>&1 || { all=0; break; }; done
            (( all )) && continue
        fi
        echo "$pkg"
    done <"$PACKAGES_FILE"
}

# jobs for builds: all cores (2 here)
build_jobs() { nproc 2>/dev/null || echo 2; }
