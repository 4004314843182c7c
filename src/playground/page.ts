import {
  catalogs,
  DEFAULT_LANGUAGE,
  discordLocales,
  languages,
  messages,
} from "../replies/messages.ts";
import { escapeHtml } from "./render.ts";

/**
 * The playground page: one HTML document, its stylesheet and its script, served as they
 * are (no build step). The script never builds markup from text: messages arrive as HTML
 * from the server's escaping renderer (render.ts); everything else is set as text. The
 * page's own words are the catalogs' `playground.page.*` messages: an element names its
 * message in `data-text` (its text), `data-text-label` (aria-label) or
 * `data-text-placeholder`, and the language switch sets them all.
 */

/** The Discord locale the switch sends for a language: the first its catalog serves. */
const switchLocale = (language: string) => discordLocales(language)[0] ?? language;

const PAGE_KEYS = Object.keys(catalogs.get(DEFAULT_LANGUAGE) ?? {}).filter((key) =>
  key.startsWith("playground.page."),
);

/** Each language's page messages, by the switch's locale. */
const PAGE_TEXT = Object.fromEntries(
  languages.map((language) => {
    const t = messages(language);
    return [switchLocale(language), Object.fromEntries(PAGE_KEYS.map((key) => [key, t(key)]))];
  }),
);

/** An English message as HTML: the page as served, before the switch is touched. */
const en = (key: string) => escapeHtml(messages(DEFAULT_LANGUAGE)(key));

/** The switch: one option per catalog, named in its own language. */
const LANGUAGE_OPTIONS = languages
  .map(
    (language) =>
      `      <option value="${switchLocale(language)}" lang="${language}">${escapeHtml(messages(language)("meta.name"))}</option>`,
  )
  .join("\n");

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title data-text="playground.page.title">${en("playground.page.title")}</title>
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<header class="top">
  <h1><span aria-hidden="true"># </span>playground</h1>
  <p><span data-text="playground.page.intro">${en("playground.page.intro")}</span> <code>/ask</code>, <code>/sources</code>, <code>/help</code>, <code>/reload</code>, <code>/stats</code>.</p>
  <p class="language">
    <label for="locale" data-text="playground.page.language">${en("playground.page.language")}</label>
    <select id="locale" name="locale">
${LANGUAGE_OPTIONS}
    </select>
  </p>
</header>
<main class="chat">
  <section id="welcome" class="welcome" aria-label="${en("playground.page.start")}" data-text-label="playground.page.start"></section>
  <ol id="log" class="log" role="log" aria-live="polite" aria-label="${en("playground.page.messages")}" data-text-label="playground.page.messages"></ol>
</main>
<form id="composer" class="composer" autocomplete="off" aria-label="${en("playground.page.composer")}" data-text-label="playground.page.composer">
  <label for="text" data-text="playground.page.text">${en("playground.page.text")}</label>
  <div class="composer-row">
    <input id="text" name="text" type="text" required maxlength="2000" list="suggestions"
      placeholder="${en("playground.page.placeholder")}" data-text-placeholder="playground.page.placeholder" aria-describedby="hint status" autofocus>
    <datalist id="suggestions"></datalist>
    <button type="submit" data-text="playground.page.send">${en("playground.page.send")}</button>
  </div>
  <p id="hint" class="hint"><span data-text="playground.page.hint">${en("playground.page.hint")}</span> <code>/ask question source:ID results:1-5 private:true</code></p>
  <p id="status" class="status" role="status"></p>
</form>
</body>
</html>
`;

export const PAGE_JS = `const log = document.getElementById("log");
const welcome = document.getElementById("welcome");
const form = document.getElementById("composer");
const input = document.getElementById("text");
const status = document.getElementById("status");
const suggestions = document.getElementById("suggestions");
// Sent with every message and click, as Discord sends the user's locale with each interaction.
const locale = document.getElementById("locale");
let busy = false;
const TEXT = ${JSON.stringify(PAGE_TEXT)};

function say(key) {
  return TEXT[locale.value]?.[key] ?? TEXT[${JSON.stringify(switchLocale(DEFAULT_LANGUAGE))}]?.[key] ?? key;
}

