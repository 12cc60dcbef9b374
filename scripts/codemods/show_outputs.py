#!/usr/bin/python3
"""Codemod (issue 13, item 7): notebook outputs through `await show(…)`, so they land under their own cell.

    /usr/bin/python3 scripts/codemods/show_outputs.py [--check] [NOTEBOOK.ipynb ...]

Without names it rewrites every notebook under notebooks/ (solutions included). In each code cell:

- a trailing expression that displays a figure or a displayable table becomes `await show(EXPR);`. Which ones: the
  cell's committed `execute_result` holds a figure (`text/html` with `<svg` or `<figure`, or `image/svg+xml`) or a
  Markdown table (`text/markdown`, what `showClaims` and `showErrata` return); without a committed output, the
  expression is a call of `showClaims`/`showErrata`/`Plot.plot`/`plot…`, or a name the cell assigns from one of those
  or from a `.figure` property;
- a top-level `console.table(ROWS)` statement (one argument) becomes `await show(ROWS)`, and an object literal
  `console.table({ … })` becomes `await show([{ … }])` (a one-row table);
- `show` is added to the cell's, or the first cell's, import from `…/mod.ts` (or a new import line is added).

Cell outputs, metadata and ids are kept (the lead re-executes the notebooks); only sources change. Idempotent: a second
run changes nothing. `--check` writes nothing and exits 1 when a notebook would change. Edits are made with nbformat,
which keeps the repository's JSON layout.
"""
import glob
import os
import re
import sys

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

KEYWORDS = re.compile(
    r"^(const|let|var|import|export|function|async\s+function|class|if|for|while|do|switch|try|return|throw|type|"
    r"interface|enum|declare|namespace|else|case|default|break|continue)\b")
CONTINUATION_START = re.compile(r"^(\.[^.]|\?|:|\+|-|\*|/[^/*]|&|\||,|\)|\]|\}|=|>|<|%|\^|instanceof\b|in\b|as\b)")
CONTINUATION_END = re.compile(r"([-+*/%=&|^<>!?:,.(\[{]|=>)$")
DISPLAY_CALL = re.compile(r"^(await\s+)?(showClaims|showErrata|Plot\.plot|plot[A-Z]\w*)\s*\(")


def scan(source):
    """Per character: the bracket depth and whether it is code (not in a string, template text or comment)."""
    depth = [0] * len(source)
    code = [False] * len(source)
    d = 0
    i = 0
    n = len(source)
    stack = []  # template nesting: depth at which a `${` opened
    state = "code"
    last_sig = ""
    while i < n:
        c = source[i]
        depth[i] = d
        if state == "code":
            if c == "/" and i + 1 < n and source[i + 1] == "/":
                j = source.find("\n", i)
                j = n if j < 0 else j
                i = j
                continue
            if c == "/" and i + 1 < n and source[i + 1] == "*":
                j = source.find("*/", i + 2)
                i = n if j < 0 else j + 2
                continue
            code[i] = True
            if c in "'\"":
                q = c
                j = i + 1
                while j < n and source[j] != q and source[j] != "\n":
                    j += 2 if source[j] == "\\" else 1
                for k in range(i, min(j + 1, n)):
                    depth[k] = d
                i = j + 1
                last_sig = q
                continue
            if c == "`":
                state = "template"
                i += 1
                continue
            if c == "/" and (last_sig == "" or last_sig in "(,=:[!&|?{};+-*%<>~^"):
                # a regular expression literal
                j = i + 1
                in_class = False
                while j < n and source[j] != "\n":
                    if source[j] == "\\":
                        j += 2
                        continue
                    if source[j] == "[":
                        in_class = True
                    elif source[j] == "]":
                        in_class = False
                    elif source[j] == "/" and not in_class:
                        break
                    j += 1
                for k in range(i, min(j + 1, n)):
                    depth[k] = d
                i = j + 1
                last_sig = "/"
                continue
            if c in "([{":
                d += 1
            elif c in ")]}":
                if c == "}" and stack and stack[-1] == d:
                    stack.pop()
                    d -= 1
                    state = "template"
                    i += 1
                    continue
                d -= 1
                depth[i] = d
            if not c.isspace():
                last_sig = c
            i += 1
        else:  # template text
            if c == "\\":
                i += 2
                continue
            if c == "`":
                state = "code"
                last_sig = "`"
                i += 1
                continue
            if c == "$" and i + 1 < n and source[i + 1] == "{":
                d += 1
                stack.append(d)
                state = "code"
                i += 2
                continue
            i += 1
    return depth, code


