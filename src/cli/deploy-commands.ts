import { pathToFileURL } from "node:url";
import { REST, Routes } from "discord.js";
import { commandDefinitions } from "../../commands/index.ts";
import { type BotConfig, botConfig, ConfigError } from "../config.ts";

/** npm run deploy: registers the slash commands in DISCORD_GUILD_ID (instant) or globally. */

export interface Deployed {
  scope: string;
  names: string[];
}

export async function deployCommands(
  config: Pick<
    BotConfig,
    "DISCORD_TOKEN" | "DISCORD_APPLICATION_ID" | "DISCORD_GUILD_ID" | "DISCORD_API_URL"
  >,
): Promise<Deployed> {
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(
    config.DISCORD_TOKEN,
  );
  const applicationId =
    config.DISCORD_APPLICATION_ID ??
    ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const route = config.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(applicationId, config.DISCORD_GUILD_ID)
    : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body: commandDefinitions() })) as { name: string }[];
  return {
    scope: config.DISCORD_GUILD_ID
      ? `guild ${config.DISCORD_GUILD_ID}`
      : "globally (may take up to an hour to appear)",
    names: registered.map((c) => c.name),
  };
}

async function main(): Promise<void> {
  try {
    const deployed = await deployCommands(botConfig());
    process.stdout.write(
      `Registered ${deployed.names.length} commands ${deployed.scope}: ${deployed.names.map((n) => `/${n}`).join(", ")}\n`,
    );
  } catch (error) {
    const message =
      error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`Cannot deploy: ${message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