// The page's own words in the switch's language.
function translatePage() {
  document.documentElement.lang = locale.selectedOptions[0]?.lang ?? "en";
  for (const element of document.querySelectorAll("[data-text]")) element.textContent = say(element.dataset.text);
  for (const element of document.querySelectorAll("[data-text-label]")) element.setAttribute("aria-label", say(element.dataset.textLabel));
  for (const element of document.querySelectorAll("[data-text-placeholder]")) element.placeholder = say(element.dataset.textPlaceholder);
}

// Every request carries the switch's locale: Accept-Language for the server's errors.
async function call(path, init = {}) {
  let response;
  try {
    response = await fetch(path, { ...init, headers: { ...init.headers, "Accept-Language": locale.value } });
  } catch {
    throw new Error(say("playground.page.notAnswering"));
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(data?.error ?? say("playground.page.httpError").replace("{status}", String(response.status)));
  }
  return data;
}

function post(path, body) {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...body, locale: locale.value }),
  });
}

// Messages and the first screen are HTML from the server's escaping renderer; nothing else is inserted as HTML.
function show(messages) {
  welcome.hidden = true;
  const first = log.children.length;
  for (const message of messages) log.insertAdjacentHTML("beforeend", message.html);
  log.children[first]?.scrollIntoView({ block: "start" });
}

function buttonsOf(element) {
  return [...element.querySelectorAll("button[data-custom-id]")];
}

// An edited message replaces the old one; focus stays where it was (same button position).
function replace(old, message, clicked) {
  const position = buttonsOf(old).indexOf(clicked);
  const hadFocus = old.contains(document.activeElement);
  old.insertAdjacentHTML("afterend", message.html);
  const fresh = old.nextElementSibling;
  old.remove();
  if (!hadFocus || !fresh) return;
  const buttons = buttonsOf(fresh);
  const target = [buttons[position], ...buttons].find((b) => b && !b.disabled);
  (target ?? input).focus();
}

async function run(work) {
  if (busy) return;
  busy = true;
  form.setAttribute("aria-busy", "true");
  status.textContent = "";
  try {
    await work();
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
  } finally {
    busy = false;
    form.removeAttribute("aria-busy");
  }
}

function send(text) {
  void run(async () => {
    const data = await post("/api/message", { text });
    input.value = "";
    suggestions.replaceChildren();
    show(data.messages);
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (input.value.trim()) send(input.value);
});

// The first screen: what the bot knows, and example questions that are asked when clicked.
function showWelcome() {
  void run(async () => {
    const data = await call("/api/welcome?locale=" + encodeURIComponent(locale.value));
    if (!log.children.length) welcome.innerHTML = data.html;
  });
}
showWelcome();

locale.addEventListener("change", () => {
  translatePage();
  if (!log.children.length) showWelcome();
});

welcome.addEventListener("click", (event) => {
  const example = event.target instanceof Element ? event.target.closest("button[data-question]") : null;
  if (example) send(example.dataset.question);
});

log.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-custom-id]") : null;
  const message = button?.closest("[data-message-id]");
  if (!button || !message || button.disabled) return;
  void run(async () => {
    const data = await post("/api/button", {
      messageId: message.dataset.messageId,
      customId: button.dataset.customId,
    });
    if (data.update) replace(message, data.update, button);
    if (data.messages) show(data.messages);
  });
});

// Slash-command suggestions come from each command's own autocomplete.
let pending = 0;
input.addEventListener("input", () => {
  clearTimeout(pending);
  const text = input.value;
  if (!text.trimStart().startsWith("/")) {
    suggestions.replaceChildren();
    return;
  }
  pending = setTimeout(async () => {
    try {
      const data = await call("/api/autocomplete?text=" + encodeURIComponent(text) + "&locale=" + encodeURIComponent(locale.value));
      if (input.value !== text) return;
      suggestions.replaceChildren(
        ...data.choices.map((choice) => {
          const option = document.createElement("option");
          option.value = choice.value;
          option.label = choice.name;
          return option;
        }),
      );
    } catch {
      suggestions.replaceChildren();
    }
  }, 150);
});
`;