def strip_comment(line):
    """A line without its trailing // comment (roughly: not inside a string)."""
    out = []
    q = None
    i = 0
    while i < len(line):
        c = line[i]
        if q:
            if c == "\\":
                out.append(line[i:i + 2])
                i += 2
                continue
            if c == q:
                q = None
        elif c in "'\"`":
            q = c
        elif line.startswith("//", i):
            break
        out.append(c)
        i += 1
    return "".join(out).rstrip()


def last_statement(source):
    """(start offset, text) of the last top-level statement of a cell, or None."""
    depth, _ = scan(source)
    lines = source.split("\n")
    offsets = []
    o = 0
    for line in lines:
        offsets.append(o)
        o += len(line) + 1
    start = None
    prev_end = None  # the previous code line, without comment
    for k, line in enumerate(lines):
        text = strip_comment(line).strip()
        if not text or text.startswith("/*") or text.startswith("*"):
            continue
        at = offsets[k] + (len(line) - len(line.lstrip()))
        d = depth[at] if at < len(depth) else 0
        begins = d == 0 and (
            prev_end is None
            or (not CONTINUATION_END.search(prev_end) and not CONTINUATION_START.match(text)))
        if begins:
            start = at
        prev_end = text
    # A top-level `;` after the chosen line start splits statements on one line.
    if start is None:
        return None
    i = len(source.rstrip()) - 1
    while i >= start and source[i] in "; \t\n":
        i -= 1
    for j in range(i, start - 1, -1):
        if source[j] == ";" and depth[j] == 0 and _is_code(source, j):
            start = j + 1
            while start < len(source) and source[start].isspace():
                start += 1
            break
    return start, source[start:].rstrip()


def _is_code(source, j):
    _, code = scan(source)
    return code[j]


def assigned_from_display(source, name):
    """Whether the cell assigns `name` from a figure or a displayable table."""
    m = re.search(r"\b(?:const|let|var)\s+" + re.escape(name) + r"\s*(?::[^=]+)?=\s*([^;]*)", source)
    if not m:
        return False
    rhs = m.group(1).strip()
    return bool(DISPLAY_CALL.match(rhs) or re.search(r"\.figure\b", rhs)
                or re.match(r"^\w+\s*\?\s*(showClaims|showErrata)\(", rhs))


def output_kind(cell):
    for o in cell.get("outputs", []):
        if o.get("output_type") != "execute_result":
            continue
        data = o.get("data", {})
        html = data.get("text/html", "")
        if "image/svg+xml" in data or "<svg" in html or "<figure" in html:
            return "figure"
        if "text/markdown" in data:
            return "markdown"
        return "other"
    return None


def rewrite_trailing(cell):
    source = cell.source
    found = last_statement(source)
    if found is None:
        return source
    start, expr = found
    expr = expr[:-1].rstrip() if expr.endswith(";") else expr
    if not expr or KEYWORDS.match(expr) or re.match(r"^await\s+show\s*\(", expr) or expr.startswith("{"):
        return source
    if re.match(r"^console\.", expr):
        return source
    kind = output_kind(cell)
    if kind in ("figure", "markdown"):
        pass
    elif kind is None:
        ident = re.fullmatch(r"[A-Za-z_$][\w$]*", expr)
        if not (DISPLAY_CALL.match(expr) or (ident and assigned_from_display(source, expr))):
            return source
    else:
        return source
    end = len(source.rstrip())
    tail = source[end:]
    return source[:start] + f"await show({expr});" + ("\n" if tail.endswith("\n") else "")


