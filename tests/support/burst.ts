import type { InteractionHandle, JsonBody, LoopbackDiscord } from "./loopback-discord.ts";

/** What the load test and the stress script both send, and how they judge each answer. */

/** Interaction callback type 5: "deferred channel message with source". */
export const DEFERRED = 5;
export const BURST_QUESTIONS = [
  "Who pays for the deportation flights from Panama?",
  "How many immigration officers is the US sending to Panama?",
  "What did the US delegation discuss in Panama?",
  "How tall is Mount Everest?",
];
/** The rate limiter's polite refusal (src/discord/router.ts). */
export const SLOW_DOWN = /faster than I can keep up with/u;

const INTERACTION_PATH = /\/interactions\/(\d+)\//u;
const acknowledgements = new WeakMap<
  LoopbackDiscord,
  { seen: number; count: Map<string, number> }
>();

/** How many callbacks of this interaction the server accepted (indexing its log as it grows). */
function acknowledged(server: LoopbackDiscord, interactionId: string): number {
  const index = acknowledgements.get(server) ?? { seen: 0, count: new Map<string, number>() };
  acknowledgements.set(server, index);
  for (; index.seen < server.requests.length; index.seen++) {
    const request = server.requests[index.seen];
    const id =
      request && request.status < 300 ? INTERACTION_PATH.exec(request.path)?.[1] : undefined;
    if (id) index.count.set(id, (index.count.get(id) ?? 0) + 1);
  }
  return index.count.get(interactionId) ?? 0;
}

/** How one interaction was answered, as the server saw it. */
export async function fate(
  server: LoopbackDiscord,
  handle: InteractionHandle,
  dispatchedAt: number,
  timeoutMs: number,
) {
  const reply: JsonBody = await handle.reply(timeoutMs);
  const callback = await handle.callback();
  return {
    reply,
    deferred: callback.type === DEFERRED,
    /** Dispatch → callback. */
    ms: callback.at - dispatchedAt,
    /** Accepted callbacks plus follow-ups: exactly one means answered exactly once. */
    replies: acknowledged(server, handle.id) + handle.followUps.length,
    edits: handle.edits.length,
    /** Dispatch → final answer (the deferred reply's edit, or the callback). */
    doneMs: (handle.edits.length ? Date.now() : callback.at) - dispatchedAt,
  };
}
