import { Client, Events, GatewayIntentBits, Options, Partials, Status } from "discord.js";
import { type BotConfig, readAdminIds } from "../config.ts";
import { FeedbackLog } from "../feedback.ts";
import type { HealthReport } from "../health.ts";
import { log, redact } from "../log.ts";
import { openQuestionLog } from "../questions.ts";
import { crossLingual } from "../search/crosslingual.ts";
import { Library } from "../search/library.ts";
import { fileNotes, type ReloadReport } from "../search/reports.ts";
import { RateLimiter } from "./rate-limit.ts";
import { Router } from "./router.ts";

/** Wires a corpus, the feedback and question logs and a discord.js client into a running bot. */

// Discord asks for suggestions as a question is typed: many requests for one question asked.
const SUGGESTIONS_PER_QUESTION = 10;

export interface Bot {
  client: Client;
  library: Library;
  router: Router;
  /** Ready when logged in and every gateway shard is connected; with the corpus counts. */
  health(): HealthReport;
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
    ...(config.DISCORD_API_URL ? { rest: { api: config.DISCORD_API_URL } } : {}),
  });
}

export async function startBot(config: BotConfig, options: BotOptions = {}): Promise<Bot> {
  redact(config.DISCORD_TOKEN);
  const library = await Library.open(config.CORPUS_DIR, {
    dataDir: config.DATA_DIR,
    ...crossLingual(config),
  });
  const stats = library.stats();
  for (const line of fileNotes(stats)) log.warn(line);
  const client = createClient(config);
  const feedback = new FeedbackLog(config.DATA_DIR);
  const questions = openQuestionLog(config, feedback);
  const router = new Router({
    library,
    feedback,
    questions,
    adminIds: () => readAdminIds(config),
    reload: options.reload
      ? () => options.reload?.(library) ?? Promise.resolve([])
      : async () => [await library.reload()],
    mentions: config.MENTIONS,
    staleAfterDays: config.STALE_AFTER_DAYS,
    limiter: new RateLimiter({ perMinute: config.RATE_LIMIT_PER_MINUTE }),
    suggestionLimiter: new RateLimiter({
      perMinute: config.RATE_LIMIT_PER_MINUTE * SUGGESTIONS_PER_QUESTION,
    }),
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
    health() {
      const { documents, passages } = library.stats();
      const down = client.ws.shards.find((shard) => shard.status !== Status.Ready);
      const gateway = !client.isReady() ? "closed" : down ? String(Status[down.status]) : "ready";
      return { ready: gateway === "ready", gateway, documents, passages };
    },
    async stop() {
      await router.drain();
      await questions.flush();
      await client.destroy();
      await library.close();
    },
  };
}
