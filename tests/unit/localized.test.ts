import { SlashCommandBuilder, SlashCommandIntegerOption } from "discord.js";
import { expect, test } from "vitest";
import { localized } from "../../commands/localized.ts";
import { messages } from "../../src/replies/messages.ts";

test("a command is named and described from the catalogs, in English and in each Spanish locale", () => {
  const json = localized(new SlashCommandBuilder(), "help").toJSON();
  expect(json.name).toBe("help");
  expect(json.description).toBe("How to ask me questions");
  expect(json.name_localizations).toEqual({ "es-ES": "ayuda", "es-419": "ayuda" });
  expect(json.description_localizations).toEqual({
    "es-ES": "Cómo hacerme preguntas",
    "es-419": "Cómo hacerme preguntas",
  });
});

test("an option is named by the key's last part, its description filled in with the values", () => {
  const values = { max: 5, default: 3 };
  const json = localized(new SlashCommandIntegerOption(), "ask.results", values).toJSON();
  expect(json.name).toBe("results");
  expect(json.name_localizations?.["es-419"]).toBe("resultados");
  expect(json.description).toBe(messages("en")("command.ask.results", values));
  expect(json.description_localizations?.["es-ES"]).toBe("Cuántas citas (1-5, por defecto 3)");
});

test("a key the catalogs lack is an error naming it", () => {
  expect(() => localized(new SlashCommandBuilder(), "nonesuch")).toThrow(/"name\.nonesuch"/u);
});
