import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FeedbackLog } from "../feedback.ts";
import { log } from "../log.ts";
import type { QuestionLog } from "../questions.ts";
import { languageOfLocale, messages, type Values } from "../replies/messages.ts";
import type { Library } from "../search/library.ts";
import { BadInput, Chat } from "./chat.ts";
import { PAGE_HTML, PAGE_JS } from "./page.ts";
import { PAGE_CSS } from "./page-style.ts";

/**
 * The local playground: the page, and a small JSON API over the chat.
 *   POST /api/message      {text, locale?}       → {messages: [{id, html}]}
 *   POST /api/button       {messageId, customId, locale?} → {update: {id, html}} | {messages: [...]}
 *   GET  /api/autocomplete ?text=…&locale=…      → {choices: [{name, value}]}
 *   GET  /api/welcome ?locale=…                  → {html} (the first screen)
 * `locale` is a Discord locale ("es-ES"): what the page's language switch sets. Bad input
 * gets a 4xx JSON {error}, in the language of the request's Accept-Language (the page sends
 * its switch's locale there too); nothing a request sends can stop the server.
 */

export interface PlaygroundOptions {
  library: Library;
  feedback: FeedbackLog;
  questions: QuestionLog;
  /** STALE_AFTER_DAYS: quotes from older sources carry a note. */
  staleAfterDays?: number;
  /** 0 picks a free port. Default 8787. */
  port?: number;
  /** Default 127.0.0.1: the playground is for this machine only. */
  host?: string;
}

export interface Playground {
  url: string;
  /** Stops accepting requests and resolves when those in flight are answered and logged. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8787;
export const MAX_BODY_BYTES = 16 * 1024;
/** Discord's limit on a typed message. */
export const MAX_TEXT_LENGTH = 2000;
const MAX_ID_LENGTH = 100;

/** A request answered with `status` and the catalog message `key` (src/replies/locales). */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    readonly values: Values = {},
  ) {
    super(key);
  }
}

const COMMON_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

const ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  "/": { type: "text/html; charset=utf-8", body: PAGE_HTML },
  "/app.css": { type: "text/css; charset=utf-8", body: PAGE_CSS },
  "/app.js": { type: "text/javascript; charset=utf-8", body: PAGE_JS },
};

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const chat = new Chat(
    options.library,
    options.feedback,
    options.questions,
    options.staleAfterDays,
  );
  const host = options.host ?? "127.0.0.1";
  // Only requests addressed to this server by name: a web page that rebinds its own domain
  // to 127.0.0.1 cannot drive the playground. Filled in once the port is known.
  let allowedHosts: ReadonlySet<string> = new Set();
  let closing = false;
  const server = createServer((request, response) => {
    // Once closing, a kept-alive connection is let go as soon as its answer is out.
    response.on("finish", () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    handle(chat, request, response, allowedHosts).catch((error: unknown) => {
      // The first (preferred) tag of Accept-Language: "es-ES,es;q=0.9" → "es-ES".
      const preferred = request.headers["accept-language"]?.split(/[,;]/u)[0]?.trim();
      const t = messages(languageOfLocale(preferred));
      if (error instanceof HttpError) {
        return sendJson(response, error.status, { error: t(error.key, error.values) });
      }
      log.error(`playground ${request.method} ${request.url} failed`, error);
      sendJson(response, 500, { error: t("playground.error.failed") });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const name = host.includes(":") ? `[${host}]` : host;
  allowedHosts = new Set([`${name}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`]);
  return {
    url: `http://${name}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await options.questions.flush();
    },
  };
}

async function handle(
  chat: Chat,
  request: IncomingMessage,
  response: ServerResponse,
  allowedHosts: ReadonlySet<string>,
): Promise<void> {
  if (!allowedHosts.has(request.headers.host ?? "")) {
    throw new HttpError(403, "playground.error.host");
  }
  const url = parseUrl(request.url ?? "/");
  const asset = ASSETS[url.pathname];
  if (asset) {
    allow(request, "GET");
    response.writeHead(200, { ...COMMON_HEADERS, "Content-Type": asset.type });
    response.end(request.method === "HEAD" ? undefined : asset.body);
    return;
  }
  switch (url.pathname) {
    case "/favicon.ico":
      response.writeHead(204, COMMON_HEADERS).end();
      return;
    case "/api/message": {
      allow(request, "POST");
      const body = await readJson(request);
      const text = field(body, "text", MAX_TEXT_LENGTH);
      if (!text.trim()) throw new HttpError(400, "playground.error.emptyText");
      return sendJson(response, 200, { messages: await chat.send(text, locale(body)) });
    }
    case "/api/button": {
      allow(request, "POST");
      const body = await readJson(request);
      const messageId = field(body, "messageId", MAX_ID_LENGTH);
      const customId = field(body, "customId", MAX_ID_LENGTH);
      try {
        return sendJson(response, 200, await chat.click(messageId, customId, locale(body)));
      } catch (error) {
        if (error instanceof BadInput) throw new HttpError(400, error.key);
        throw error;
      }
    }
    case "/api/welcome":
      allow(request, "GET");
      return sendJson(response, 200, {
        html: chat.welcome(locale(url.searchParams)),
      });
    case "/api/autocomplete": {
      allow(request, "GET");
      const text = url.searchParams.get("text") ?? "";
      if (text.length > MAX_TEXT_LENGTH) {
        throw new HttpError(400, "playground.error.tooLong", {
          name: "text",
          count: MAX_TEXT_LENGTH,
        });
      }
      return sendJson(response, 200, { choices: chat.suggest(text, locale(url.searchParams)) });
    }
    default:
      throw new HttpError(404, "playground.error.notFound", { path: url.pathname });
  }
}

/** URL.parse needs Node 20.18; engines allows any Node 20. */
function parseUrl(path: string): URL {
  try {
    return new URL(path, "http://playground.invalid");
  } catch {
    throw new HttpError(400, "playground.error.notUrl");
  }
}

function allow(request: IncomingMessage, method: "GET" | "POST"): void {
  const ok = method === "GET" ? ["GET", "HEAD"] : [method];
  if (!ok.includes(request.method ?? "")) {
    throw new HttpError(405, "playground.error.method", { method });
  }
  if (method === "POST") {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${request.headers.host}`) {
      throw new HttpError(403, "playground.error.otherSite");
    }
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\s*(;|$)/iu.test(type)) {
    throw new HttpError(415, "playground.error.notJsonType");
  }
  const tooLarge = new HttpError(413, "playground.error.tooLarge", { count: MAX_BODY_BYTES });
  if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES) throw tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw tooLarge;
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, "playground.error.cutOff");
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "playground.error.notJson");
  }
}

/** The optional Discord locale the page's language switch sends ("es-ES"), in a body or a query. */
function locale(from: unknown): string | undefined {
  const value =
    from instanceof URLSearchParams ? from.get("locale") : (from as Record<string, unknown>).locale;
  return typeof value === "string" && value.length <= MAX_ID_LENGTH ? value : undefined;
}

function field(body: unknown, name: string, maxLength: number): string {
  const value =
    typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== "string") throw new HttpError(400, "playground.error.notString", { name });
  if (value.length > maxLength) {
    throw new HttpError(400, "playground.error.tooLong", { name, count: maxLength });
  }
  return value;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  // A request cut short (body too large) is not read to its end: close the connection.
  const close = status === 413 ? { Connection: "close" } : {};
  response.writeHead(status, {
    ...COMMON_HEADERS,
    ...close,
    "Content-Type": "application/json; charset=utf-8",
  });
  response.end(JSON.stringify(body));
}
