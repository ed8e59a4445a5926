#!/usr/bin/env python3
"""eimza — every external command the project's scripts, tests, benchmarks and demo call
must come from a Debian package that scripts/deps.txt names (or that one of those pulls in
through Depends/Pre-Depends, since install-deps.sh installs them with it), or from Debian's
essential set (Essential: yes, or priority required: what debootstrap's minbase installs).
Otherwise `make test` works on a developer's machine that happens to have the
tool and fails on a fresh Debian 12 (the `xxd` case).

How it finds the commands (a static reading, deliberately simple):
  - shell (*.sh, the Makefile's recipes): the first word of each simple command — at the
    start of a line and after | ; && || $( ` ( { and the keywords then/do/else/if/while/! —
    after variable assignments and wrappers (exec, time, env, command, nohup, timeout N,
    xargs, sudo); words of `for c in a b c; do ... command -v "$c"` lists; heredoc bodies,
    comments and quoted strings are skipped unless they are handed to a shell (bash -c '...');
  - JavaScript (*.mjs, *.js under tests/ and bench/): the first argument of spawn,
    spawnSync, execFileSync, execFile, run, start when it is a string literal, and names in
    `command -v` checks;
  - C tests (tests/**/*.c): string literals handed to system(), popen() or execlp() are read
    as shell commands.
Names defined as shell functions anywhere in the project, shell builtins and keywords, and
paths inside the project are not external commands.

Each external command is looked up on PATH and mapped to its package with dpkg -S. Exit 0
when every one is provided as above; otherwise 1, naming each command and its package (or
"not installed" when no package on this machine provides it).

Usage: scripts/check-commands.py [--list]   (--list prints every command and its package)
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

BUILTINS = set('''
. : [ [[ ]] alias bg bind break builtin caller case cd command compgen complete continue
declare dirs disown do done echo elif else enable esac eval exec exit export false fc fg fi
for function getopts hash help history if in jobs kill let local logout mapfile popd printf
pushd pwd read readarray readonly return select set shift shopt source suspend test then
time times trap true type typeset ulimit umask unalias unset until wait while { } ! coproc
'''.split())
WRAPPERS = {'exec', 'time', 'env', 'command', 'nohup', 'sudo', 'xargs', 'nice', 'builtin',
            'setsid', 'stdbuf'}
# what a fresh Debian system has on PATH (not /usr/local, not a developer's ~/.pyenv)
SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin'
KEYWORDS_BEFORE_CMD = {'then', 'do', 'else', 'if', 'while', 'until', '!', 'elif', '{', '('}
SEPARATORS = re.compile(r'\|\||&&|\$\(|[|;`({]|\bthen\b|\bdo\b|\belse\b|\belif\b')
WORD = re.compile(r'^[A-Za-z_][A-Za-z0-9_.+-]*$')
ASSIGN = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=')


def tracked_files():
    out = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard'],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.splitlines() if os.path.isfile(os.path.join(ROOT, f))]


def subst_end(text, i):
    """The index of the ')' that closes the '(' at text[i], quotes inside respected."""
    depth, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '\\':
            i += 2
            continue
        if c == "'" and depth:
            j = text.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if c == '"' and depth:
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == '\\' else 1
            i = j + 1
            continue
        if c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return n - 1


def skeleton(text):
    """The shell text with what is data blanked: single- and double-quoted strings (but a
    $( ... ) inside double quotes is kept, it runs), comments, and heredoc bodies. Newlines
    inside quotes become spaces, so a quoted multi-line program (SQL, awk, jq) never shows a
    command position. Returns the skeleton and the quoted texts handed to a shell with -c."""
    out, inline = [], []
    i, n = 0, len(text)
    heredocs = []  # terminators waiting for the end of the current line
    while i < n:
        c = text[i]
        if c == '\\' and i + 1 < n:
            out.append(' ' if text[i + 1] != '\n' else ' ')
            i += 2
            continue
        if c == "'":
            j = text.find("'", i + 1)
            j = n - 1 if j < 0 else j
            body = text[i + 1:j]
            if re.search(r'\b(?:ba)?sh\s+-c\s*$', ''.join(out[-20:])):
                inline.append(body)
            out.append(' @q ')  # a word, but never a command name
            i = j + 1
            continue
        if c == '"':
            j = i + 1
            start = len(out)
            kept = []
            while j < n and text[j] != '"':
                if text[j] == '\\':
                    j += 2
                    continue
                if text.startswith('$((', j):
                    j = subst_end(text, j + 1)
                    continue
                if text.startswith('$(', j):
                    k = subst_end(text, j + 1)
                    kept.append('$(' + skeleton(text[j + 2:k])[0].replace('\n', ' ') + ')')
                    j = k + 1
                    continue
                j += 1
            body = text[i + 1:j]
            if re.search(r'\b(?:ba)?sh\s+-c\s*$', ''.join(out[-20:])):
                inline.append(body)
            out.append(' @q ' + ' '.join(kept) + ' ')
            i = j + 1
            continue
        if c == '#' and (i == 0 or text[i - 1] in ' \t\n;|&('):
            j = text.find('\n', i)
            i = n if j < 0 else j
            continue
        if text.startswith('$((', i) or text.startswith('((', i):
            i = subst_end(text, i + (1 if c == '$' else 0)) + 1
            out.append(' @n ')
            continue
        if text.startswith('<<', i) and not text.startswith('<<<', i):
            m = re.match(r'<<-?\s*([\'"]?)([A-Za-z_][A-Za-z0-9_]*)\1', text[i:])
            if m:
                heredocs.append(m.group(2))
                out.append(' ')
                i += m.end()
                continue
        if c == '\n' and heredocs:
            out.append('\n')
            i += 1
            for term in heredocs:
                while i < n:
                    j = text.find('\n', i)
                    line = text[i:n if j < 0 else j]
                    i = n if j < 0 else j + 1
                    if line.strip() == term:
                        break
            heredocs = []
            continue
        out.append(c)
        i += 1
    return ''.join(out), inline


def first_words(text):
    """The command words of one line of shell."""
    found = []
    for seg in SEPARATORS.split(text):
        words = seg.split()
        k = 0
        while k < len(words):
            w = words[k]
            if ASSIGN.match(w) or w in KEYWORDS_BEFORE_CMD or w.startswith(('<', '>', '2>', '&>')):
                k += 1
                continue
            if re.match(r'^\d*[<>]', w):
                k += 1
                continue
            if w in WRAPPERS:
                found.append(w)
                k += 1
                while k < len(words) and words[k].startswith('-'):
                    k += 1
                continue
            if w == 'timeout':
                found.append(w)
                k += 1
                while k < len(words) and (words[k].startswith('-') or re.match(r'^[\d.]+[smh]?$', words[k])):
                    k += 1
                continue
            found.append(w)
            break
    return found


def shell_commands(text, functions):
    cmds = []
    for m in re.finditer(r'^\s*(?:function\s+)?([A-Za-z_][A-Za-z0-9_-]*)\s*\(\)', text, re.M):
        functions.add(m.group(1))
    skel, inline = skeleton(text)
    for body in inline:
        cmds += shell_commands(body, functions)
    case_depth = 0
    for line in skel.split('\n'):
        if re.match(r'^\s*case\b', line):
            case_depth += 1
        if re.search(r'\besac\b', line):
            case_depth = max(0, case_depth - 1)
        if case_depth:
            # case patterns "foo)" and "a|b)" are not commands
            line = re.sub(r'^\s*[^()\s]+(\s*\|\s*[^()\s]+)*\s*\)', ' ', line)
        # for c in a b c; do ... command -v "$c" ...: each word of the list is a command
        fm = re.search(r'\bfor\s+(\w+)\s+in\s+([^;]*);', line)
        if fm and re.search(r'(command -v|need|which)\s+\$\{?' + fm.group(1) + r'\b', line):
            cmds += fm.group(2).split()
        cmds += re.findall(r'command\s+-v\s+([A-Za-z][\w.+-]*)', line)
        cmds += first_words(line)
    return cmds


def js_commands(text):
    cmds = []
    for m in re.finditer(r'\b(?:spawn|spawnSync|execFileSync|execFile|execSync|run|start)\s*\(\s*([\'"])([^\'"]+)\1',
                         text):
        cmds.append(m.group(2).split()[0])
    for m in re.finditer(r'command -v ([A-Za-z][\w.+-]*)', text):
        cmds.append(m.group(1))
    # lists of tools checked before use: for (const c of ['a', 'b']) ... command -v ${c}
    for m in re.finditer(r'for\s*\(\s*const\s+(\w+)\s+of\s+\[([^\]]*)\]\s*\)[^\n]*\n?[^\n]*command -v \$\{\1\}',
                         text):
        cmds += re.findall(r'[\'"]([^\'"]+)[\'"]', m.group(2))
    return cmds


def c_commands(text):
    """Shell commands in C tests: the string literals of the statement that ends in
    system()/popen()/execlp(), or of the snprintf that builds the command they run."""
    if not re.search(r'\b(system|popen|execlp)\s*\(', text):
        return []
    cmds = []
    for m in re.finditer(r'execlp\s*\(\s*"([^"]+)"', text):
        cmds.append(m.group(1))
    # a literal that starts like a command line: "word " or "cd ... && word"
    for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', text):
        lit = lit.replace('\\"', '"')
        if not re.match(r'^[a-z][\w.+-]*\s', lit):
            continue
        words = first_words(skeleton(lit)[0])
        if words and shutil.which(words[0]) or (words and words[0] in ('cd', 'exec')):
            cmds += words
    return cmds


def makefile_commands(text, functions):
    recipes = [l[1:].lstrip('@-+') for l in re.sub(r'\\\\\n', ' ', text).split('\n')
               if l.startswith('\t')]
    # $(VAR) is make's; $$ is the shell's $
    body = re.sub(r'\$\([A-Za-z_]+\)', 'x', '\n'.join(recipes)).replace('$$', '$')
    return shell_commands(body, functions)


def packages_of(cmds):
    """{command: (path on the system PATH or None, package or a note)}, with one dpkg -S."""
    paths, cands = {}, {}
    for cmd in cmds:
        p = shutil.which(cmd, path=SYSTEM_PATH)
        paths[cmd] = p
        if not p:
            continue
        c = [p, os.path.realpath(p)]
        c += [x[4:] if x.startswith('/usr/') else '/usr' + x for x in list(c)]
        cands[cmd] = c
    owner = {}
    allpaths = sorted({x for c in cands.values() for x in c})
    if allpaths:
        r = subprocess.run(['dpkg', '-S'] + allpaths, capture_output=True, text=True)
        for line in r.stdout.splitlines():
            if line.startswith('diversion') or ': ' not in line:
                continue
            pkgs, path = line.split(': ', 1)
            owner.setdefault(path.strip(), pkgs.split(',')[0].split(':')[0].strip())
    res = {}
    for cmd in cmds:
        p = paths[cmd]
        pkg = next((owner[x] for x in cands.get(cmd, []) if x in owner), None)
        res[cmd] = (p, pkg or ('(not from a package: %s)' % p if p else None))
    return res


def allowed_packages():
    """The packages deps.txt names with everything they pull in through Depends and
    Pre-Depends (read from dpkg's database of installed packages, so no package lists are
    needed), and Debian's essential set."""
    want = []
    with open(os.path.join(ROOT, 'scripts/deps.txt')) as f:
        for line in f:
            line = line.split('#')[0].strip()
            if line:
                want.append(line)
    # packages a script installs itself, named in deps.txt as "# installed by SCRIPT: PKG"
    with open(os.path.join(ROOT, 'scripts/deps.txt')) as f:
        for line in f:
            m = re.match(r'^#\s*installed by \S+:\s*([a-z0-9.+-]+)', line)
            if m:
                want.append(m.group(1))
    out = subprocess.run(['dpkg-query', '-W', '-f',
                          '${Package}\t${Essential}\t${Priority}\t${Depends}, ${Pre-Depends}\t${Provides}\n'],
                         capture_output=True, text=True).stdout
    deps, providers, essential = {}, {}, set()
    for line in out.splitlines():
        name, ess, prio, dep, prov = (line.split('\t') + [''] * 5)[:5]
        deps[name] = [re.sub(r'[:\s(].*', '', alt.strip())
                      for d in dep.split(',') for alt in d.split('|') if alt.strip()]
        for pv in prov.split(','):
            pv = re.sub(r'[:\s(].*', '', pv.strip())
            if pv:
                providers.setdefault(pv, []).append(name)
        # Debian's essential set, read as what every Debian system has: the packages marked
        # Essential and those of priority "required" (debootstrap's minbase installs exactly
        # these; apt and mawk are among them)
        if ess == 'yes' or prio == 'required':
            essential.add(name)
    closure, todo = set(), list(want)
    while todo:
        p = todo.pop()
        if p in closure:
            continue
        closure.add(p)
        todo += deps.get(p, []) + providers.get(p, [])
    return closure, essential


