# What the bash completion of xlvcpu offers for a command line typed up to
# the cursor, one candidate a line, in the order of LC_ALL=C sort:
#
#     bash --norc --noprofile complete.bash COMPLETION WORD...
#
# The WORDs are the line's words as typed (quotes and backslashes kept),
# the last one the word under the cursor ('' after a space).  They are
# handed to the completion as bash's readline would: each word split again
# around runs of "=" and ":" (two of COMP_WORDBREAKS), COMP_LINE the words
# joined by spaces, the cursor at its end, and the function called with
# the command, the word being completed and the one before.
set -u
# shellcheck disable=SC1090
. "$1" || exit 2
shift

COMP_WORDS=()
for w in "$@"; do
    while [[ $w =~ ^([^=:]*)([=:]+)(.*)$ ]]; do
        [[ -n ${BASH_REMATCH[1]} ]] && COMP_WORDS+=("${BASH_REMATCH[1]}")
        COMP_WORDS+=("${BASH_REMATCH[2]}")
        w=${BASH_REMATCH[3]}
    done
    [[ -n $w ]] && COMP_WORDS+=("$w")
done
# An empty word is the cursor's, after a space.
[[ -z ${!#} ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
cur=${COMP_WORDS[COMP_CWORD]}
# Bash gives "" as the word being completed right after a word break.
[[ $cur =~ ^[=:]+$ ]] && cur=
_xlvcpu "$1" "$cur" "${COMP_WORDS[COMP_CWORD - 1]}"
((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
exit 0
