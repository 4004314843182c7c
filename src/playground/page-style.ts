/** The playground page's style sheet, served as /app.css. */
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
