#!/usr/bin/python3
"""Execute a notebook in Jupyter (nbclient, the engine behind `jupyter nbconvert --execute`) with the Deno
kernel, and write the executed copy.

    /usr/bin/python3 scripts/execute_notebook.py IN.ipynb OUT.ipynb [TIMEOUT_SECONDS] [--run-all]

Why not plain nbconvert:
- Deno's kernel (2.9.6) sometimes publishes a cell's output a few milliseconds *after* its `idle` status
  message, and nbclient stops collecting a cell's output at `idle`, so about one cell in twenty-odd silently
  lost its output. This client keeps listening for `GRACE` seconds after `idle` for late messages of the same
  cell (measured lateness: ~2 ms).
- The Deno kernel swallows an unhandled promise rejection and an error thrown in a timer: the cell reports
  success and nothing is shown. This client installs `unhandledrejection` and `error` listeners in the kernel
  before the first cell (a silent request, not part of the notebook), and after every cell asks the kernel,
  again silently, whether one fired; if so the cell gets an error output naming it and the run fails.

Any cell error fails the run (exit code 1); the executed copy is written either way.

`--run-all` does what the classic frontend's "Run All" does instead: it sends every code cell's execute_request at
once (the kernel queues them) over jupyter_client, files each iopub output under the cell whose request its
parent_header names, as the frontend does, and fails when an output is not its own cell's:
- an `execute_result` whose execution_count is not the count of the cell its parent header names (the Deno kernel
  2.9.6 sometimes sends a cell's result after that cell's reply and idle, addressed to the *next* request, so the
  frontend shows it under the next cell);
- an output that arrives after its cell's `idle` (the frontend has closed that cell's output area by then), or
  before its cell's `busy`;
- an output whose parent is no request of the notebook.
Each problem names the cell index, the execution count and what arrived. The async-error probe runs once, after the
last cell (per-cell probes would break the queue).
"""
import asyncio
import os
import sys
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async

GRACE = 0.25  # seconds to wait for late output after a cell reports idle

SETUP = """
globalThis.__toolkitAsyncErrors = [];
globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  globalThis.__toolkitAsyncErrors.push("unhandled promise rejection: " + String(e.reason?.stack ?? e.reason));
});
globalThis.addEventListener("error", (e) => {
  e.preventDefault();
  globalThis.__toolkitAsyncErrors.push("error thrown outside the cell (timer or callback): " + String(e.error?.stack ?? e.message));
});
"""

# Waits a moment for rejections queued by the cell, then reports and clears them by throwing.
PROBE = """
await new Promise((resolve) => setTimeout(resolve, 20));
{
  const errors = globalThis.__toolkitAsyncErrors ?? [];
  globalThis.__toolkitAsyncErrors = [];
  if (errors.length) throw new Error(errors.join("\\n"));
}
"""


class StrictClient(NotebookClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_done = False
        self.async_errors = []

    async def _silent(self, code):
        """Runs code in the kernel without touching the notebook; returns the reply's content."""
        msg_id = await ensure_async(self.kc.execute(code, silent=True, store_history=False))
        reply = await self.async_wait_for_reply(msg_id)
        return reply["content"] if reply else {"status": "error", "ename": "Timeout", "evalue": "no reply"}

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if not self.setup_done and cell.cell_type == "code" and cell.source.strip():
            content = await self._silent(SETUP)
            if content.get("status") != "ok":
                raise RuntimeError(f"could not install the async-error listeners: {content}")
            self.setup_done = True
        result = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if cell.cell_type == "code" and cell.source.strip():
            content = await self._silent(PROBE)
            if content.get("status") != "ok":
                text = content.get("evalue", "")
                cell.outputs.append(nbformat.v4.new_output(
                    "error", ename="AsyncError", evalue=text, traceback=[text]))
                self.async_errors.append(f"cell {cell_index}: {text}")
        return result

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    break
        # Drain late messages of this cell (the next cell has not been sent yet).
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=GRACE))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id and msg["msg_type"] != "status":
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass


OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error", "update_display_data", "clear_output")


