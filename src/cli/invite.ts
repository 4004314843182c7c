import { botConfig } from "../config.ts";
import { applicationIdOf, applicationProblem, inviteUrl, restFor } from "../discord/application.ts";

/**
 * npm run invite: prints the link that adds the bot to a server, with the
 * applications.commands scope and exactly the permissions it needs. The application id is
 * DISCORD_APPLICATION_ID, or looked up from DISCORD_TOKEN.
 */

try {
  const config = botConfig();
  const applicationId = await applicationIdOf(restFor(config), config).catch((error: unknown) => {
    throw new Error(applicationProblem(error, config, undefined));
  });
  process.stdout.write(`${inviteUrl(applicationId)}\n`);
} catch (error) {
  process.stderr.write(`Cannot make the invite link: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
