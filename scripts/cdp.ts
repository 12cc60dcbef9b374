/**
 * A small Chrome DevTools Protocol client for headless Chromium: no dependency beyond Deno's WebSocket, so it works
 * offline on a fresh machine with Debian's `chromium` (measured: `npm:playwright-core` also drives it from Deno, but it
 * needs the npm registry and 8 MB of package for what these ~200 lines do).
 *
 * The browser runs with a throw-away profile and every host name resolving to nothing except 127.0.0.1, so a page that
 * needs the network fails loudly (a console error) instead of quietly downloading.
 *
 * @module
 */

/** A console error, uncaught exception or failed resource load reported by a page. */
export interface ConsoleError {
  kind: "console" | "exception" | "log";
  text: string;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** Headless Chromium with one DevTools WebSocket. */
export class Browser {
  #process: Deno.ChildProcess;
  #socket: WebSocket;
  #profile: string;
  #next = 0;
  #pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  #listeners = new Map<string, (method: string, params: Record<string, unknown>) => void>();
  #closed = false;

  private constructor(process: Deno.ChildProcess, socket: WebSocket, profile: string) {
    this.#process = process;
    this.#socket = socket;
    this.#profile = profile;
    socket.onmessage = (event) => {
      const message: Message = JSON.parse(event.data);
      if (message.id !== undefined) {
        const waiter = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`CDP: ${message.error.message}`));
        else waiter?.resolve(message);
      } else if (message.method && message.sessionId) {
        this.#listeners.get(message.sessionId)?.(message.method, message.params ?? {});
      }
    };
    socket.onclose = () => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error("CDP: the browser connection closed"));
      this.#pending.clear();
    };
  }

  /** Starts Chromium (default `/usr/bin/chromium`, or `$CHROMIUM`) and connects to it. */
  static async launch(options: { executable?: string; width?: number; height?: number } = {}): Promise<Browser> {
    const executable = options.executable ?? Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
    const profile = await Deno.makeTempDir({ prefix: "browser-test-profile-" });
    const process = new Deno.Command(executable, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        `--window-size=${options.width ?? 1280},${options.height ?? 900}`,
        `--user-data-dir=${profile}`,
        "--remote-debugging-port=0",
        "about:blank",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const url = await devtoolsUrl(process.stderr);
      const socket = new WebSocket(url);
      await new Promise<void>((resolve, reject) => {
        socket.onopen = () => resolve();
        socket.onerror = () => reject(new Error(`cannot connect to ${url}`));
      });
      return new Browser(process, socket, profile);
    } catch (error) {
      try {
        process.kill("SIGKILL");
      } catch { /* already gone */ }
      await process.status;
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw error;
    }
  }

  /** Sends one DevTools command (to the browser, or to a page's session) and returns its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.#closed) return Promise.reject(new Error(`CDP: ${method} after the browser closed`));
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      this.#socket.send(JSON.stringify({ id, method, params, sessionId }));
    });
  }

  /** A new tab, with console errors, exceptions and failed loads recorded from the start. */
  async newPage(): Promise<Page> {
    // A window of its own: a background tab would get its timers and animation frames throttled.
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank", newWindow: true });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this, String(targetId), String(sessionId));
    this.#listeners.set(String(sessionId), (method, params) => page.handle(method, params));
    await Promise.all(["Runtime.enable", "Page.enable", "Log.enable"].map((m) => this.send(m, {}, String(sessionId))));
    return page;
  }

  /** Closes the browser, kills it if it does not exit within 5 s, and removes its profile folder. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.race([this.send("Browser.close").catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
    this.#closed = true;
    const timer = setTimeout(() => {
      try {
        this.#process.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 5000);
    await this.#process.status;
    clearTimeout(timer);
    try {
      this.#socket.close();
    } catch { /* already closed */ }
    await this.#process.stderr.cancel().catch(() => {});
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}

