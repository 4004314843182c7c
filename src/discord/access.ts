import { PermissionFlagsBits } from "discord.js";

/**
 * Who may reload: in a server, members with Manage Server (as Discord reports them in the
 * interaction) or users on the ADMIN_USER_IDS allowlist; in DMs, only the allowlist.
 * The allowlist is read at each check, so removing someone takes effect at once.
 */

export interface Requester {
  userId: string;
  /** The member's permissions in the guild, or null outside a guild. */
  permissions: bigint | null;
}

export function isAdmin(requester: Requester, allowlist: readonly string[]): boolean {
  if (allowlist.includes(requester.userId)) return true;
  if (requester.permissions === null) return false;
  const perms = requester.permissions;
  return (
    (perms & PermissionFlagsBits.ManageGuild) === PermissionFlagsBits.ManageGuild ||
    (perms & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator
  );
}
