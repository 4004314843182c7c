import dotenv from "dotenv";
import { z } from "zod";

/** The one place that reads process.env: .env (via dotenv) and the environment, validated. */

const snowflake = z.string().regex(/^\d{5,25}$/u, "must be a Discord id (digits only)");
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    schema.optional(),
  );

const engineSchema = z.object({
  CORPUS_DIR: optional(z.string()).transform((v) => v ?? "corpus"),
  DATA_DIR: optional(z.string()).transform((v) => v ?? ".data"),
  LOG_LEVEL: optional(z.enum(["debug", "info", "warn", "error", "silent"])).transform(
    (v) => v ?? "info",
  ),
  /** The Apertium executable that translates Spanish questions and English quotes. */
  APERTIUM_PATH: optional(z.string().trim()).transform((v) => v ?? "apertium"),
  /** off: Spanish replies show only the verbatim quote, without its machine translation. */
  TRANSLATE_QUOTES: optional(z.enum(["on", "off"])).transform((v) => v !== "off"),
});

const botSchema = engineSchema.extend({
  DISCORD_TOKEN: z
    .string({ error: "is required: the bot token from the Developer Portal" })
    .trim()
    .min(1, "is empty"),
  DISCORD_APPLICATION_ID: optional(snowflake),
  DISCORD_GUILD_ID: optional(snowflake),
  DISCORD_API_URL: optional(z.url({ error: "must be a URL such as http://127.0.0.1:8080/api" })),
  ADMIN_USER_IDS: optional(z.string())
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(snowflake)),
  MENTIONS: optional(z.enum(["on", "off"])).transform((v) => v === "on"),
  RATE_LIMIT_PER_MINUTE: optional(z.coerce.number().int().min(0).max(10_000)).transform(
    (v) => v ?? 20,
  ),
  /** The settings file; ADMIN_USER_IDS is re-read from it at each admin check. */
  ENV_FILE: optional(z.string()).transform((v) => v ?? ".env"),
  // npm run start:sharded: how many shards; "auto" asks Discord for its recommendation.
  SHARD_COUNT: optional(
    z
      .string()
      .trim()
      .regex(/^(?:auto|[1-9]\d{0,4})$/u, 'must be a positive whole number or "auto"'),
  ).transform((v): number | "auto" => (v === undefined || v === "auto" ? "auto" : Number(v))),
});

const PORT_RANGE = "must be a port number from 1 to 65535";

const playgroundSchema = engineSchema.extend({
  PORT: optional(z.string().trim().regex(/^\d+$/u, PORT_RANGE))
    .transform((v) => (v === undefined ? 8787 : Number(v)))
    .pipe(z.number().int().min(1, PORT_RANGE).max(65535, PORT_RANGE)),
});

export type EngineConfig = z.infer<typeof engineSchema>;
export type BotConfig = z.infer<typeof botSchema>;
export type PlaygroundConfig = z.infer<typeof playgroundSchema>;

export class ConfigError extends Error {}

let dotenvLoaded = false;

function environment(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env) return env;
  if (!dotenvLoaded) {
    dotenv.config({ quiet: true, path: process.env.ENV_FILE?.trim() || ".env" });
    dotenvLoaded = true;
  }
  return process.env;
}

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? "environment");
  throw new ConfigError(
    `${name} ${issue?.message ?? "is invalid"} (set it in .env; see .env.example)`,
  );
}

/** What the offline engine needs (CLI, eval). */
export function engineConfig(env?: NodeJS.ProcessEnv): EngineConfig {
  return parse(engineSchema, environment(env));
}

/** What the Discord bot needs; throws ConfigError naming the first bad variable. */
export function botConfig(env?: NodeJS.ProcessEnv): BotConfig {
  return parse(botSchema, environment(env));
}

/** What the local playground needs (npm start without DISCORD_TOKEN). */
export function playgroundConfig(env?: NodeJS.ProcessEnv): PlaygroundConfig {
  return parse(playgroundSchema, environment(env));
}

/** Whether a bot token is set: npm start then runs the Discord bot, else the playground. */
export function hasDiscordToken(env?: NodeJS.ProcessEnv): boolean {
  return (environment(env).DISCORD_TOKEN ?? "").trim() !== "";
}
