import { pathToFileURL } from "node:url";
import { Routes } from "discord.js";
import { commandDefinitions } from "../../commands/index.ts";
import { botConfig, ConfigError } from "../config.ts";
import {
  type ApplicationConfig,
  applicationIdOf,
  applicationProblem,
  inviteUrl,
  restFor,
} from "../discord/application.ts";

/**
 * npm run deploy: registers the slash commands in DISCORD_GUILD_ID (instant) or globally,
 * then prints the invite link. Every failure is one line saying what to do.
 */

export interface Deployed {
  scope: string;
  names: string[];
  applicationId: string;
}

/** A deploy that failed; its message says what to do. */
export class DeployError extends Error {}

export async function deployCommands(config: ApplicationConfig): Promise<Deployed> {
  const rest = restFor(config);
  let applicationId: string | undefined;
  try {
    applicationId = await applicationIdOf(rest, config);
    const route = config.DISCORD_GUILD_ID
      ? Routes.applicationGuildCommands(applicationId, config.DISCORD_GUILD_ID)
      : Routes.applicationCommands(applicationId);
    const registered = (await rest.put(route, { body: commandDefinitions() })) as {
      name: string;
    }[];
    return {
      scope: config.DISCORD_GUILD_ID
        ? `guild ${config.DISCORD_GUILD_ID}`
        : "globally (may take up to an hour to appear)",
      names: registered.map((c) => c.name),
      applicationId,
    };
  } catch (error) {
    throw new DeployError(applicationProblem(error, config, applicationId));
  }
}

async function main(): Promise<void> {
  try {
    const deployed = await deployCommands(botConfig());
    process.stdout.write(
      `Registered ${deployed.names.length} commands ${deployed.scope}: ${deployed.names.map((n) => `/${n}`).join(", ")}\n` +
        `Invite the bot to a server with ${inviteUrl(deployed.applicationId)}\n`,
    );
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof DeployError)) throw error;
    process.stderr.write(`Cannot deploy: ${error.message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
