/**
 * How the bot's REST client sends a request to Discord: undici's `request`, as discord.js's
 * default strategy does, with each response an instance of one class.
 *
 * The default strategy returns each response as an object literal with a getter
 * (`bodyUsed`) closing over undici's response. V8 keeps such a getter in the old
 * generation, so every response, and the request, signal and buffers it reaches, survived
 * each minor collection until the next full one. In a live bot that promoted about a
 * megabyte per minor collection and stretched its pauses from about 2 ms to 6-8 ms, inside
 * the replies they interrupted.
 */
import { STATUS_CODES } from "node:http";
import type { ResponseLike } from "@discordjs/rest";
import { type Dispatcher, Headers, type RequestInit, request } from "undici";

class UndiciResponse implements ResponseLike {
  readonly body: Dispatcher.ResponseData["body"];
  readonly headers: Headers;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;

  constructor(response: Dispatcher.ResponseData) {
    this.body = response.body;
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === "string") headers.append(name, value);
      else for (const one of value ?? []) headers.append(name, one);
    }
    this.headers = headers;
    this.status = response.statusCode;
    this.statusText = STATUS_CODES[response.statusCode] ?? "";
    this.ok = response.statusCode >= 200 && response.statusCode < 300;
  }

  get bodyUsed(): boolean {
    return this.body.bodyUsed;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.arrayBuffer();
  }

  json(): Promise<unknown> {
    return this.body.json();
  }

  text(): Promise<string> {
    return this.body.text();
  }
}

/** discord.js's REST `makeRequest` option. */
export async function makeRequest(url: string, init: RequestInit): Promise<ResponseLike> {
  // discord.js sends a JSON string, or FormData when a file is attached: undici takes both.
  const options = init as Parameters<typeof request>[1];
  return new UndiciResponse(await request(url, options));
}
