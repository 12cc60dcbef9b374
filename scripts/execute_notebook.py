#!/usr/bin/python3
"""Execute a notebook in Jupyter (nbclient, the engine behind `jupyter nbconvert --execute`) with the Deno
kernel, and write the executed copy.

    /usr/bin/python3 scripts/execute_notebook.py IN.ipynb OUT.ipynb [TIMEOUT_SECONDS]

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


def main():
    src, out = sys.argv[1], sys.argv[2]
    timeout = int(sys.argv[3]) if len(sys.argv) > 3 else 600
    nb = nbformat.read(src, as_version=4)
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
