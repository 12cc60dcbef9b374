#!/usr/bin/python3
"""Execute a notebook in Jupyter (nbclient, the engine behind `jupyter nbconvert --execute`) with the Deno
kernel, and write the executed copy.

    /usr/bin/python3 scripts/execute_notebook.py IN.ipynb OUT.ipynb [TIMEOUT_SECONDS]

Why not plain nbconvert: Deno's kernel (2.9.6) sometimes publishes a cell's output a few milliseconds *after*
its `idle` status message, and nbclient stops collecting a cell's output at `idle`, so about one cell in
twenty-odd silently lost its output. This client keeps listening for `GRACE` seconds after `idle` for late
messages of the same cell (measured lateness: ~2 ms). Any cell error still fails the run (exit code 1).
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


class LateOutputClient(NotebookClient):
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
    client = LateOutputClient(nb, timeout=timeout, kernel_name="deno",
                              resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}})
    try:
        client.execute()
    except CellExecutionError as e:
        nbformat.write(nb, out)
        print(str(e)[-4000:], file=sys.stderr)
        sys.exit(1)
    nbformat.write(nb, out)


if __name__ == "__main__":
    main()