def describe(msg):
    """A short description of an iopub output message, for the report."""
    kind = msg["msg_type"]
    content = msg["content"]
    if kind == "stream":
        return f"stream {content.get('name')}: {content.get('text', '')[:60]!r}"
    if kind == "error":
        return f"error {content.get('ename')}: {content.get('evalue', '')[:60]!r}"
    if kind in ("execute_result", "display_data", "update_display_data"):
        data = content.get("data", {})
        count = f" Out[{content.get('execution_count')}]" if kind == "execute_result" else ""
        preview = str(data.get("text/plain", ""))[:40]
        return f"{kind}{count} ({', '.join(sorted(data))}) {preview!r}"
    return kind


class Placement:
    """Checks, message by message, that every iopub output belongs to the cell its parent header names.

    order: the cells' request msg_ids in the order sent; cell_of: msg_id -> cell index; probe_id: the silent
    async-error probe's msg_id (its error output is expected). feed(msg) returns the problems that msg shows."""

    def __init__(self, order, cell_of, probe_id=None):
        self.order, self.cell_of, self.probe_id = order, cell_of, probe_id
        self.idle, self.busy, self.count = set(), set(), {}
        self.warnings = []  # late stream lines (see feed)

    def feed(self, msg):
        kind = msg["msg_type"]
        parent = msg["parent_header"].get("msg_id")
        content = msg["content"]
        if kind == "status":
            state = content.get("execution_state")
            if state == "busy":
                self.busy.add(parent)
            elif state == "idle":
                self.idle.add(parent)
            return []
        if kind == "execute_input":
            self.count[parent] = content.get("execution_count")
            return []
        if kind not in OUTPUT_TYPES:
            return []
        if parent not in self.cell_of:
            if parent == self.probe_id and parent is not None:
                return [] if kind == "error" else [f"{describe(msg)} arrived addressed to the async-error probe"]
            return [f"{describe(msg)} arrived addressed to no cell's request"]
        problems = []
        label = f"cell {self.cell_of[parent]} (In[{self.count.get(parent)}])"
        if parent in self.idle:
            k = self.order.index(parent)
            started = k + 1 < len(self.order) and self.order[k + 1] in self.busy
            late = (f"{label}: {describe(msg)} arrived after the cell's idle (late"
                    + (", the next cell had started)" if started else ")"))
            if kind == "stream":
                # The Deno kernel forwards stdout asynchronously: under load a console.log line can trail its cell's
                # idle by milliseconds, still addressed to its own cell. Nothing in the notebook can prevent that, so
                # it is reported as a warning; figures and tables (display_data from show, execute_result) must not be
                # late, and the browser test checks in the real frontend that no output is dropped.
                self.warnings.append(late)
            else:
                problems.append(late)
        elif parent not in self.busy:
            problems.append(f"{label}: {describe(msg)} arrived before the cell's busy (early)")
        if kind == "execute_result" and content.get("execution_count") != self.count.get(parent):
            problems.append(
                f"{label}: received the execute_result of In[{content.get('execution_count')}] "
                f"({describe(msg)}): it belongs to another cell")
        return problems


