// The Switchboard chat widget: one script tag, a button and a chat window in a Shadow DOM.
// Chat text is only ever set as textContent, never parsed as HTML.
import { Hub } from "./hub";
import { format, pageLanguage, strings } from "./i18n";
import { css } from "./style";

type Field = { key: string; label: string; required: boolean };
type Invitation = { path: string; afterSeconds: number; message: string };
type Config = {
  name: string; online: boolean; preChatFields: Field[]; invitations: Invitation[];
  maxFileBytes: number; allowedFileTypes: string[];
};
type FileInfo = { name: string; contentType: string; size: number; url: string };
type Line = { id: number; clientId: string; sender: string; agentName?: string; text: string; file?: FileInfo | null; at: string };
type State = {
  conversationId: number; status: string; queuePosition?: number | null; agentName?: string | null;
  lines?: Line[] | null; lastReadByAgent: number; rated: boolean;
};
type Outgoing = { clientId: string; text: string };

const script = (document.currentScript || document.querySelector("script[data-widget]")) as HTMLScriptElement;
const key = script.getAttribute("data-widget") || "";
const base = new URL(script.src).origin;
const lang = pageLanguage();
const t = strings(lang);
const storeKey = "sb-chat:" + key;
const outKey = "sb-chat-out:" + key;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}

