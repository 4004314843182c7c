import { expect, test } from "vitest";
import { BoundedMemo } from "../../src/text/memo.ts";

test("a memo computes each key once, and starts over when full", () => {
  const memo = new BoundedMemo<string, number>(3);
  const computed: string[] = [];
  const length = (key: string) => {
    computed.push(key);
    return key.length;
  };
  expect([memo.get("a", length), memo.get("bb", length), memo.get("a", length)]).toEqual([1, 2, 1]);
  expect(computed).toEqual(["a", "bb"]);
  memo.get("ccc", length);
  // Full at three keys: the fourth clears it, so "a" is worked out again.
  memo.get("dddd", length);
  memo.get("a", length);
  expect(computed).toEqual(["a", "bb", "ccc", "dddd", "a"]);
  memo.clear();
  memo.get("dddd", length);
  expect(computed.at(-1)).toBe("dddd");
  expect(computed).toHaveLength(6);
});

test("a remembered null is not worked out again", () => {
  const memo = new BoundedMemo<string, string | null>(10);
  let calls = 0;
  const none = () => {
    calls++;
    return null;
  };
  memo.get("the", none);
  memo.get("the", none);
  expect(calls).toBe(1);
});

test("a weighed memo is full when its values' weights reach the limit", () => {
  const memo = new BoundedMemo<string, number[]>(5, (value) => value.length);
  const computed: string[] = [];
  const letters = (key: string) => {
    computed.push(key);
    return [...key].map((c) => c.charCodeAt(0));
  };
  memo.get("ab", letters);
  memo.get("cde", letters);
  memo.get("ab", letters);
  expect(computed).toEqual(["ab", "cde"]);
  // 2 + 3 units held: one more would pass 5, so everything is forgotten first.
  memo.get("f", letters);
  memo.get("ab", letters);
  expect(computed).toEqual(["ab", "cde", "f", "ab"]);
});