def main():
    listing = '--list' in sys.argv
    functions = set()
    uses = {}  # command -> first file that calls it

    def add(cmds, f):
        for c in cmds:
            c = c.strip()
            if not WORD.match(c):
                continue
            uses.setdefault(c, f)

    files = tracked_files()
    scanned = [f for f in files
               if f.endswith('.sh') or f == 'Makefile'
               or (f.endswith(('.mjs', '.js')) and f.startswith(('tests/', 'bench/', 'scripts/')))
               or (f.endswith(('.c', '.h')) and f.startswith(('tests/', 'bench/', 'tools/')))]
    for f in scanned:
        try:
            text = open(os.path.join(ROOT, f), encoding='utf-8').read()
        except UnicodeDecodeError:
            continue
        if f == 'Makefile':
            add(makefile_commands(text, functions), f)
        elif f.endswith('.sh'):
            add(shell_commands(text, functions), f)
        elif f.endswith(('.mjs', '.js')):
            add(js_commands(text), f)
        else:
            add(c_commands(text), f)

    closure, essential = allowed_packages()
    wanted = sorted(c for c in uses if c not in BUILTINS and c not in functions)
    owners = packages_of(wanted)
    bad = []
    for cmd in wanted:
        path, pkg = owners[cmd]
        if path is None:
            # not on PATH: a project file (scripts/x.sh run by path), or a tool nothing installed
            if any(os.path.basename(f) == cmd for f in files):
                continue
            bad.append((cmd, 'not installed: no package of scripts/deps.txt provides it', uses[cmd]))
            continue
        ok = pkg in closure or pkg in essential
        if listing:
            print(f'{cmd:24} {pkg:28} {"" if ok else "UNLISTED"}  ({uses[cmd]})')
        if not ok:
            bad.append((cmd, f'from package {pkg}, which scripts/deps.txt does not name', uses[cmd]))
    for cmd, why, where in bad:
        print(f'check-commands: "{cmd}" ({where}) is {why}' if why.startswith('not') else
              f'check-commands: "{cmd}" ({where}) comes {why}', file=sys.stderr)
    if bad:
        print('check-commands: add the package to scripts/deps.txt (or stop calling the command)',
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