def run_all(nb, cwd, timeout):
    """Runs every code cell of nb as the frontend's Run All does (all requests queued at once); fills in the
    outputs and execution counts; returns (problems, errors, warnings), lists of strings."""
    from jupyter_client.manager import start_new_kernel
    import time

    km, kc = start_new_kernel(kernel_name="deno", cwd=cwd)
    problems, errors = [], []
    placement = Placement([], {})  # replaced once the requests are sent
    try:
        setup_id = kc.execute(SETUP, silent=True, store_history=False)
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != setup_id:
            reply = kc.get_shell_msg(timeout=60)
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"could not install the async-error listeners: {reply['content']}")
        # Let the setup request's own busy/idle pass.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                msg = kc.get_iopub_msg(timeout=1)
            except Empty:
                break
            if msg["parent_header"].get("msg_id") == setup_id and msg["msg_type"] == "status" \
                    and msg["content"].get("execution_state") == "idle":
                break

        cell_of = {}  # msg_id -> cell index
        order = []
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            cell.outputs = []
            cell.execution_count = None
            msg_id = kc.execute(cell.source, store_history=True)
            cell_of[msg_id] = i
            order.append(msg_id)
        probe_id = kc.execute(PROBE, silent=True, store_history=False)
        pending_replies = set(order) | {probe_id}
        placement = Placement(order, cell_of, probe_id)
        idle = placement.idle
        display_ids = {}  # display_id -> list of (cell index, output index)
        start = time.monotonic()
        last = start
        probe_content = None

        def finished():
            return not pending_replies and all(m in idle for m in order) and probe_id in idle

        while True:
            now = time.monotonic()
            if now - start > timeout:
                problems.append(f"timeout after {timeout} s: {len(pending_replies)} request(s) unanswered")
                break
            if finished() and now - last > GRACE:
                break
            # Replies (shell channel).
            while True:
                try:
                    reply = kc.get_shell_msg(timeout=0)
                except Empty:
                    break
                parent = reply["parent_header"].get("msg_id")
                pending_replies.discard(parent)
                if parent == probe_id:
                    probe_content = reply["content"]
                elif parent in cell_of and reply["content"].get("status") == "error":
                    c = reply["content"]
                    errors.append(f"cell {cell_of[parent]}: {c.get('ename')}: {c.get('evalue')}")
                last = time.monotonic()
            try:
                msg = kc.get_iopub_msg(timeout=0.05)
            except Empty:
                continue
            last = time.monotonic()
            kind = msg["msg_type"]
            parent = msg["parent_header"].get("msg_id")
            content = msg["content"]
            if kind == "status" or kind == "execute_input":
                placement.feed(msg)
                if kind == "execute_input" and parent in cell_of:
                    nb.cells[cell_of[parent]].execution_count = content.get("execution_count")
                continue
            if kind not in OUTPUT_TYPES:
                continue
            found = placement.feed(msg)
            problems.extend(found)
            if parent not in cell_of:
                continue
            i = cell_of[parent]
            cell = nb.cells[i]
            if kind == "clear_output":
                cell.outputs = []
                continue
            if kind == "update_display_data":
                display_id = content.get("transient", {}).get("display_id")
                for (j, k) in display_ids.get(display_id, []):
                    out = nb.cells[j].outputs[k]
                    out["data"] = content.get("data", {})
                    out["metadata"] = content.get("metadata", {})
                continue
            out = nbformat.v4.output_from_msg(msg)
            if kind == "stream" and cell.outputs and cell.outputs[-1].get("output_type") == "stream" \
                    and cell.outputs[-1].get("name") == out.get("name"):
                cell.outputs[-1]["text"] += out["text"]
                continue
            if kind == "error":
                errors.append(f"cell {i}: {content.get('ename')}: {content.get('evalue')}")
            display_id = content.get("transient", {}).get("display_id")
            if display_id:
                display_ids.setdefault(display_id, []).append((i, len(cell.outputs)))
            cell.outputs.append(out)
        if probe_content is not None and probe_content.get("status") != "ok":
            errors.append(f"after the last cell: {probe_content.get('evalue', '')}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return problems, errors, placement.warnings


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    src, out = args[0], args[1]
    timeout = int(args[2]) if len(args) > 2 else 600
    nb = nbformat.read(src, as_version=4)
    if "--run-all" in sys.argv[1:]:
        problems, errors, placement_warnings = run_all(nb, os.path.dirname(os.path.abspath(src)), timeout)
        errors = list(dict.fromkeys(errors))
        nbformat.write(nb, out)
        for w in placement_warnings:
            print(f"warning: {w}", file=sys.stderr)
        for p in problems:
            print(f"misplaced output: {p}", file=sys.stderr)
        for e in errors:
            print(f"cell error: {e}", file=sys.stderr)
        sys.exit(1 if problems or errors else 0)
    client = StrictClient(nb, timeout=timeout, kernel_name="deno",
                          resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}})
    try:
        client.execute()
    except CellExecutionError as e:
        nbformat.write(nb, out)
        print(str(e)[-4000:], file=sys.stderr)
        sys.exit(1)
    nbformat.write(nb, out)
    if client.async_errors:
        print("\n".join(client.async_errors)[-4000:], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
