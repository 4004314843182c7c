/**
 * Button state lives in the custom_id (≤ 100 characters), so buttons keep working after a
 * restart or a reload: `command:action:arg:arg`. Parsing never trusts its input: a
 * forged or foreign id parses to null.
 */

export const CUSTOM_ID_MAX = 100;

export interface ButtonId {
  command: string;
  action: string;
  args: string[];
}

const PART = /^[\w.:-]*$/u;

export function buttonId(command: string, action: string, ...args: (string | number)[]): string {
  const id = [command, action, ...args.map(String)].join(":");
  if (id.length > CUSTOM_ID_MAX)
    throw new Error(`custom_id too long (${id.length}): ${id.slice(0, 40)}…`);
  return id;
}

export function parseButtonId(customId: string): ButtonId | null {
  if (customId.length === 0 || customId.length > CUSTOM_ID_MAX || !PART.test(customId)) return null;
  const [command, action, ...args] = customId.split(":");
  if (!command || !action) return null;
  return { command, action, args };
}
