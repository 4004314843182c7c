import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { dispatch } from "../../commands/dispatch.ts";
import type { CommandContext } from "../../commands/index.ts";
import { FeedbackLog } from "../../src/feedback.ts";
import { openQuestionLog } from "../../src/questions.ts";
import { APOLOGY } from "../../src/replies/reply.ts";
import { Library } from "../../src/search/library.ts";
import { MAX_QUESTION_LENGTH } from "../../src/text/limits.ts";
import { fixtureCorpusCopy, removeDir, tempDir } from "../fixtures/helpers.ts";

let dir: string;
let library: Library;

beforeAll(async () => {
  dir = await fixtureCorpusCopy();
  library = await Library.open(dir);
});

afterAll(() => removeDir(dir));

async function context(
  admin: boolean,
): Promise<CommandContext & { reload: ReturnType<typeof vi.fn> }> {
  const data = await tempDir("answer-bot-feedback-");
  const feedback = new FeedbackLog(data);
  return {
    library,
    feedback,
    questions: openQuestionLog({ DATA_DIR: data, LOG_QUESTIONS: true }, feedback),
    user: { id: "111111111111111111", admin: () => admin },
    language: "en",
    reload: vi.fn(async () => []),
  };
}

const label = "test";

function content(result: Awaited<ReturnType<typeof dispatch>>): string | undefined {
  return ("reply" in result ? result.reply : result.update).content;
}

describe("dispatch", () => {
  test("refuses an admin-only command to a non-admin on every path, and never runs it", async () => {
    const ctx = await context(false);
    const calls = [
      { kind: "command", name: "reload", options: {} },
      { kind: "message", text: "reload", dm: true },
      { kind: "line", text: "/reload" },
    ] as const;
    for (const call of calls) {
      expect(content(await dispatch(ctx, call, { label })), call.kind).toMatch(
        /^Sorry, only admins/u,
      );
    }
    expect(ctx.reload).not.toHaveBeenCalled();
  });

  test("runs an admin-only command for an admin, deferring it first as slow", async () => {
    const ctx = await context(true);
    const slow: boolean[] = [];
    await dispatch(
      ctx,
      { kind: "line", text: "reload" },
      {
        label,
        run: (isSlow, work) => {
          slow.push(isSlow);
          return work();
        },
      },
    );
    expect(ctx.reload).toHaveBeenCalledTimes(1);
    expect(slow).toEqual([true]);
  });

  test("checks typed options against the command's schema", async () => {
    const ctx = await context(false);
    const result = await dispatch(
      ctx,
      { kind: "line", text: "/ask who pays results:9" },
      { label },
    );
    expect(content(result)).toBe('"results" must be at most 5.');
  });

  test("says what is wrong with a typed option in the user's language", async () => {
    const ctx = { ...(await context(false)), language: "es" };
    const said = async (text: string) =>
      content(await dispatch(ctx, { kind: "line", text }, { label }));
    expect(await said("/ask who pays results:9")).toBe('"results" debe ser como máximo 5.');
    expect(await said("/ask who pays results:0")).toBe('"results" debe ser como mínimo 1.');
    expect(await said("/ask who pays results:2.5")).toBe('"results" debe ser un número entero.');
    expect(await said("/ask who pays private:maybe")).toBe('"private" debe ser true o false.');
    expect(await said(`/ask ${"x".repeat(MAX_QUESTION_LENGTH + 1)}`)).toBe(
      `"question" admite como máximo ${MAX_QUESTION_LENGTH} caracteres.`,
    );
  });

  test("answers a command that throws with the apology", async () => {
    const ctx = await context(true);
    ctx.reload.mockRejectedValueOnce(new Error("disk on fire"));
    const result = await dispatch(ctx, { kind: "command", name: "reload", options: {} }, { label });
    expect(content(result)).toBe(APOLOGY);
  });
});
