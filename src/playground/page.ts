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

export const PAGE_CSS = `*, *::before, *::after { box-sizing: border-box; }
/* Keeps a focused button clear of the message box stuck to the bottom. */
html { scroll-padding-bottom: 9rem; }
:root {
  color-scheme: dark;
  --bg: #313338; --panel: #2b2d31; --text: #dbdee1; --muted: #b5bac1; --link: #00a8fc;
  --focus: #ffcc4d; --primary: #5865f2; --secondary: #4e5058; --success: #248046; --danger: #da373c;
  font: 16px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
body { margin: 0; background: var(--bg); color: var(--text); min-height: 100vh; display: flex; flex-direction: column; }
code { font-family: ui-monospace, Consolas, monospace; font-size: 0.9em; background: #1e1f22; padding: 0 0.2em; border-radius: 3px; }
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.top { padding: 0.75rem 1rem; border-bottom: 1px solid #1e1f22; }
.top h1 { margin: 0; font-size: 1.1rem; }
.top p { margin: 0.25rem 0 0; color: var(--muted); font-size: 0.9rem; }
.language label { margin-right: 0.5rem; }
.language select { font: inherit; color: var(--text); background: var(--panel); border: 1px solid var(--secondary); border-radius: 4px; padding: 0.2rem 0.4rem; }
.chat { flex: 1; width: 100%; max-width: 60rem; margin: 0 auto; }
.log { list-style: none; margin: 0; padding: 0.5rem 1rem; }
.msg { padding: 0.5rem 0; overflow-wrap: anywhere; min-width: 0; }
.msg + .msg { border-top: 1px solid #3f4147; }
.author { margin: 0 0 0.2rem; font-weight: 600; color: #f2f3f5; }
.user .author { color: #80c8ff; }
.tag { background: var(--primary); color: #fff; font-size: 0.65rem; padding: 0.05rem 0.3rem; border-radius: 3px; vertical-align: 0.1em; }
.content { white-space: normal; }
.md blockquote { margin: 0.25rem 0; padding-left: 0.75rem; border-left: 4px solid #4e5058; }
.embed { margin: 0.4rem 0; padding: 0.5rem 0.75rem 0.6rem; max-width: 32rem; background: var(--panel); border-left: 4px solid #1e1f22; border-radius: 4px; }
.embed-author { margin: 0 0 0.25rem; font-size: 0.85rem; font-weight: 600; }
.embed-title { margin: 0 0 0.35rem; font-size: 1rem; }
.embed-title a { color: var(--link); }
.embed-description { font-size: 0.95rem; }
.embed-fields { margin: 0.5rem 0 0; }
.embed-fields dt { font-weight: 600; font-size: 0.9rem; }
.embed-fields dd { margin: 0 0 0.4rem; font-size: 0.9rem; }
.embed-footer { margin: 0.5rem 0 0; font-size: 0.8rem; color: var(--muted); }
.components { margin-top: 0.4rem; }
.row { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-bottom: 0.5rem; }
.btn { font: inherit; font-size: 0.9rem; color: #fff; border: 0; border-radius: 4px; padding: 0.4rem 0.9rem; min-height: 2.25rem; cursor: pointer; text-decoration: none; display: inline-flex; align-items: center; gap: 0.35rem; }
.btn-primary { background: var(--primary); }
.btn-secondary { background: var(--secondary); }
.btn-success { background: var(--success); }
.btn-danger { background: var(--danger); }
.btn:hover:not(:disabled) { filter: brightness(1.15); }
.btn:disabled { opacity: 0.5; cursor: not-allowed; }
.ephemeral-note { margin: 0.25rem 0 0; font-size: 0.8rem; color: var(--muted); }
.ephemeral { background: rgba(88, 101, 242, 0.08); }
.composer { position: sticky; bottom: 0; background: var(--bg); padding: 0.5rem 1rem 0.75rem; border-top: 1px solid #1e1f22; width: 100%; max-width: 60rem; margin: 0 auto; }
.composer label { display: block; font-size: 0.85rem; color: var(--muted); margin-bottom: 0.25rem; }
.composer-row { display: flex; gap: 0.5rem; }
.composer input { flex: 1; min-width: 0; font: inherit; color: var(--text); background: #383a40; border: 1px solid #1e1f22; border-radius: 6px; padding: 0.6rem 0.75rem; }
.composer button { font: inherit; color: #fff; background: var(--primary); border: 0; border-radius: 6px; padding: 0 1rem; cursor: pointer; }
.hint { margin: 0.35rem 0 0; font-size: 0.8rem; color: var(--muted); overflow-wrap: anywhere; }
.status { margin: 0.25rem 0 0; font-size: 0.85rem; color: #ffb3b3; min-height: 1em; }
.status:empty { display: none; }
.welcome { padding: 0.75rem 1rem 0; }
.welcome:empty, .welcome[hidden] { display: none; }
.welcome h2 { margin: 0.5rem 0 0.35rem; font-size: 1rem; }
.welcome p { margin: 0.25rem 0; color: var(--muted); font-size: 0.9rem; }
.welcome ul { list-style: none; margin: 0; padding: 0; }
.documents li { padding: 0.15rem 0; font-size: 0.9rem; }
.doc-meta { color: var(--muted); font-size: 0.85rem; white-space: nowrap; }
.examples { display: flex; flex-direction: column; align-items: flex-start; gap: 0.4rem; }
.examples .btn { text-align: left; }
@media (max-width: 30rem) {
  .top, .log, .composer { padding-left: 0.6rem; padding-right: 0.6rem; }
  .embed { padding: 0.5rem; }
}
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
