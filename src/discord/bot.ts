import { Client, Events, GatewayIntentBits, Options, Partials } from "discord.js";
import type { BotConfig } from "../config.ts";
import { FeedbackLog } from "../feedback.ts";
import { log, redact } from "../log.ts";
import { crossLingual } from "../search/crosslingual.ts";
import { Library, type ReloadReport } from "../search/library.ts";
import { allowlist } from "./access.ts";
import { RateLimiter } from "./rate-limit.ts";
import { makeRequest } from "./rest-request.ts";
import { Router } from "./router.ts";

/** Wires a corpus, the feedback log and a discord.js client into a running bot. */

export interface Bot {
  client: Client;
  library: Library;
  router: Router;
  /** Finishes in-flight replies, closes the connection, then saves a snapshot still due. */
  stop(): Promise<void>;
}

export interface BotOptions {
  /** Overrides how /reload reaches every copy of the corpus (sharding). */
  reload?: (library: Library) => Promise<ReloadReport[]>;
}

export function createClient(config: Pick<BotConfig, "DISCORD_API_URL" | "MENTIONS">): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.DirectMessages,
      ...(config.MENTIONS
        ? [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent]
        : []),
    ],
    partials: [Partials.Channel],
    // Nothing reads cached messages (a button's message comes with its interaction); the
    // default keeps 200 per channel, so every DM channel would hold its last 200 messages.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    allowedMentions: { parse: [], repliedUser: false },
    rest: { makeRequest, ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}) },
  });
}

export async function startBot(config: BotConfig, options: BotOptions = {}): Promise<Bot> {
  redact(config.DISCORD_TOKEN);
  const library = await Library.open(config.CORPUS_DIR, {
    dataDir: config.DATA_DIR,
    ...crossLingual(config),
  });
  const stats = library.stats();
  for (const skip of stats.skipped) log.warn(`skipped ${skip.file}: ${skip.reason}`);
  const client = createClient(config);
  const router = new Router({
    library,
    feedback: new FeedbackLog(config.DATA_DIR),
    adminIds: allowlist(config),
    reload: options.reload
      ? () => options.reload?.(library) ?? Promise.resolve([])
      : async () => [await library.reload()],
    mentions: config.MENTIONS,
    limiter: new RateLimiter({ perMinute: config.RATE_LIMIT_PER_MINUTE }),
  });
  client.on(Events.InteractionCreate, (interaction) => router.onInteraction(interaction));
  client.on(Events.MessageCreate, (message) => router.onMessage(message));
  client.on(Events.Error, (error) => log.error("discord client error", error));
  client.on(Events.ShardDisconnect, (_event, shard) => log.warn(`shard ${shard} disconnected`));
  client.on(Events.ShardResume, (shard) => log.info(`shard ${shard} resumed`));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.DISCORD_TOKEN);
  await ready;
  log.info(
    `corpus ${config.CORPUS_DIR}: ${stats.documents} documents, ${stats.passages} passages, ${stats.skipped.length} skipped (index ${library.origin}); ready as ${client.user?.tag ?? "bot"}`,
  );
  return {
    client,
    library,
    router,
    async stop() {
      await router.drain();
      await client.destroy();
      await library.close();
    },
  };
}