/** Reads Chromium's stderr until it prints its DevTools address (within 30 s). */
async function devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const timer = setTimeout(() => reader.cancel(), 30_000);
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`chromium exited or timed out before listening:\n${text.slice(-2000)}`);
      text += decoder.decode(value, { stream: true });
      const match = text.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) {
        // Keep draining stderr in the background so Chromium never blocks on a full pipe.
        (async () => {
          try {
            while (!(await reader.read()).done) { /* discard */ }
          } catch { /* closed */ }
        })();
        return match[1];
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/** One tab. */
export class Page {
  /** Console errors, uncaught exceptions and failed loads, in order. */
  readonly errors: ConsoleError[] = [];
  #browser: Browser;
  #targetId: string;
  #sessionId: string;
  #loadWaiters: Array<() => void> = [];

  constructor(browser: Browser, targetId: string, sessionId: string) {
    this.#browser = browser;
    this.#targetId = targetId;
    this.#sessionId = sessionId;
  }

  /** @internal Receives this page's DevTools events. */
  handle(method: string, params: Record<string, unknown>): void {
    if (method === "Page.loadEventFired") {
      for (const waiter of this.#loadWaiters.splice(0)) waiter();
    } else if (method === "Runtime.consoleAPICalled" && (params.type === "error" || params.type === "assert")) {
      const args = (params.args as Array<{ value?: unknown; description?: string }>) ?? [];
      this.errors.push({ kind: "console", text: args.map((a) => a.value ?? a.description ?? "").join(" ") });
    } else if (method === "Runtime.exceptionThrown") {
      const details = params.exceptionDetails as { text?: string; exception?: { description?: string } };
      this.errors.push({ kind: "exception", text: details.exception?.description ?? details.text ?? "exception" });
    } else if (method === "Log.entryAdded") {
      const entry = params.entry as { level: string; text: string; url?: string };
      if (entry.level === "error") {
        this.errors.push({ kind: "log", text: `${entry.text}${entry.url ? ` (${entry.url})` : ""}` });
      }
    }
  }

  #send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.#browser.send(method, params, this.#sessionId);
  }

  /** Runs `source` in every new document of this page before its own scripts. */
  async addInitScript(source: string): Promise<void> {
    await this.#send("Page.addScriptToEvaluateOnNewDocument", { source });
  }

  /** Navigates and waits for the load event (at most `timeoutMs`). */
  async goto(url: string, timeoutMs = 60_000): Promise<void> {
    const loaded = new Promise<void>((resolve) => this.#loadWaiters.push(resolve));
    const result = await this.#send("Page.navigate", { url });
    if (result.errorText) throw new Error(`cannot open ${url}: ${result.errorText}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${url} did not finish loading in ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([loaded, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Calls `fn(...args)` in the page (it may return a promise) and returns its JSON value. `fn` must not refer to
   * anything outside itself: it is sent as source text.
   */
  // deno-lint-ignore no-explicit-any
  async evaluate<T>(fn: (...args: any[]) => T | Promise<T>, ...args: unknown[]): Promise<T> {
    const expression = `(${fn.toString()})(...${JSON.stringify(args)})`;
    const result = await this.#send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
    const details = result.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined;
    if (details) throw new Error(`in the page: ${details.exception?.description ?? details.text}`);
    return (result.result as { value: T }).value;
  }

  /**
   * Saves a PNG (or JPEG when the path ends in .jpg) of `clip` (CSS pixels, document coordinates), or of the whole
   * page in slices of at most `sliceHeight` pixels (`name.jpg`, then `name-2.jpg`, … for a taller page). Returns the
   * files written.
   */
  async screenshot(
    path: string,
    clip?: { x: number; y: number; width: number; height: number },
    sliceHeight = 12_000,
  ): Promise<string[]> {
    let area = clip;
    if (!area) {
      const metrics = await this.#send("Page.getLayoutMetrics");
      const size = metrics.cssContentSize as { width: number; height: number };
      area = { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height) };
    }
    const jpeg = path.endsWith(".jpg");
    const files: string[] = [];
    const x = Math.max(0, area.x), width = Math.max(1, area.width);
    for (let top = Math.max(0, area.y), k = 1; top < area.y + Math.max(1, area.height); top += sliceHeight, k++) {
      const height = Math.max(1, Math.min(sliceHeight, area.y + area.height - top));
      const { data } = await this.#send("Page.captureScreenshot", {
        format: jpeg ? "jpeg" : "png",
        ...(jpeg ? { quality: 70 } : {}),
        captureBeyondViewport: true,
        clip: { x, y: top, width, height, scale: 1 },
      });
      const file = k === 1 ? path : path.replace(/(\.\w+)$/, `-${k}$1`);
      await Deno.writeFile(file, Uint8Array.from(atob(String(data)), (c) => c.charCodeAt(0)));
      files.push(file);
      if (clip) break; // a figure's picture: one slice is enough
    }
    return files;
  }

  /** Closes the tab. */
  async close(): Promise<void> {
    await this.#browser.send("Target.closeTarget", { targetId: this.#targetId }).catch(() => {});
  }
}
