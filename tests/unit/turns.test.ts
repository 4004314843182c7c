import { setImmediate as nextPass } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import { SLICE_MS, Turns } from "../../src/discord/turns.ts";

/** Runs `work` for about `ms` of CPU, as an answer does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe("Turns", () => {
  test("an idle bot's turn starts before the event loop's next pass", async () => {
    const turns = new Turns();
    const order: string[] = [];
    setImmediate(() => order.push("event loop"));
    await turns.take("a").then(() => order.push("turn"));
    expect(order).toEqual(["turn"]);
  });

  test("right after a slice, the next turn waits for the event loop's pass", async () => {
    const turns = new Turns();
    await turns.take("a");
    // The slice ends in a microtask queued behind the turn.
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    const order: string[] = [];
    setImmediate(() => order.push("event loop"));
    await turns.take("b").then(() => order.push("turn"));
    expect(order).toEqual(["event loop", "turn"]);
    // After that pass, the bot has rested: the next turn starts at once again.
    await nextPass();
    setImmediate(() => order.push("event loop again"));
    await turns.take("c").then(() => order.push("turn again"));
    expect(order).toEqual(["event loop", "turn", "turn again"]);
  });

  test("users take turns round-robin, each user's own in arrival order", async () => {
    const turns = new Turns();
    const order: string[] = [];
    const asked = ["a1", "a2", "a3", "b1", "c1", "c2"].map((id) =>
      turns.take(id[0] as string).then(() => order.push(id)),
    );
    await Promise.all(asked);
    expect(order).toEqual(["a1", "b1", "c1", "a2", "c2", "a3"]);
  });

  test("turns run back to back for a slice, then the event loop passes through", async () => {
    const turns = new Turns();
    const order: string[] = [];
    const work = Math.ceil(SLICE_MS / 2) + 1;
    const asked = [1, 2, 3, 4].map((n) =>
      turns.take(`user${n}`).then(() => {
        if (n === 1) setImmediate(() => order.push("event loop"));
        busy(work);
        order.push(`turn ${n}`);
      }),
    );
    await Promise.all(asked);
    // Two turns fill a slice; the pass queued during the first comes before the third.
    expect(order).toEqual(["turn 1", "turn 2", "event loop", "turn 3", "turn 4"]);
  });
});
