import { expect, test, vi } from "vitest";

// No machine here has the other byte order: the one thing mocked is what the OS reports.
const byteOrder = vi.hoisted(() => ({ value: "LE" as "LE" | "BE" }));
vi.mock("node:os", async (importOriginal) => ({
  ...(await importOriginal<typeof import("node:os")>()),
  endianness: () => byteOrder.value,
}));

const { snapshotKey } = await import("../../src/search/snapshot-key.ts");

test("a snapshot saved on a machine of the other byte order has another key, so it is rebuilt, not misread", () => {
  byteOrder.value = "LE";
  const little = snapshotKey("same corpus");
  byteOrder.value = "BE";
  const big = snapshotKey("same corpus");
  expect(big).not.toBe(little);
  byteOrder.value = "LE";
  expect(snapshotKey("same corpus")).toBe(little);
});
