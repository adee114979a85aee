# An index of a man(7) page, for tests that ask what it documents where:
# one line per paragraph or tag, as the page's text without its markup,
#
#     SECTION <TAB> ENTRY <TAB> KIND <TAB> TEXT
#
# KIND is "tag0" for the tag of a .TP outside any .RS (ENTRY is then
# that tag itself), "tag" for the tag of a nested .TP, and "text" for a
# paragraph (in filled text, the words up to the next break; in .nf, one
# line).  ENTRY is the last tag0 of the section or subsection, or empty.
# Only the requests xlvcpu(1) and libxlvcpu(3) use are known; any other
# breaks the line and is otherwise ignored.
#
#     awk -f tests/docs/manindex.awk PAGE

# The text of a line without its escapes: fonts, \- and the few named
# characters the pages use.
function plain(s,    out, c, i, n)
{
    out = ""
    n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c != "\\" || i == n) {
            out = out c
            continue
        }
        c = substr(s, ++i, 1)
        if (c == "f") {
            i++                             # \fB, \fI, \fR, \fP
        } else if (c == "(") {
            c = substr(s, i + 1, 2)
            i += 2
            if (c == "aq")
                out = out "'"
            else if (c == "dq")
                out = out "\""
            else if (c == "em")
                out = out "--"
            else if (c == "bu")
                out = out "*"
            else
                out = out "?"
        } else if (c == "-" || c == " ") {
            out = out c
        } else if (c == "e") {
            out = out "\\"
        }                                   # \& and \c: nothing
    }
    return out
}

# Split the arguments of request line S (after its name) into args[],
# as troff does: blanks separate, "..." quotes, "" is a quote inside.
function split_args(s,    n, i, c, cur, inq, have)
{
    n = 0
    cur = ""
    inq = 0
    have = 0
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (inq) {
            if (c == "\"" && substr(s, i + 1, 1) == "\"") {
                cur = cur "\""
                i++
            } else if (c == "\"") {
                inq = 0
            } else {
                cur = cur c
            }
        } else if (c == " " || c == "\t") {
            if (have)
                args[++n] = cur
            cur = ""
            have = 0
        } else if (c == "\"" && !have) {
            inq = 1
            have = 1
        } else if (c == "\\") {
            cur = cur c substr(s, i + 1, 1)
            i++
            have = 1
        } else {
            cur = cur c
            have = 1
        }
    }
    if (have)
        args[++n] = cur
    return n
}

function emit(kind, text)
{
    gsub(/  +/, " ", text)
    sub(/^ /, "", text)
    sub(/ $/, "", text)
    if (text == "")
        return
    if (kind == "tag0")
        entry = text
    printf "%s\t%s\t%s\t%s\n", section, entry, kind, text
}

# End the paragraph being filled.
function flush()
{
    if (para != "")
        emit("text", para)
    para = ""
}

# Text of the page, from a text line or a font request.
function text(t)
{
    if (want_tag) {
        flush()
        emit(depth ? "tag" : "tag0", t)
        want_tag = 0
    } else if (nofill) {
        flush()
        emit("text", t)
    } else {
        para = para " " t
    }
}

BEGIN {
    section = ""
    entry = ""
    para = ""
    depth = 0
    nofill = 0
    want_tag = 0
    held = ""
}

# A line ending in an escaped newline goes on with the next.
/\\$/ && !/\\\\$/ {
    held = held substr($0, 1, length($0) - 1)
    next
}

{
    line = held $0
    held = ""
    if (line ~ /^[.']\\"/ || line ~ /^'/)
        next                                # comments, the tbl line
    if (line !~ /^\./) {
        if (line == "") {
            flush()
            next
        }
        text(plain(line))
        next
    }
    name = line
    sub(/^\.[ \t]*/, "", name)
    rest = name
    sub(/[ \t].*/, "", name)
    if (rest == name)
        rest = ""
    else
        sub(/^[^ \t]*[ \t]*/, "", rest)
    n = split_args(rest)
    joined = ""
    if (name == "B" || name == "I" || name == "SM" || name == "SB") {
        for (i = 1; i <= n; i++)
            joined = joined (i > 1 ? " " : "") args[i]
        text(plain(joined))
    } else if (name ~ /^(BR|BI|IB|IR|RB|RI)$/) {
        for (i = 1; i <= n; i++)
            joined = joined args[i]
        text(plain(joined))
    } else if (name == "SH" || name == "SS") {
        flush()
        for (i = 1; i <= n; i++)
            joined = joined (i > 1 ? " " : "") args[i]
        if (name == "SH")
            section = plain(joined)
        entry = ""
        depth = 0
    } else if (name == "TP") {
        flush()
        want_tag = 1
    } else if (name == "RS") {
        flush()
        depth++
    } else if (name == "RE") {
        flush()
        if (depth > 0)
            depth--
    } else if (name == "nf") {
        flush()
        nofill = 1
    } else if (name == "fi") {
        flush()
        nofill = 0
    } else if (name !~ /^(nh|hy|ad|na|PD|ds|ft)$/) {
        flush()                             # PP, IP, br, sp, TH, ...
    }
}

END {
    flush()
}
