import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * GET /healthz on 127.0.0.1 (HEALTH_PORT), for container health checks and monitors:
 * 200 with the report as JSON when it says ready, 503 with it otherwise (starting, gateway
 * down, stopping). Anything else is 404.
 */

export interface HealthReport {
  ready: boolean;
  /** The Discord gateway connection: "ready", or the state of a shard that is not. */
  gateway: string;
  documents: number;
  passages: number;
}

/** What a bot still starting reports. */
export const STARTING: HealthReport = {
  ready: false,
  gateway: "starting",
  documents: 0,
  passages: 0,
};

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

export async function startHealthServer(
  port: number,
  report: () => HealthReport,
): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = request.url?.split("?")[0];
    if (path !== "/healthz" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
      return;
    }
    const body = report();
    response.writeHead(body.ready ? 200 : 503, {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
    });
    response.end(request.method === "HEAD" ? undefined : JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/healthz`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
