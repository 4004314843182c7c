import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DiscordAPIError, REST } from "@discordjs/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/discord/bot.ts";
import { makeRequest } from "../../src/discord/rest-request.ts";

interface Received {
  method: string;
  contentType: string;
  body: string;
}

let server: Server;
let base: string;
let received: Received[] = [];

function route(request: IncomingMessage, response: ServerResponse, body: string): void {
  received.push({
    method: request.method ?? "",
    contentType: request.headers["content-type"] ?? "",
    body,
  });
  if (request.url === "/ok") {
    response.setHeader("content-type", "application/json");
    response.setHeader("x-ratelimit-remaining", "4");
    response.setHeader("set-cookie", ["a=1", "b=2"]);
    response.end(JSON.stringify({ echoed: body }));
  } else if (request.url === "/limited") {
    response.writeHead(429, { "retry-after": "2", "content-type": "text/plain" });
    response.end("slow down");
  } else if (request.url === "/api/v10/missing") {
    response.writeHead(404, { "content-type": "application/json" });
    response.end(JSON.stringify({ code: 10008, message: "Unknown Message" }));
  } else if (request.url === "/api/v10/channels/1/messages") {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ id: "2", content: JSON.parse(body).content }));
  }
  // Any other path never answers: the abort test needs a request left hanging.
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => route(request, response, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("the REST request strategy", () => {
  it("sends the method, headers and JSON body, and reads the response as fetch would", async () => {
    received = [];
    const response = await makeRequest(`${base}/ok`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "hello" }),
    });
    expect(received).toEqual([
      { method: "POST", contentType: "application/json", body: '{"content":"hello"}' },
    ]);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe("OK");
    expect(response.headers.get("x-ratelimit-remaining")).toBe("4");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ echoed: '{"content":"hello"}' });
    expect(response.bodyUsed).toBe(true);
  });

  it("reports an error status with its text and headers", async () => {
    const response = await makeRequest(`${base}/limited`, { method: "GET" });
    expect(response.status).toBe(429);
    expect(response.ok).toBe(false);
    expect(response.statusText).toBe("Too Many Requests");
    expect(response.headers.get("retry-after")).toBe("2");
    expect(await response.text()).toBe("slow down");
  });

  it("sends a FormData body, as discord.js does when a file is attached", async () => {
    received = [];
    const form = new FormData();
    form.append("payload_json", JSON.stringify({ content: "see file" }));
    form.append("files[0]", new Blob(["file body"]), "answer.txt");
    const response = await makeRequest(`${base}/ok`, { method: "POST", body: form });
    await response.arrayBuffer();
    const [sent] = received;
    expect(sent?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent?.body).toContain('name="files[0]"; filename="answer.txt"');
    expect(sent?.body).toContain("file body");
    expect(sent?.body).toContain('{"content":"see file"}');
  });

  it("gives up when the request's signal aborts", async () => {
    const controller = new AbortController();
    const pending = makeRequest(`${base}/hang`, { method: "GET", signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
  });

  it("serves discord.js's REST client: results parsed, API errors raised with their code", async () => {
    const rest = new REST({ api: `${base}/api`, makeRequest }).setToken("token");
    expect(await rest.post("/channels/1/messages", { body: { content: "hi" } })).toEqual({
      id: "2",
      content: "hi",
    });
    const failure = await rest.get("/missing").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DiscordAPIError);
    expect((failure as DiscordAPIError).code).toBe(10008);
  });

  it("is the one the bot's Discord client sends its requests with", () => {
    const client = createClient({ DISCORD_API_URL: `${base}/api`, MENTIONS: false });
    expect(client.rest.options.makeRequest).toBe(makeRequest);
    expect(client.rest.options.api).toBe(`${base}/api`);
  });
});
