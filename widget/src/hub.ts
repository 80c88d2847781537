// A minimal client of the SignalR JSON hub protocol over a plain WebSocket: invocations with
// completions, server-to-client calls, pings. Reconnection is the caller's business.
const RS = "\u001e";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class Hub {
  private ws?: WebSocket;
  private next = 1;
  private pending = new Map<string, Pending>();
  private handlers = new Map<string, (...args: any[]) => void>();
  private ping?: number;
  onclose?: () => void;

  constructor(private url: string) {}

  on(name: string, fn: (...args: any[]) => void): void {
    this.handlers.set(name.toLowerCase(), fn);
  }

  get connected(): boolean {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      let open = false;
      this.ws = ws;
      ws.onopen = () => ws.send(JSON.stringify({ protocol: "json", version: 1 }) + RS);
      ws.onmessage = (e) => {
        for (const frame of String(e.data).split(RS)) {
          if (!frame) continue;
          const m = JSON.parse(frame);
          if (!open) {
            if (m.error) { reject(new Error(m.error)); ws.close(); return; }
            open = true;
            this.ping = window.setInterval(() => this.raw({ type: 6 }), 15000);
            resolve();
            continue;
          }
          this.receive(m);
        }
      };
      ws.onclose = () => {
        window.clearInterval(this.ping);
        const failed = [...this.pending.values()];
        this.pending.clear();
        failed.forEach((p) => p.reject(new Error("closed")));
        if (!open) reject(new Error("closed"));
        else if (this.ws === ws && this.onclose) this.onclose();
      };
    });
  }

  close(): void {
    this.ws?.close();
  }

  invoke<T>(target: string, ...args: unknown[]): Promise<T> {
    if (!this.connected) return Promise.reject(new Error("offline"));
    const id = String(this.next++);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.raw({ type: 1, invocationId: id, target, arguments: args });
    });
  }

  private raw(m: object): void {
    if (this.connected) this.ws!.send(JSON.stringify(m) + RS);
  }

  private receive(m: any): void {
    if (m.type === 1) {
      const fn = this.handlers.get(String(m.target).toLowerCase());
      if (fn) fn(...(m.arguments || []));
    } else if (m.type === 3) {
      const p = this.pending.get(m.invocationId);
      if (!p) return;
      this.pending.delete(m.invocationId);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.result);
    } else if (m.type === 7) {
      this.ws?.close();
    }
  }
}
