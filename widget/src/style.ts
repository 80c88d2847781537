// Styles live inside the Shadow DOM, so the page's CSS and the widget's never meet.
export const css = `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;font-size:15px}
button{cursor:pointer;font:inherit}
button:focus-visible,input:focus-visible,textarea:focus-visible,a:focus-visible,.log:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:#1d4ed8;color:#fff;font-size:24px;box-shadow:0 4px 12px rgba(0,0,0,.25);z-index:2147483646}
.panel{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 24px);height:520px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:#fff;color:#111;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.3);overflow:hidden;z-index:2147483647}
.panel[hidden]{display:none}
header{display:flex;align-items:center;justify-content:space-between;background:#1d4ed8;color:#fff;padding:8px 12px}
h2{margin:0;font-size:16px;font-weight:600;color:#fff}
.icon{background:none;border:0;color:inherit;font-size:20px;min-width:44px;min-height:44px}
.status{margin:0;padding:6px 12px;background:#eff6ff;color:#1e3a8a;font-size:13px;min-height:1em}
.status.warn{background:#fef3c7;color:#78350f}
.body{flex:1;display:flex;flex-direction:column;overflow:auto;padding:8px 12px}
.logwrap{flex:1;display:flex;flex-direction:column;min-height:0}
.log{list-style:none;margin:0;padding:0;flex:1;overflow-y:auto}
.log li{margin:6px 0;padding:8px 10px;border-radius:10px;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere;display:flex;flex-direction:column}
.own{margin-left:auto!important;background:#dbeafe}
.their{background:#f3f4f6}
.pending{opacity:.7}
.who{font-size:12px;color:#4b5563}
.receipt{font-size:11px;color:#4b5563;align-self:flex-end}
.typing{margin:4px 0;font-size:12px;color:#4b5563;min-height:1em}
form{display:flex;flex-direction:column;gap:8px}
label{display:flex;flex-direction:column;gap:2px;font-size:13px;color:#374151}
input,textarea{border:1px solid #9ca3af;border-radius:6px;padding:8px;width:100%;color:#111;background:#fff}
.composer{flex-direction:row;align-items:flex-end;gap:4px}
.composer textarea{flex:1}
.composer .icon{color:#1d4ed8}
.file{display:none}
.primary{background:#1d4ed8;color:#fff;border:0;border-radius:6px;padding:10px 14px;min-height:44px}
.link{background:none;border:0;color:#1d4ed8;text-decoration:underline;padding:8px 0;min-height:44px}
.rate{border:1px solid #9ca3af;background:#fff;border-radius:6px;padding:8px 12px;min-height:44px;margin-right:8px;color:#111}
.rating{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:12px}
.error{color:#b91c1c;margin:0;font-size:13px}
.invite{position:fixed;right:20px;bottom:88px;background:#fff;border-radius:10px;box-shadow:0 4px 12px rgba(0,0,0,.25);padding:4px 12px;max-width:280px;z-index:2147483646}
@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100vh;max-height:100vh;border-radius:0}}
`;