function id(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function load<T>(k: string, fallback: T): T {
  try {
    const v = localStorage.getItem(k);
    return v ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
}

function save(k: string, v: unknown): void {
  try {
    if (v === null) localStorage.removeItem(k);
    else localStorage.setItem(k, JSON.stringify(v));
  } catch {
    // Storage may be unavailable (private mode); the chat then lasts one page.
  }
}

function page() {
  return { url: location.href, title: document.title, referrer: document.referrer, locale: lang };
}

class Widget {
  private host: HTMLElement;
  private root: ShadowRoot;
  private launcher: HTMLButtonElement;
  private panel: HTMLElement;
  private statusBar: HTMLElement;
  private body: HTMLElement;
  private log?: HTMLElement;
  private typingBar?: HTMLElement;
  private input?: HTMLTextAreaElement;
  private hub?: Hub;
  private token: string | null = load<string | null>(storeKey, null);
  private outbox: Outgoing[] = load<Outgoing[]>(outKey, []);
  private lines = new Map<string, Line>();
  private state?: State;
  private config?: Config;
  private typingTimer = 0;
  private retry = 0;

  constructor() {
    const host = el("div", { "data-switchboard-chat": "" });
    this.host = host;
    this.root = host.attachShadow({ mode: "open" });
    const style = el("style");
    style.textContent = css;
    this.root.appendChild(style);
    this.launcher = el("button", { class: "launcher", "aria-label": t.open, "aria-expanded": "false", part: "launcher" }, "💬");
    this.launcher.onclick = () => this.toggle();
    this.panel = el("section", { class: "panel", role: "dialog", "aria-label": t.title, hidden: "" });
    const header = el("header");
    header.appendChild(el("h2", {}, t.title));
    const close = el("button", { class: "icon", "aria-label": t.close }, "×");
    close.onclick = () => this.toggle(false);
    header.appendChild(close);
    this.statusBar = el("p", { class: "status", role: "status" });
    this.body = el("div", { class: "body" });
    this.panel.append(header, this.statusBar, this.body);
    this.root.append(this.panel, this.launcher);
    this.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.toggle(false);
    });
  }

  async init(): Promise<void> {
    const r = await fetch(base + "/api/v1/chat/public/widgets/" + encodeURIComponent(key), { credentials: "omit" });
    if (!r.ok) return;
    this.config = await r.json();
    document.body.appendChild(this.host);
    if (this.token) {
      await this.connect();
    } else {
      this.invite();
    }
    this.render();
  }

  private toggle(open?: boolean): void {
    const show = open ?? this.panel.hidden;
    this.panel.hidden = !show;
    this.launcher.setAttribute("aria-expanded", String(show));
    if (show) {
      this.markRead();
      const first = this.panel.querySelector<HTMLElement>("textarea, input, button:not(.icon)");
      first?.focus();
    } else {
      this.launcher.focus();
    }
  }

  private invite(): void {
    for (const rule of this.config!.invitations) {
      if (!location.pathname.startsWith(rule.path)) continue;
      window.setTimeout(() => {
        if (this.token || !this.panel.hidden) return;
        const bubble = el("div", { class: "invite", role: "status" });
        const text = el("button", { class: "link" }, rule.message);
        text.onclick = () => {
          bubble.remove();
          this.toggle(true);
        };
        bubble.appendChild(text);
        this.root.appendChild(bubble);
      }, rule.afterSeconds * 1000);
      return;
    }
  }

  private async connect(): Promise<void> {
    const hub = new Hub(base.replace(/^http/, "ws") + "/hubs/chat/visitor?key=" + encodeURIComponent(key));
    hub.on("Line", (line: Line) => this.upsert(line));
    hub.on("State", (s: State) => this.setState({ ...this.state!, ...s, lines: null }));
    hub.on("AgentTyping", (on: boolean) => this.showTyping(on));
    hub.on("Read", (upTo: number) => {
      if (this.state) this.state.lastReadByAgent = upTo;
      this.renderLines();
    });
    hub.onclose = () => this.reconnect();
    this.hub = hub;
    try {
      await hub.connect();
      this.retry = 0;
      this.statusBar.classList.remove("warn");
      if (this.token) {
        const s = await hub.invoke<State | null>("Resume", this.token, page());
        if (!s) {
          this.forget();
        } else {
          this.setState(s);
          await this.flush();
        }
      }
    } catch {
      this.reconnect();
    }
  }

  private reconnect(): void {
    this.statusBar.textContent = t.reconnecting;
    this.statusBar.classList.add("warn");
    const delay = [500, 1000, 2000, 5000, 10000][Math.min(this.retry++, 4)];
    window.setTimeout(() => this.connect(), delay);
  }

  private forget(): void {
    this.token = null;
    this.state = undefined;
    this.outbox = [];
    this.lines.clear();
    save(storeKey, null);
    save(outKey, null);
  }

  private setState(s: State): void {
    const previous = view(this.state);
    this.state = s;
    if (s.lines) {
      for (const line of s.lines) this.lines.set(line.clientId, line);
    }
    if (previous !== view(s) || !this.log) this.render();
    else this.renderStatus();
    this.renderLines();
  }

  private upsert(line: Line): void {
    this.lines.set(line.clientId, line);
    this.outbox = this.outbox.filter((o) => o.clientId !== line.clientId);
    save(outKey, this.outbox);
    if (line.sender === "agent") this.showTyping(false);
    this.renderLines();
    this.markRead();
  }

  // Everything not yet acknowledged goes (again); the server keeps each client id once.
  private async flush(): Promise<void> {
    for (const o of [...this.outbox]) {
      if (!this.hub?.connected) return;
      try {
        this.upsert(await this.hub.invoke<Line>("Send", o.clientId, o.text));
      } catch {
        return;
      }
    }
  }

  private async send(text: string): Promise<void> {
    text = text.trim();
    if (!text) return;
    const o = { clientId: id(), text };
    this.outbox.push(o);
    save(outKey, this.outbox);
    this.renderLines();
    await this.flush();
  }

  private markRead(): void {
    if (this.panel.hidden || !this.hub?.connected || !this.state) return;
    let last = 0;
    this.lines.forEach((l) => {
      if (l.sender === "agent" && l.id > last) last = l.id;
    });
    if (last) this.hub.invoke("Read", last).catch(() => undefined);
  }

  private showTyping(on: boolean): void {
    if (!this.typingBar) return;
    this.typingBar.textContent = on ? format(t.typing, { name: this.state?.agentName || t.agent }) : "";
  }

  private renderStatus(): void {
    const s = this.state;
    this.statusBar.classList.remove("warn");
    this.statusBar.textContent = !s
      ? (this.config?.online ? "" : t.offline)
      : s.status === "queued" ? format(t.queued, { n: s.queuePosition || 1 })
      : s.status === "ringing" ? t.ringing
      : s.status === "active" ? format(t.active, { name: s.agentName || t.agent })
      : s.status === "missed" ? t.missed
      : t.ended;
  }

  private render(): void {
    this.renderStatus();
    this.body.textContent = "";
    this.log = undefined;
    const s = this.state;
    if (!s) {
      this.body.appendChild(this.config?.online ? this.preChat() : this.offlineForm());
    } else if (s.status === "missed") {
      this.body.append(this.transcriptLog(), this.offlineForm());
    } else if (s.status === "ended") {
      this.body.append(this.transcriptLog(), this.endView());
    } else {
      this.body.append(this.transcriptLog(), this.composer());
    }
    this.renderLines();
  }

  private transcriptLog(): HTMLElement {
    this.log = el("ol", { class: "log", role: "log", "aria-live": "polite", tabindex: "0" });
    this.typingBar = el("p", { class: "typing", "aria-live": "polite" });
    const wrap = el("div", { class: "logwrap" });
    wrap.append(this.log, this.typingBar);
    return wrap;
  }

  private renderLines(): void {
    if (!this.log) return;
    const sorted = [...this.lines.values()].sort((a, b) => a.id - b.id);
    const pending = this.outbox.filter((o) => !this.lines.has(o.clientId));
    this.log.textContent = "";
    let lastOwn: HTMLElement | undefined;
    let lastOwnId = 0;
    for (const l of sorted) {
      const li = el("li", { class: l.sender === "visitor" ? "own" : "their" });
      li.appendChild(el("span", { class: "who" }, l.sender === "visitor" ? t.you : l.agentName || t.agent));
      li.appendChild(el("span", { class: "text" }, l.text));
      if (l.file) {
        const href = base + l.file.url + "?key=" + encodeURIComponent(key) + "&token=" + encodeURIComponent(this.token || "");
        const a = el("a", { href, target: "_blank", rel: "noopener noreferrer", download: l.file.name }, l.file.name);
        li.appendChild(a);
      }
      if (l.sender === "visitor") {
        lastOwn = li;
        lastOwnId = l.id;
      }
      this.log.appendChild(li);
    }
    if (lastOwn && this.state) {
      lastOwn.appendChild(el("span", { class: "receipt" }, this.state.lastReadByAgent >= lastOwnId ? t.read : t.delivered));
    }
    for (const o of pending) {
      const li = el("li", { class: "own pending" });
      li.appendChild(el("span", { class: "text" }, o.text));
      li.appendChild(el("span", { class: "receipt" }, t.sending));
      this.log.appendChild(li);
    }
    this.log.scrollTop = this.log.scrollHeight;
  }

  private field(label: string, name: string, type = "text", required = false, multiline = false): HTMLElement {
    const wrap = el("label");
    wrap.appendChild(el("span", {}, label));
    const input = multiline ? el("textarea", { name, rows: "3" }) : el("input", { name, type });
    if (required) input.setAttribute("required", "");
    wrap.appendChild(input);
    return wrap;
  }

  private form(fields: HTMLElement[], submit: string, onSubmit: (data: Record<string, string>) => Promise<void>): HTMLFormElement {
    const form = el("form", { novalidate: "" });
    form.append(...fields);
    const error = el("p", { class: "error", role: "alert" });
    form.append(error, el("button", { type: "submit", class: "primary" }, submit));
    form.onsubmit = async (e) => {
      e.preventDefault();
      const data: Record<string, string> = {};
      for (const input of Array.from(form.querySelectorAll<HTMLInputElement>("input, textarea"))) {
        if (input.required && !input.value.trim()) {
          error.textContent = t.required;
          input.focus();
          return;
        }
        data[input.name] = input.value.trim();
      }
      try {
        error.textContent = "";
        await onSubmit(data);
      } catch (err) {
        error.textContent = (err as Error).message || t.failed;
      }
    };
    return form;
  }

  private preChat(): HTMLElement {
    const extra = this.config!.preChatFields.map((f) => this.field(f.label, "x:" + f.key, "text", f.required));
    return this.form(
      [this.field(t.name, "name", "text", true), this.field(t.email, "email", "email"), ...extra, this.field(t.message, "message", "text", true, true)],
      t.start,
      async (d) => {
        const fields: Record<string, string> = {};
        for (const k in d) if (k.startsWith("x:")) fields[k.slice(2)] = d[k];
        const token = id() + id();
        const clientId = id();
        if (!this.hub?.connected) await this.connect();
        const s = await this.hub!.invoke<State>("Start", {
          token, name: d.name, email: d.email || null, fields, clientId, text: d.message, identity: identity(), page: page(),
        });
        this.token = token;
        save(storeKey, token);
        this.setState(s);
        this.input?.focus();
      });
  }

  private offlineForm(): HTMLElement {
    const wrap = el("div", { class: "offline" });
    const form = this.form(
      [this.field(t.name, "name", "text", true), this.field(t.email, "email", "email", true), this.field(t.message, "message", "text", true, true)],
      t.leave,
      async (d) => {
        if (!this.hub?.connected) await this.connect();
        await this.hub!.invoke("LeaveMessage", { token: this.token, name: d.name, email: d.email, text: d.message, page: page() });
        wrap.textContent = "";
        wrap.appendChild(el("p", { role: "status" }, t.thanksOffline));
      });
    wrap.appendChild(form);
    return wrap;
  }

  private composer(): HTMLElement {
    const form = el("form", { class: "composer" });
    const input = el("textarea", { rows: "2", "aria-label": t.message, placeholder: t.placeholder, maxlength: "4000" });
    this.input = input;
    input.onkeydown = (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        form.requestSubmit();
      }
    };
    // The agent sees the text as it is typed, at most four times a second, always ending on the latest.
    input.oninput = () => {
      if (this.typingTimer) return;
      this.typingTimer = window.setTimeout(() => {
        this.typingTimer = 0;
        if (this.hub?.connected) this.hub.invoke("Typing", input.value.slice(0, 500)).catch(() => undefined);
      }, 250);
    };
    const file = el("input", { type: "file", class: "file", "aria-label": t.attach });
    file.onchange = () => {
      if (file.files && file.files[0]) this.upload(file.files[0]);
      file.value = "";
    };
    const attach = el("button", { type: "button", class: "icon", "aria-label": t.attach }, "📎");
    attach.onclick = () => file.click();
    const send = el("button", { type: "submit", class: "primary" }, t.send);
    form.onsubmit = (e) => {
      e.preventDefault();
      const text = input.value;
      input.value = "";
      this.send(text);
    };
    const end = el("button", { type: "button", class: "link end" }, t.end);
    end.onclick = async () => this.setState(await this.hub!.invoke<State>("End"));
    const wrap = el("div");
    form.append(input, file, attach, send);
    wrap.append(form, end);
    return wrap;
  }

  private async upload(f: File): Promise<void> {
    const c = this.config!;
    if (f.size > c.maxFileBytes) return this.notice(t.fileTooLarge);
    if (c.allowedFileTypes.length && !c.allowedFileTypes.some((p) => (f.type || "").startsWith(p))) return this.notice(t.fileType);
    const data = new FormData();
    data.append("key", key);
    data.append("token", this.token || "");
    data.append("clientId", id());
    data.append("file", f);
    const r = await fetch(base + "/api/v1/chat/public/files", { method: "POST", body: data, credentials: "omit" });
    if (!r.ok) return this.notice(((await r.json().catch(() => null)) || {}).detail || t.failed);
    this.upsert(await r.json());
  }

  private notice(text: string): void {
    if (this.typingBar) this.typingBar.textContent = text;
  }

  private endView(): HTMLElement {
    const wrap = el("div", { class: "end" });
    if (!this.state!.rated) {
      wrap.appendChild(el("p", {}, t.rate));
      const comment = el("textarea", { rows: "2", "aria-label": t.comment, placeholder: t.comment, maxlength: "2000" });
      const rate = (rating: string) => async () => {
        await this.hub!.invoke("Rate", rating, comment.value.trim());
        this.state!.rated = true;
        box.textContent = "";
        box.appendChild(el("p", { role: "status" }, t.thanksRating));
      };
      const good = el("button", { type: "button", class: "rate" }, "👍 " + t.good);
      good.onclick = rate("good");
      const bad = el("button", { type: "button", class: "rate" }, "👎 " + t.bad);
      bad.onclick = rate("bad");
      const box = el("div", { class: "rating" });
      box.append(good, bad, comment);
      wrap.appendChild(box);
    }
    const transcript = this.form([this.field(t.email, "email", "email", true)], t.transcript, async (d) => {
      await this.hub!.invoke("Transcript", d.email);
      transcript.replaceWith(el("p", { role: "status" }, t.transcriptSent));
    });
    const again = el("button", { type: "button", class: "link" }, t.newChat);
    again.onclick = () => {
      this.forget();
      this.render();
    };
    wrap.append(transcript, again);
    return wrap;
  }
}

function view(s?: State): string {
  return !s ? "form" : s.status === "missed" || s.status === "ended" ? s.status : "chat";
}

// A site vouches for a signed-in user with data-user-id, data-user-email, data-user-name and
// data-user-signature (HMAC-SHA256 of "id:email" with the widget's identity secret).
function identity() {
  const userId = script.getAttribute("data-user-id");
  if (!userId) return null;
  return {
    userId,
    email: script.getAttribute("data-user-email") || "",
    name: script.getAttribute("data-user-name") || "",
    signature: script.getAttribute("data-user-signature") || "",
  };
}

function boot(): void {
  new Widget().init().catch(() => undefined);
}

if (document.body) boot();
else document.addEventListener("DOMContentLoaded", boot);
