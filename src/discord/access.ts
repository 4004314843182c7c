import { readFileSync } from "node:fs";
import { PermissionFlagsBits } from "discord.js";
import dotenv from "dotenv";
import type { BotConfig } from "../config.ts";
import { log } from "../log.ts";

/**
 * Who may reload: in a server, members with Manage Server (as Discord reports them in the
 * interaction) or users on the ADMIN_USER_IDS allowlist; in DMs, only the allowlist.
 * The allowlist is read from the ENV_FILE at each check, so removing someone there takes
 * effect at once, without a restart.
 */

/** `permissions`: the member's permissions in the guild, or null outside a guild. */
export function isAdmin(
  userId: string,
  permissions: bigint | null,
  allowlist: readonly string[],
): boolean {
  if (allowlist.includes(userId)) return true;
  if (permissions === null) return false;
  const perms = permissions;
  return (
    (perms & PermissionFlagsBits.ManageGuild) === PermissionFlagsBits.ManageGuild ||
    (perms & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator
  );
}

const USER_ID = /^\d{5,25}$/u;

/**
 * The allowlist as the ENV_FILE says now: its ADMIN_USER_IDS (none when the file has no
 * such line; entries that are not user ids are ignored). When the file does not exist,
 * the ADMIN_USER_IDS the bot started with. A file that exists but cannot be read allows
 * nobody: a removal must never be undone by an unreadable file.
 */
export function allowlist(
  config: Pick<BotConfig, "ADMIN_USER_IDS" | "ENV_FILE">,
): () => readonly string[] {
  return () => {
    let text: string;
    try {
      text = readFileSync(config.ENV_FILE, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return config.ADMIN_USER_IDS;
      log.warn(`cannot read ${config.ENV_FILE} for ADMIN_USER_IDS; allowing no one`, error);
      return [];
    }
    return (dotenv.parse(text).ADMIN_USER_IDS ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter((id) => USER_ID.test(id));
  };
}