def rewrite_console_table(source):
    """Top-level `console.table(X)` → `await show(X)`."""
    out = source
    while True:
        depth, code = scan(out)
        changed = False
        for m in re.finditer(r"console\.table\s*\(", out):
            i = m.start()
            if not code[i] or depth[i] != 0:
                continue
            before = out[:i].rstrip(" \t")
            if before and before[-1] not in "\n;}":
                continue
            # matching parenthesis
            open_at = m.end() - 1
            d0 = depth[open_at]
            j = open_at + 1
            commas = 0
            while j < len(out):
                if code[j] and out[j] == ")" and depth[j] == d0:
                    break
                if code[j] and out[j] == "," and depth[j] == d0 + 1:
                    commas += 1
                j += 1
            if j >= len(out) or commas:
                continue
            arg = out[open_at + 1:j].strip()
            if arg.startswith("{"):
                arg_text = "[" + out[open_at + 1:j].strip() + "]"
            else:
                arg_text = out[open_at + 1:j]
            out = out[:i] + "await show(" + arg_text + ")" + out[j + 1:]
            changed = True
            break
        if not changed:
            return out


def has_show_import(source):
    return bool(re.search(r"import\s*\{[^}]*\bshow\b[^}]*\}\s*from\s*[\"'][^\"']*mod\.ts[\"']", source))


def add_import(nb, changed_cells):
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    if any(has_show_import(c.source) for c in code_cells):
        return
    pattern = re.compile(r"import\s*\{([^}]*)\}\s*from\s*([\"'])((?:\.\./)+mod\.ts)\2")
    for c in code_cells:
        m = pattern.search(c.source)
        if m:
            names = m.group(1)
            body = names.rstrip()
            trailing = names[len(body):]
            if body.endswith(","):
                new = body + " show," + trailing
            else:
                new = body + ", show" + trailing
            c.source = c.source[:m.start(1)] + new + c.source[m.end(1):]
            return
    # No import of mod.ts: add one to the first cell that uses show, with the path of any …/mod.ts import there.
    first = changed_cells[0]
    rel = "../mod.ts"
    other = re.search(r"from\s*[\"']((?:\.\./)+)(?:experiments/)?mod\.ts[\"']", "\n".join(c.source for c in code_cells))
    if other:
        rel = other.group(1) + "mod.ts"
    first.source = f'import {{ show }} from "{rel}";\n' + first.source


def codemod(nb):
    changed_cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        before = cell.source
        after = rewrite_trailing(cell)
        after = rewrite_console_table(after)
        if after != before:
            cell.source = after
            changed_cells.append(cell)
    if changed_cells or any(re.search(r"\bawait\s+show\s*\(", c.source) for c in nb.cells if c.cell_type == "code"):
        uses = [c for c in nb.cells if c.cell_type == "code" and re.search(r"\bawait\s+show\s*\(", c.source)]
        add_import(nb, changed_cells or uses)
    return nb


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    check = "--check" in sys.argv[1:]
    paths = args or sorted(p for p in glob.glob(os.path.join(ROOT, "notebooks", "**", "*.ipynb"), recursive=True)
                           if ".ipynb_checkpoints" not in p)
    changed = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        nb = nbformat.reads(text, as_version=4)
        before = [c.source for c in nb.cells]
        codemod(nb)
        if [c.source for c in nb.cells] != before:
            changed.append(path)
            if not check:
                nbformat.write(nb, path)
    for p in changed:
        print(("would change " if check else "changed ") + os.path.relpath(p, ROOT))
    if check and changed:
        sys.exit(1)


if __name__ == "__main__":
    main()
