import { PermissionFlagsBits } from "discord.js";

/**
 * Who may reload: in a server, members with Manage Server (as Discord reports them in the
 * interaction) or users on the ADMIN_USER_IDS allowlist; in DMs, only the allowlist.
 * The allowlist is read from the ENV_FILE at each check (`readAdminIds` in src/config.ts),
 * so removing someone there takes effect at once, without a restart.
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
